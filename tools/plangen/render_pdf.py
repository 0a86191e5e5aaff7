"""Text PDFs (reportlab, DejaVu fonts; ruled tables with merged cells over several pages, the header
repeated on each) and degraded scans of them, with the scan model of tools/make_samples.py."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tools import make_samples
from tools.plangen.model import Para, Plan, TaskTable

WIDTH_SHARE = {"stt": 0.9, "content": 4.0, "lead": 2.0, "coord": 2.2, "deadline": 1.8, "output": 1.6,
               "funding": 1.4, "note": 1.1, "person": 2.0, "clause": 1.6}


@lru_cache(maxsize=1)
def fonts() -> bool:
    make_samples.register_fonts()
    return True


def table_flowable(t: TaskTable, font: str, size: float, width: float, span_groups: bool) -> Table:
    cell = ParagraphStyle("c", fontName=font, fontSize=size - 2, leading=(size - 2) * 1.25)
    head = ParagraphStyle("h", parent=cell, fontName=font + "-Bold")
    n_head = len(t.header) + (1 if t.number_row else 0)
    data = [[Paragraph(make_samples.esc(c), head) for c in r] for r in t.header]
    if t.number_row:
        data.append([Paragraph(f"({i + 1})", cell) for i in range(len(t.roles))])
    style: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if len(t.header) == 2 and t.group_span:
        a, b = t.group_span
        style.append(("SPAN", (a, 0), (b, 0)))
        style += [("SPAN", (c, 0), (c, 1)) for c in range(len(t.roles)) if not a <= c <= b]
    for i, row in enumerate(t.rows):
        data.append([Paragraph(make_samples.esc("" if c.merged_up else c.text), cell) for c in row.cells])
        if row.group and span_groups and "content" in t.roles:
            style.append(("SPAN", (t.roles.index("content"), n_head + i), (-1, n_head + i)))
    style += [("SPAN", (c, n_head + i), (c, n_head + j)) for c, i, j in t.merged_runs()]
    total = sum(WIDTH_SHARE[r] for r in t.roles)
    widths = [width * WIDTH_SHARE[r] / total for r in t.roles]
    return Table(data, colWidths=widths, repeatRows=len(t.header), style=TableStyle(style))


def plan_to_pdf(plan: Plan, out: Path, font: str = "serif", size: float = 12) -> None:
    fonts()
    story: list[object] = []
    wide = any(isinstance(b, TaskTable) and len(b.roles) >= 7 for b in plan.blocks)
    page = landscape(A4) if wide else A4
    width = page[0] - 4 * cm
    for b in plan.blocks:
        if isinstance(b, TaskTable):
            story += [Spacer(1, 6), table_flowable(b, font, size, width, bool(plan.options.get("span_groups", True)))]
            continue
        assert isinstance(b, Para)
        text = f"- {b.text}" if b.style == "bullet" else b.text
        style = make_samples.para_style(font, size, b.bold, b.style == "center")
        story.append(Paragraph(make_samples.esc(text), style))
    SimpleDocTemplate(str(out), pagesize=page, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.5 * cm,
                      bottomMargin=1.5 * cm).build(story)


def pdf_to_scan(pdf: Path, out: Path, seed: int, dpi: int = 300) -> None:
    """A degraded scan (tilted, blurred, noisy, JPEG) of PDF, as an image PDF or, for .png/.tif, images."""
    pages = make_samples.degrade(pdf, seed=seed, dpi=dpi)
    if out.suffix.lower() == ".png":
        pages[0].save(out)
        return
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi, quality=55)
