import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from normalizers.errors import SchemaViolationError
from pipeline.schema import (
    REPEAT_MARK,
    SCHEMAS,
    TABLE_DEFS,
    TABLES,
    distinct_task_numbers,
    rows_to_table,
    schema_markdown,
)
from pipeline.store import commit
from pipeline.validate import table_problems
from tests.pipeline.conftest import tiny_rows, write_tiny

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "schema.md"


def _documented_columns(text: str) -> dict[str, list[tuple[str, str]]]:
    """(column, type) per table, as the data dictionary lists them."""
    out: dict[str, list[tuple[str, str]]] = {}
    table = ""
    for line in text.splitlines():
        m = re.match(r"## (\w+)\.parquet", line)
        if m:
            table = m.group(1)
            out[table] = []
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if table and line.startswith("| ") and len(cells) == 4 and cells[0] not in ("column", "---"):
            out[table].append((cells[0], cells[1]))
    return out


def _type_text(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{t.value_type}>"
    return "date32" if pa.types.is_date32(t) else str(t)


def test_the_committed_data_dictionary_is_generated_from_the_schema():
    assert DOC.read_text(encoding="utf-8") == schema_markdown(), "docs/schema.md is stale: run `make docs`"


def test_the_data_dictionary_matches_the_parquet_files_ingest_writes(ingested: Path):
    documented = _documented_columns(DOC.read_text(encoding="utf-8"))
    assert set(documented) == set(TABLES)
    for name in TABLES:
        written = pq.read_schema(ingested / f"{name}.parquet")
        assert [(f.name, _type_text(f.type)) for f in written] == documented[name], name


def test_a_valid_dataset_has_no_problems(ingested: Path):
    for name in TABLES:
        assert table_problems(name, pq.read_table(ingested / f"{name}.parquet")) == [], name


def _bad_tasks() -> pa.Table:
    rows = tiny_rows(date(2026, 5, 1))["tasks"]
    rows[1]["deadline_kind"] = "someday"
    rows[2]["confidence"] = 1.5
    for col in ("doc_id", "source_file", "task_no"):
        rows[4][col] = rows[3][col]
    return rows_to_table("tasks", rows)


def test_writing_a_table_that_breaks_the_schema_fails_naming_table_column_and_rows(tmp_path: Path):
    write_tiny(tmp_path)
    before = (tmp_path / "tasks.parquet").read_bytes()
    with pytest.raises(SchemaViolationError) as e:
        commit(tmp_path, {"tasks": _bad_tasks()})
    err = e.value
    assert err.code == "schema_violation" and err.table == "tasks"
    found = {col: (rule, rows) for col, rule, rows in err.problems}
    assert found["deadline_kind"][1] == [1] and "someday" not in found["deadline_kind"][0]
    assert found["confidence"] == ("above 1", [2])
    assert found["doc_id, source_file, task_no"] == ("duplicate key", [3, 4])
    msg = str(err)
    assert "table tasks" in msg and "column deadline_kind" in msg and "rows 1" in msg and "in/" in msg
    assert (tmp_path / "tasks.parquet").read_bytes() == before, "nothing may be written"
    assert not list(tmp_path.glob(".staging-*"))


def test_missing_values_wrong_types_and_columns_are_caught():
    rows = tiny_rows(date(2026, 5, 1))
    rows["task_units"][0]["role"] = None
    rows["documents"][0]["sha256"] = "not-a-hash"
    rows["documents"][1]["year"] = 20
    assert [p[:2] for p in table_problems("task_units", rows_to_table("task_units", rows["task_units"]))] == \
        [("role", "required: null")]
    docs = {p[0]: p[2] for p in table_problems("documents", rows_to_table("documents", rows["documents"]))}
    assert docs == {"sha256": [0], "year": [1]}
    tasks = rows_to_table("tasks", rows["tasks"])
    assert table_problems("tasks", tasks.drop_columns(["page"]))[0][0] == "page"
    wide = tasks.set_column(tasks.schema.get_field_index("page"), "page", tasks.column("page").cast(pa.int64()))
    assert table_problems("tasks", wide) == [("page", "type int64, expected int32", [])]


def test_every_deadline_kind_the_schema_allows_is_accepted_and_year_is_one():
    kinds = TABLE_DEFS["tasks"].column("deadline_kind").values
    assert "year" in kinds
    rows = tiny_rows(date(2026, 5, 1))["tasks"]
    for i, kind in enumerate(kinds):
        rows[i % len(rows)]["deadline_kind"] = kind
        assert table_problems("tasks", rows_to_table("tasks", rows)) == [], kind


def test_the_arrow_schemas_come_from_the_definition():
    for name, t in TABLE_DEFS.items():
        assert SCHEMAS[name].names == [c.name for c in t.columns]
        assert all(k in SCHEMAS[name].names for k in t.key)


def test_repeated_task_numbers_become_distinct_and_unique_ones_stay():
    m = REPEAT_MARK
    assert distinct_task_numbers(["1", "1.1", "2"]) == ["1", "1.1", "2"]
    assert distinct_task_numbers(["a", "b", "a", "b", "a"]) == ["a", "b", f"a{m}2", f"b{m}2", f"a{m}3"]
    given = ["1", "1", f"1{m}2", "1"]  # a number that already looks like a repeat is not reused
    out = distinct_task_numbers(given)
    assert len(set(out)) == len(out) and out[0] == "1" and out[2] == f"1{m}2"


def test_the_same_file_under_two_paths_is_written(tmp_path: Path):
    import shutil

    from pipeline.batch import ingest_paths
    from pipeline.settings import Settings
    from tests.conftest import RENDER

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(RENDER / "txt" / "002_7f6332463eda1f90.txt", src / name)
    ingest_paths([src], Settings(out_dir=tmp_path / "out", workers=1))
    tasks = pq.read_table(tmp_path / "out" / "tasks.parquet").to_pandas()
    assert tasks.source_file.nunique() == 2 and tasks.doc_id.nunique() == 1
    assert len(tasks) == 2 * len(tasks[tasks.source_file == str(src / "a.txt")])


def test_page_rows_are_checked_page_method_confidence_and_one_row_per_page():
    rows = tiny_rows(date(2026, 5, 1))["pages"]
    assert table_problems("pages", rows_to_table("pages", rows)) == []
    rows[0]["page"] = 0
    rows[1]["method"] = "table"
    rows[2]["confidence"] = 1.2
    rows[4].update(page=rows[3]["page"])
    rows[5]["text"] = None
    found = {col: rows for col, _, rows in table_problems("pages", rows_to_table("pages", rows))}
    assert found == {"page": [0], "method": [1], "confidence": [2], "doc_id, source_file, page": [3, 4]}
    rows[6]["method"] = ""
    assert ("method", "required: empty text", [6]) in table_problems("pages", rows_to_table("pages", rows))
