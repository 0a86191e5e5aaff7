"""A large Word document for `make bench`: one plan's header, then the bodies of many synthetic plans (prose
sections and phụ lục task tables) one after another, until it holds at least N tables and M characters —
the size of a Government resolution with an appendix per ministry (hundreds of tables, ~800k characters).

Usage: python tools/big_docx.py OUT.docx [--tables 228] [--chars 830000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.plangen import generate_plan  # noqa: E402
from tools.plangen.model import Para, TaskTable  # noqa: E402
from tools.plangen.render_docx import add_table  # noqa: E402

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _add_para(d: docx.document.Document, b: Para) -> int:
    p = d.add_paragraph()
    p.add_run(f"- {b.text}" if b.style == "bullet" else b.text).bold = b.bold
    if b.style == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return len(b.text)


def _table_chars(t: TaskTable) -> int:
    return sum(len(c.text) for r in t.rows for c in r.cells) + sum(len(c) for r in t.header for c in r)


def write_big_docx(out: Path, tables: int = 228, chars: int = 830_000) -> tuple[int, int]:
    """Writes OUT; returns (tables, characters) written."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    first = generate_plan(0, "prose")
    n_chars = n_tables = 0
    n_head = next(i for i, b in enumerate(first.blocks) if isinstance(b, Para) and b.text.startswith("Căn cứ"))
    for b in first.blocks[: n_head + 1]:
        assert isinstance(b, Para)
        n_chars += _add_para(d, b)
    seed = 1
    while n_tables < tables or n_chars < chars:
        # table plans mostly, a prose plan every fourth: the appendix tables outnumber the prose sections
        plan = generate_plan(seed, "prose" if seed % 4 == 0 else "table")
        n_chars += _add_para(d, Para(f"PHẦN {seed}. {plan.name.upper()}", "heading", True))
        for b in plan.blocks[n_head + 1:]:
            if isinstance(b, TaskTable):
                add_table(d, b, span_groups=True)
                n_tables += 1
                n_chars += _table_chars(b)
            else:
                n_chars += _add_para(d, b)
        seed += 1
    d.save(str(out))
    return n_tables, n_chars


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--tables", type=int, default=228)
    ap.add_argument("--chars", type=int, default=830_000)
    o = ap.parse_args()
    n_tables, n_chars = write_big_docx(o.out, o.tables, o.chars)
    print(f"{o.out}: {n_tables} tables, {n_chars} characters, {o.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
