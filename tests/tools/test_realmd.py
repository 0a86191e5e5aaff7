"""Rendering a Markdown plan (pipe tables or one cell per line between `|` lines) as Word and PDF keeps its
tasks: the renderings of a generated plan's Markdown score against its gold like the Markdown itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.plangen import generate_plan
from tools.plangen.model import TaskTable
from tools.plangen.realmd import markdown_blocks, render_markdown_plan
from tools.plangen.render_text import plan_to_markdown, table_grid
from tools.plangen.score import local_scorer, score_file


@pytest.mark.parametrize("cell_lines", [False, True])
def test_markdown_blocks_find_the_task_table(tmp_path: Path, cell_lines: bool) -> None:
    plan = generate_plan(21, "table")
    src = tmp_path / "plan.md"
    src.write_text(plan_to_markdown(plan, cell_lines=cell_lines), encoding="utf-8")
    tables = [obj for kind, obj in markdown_blocks(src) if kind == "table"]
    assert len(tables) == 1
    table = plan.blocks[-1]
    assert isinstance(table, TaskTable)
    grid = table_grid(table)
    assert len(tables[0]) == len(grid)
    assert [r[:2] for r in tables[0][-3:]] == [r[:2] for r in grid[-3:]]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_markdown_plan_keeps_its_tasks(tmp_path: Path, fmt: str) -> None:
    plan = generate_plan(22, "table")
    src = tmp_path / "plan.md"
    src.write_text(plan_to_markdown(plan, cell_lines=True), encoding="utf-8")
    (out,) = render_markdown_plan(src, tmp_path / fmt, (fmt,))
    r, result = score_file(out, plan.gold_rows(), plan.scope, local_scorer())
    assert result.status == "ok", result.message
    assert r["f1"] >= 0.9, r
