"""Text-layer PDFs through pdfplumber: running-text lines with bold and layout, ruled tables as cell grids.

Cells merged across rows are repeated in every row they span; cells merged across columns keep their
text in the first column only.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extractors.model import ExtractedDoc, Item, Line, TableBlock
from extractors.ocr import OcrOptions, ocr_pages, results_to_doc
from normalizers.errors import CorruptFileError, EmptyFileError, EncryptedPdfError, NoTextLayerError, TooLargeError
from normalizers.text import nfc

_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?\d{1,4}\s*$|^\s*-\s*\d{1,4}\s*-\s*$", re.I)
_CID = re.compile(r"\(cid:\d+\)")
Bbox = tuple[float, float, float, float]


@contextmanager
def open_pdf(path: Path, password: str = "") -> Iterator[Any]:
    if path.stat().st_size == 0:
        raise EmptyFileError(path, "the file is empty")
    try:
        pdf = pdfplumber.open(path, password=password)
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise EncryptedPdfError(path, "the PDF is encrypted with a password") from e
        raise CorruptFileError(path, f"not a readable PDF ({type(cause).__name__})") from e
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise CorruptFileError(path, f"not a readable PDF ({type(e).__name__})") from e
    try:
        yield pdf
    finally:
        pdf.close()


def pdf_to_doc(path: Path, max_pages: int = 2000, ocr: OcrOptions | None = None) -> ExtractedDoc:
    """Text-layer pages are read as they are; pages without a usable layer go to OCR when `ocr` is given."""
    by_page: dict[int, list[Item]] = {}
    need_ocr: list[tuple[int, int]] = []
    with open_pdf(path) as pdf:
        try:
            pages = pdf.pages
        except Exception as e:  # pdfminer raises many kinds on broken page trees
            raise CorruptFileError(path, f"cannot read the page tree ({type(e).__name__})") from e
        if len(pages) > max_pages:
            raise TooLargeError(path, f"{len(pages)} pages, more than the limit of {max_pages}")
        for i, page in enumerate(pages):
            try:
                page_items, chars = page_to_items(page)
            except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as e:
                raise CorruptFileError(path, f"page {page.page_number} is damaged ({type(e).__name__})") from e
            finally:
                page.flush_cache()
            if chars:
                by_page[i + 1] = page_items
            else:
                need_ocr.append((i, i + 1))
        n_pages = len(pages)
    if not need_ocr:
        return ExtractedDoc(path=path, items=[it for p in sorted(by_page) for it in by_page[p]], pages=n_pages)
    if ocr is None:
        if not by_page:
            raise NoTextLayerError(path, "no page has a text layer")
        return ExtractedDoc(path=path, items=[it for p in sorted(by_page) for it in by_page[p]], pages=n_pages,
                            warnings=[f"{len(need_ocr)} pages without a text layer were skipped"])
    scanned = results_to_doc(path, list(ocr_pages(path, need_ocr, ocr)), n_pages)
    for it in scanned.items:
        by_page.setdefault(it.page, []).append(it)
    method = "ocr" if len(need_ocr) * 2 >= n_pages else "text"
    return ExtractedDoc(path=path, items=[it for p in sorted(by_page) for it in by_page[p]], pages=n_pages,
                        method=method, confidence=scanned.confidence if method == "ocr" else 1.0,
                        warnings=scanned.warnings, ocr_confidence=scanned.ocr_confidence)


def page_to_items(page: Any) -> tuple[list[Item], int]:
    chars = [c for c in page.chars if c.get("text", "").strip()]
    text_probe = "".join(c["text"] for c in chars[:2000])
    if not chars or len(_CID.findall(text_probe)) > 5 or _garbage_share(text_probe) > 0.3 \
            or len(chars) < 20 and _mostly_image(page):
        return [], 0  # no usable text layer: (cid:N) glyphs, unmapped symbols, or a scan with a stray stamp
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["fontname", "size"])
    if not layer_reads_as_vietnamese([w["text"] for w in words]):
        return [], 0  # a scan's hidden OCR layer from a model without Vietnamese marks: the image reads better
    found = page.find_tables()
    tables: list[tuple[float, TableBlock]] = []
    boxes: list[Bbox] = []
    for t in found:
        rows = table_to_rows(t, words)
        if len(rows) >= 1 and any(any(c for c in r) for r in rows):
            tables.append((t.bbox[1], TableBlock(rows=rows, page=page.page_number, ruled=True)))
            boxes.append(t.bbox)
    free_words = [w for w in words if not any(_inside(w, b) for b in boxes)]
    lines = words_to_lines(free_words, page)
    items: list[tuple[float, Item]] = [(top, ln) for top, ln in lines] + list(tables)
    items.sort(key=lambda x: x[0])
    first_real = next((i for i, (_, it) in enumerate(items)
                       if not (isinstance(it, Line) and _PAGE_NUMBER.match(it.text))), None)
    out: list[Item] = []
    for i, (_, it) in enumerate(items):
        if isinstance(it, Line) and _PAGE_NUMBER.match(it.text):
            continue
        if isinstance(it, TableBlock) and i == first_real:
            it.at_page_top = True
        out.append(it)
    return out, len(chars)


# UTF-8 read as Latin-1 / cp1252: a lead byte Ã Ä Æ á before a continuation byte (ư → Æ°, đ → Ä‘, ộ → á»™)
_MOJIBAKE = re.compile("[ÃÄÆá][\x80-\xbf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2122\u0152\u0153"
                       "\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc]")
MIN_MARKED = 0.08  # Vietnamese text has a mark on most words; an English-model OCR layer on a few in a hundred


def layer_reads_as_vietnamese(words: list[str]) -> bool:
    """Whether a page's text layer can be trusted: words with letters beyond ASCII (marked Vietnamese, and
    the legacy TCVN3/VNI bytes that are converted later) are not rare, and few are UTF-8 mojibake. A page of
    fewer than 30 words (a form, a table of figures) is not judged."""
    ws = [w for w in words if sum(c.isalpha() for c in w) >= 2]
    if len(ws) < 30:
        return True
    beyond_ascii = sum(1 for w in ws if any(c.isalpha() and not c.isascii() for c in w)) / len(ws)
    mojibake = sum(1 for w in ws if _MOJIBAKE.search(w)) / len(ws)
    return beyond_ascii >= MIN_MARKED and mojibake < 0.1


def _mostly_image(page: Any) -> bool:
    area = float(page.width * page.height) or 1.0
    return any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) > 0.5 * area for im in page.images)


def _garbage_share(text: str) -> float:
    """Share of characters that cannot be Vietnamese text (private-use or control code points)."""
    bad = sum(1 for c in text if 0xE000 <= ord(c) <= 0xF8FF or (ord(c) < 32 and c not in "\t\n\r") or c == "\ufffd")
    return bad / max(1, len(text))


def _inside(w: dict[str, Any], b: Bbox) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1


def _is_bold(fontname: str) -> bool:
    f = fontname.lower()
    return "bold" in f or "black" in f or f.endswith(",b") or "-b" in f.rsplit("+", 1)[-1][-3:]


def words_to_lines(words: list[dict[str, Any]], page: Any) -> list[tuple[float, Line]]:
    """Group words into lines by baseline, then mark where a new paragraph starts from the layout."""
    rows: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= max(2.0, w["size"] * 0.3):
            rows[-1].append(w)
        else:
            rows.append([w])
    if not rows:
        return []
    lefts = [min(w["x0"] for w in r) for r in rows]
    rights = [max(w["x1"] for w in r) for r in rows]
    left = min(lefts)
    right = max(rights)
    gaps = [rows[i + 1][0]["top"] - rows[i][0]["top"] for i in range(len(rows) - 1)]
    normal_gap = statistics.median(gaps) if gaps else 14.0
    out: list[tuple[float, Line]] = []
    for i, r in enumerate(rows):
        r.sort(key=lambda w: w["x0"])
        text = nfc(" ".join(w["text"] for w in r))
        nchars = sum(len(w["text"]) for w in r)
        bold_chars = sum(len(w["text"]) for w in r if _is_bold(w.get("fontname", "")))
        new_para = i == 0
        if i > 0:
            gap = r[0]["top"] - rows[i - 1][0]["top"]
            prev_short = rights[i - 1] < right - 0.12 * (right - left)
            indented = lefts[i] > left + 8
            prev_text = " ".join(w["text"] for w in rows[i - 1])
            ends = prev_text.rstrip().endswith((".", ":", ";", "!", "?"))
            new_para = gap > normal_gap * 1.2 or (indented and (prev_short or ends)) \
                or (prev_short and text[:1].isupper())
        fonts = [w.get("fontname", "") for w in r]
        out.append((r[0]["top"], Line(text=text, page=page.page_number, bold=bold_chars > 0.6 * nchars,
                                      new_para=new_para,
                                      font=max(set(fonts), key=fonts.count))))
    return out


def _edges(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def table_to_rows(table: Any, words: list[dict[str, Any]]) -> list[list[str]]:
    cells: list[Bbox] = [tuple(c) for c in table.cells]
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    texts = {c: _cell_text(c, words) for c in cells}
    rows: list[list[str]] = []
    for y0, y1 in zip(ys, ys[1:], strict=False):
        row: list[str] = []
        for x0, x1 in zip(xs, xs[1:], strict=False):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            cell = next((c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)
            if cell is None or cell[0] < x0 - 2:  # no cell, or the right part of a cell merged across columns
                row.append("")
            else:
                row.append(texts[cell])  # a cell merged across rows repeats in each row it spans
        rows.append(row)
    return rows


def _cell_text(cell: Bbox, words: list[dict[str, Any]]) -> str:
    inside = [w for w in words if _inside(w, cell)]
    inside.sort(key=lambda w: (round(w["top"] / 3), w["x0"]))
    text = ""
    for w in inside:
        glue = "" if not text or text.endswith(("/", "-")) and w["text"][:1].isalnum() else " "
        text += glue + w["text"]
    return nfc(text).strip()
