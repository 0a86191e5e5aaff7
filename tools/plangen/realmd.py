"""Renderings of a real Markdown plan (pipe rows or one cell per line between `|` lines) as Word, text PDF
and degraded scan, so its gold also scores those formats. The blocks come from the text extractor and the
page model of tools/make_samples.py, which renders the seed dumps the same way."""

from __future__ import annotations

from pathlib import Path

from extractors.model import TableBlock
from extractors.text import lines_to_items, text_to_doc
from normalizers.text import clean
from normalizers.units import Gazetteer
from pipeline.settings import DEFAULT_GAZETTEER
from tools import make_samples
from tools.plangen.render_pdf import fonts, pdf_to_scan

FORMATS = ("docx", "pdf", "scan")


def _table_end(raw: list[str], i: int) -> int:
    """Index after a one-cell-per-line table starting at i: it ends at a blank line that is not followed
    by a `|` line within the next line (blank lines between `|` lines are empty cells)."""
    j = i
    while j < len(raw):
        if not raw[j].strip() and not (j + 1 < len(raw) and raw[j + 1].strip() == "|"
                                       and j > 0 and raw[j - 1].strip() == "|" and _in_row(raw, j)):
            break
        j += 1
    return j


def _in_row(raw: list[str], j: int) -> bool:
    """The blank line j sits between two `|` lines that are not a row's end and the next row's start."""
    return not (j >= 2 and raw[j - 2].strip() == "|")


def markdown_blocks(path: Path) -> list[tuple[str, object]]:
    """('para', (text, bold)) and ('table', rows): pipe tables through the text extractor, one-cell-per-line
    tables read here (the text extractor leaves them as lines)."""
    raw = path.read_text(encoding="utf-8").split("\n")
    out: list[tuple[str, object]] = []
    i = 0
    buf: list[str] = []
    while i < len(raw):
        if raw[i].strip() == "|":
            j = _table_end(raw, i)
            # the block as the reader cuts it: task tables (one per header), the rest — a page head, an info
            # box, a page's whole text in one cell — as lines
            for it in lines_to_items(raw[i:j]):
                if isinstance(it, TableBlock):
                    out += _para_blocks(buf)
                    out.append(("table", it.rows))
                    buf = []
                elif it.text.strip() != "|":
                    buf.append(it.text)
            i = j
            continue
        buf.append(raw[i])
        i += 1
    out += _para_blocks(buf)
    return out


def _para_blocks(lines: list[str]) -> list[tuple[str, object]]:
    if not "".join(lines).strip():
        return []
    doc = text_to_doc(Path("x.md"), "\n".join(_join_bold_spans(lines)).encode("utf-8"))
    out: list[tuple[str, object]] = []
    for it in doc.items:
        if isinstance(it, TableBlock):
            out.append(("table", it.rows))
        else:
            text = clean(it.text.replace("**", "").replace("*", ""))
            if text:
                out.append(("para", (text, it.bold)))
    return _join_wrapped(out)


def _join_bold_spans(lines: list[str]) -> list[str]:
    """A bold span wrapped over lines (`**I. MỤC` / `ĐÍCH, YÊU CẦU**`) back on one line."""
    out: list[str] = []
    open_span = False
    for ln in lines:
        if open_span and ln.strip():
            out[-1] = f"{out[-1].rstrip()} {ln.strip()}"
        else:
            out.append(ln)
        if ln.count("**") % 2:
            open_span = not open_span
        if not ln.strip():
            open_span = False
    return out


def _join_wrapped(blocks: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Markdown dumps wrap paragraphs at a fixed width: a line not ending a sentence goes on with the next,
    unless the next opens a numbered item, a bullet or a heading."""
    import re

    opener = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|[-+•]|PHỤ LỤC|Phụ lục)", re.I)
    out: list[tuple[str, object]] = []
    for kind, obj in blocks:
        if kind == "para" and out and out[-1][0] == "para":
            prev_text, prev_bold = out[-1][1]  # type: ignore[misc]
            text, bold = obj  # type: ignore[misc]
            if not re.search(r"[.;:!?]$", prev_text) and not opener.match(text) and bold == prev_bold:
                out[-1] = ("para", (f"{prev_text} {text}", prev_bold))
                continue
        out.append((kind, obj))
    return out


def render_markdown_plan(src: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS, seed: int = 7) -> list[Path]:
    """SRC rendered into OUT_DIR as SRC's stem with .docx / .pdf and a scan (stem.pdf under out_dir/scan)."""
    fonts()
    gaz = Gazetteer.from_csv(DEFAULT_GAZETTEER)
    blocks = markdown_blocks(src)
    made: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    if "docx" in formats:
        made.append(out_dir / f"{src.stem}.docx")
        make_samples.render_docx(blocks, made[-1], "Times New Roman", 13, gaz)
    if "pdf" in formats or "scan" in formats:
        pdf = out_dir / f"{src.stem}.pdf"
        make_samples.render_pdf(blocks, pdf, "serif", 12, gaz)
        if "pdf" in formats:
            made.append(pdf)
        if "scan" in formats:
            (out_dir / "scan").mkdir(exist_ok=True)
            made.append(out_dir / "scan" / f"{src.stem}.pdf")
            pdf_to_scan(pdf, made[-1], seed=seed)
    return made
