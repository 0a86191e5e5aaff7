"""Word renderings: paragraphs (dash items as Word list bullets when the plan says so), task tables with
real merged cells (vMerge down rows, gridSpan across the two-row header and group rows) and header rows
marked to repeat on every page."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from tools.plangen.model import Para, Plan, TaskTable


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_table(d: docx.document.Document, t: TaskTable, span_groups: bool) -> None:
    n_head = len(t.header) + (1 if t.number_row else 0)
    table = d.add_table(rows=n_head + len(t.rows), cols=len(t.roles))
    table.style = "Table Grid"
    for r, row in enumerate(t.header):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
        _repeat_header(table.rows[r])
    if len(t.header) == 2 and t.group_span:
        a, b = t.group_span
        keep = t.header[0][a]
        table.cell(0, a).merge(table.cell(0, b)).text = keep
        for c in range(len(t.roles)):
            if not a <= c <= b:
                keep = t.header[0][c]
                table.cell(0, c).merge(table.cell(1, c)).text = keep
    if t.number_row:
        for c in range(len(t.roles)):
            table.cell(len(t.header), c).text = f"({c + 1})"
    for i, row in enumerate(t.rows):
        r = n_head + i
        for c, cell in enumerate(row.cells):
            if not cell.merged_up:
                table.cell(r, c).text = cell.text
    for c, i, j in t.merged_runs():  # vertical merges
        keep = t.rows[i].cells[c].text
        table.cell(n_head + i, c).merge(table.cell(n_head + j, c)).text = keep
    if span_groups and "content" in t.roles:
        c0 = t.roles.index("content")
        for i, row in enumerate(t.rows):
            if row.group and c0 < len(t.roles) - 1:
                keep = row.cells[c0].text
                table.cell(n_head + i, c0).merge(table.cell(n_head + i, len(t.roles) - 1)).text = keep


def plan_to_docx(plan: Plan, out: Path) -> None:
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    word_bullets = bool(plan.options.get("word_bullets"))
    for b in plan.blocks:
        if isinstance(b, TaskTable):
            add_table(d, b, span_groups=bool(plan.options.get("span_groups", True)))
            continue
        assert isinstance(b, Para)
        if b.style == "bullet" and word_bullets:
            p = d.add_paragraph(b.text, style="List Bullet")
        else:
            p = d.add_paragraph()
            p.add_run(f"- {b.text}" if b.style == "bullet" else b.text).bold = b.bold
        if b.style == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.save(str(out))
