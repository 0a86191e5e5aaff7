"""Render the seed text dumps into realistic inputs: text PDFs (prose, and a ruled phụ lục table with cells
merged across rows that runs over several pages) and Word files (prose with Word list numbering, tables
with vertically merged cells). Outputs are committed; re-run with `make samples`.

Usage: python tools/make_samples.py [--seeds DIR]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
from pathlib import Path

import docx
import numpy as np
import pypdfium2 as pdfium
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.model import TableBlock  # noqa: E402
from extractors.text import text_to_doc  # noqa: E402
from normalizers.text import clean  # noqa: E402
from normalizers.units import Gazetteer  # noqa: E402
from pipeline.settings import DEFAULT_GAZETTEER  # noqa: E402
from pipeline.tables import align_cells, find_header  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"), "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")}


def register_fonts() -> None:
    for family, (regular, bold) in FONTS.items():
        pdfmetrics.registerFont(TTFont(family, str(FONT_DIR / regular)))
        pdfmetrics.registerFont(TTFont(family + "-Bold", str(FONT_DIR / bold)))
        pdfmetrics.registerFontFamily(family, normal=family, bold=family + "-Bold")


def seed_blocks(path: Path) -> list[tuple[str, object]]:
    """('para', (text, bold)) and ('table', rows) blocks of a seed dump; markdown marks become bold."""
    doc = text_to_doc(path)
    out: list[tuple[str, object]] = []
    raw_lines = [ln for ln in path.read_text(encoding="utf-8").split("\n")]
    bold_lines = {clean(ln) for ln in raw_lines if "**" in ln or ln.lstrip().startswith("#")}
    for it in doc.items:
        if isinstance(it, TableBlock):
            out.append(("table", it.rows))
        else:
            text = clean(it.text)
            out.append(("para", (text, text in bold_lines and not text.startswith(("-", "+")))))
    return out


def full_width_rows(rows: list[list[str]], gaz: Gazetteer) -> list[list[str]]:
    """The rows as a rectangle: short rows aligned to the header's columns, ragged ones (a table without a
    header, a single-cell heading row) padded, so a renderer can lay out every cell."""
    header = find_header(rows)
    if header is None:
        width = max(len(r) for r in rows)
        return [r + [""] * (width - len(r)) for r in rows]
    width = len(header.roles)
    # every header row: a two-level header's upper row (Thực hiện over chủ trì | phối hợp) names columns too
    out = [r[:width] + [""] * (width - len(r)) for r in rows[:header.row_index + 1]]
    for row in rows[header.row_index + 1:]:
        cells = [clean(c) for c in row]
        if len(cells) < width:
            cells = [cells[0]] + align_cells(cells[1:], header.roles[1:], gaz)
        out.append(cells[:width] + [""] * (width - len(cells)))
    return out


def vertical_runs(rows: list[list[str]], col: int) -> list[tuple[int, int]]:
    """Runs of equal non-empty cells in a column (rows with a sub-number only), to merge across rows."""
    runs, start = [], None
    for i in range(1, len(rows) + 1):
        same = i < len(rows) and start is not None and rows[i][col] and rows[i][col] == rows[start][col] \
            and "." in rows[i][0]
        if not same:
            if start is not None and i - 1 > start:
                runs.append((start, i - 1))
            start = i if i < len(rows) and rows[i][col] and "." in rows[i][0] else None
    return runs


def para_style(font: str, size: float, bold: bool, center: bool = False, alt: bool = False) -> ParagraphStyle:
    if alt:  # flush-left, no indent, tight spacing: paragraph breaks only from line ends and markers
        return ParagraphStyle("a", fontName=font + ("-Bold" if bold else ""), fontSize=size, leading=size * 1.2,
                              alignment=TA_CENTER if center else TA_LEFT, spaceAfter=1)
    return ParagraphStyle("p", fontName=font + ("-Bold" if bold else ""), fontSize=size, leading=size * 1.35,
                          alignment=TA_CENTER if center else TA_JUSTIFY, firstLineIndent=0 if center else 0.8 * cm,
                          spaceAfter=size * 0.45)


# the alternate layout reorders and renames the phụ lục columns
ALT_ORDER = [0, 1, 5, 2, 3, 4]
ALT_HEADER = ["TT", "Nội dung nhiệm vụ", "Thời hạn hoàn thành", "Cơ quan chủ trì", "Đơn vị phối hợp", "Sản phẩm"]


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_pdf(blocks: list[tuple[str, object]], out: Path, font: str, size: float, gaz: Gazetteer,
               alt: bool = False) -> None:
    story: list[object] = []
    cell_style = ParagraphStyle("c", fontName=font, fontSize=size - 2, leading=(size - 2) * 1.25)
    for kind, obj in blocks:
        if kind == "para":
            text, bold = obj  # type: ignore[misc]
            center = text.isupper() and len(text) < 120
            story.append(Paragraph(esc(text), para_style(font, size, bold, center, alt)))
            continue
        rows = full_width_rows(obj, gaz)  # type: ignore[arg-type]
        if alt and len(rows[0]) == len(ALT_ORDER):
            rows = [ALT_HEADER] + [[r[i] for i in ALT_ORDER] for r in rows[1:]]
        width = len(rows[0])
        widths = [1.1 * cm, 6.2 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.4 * cm][:width]
        data = [[Paragraph(esc(c), cell_style) for c in r] for r in rows]
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("FONTNAME", (0, 0), (-1, 0), font + "-Bold")]
        for col in range(2, width):
            for a, b in vertical_runs(rows, col):
                style.append(("SPAN", (col, a), (col, b)))
                for r in range(a + 1, b + 1):
                    data[r][col] = ""
        for r, row in enumerate(rows[1:], start=1):
            if row[1] and not any(row[2:]) and not alt:
                style.append(("SPAN", (1, r), (-1, r)))
        story.append(Spacer(1, 6))
        story.append(Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style)))
    SimpleDocTemplate(str(out), pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm).build(story)


def render_docx(blocks: list[tuple[str, object]], out: Path, font: str, size: float, gaz: Gazetteer) -> None:
    d = docx.Document()
    d.styles["Normal"].font.name = font
    d.styles["Normal"].font.size = Pt(size)
    for kind, obj in blocks:
        if kind == "para":
            text, bold = obj  # type: ignore[misc]
            bullet = re.match(r"^-\s+(?!\+)(.*)$", text)
            if bullet:  # Word's own bullet list: the dash is numbering, not text
                p = d.add_paragraph(bullet.group(1), style="List Bullet")
            else:
                p = d.add_paragraph()
                p.add_run(text).bold = bold
            if text.isupper() and len(text) < 120:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        rows = full_width_rows(obj, gaz)  # type: ignore[arg-type]
        table = d.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        for col in range(2, len(rows[0])):
            for a, b in vertical_runs(rows, col):
                keep = rows[a][col]
                merged = table.cell(a, col).merge(table.cell(b, col))
                merged.text = keep
    d.save(str(out))


def degrade(pdf_path: Path, seed: int, dpi: int = 300) -> list[Image.Image]:
    """A scan of each page: tilted up to 1°, blurred, noisy, JPEG-compressed, as an office scanner makes."""
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = []
    for i in range(len(pdf)):
        im = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        im = im.rotate(float(rng.uniform(-1, 1)), resample=Image.BILINEAR, fillcolor=255)
        im = im.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 0.9))))
        noisy = np.asarray(im).astype(np.int16) + rng.normal(0, 10, (im.height, im.width)).astype(np.int16)
        im = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=55)
        pages.append(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    pdf.close()
    return pages


def render_scans(render: Path, seeds: dict[str, Path]) -> None:
    out = render / "scan"
    out.mkdir(parents=True, exist_ok=True)
    for num in ("000", "002"):
        if num in seeds:
            pages = degrade(render / "pdf" / f"{seeds[num].stem}.pdf", seed=int(num) + 7)
            pages[0].save(out / f"{seeds[num].stem}.pdf", save_all=True, append_images=pages[1:], resolution=300,
                          quality=55)
    if "002" in seeds:  # the same phụ lục as a multi-page TIFF, as scanners also deliver
        pages = degrade(render / "pdf_alt" / f"{seeds['002'].stem}.pdf", seed=42)
        tif = render / "scan_tiff"
        tif.mkdir(parents=True, exist_ok=True)
        pages[0].save(tif / f"{seeds['002'].stem}.tif", save_all=True, append_images=pages[1:],
                      compression="jpeg", quality=55, dpi=(300, 300))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    o = ap.parse_args()
    seeds = {p.name[:3]: p for p in sorted(o.seeds.glob("*.txt"))}
    if not seeds:
        sys.exit(f"no seed texts in {o.seeds}")
    register_fonts()
    gaz = Gazetteer.from_csv(DEFAULT_GAZETTEER)
    render = ROOT / "tests" / "data" / "render"
    for sub in ("pdf", "pdf_alt", "docx", "txt"):
        (render / sub).mkdir(parents=True, exist_ok=True)
    for num, path in seeds.items():
        blocks = seed_blocks(path)
        render_pdf(blocks, render / "pdf" / f"{path.stem}.pdf", "serif" if num in "000 002 004" else "sans",
                   13 if num != "001" else 12, gaz)
        render_pdf(blocks, render / "pdf_alt" / f"{path.stem}.pdf", "sans" if num in "000 002 004" else "serif",
                   11, gaz, alt=True)
        render_docx(blocks, render / "docx" / f"{path.stem}.docx", "Times New Roman", 13, gaz)
        shutil.copyfile(path, render / "txt" / path.name)
    render_scans(render, seeds)
    raw = ROOT / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    picks = {"000": "docx", "001": "pdf", "002": "pdf", "003": "docx", "004": "txt"}
    for num, kind in picks.items():
        if num in seeds:
            src = render / kind / f"{seeds[num].stem}.{kind}"
            shutil.copyfile(src, raw / src.name)
    print(f"rendered {len(seeds)} seeds into {render} and {raw}")


if __name__ == "__main__":
    main()
