"""The README's recipes, run as written on a small dataset whose answers are known."""

import os
import re
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.conftest import DOC_A, NOI_VU, write_tiny

README = Path(__file__).resolve().parents[2] / "README.md"


def _recipe_blocks(lang: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Recipes"):]
    section = section[: section.index("\n## ")]
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def _queries() -> dict[str, str]:
    (block,) = _recipe_blocks("sql")
    queries = {}
    for q in (q.strip() for q in block.split(";") if q.strip()):
        title = q.splitlines()[0].removeprefix("--").strip()
        queries[title] = q
    return queries


@pytest.fixture
def in_repo_layout(tmp_path: Path):
    """A folder holding data/processed, as the recipes expect, made the working directory."""
    write_tiny(tmp_path / "data" / "processed")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


def test_the_sql_recipes_answer_on_the_small_dataset(in_repo_layout: Path):
    q = _queries()
    assert len(q) == 4
    assert duckdb.sql(q["tasks due this quarter, per lead unit"]).fetchall() == [(NOI_VU, 1)]
    shared = duckdb.sql(q["tasks shared by two units, in any role"]).fetchall()
    assert [(r[0], r[1]) for r in shared] == [(DOC_A, "1"), (DOC_A, "3")]
    citing = duckdb.sql(q["plans citing a given decision"]).fetchall()
    assert [r[0] for r in citing] == ["12/KH-UBND"]
    assert duckdb.sql(q["overdue tasks by province"]).fetchall() == [("Bình Định", 1), ("Đồng Tháp", 1)]


def test_the_pandas_recipes_answer_on_the_small_dataset(in_repo_layout: Path):
    (block,) = _recipe_blocks("python")
    env: dict[str, object] = {}
    exec(compile(block, "README recipes", "exec"), env)  # noqa: S102 - the README's own code
    assert env["due_per_unit"].to_dict() == {NOI_VU: 1}
    assert sorted(zip(env["shared"].doc_id, env["shared"].task_no, strict=True)) == [(DOC_A, "1"), (DOC_A, "3")]
    assert list(env["citing"].doc_number) == ["12/KH-UBND"]
    assert env["overdue_by_province"].to_dict() == {"Bình Định": 1, "Đồng Tháp": 1}
