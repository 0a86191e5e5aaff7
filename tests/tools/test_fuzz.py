"""Generated documents, damaged (truncated, lines shuffled, random bytes, emptied cells, unbalanced pipes,
huge cells), through ingest_file: a bad input may fail with a stable error code, never with an internal
error."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import ingest_file
from pipeline.settings import Settings
from tools.plangen import generate_plan
from tools.plangen.formats import render_plan
from tools.plangen.mutate import MUTATIONS, mutate_text
from tools.plangen.render_text import plan_to_markdown, plan_to_text


@given(st.integers(0, 10**6), st.sampled_from(["table", "prose"]), st.sampled_from(MUTATIONS),
       st.sampled_from([".md", ".txt", "cells.md"]))
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_text_never_raises_internal_error(tmp_path_factory: pytest.TempPathFactory, seed: int,
                                                  kind: str, mutation: str, suffix: str) -> None:
    plan = generate_plan(seed, kind)
    text = plan_to_text(plan) if suffix == ".txt" else plan_to_markdown(plan, cell_lines=suffix == "cells.md")
    path = tmp_path_factory.mktemp("fuzz") / f"doc_{suffix}"
    path = path.with_name("doc" + (suffix if suffix.startswith(".") else "_" + suffix))
    path.write_bytes(mutate_text(text, mutation, random.Random(seed)))
    result = ingest_file(path, Settings())
    assert result.error_code != "internal_error", result.message
    assert result.status == "ok" or result.error_code, result.message


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_truncated_office_files_fail_cleanly(tmp_path: Path, fmt: str) -> None:
    """A Word or PDF file cut short is reported as a corrupt (or empty) input, not a crash."""
    plan = generate_plan(11, "table")
    data = render_plan(plan, fmt, tmp_path).read_bytes()
    for cut in (0, 10, len(data) // 2, len(data) - 5):
        path = tmp_path / f"cut_{cut}.{fmt}"
        path.write_bytes(data[:cut])
        result = ingest_file(path, Settings())
        assert result.error_code != "internal_error", result.message


def test_empty_and_huge_cells_in_docx(tmp_path: Path) -> None:
    """A Word table whose cells are emptied at random or hold a very long text still ingests."""
    plan = generate_plan(12, "table")
    rng = random.Random(3)
    for block in plan.blocks:
        for row in getattr(block, "rows", []):
            for cell in row.cells:
                if rng.random() < 0.3:
                    cell.text = ""
                elif rng.random() < 0.05:
                    cell.text = "Nội dung rất dài " * 3000
    result = ingest_file(render_plan(plan, "docx", tmp_path), Settings())
    assert result.status == "ok", result.message
