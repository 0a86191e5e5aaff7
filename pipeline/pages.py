"""Page text: every page of a document as the parsers read it and as it was extracted (pages.parquet), and
the same text as Markdown for `kehoach text --markdown`.

A page's text is its lines in reading order, a blank line where the extractor saw a paragraph start, and each
table as its rows, one line per row, the cells joined by CELL_SEP. That layout is all the Markdown export
needs, so a document read back from the dataset and a file extracted on the fly give the same Markdown.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.model import ExtractedDoc, Item, Line, TableBlock
from normalizers.errors import NoTextError
from pipeline.layout import Para, lines_to_paras

CELL_SEP = " | "
PAGE_BREAK = "\f"  # between pages in `kehoach text`, as pdftotext prints them
HEADING_MAX = 160  # a section title longer than this is a paragraph that happens to be in capitals


def _cell(text: str) -> str:
    return " ".join(text.split())


def rows_to_text(rows: list[list[str]]) -> list[str]:
    """A table's rows as lines of cells joined by CELL_SEP; empty cells keep their place, empty rows go."""
    return [CELL_SEP.join(_cell(c) for c in row) for row in rows if any(c.strip() for c in row)]


def items_to_text(items: list[Item], raw: bool = False) -> str:
    """One page's items as text: as the parsers read them, or (`raw`) as they were extracted."""
    blocks: list[list[str]] = []
    for it in items:
        if isinstance(it, TableBlock):
            rows = it.raw_rows if raw and it.raw_rows is not None else it.rows
            lines = rows_to_text(rows)
            if lines:
                blocks.append(lines)
            blocks.append([])  # what follows a table starts a block of its own
            continue
        text = (it.raw or it.text) if raw else it.text
        text = _cell(text)
        if not text:
            continue
        if it.new_para or not blocks or not blocks[-1]:
            blocks.append([text])
        else:
            blocks[-1].append(text)
    return "\n\n".join("\n".join(b) for b in blocks if b)


def doc_to_page_rows(doc: ExtractedDoc, doc_id: str, source: str) -> list[dict[str, Any]]:
    """One row per page, blank pages included. Call it before the parsers run: stitching a table that runs over
    pages appends the later pages' rows to the first part. A document without any text raises NoTextError."""
    n_pages = max([doc.pages, 1, *(it.page for it in doc.items)])
    by_page: dict[int, list[Item]] = {p: [] for p in range(1, n_pages + 1)}
    for it in doc.items:
        by_page[max(1, it.page)].append(it)
    rows: list[dict[str, Any]] = []
    for page, items in by_page.items():
        conf = doc.ocr_confidence.get(page)
        if conf is None and doc.method == "ocr" and not doc.ocr_confidence:  # an extractor that kept no page figure
            conf = doc.confidence
        rows.append({"doc_id": doc_id, "source_file": source, "page": page,
                     "method": "text" if conf is None else "ocr", "text": items_to_text(items),
                     "text_raw": items_to_text(items, raw=True),
                     "confidence": None if conf is None else round(min(1.0, max(0.0, conf)), 4)})
    if not any(str(r["text"]).strip() for r in rows):
        raise NoTextError(doc.path, f"none of its {n_pages} pages gave any text")
    return rows


# ---------------------------------------------------------------- text → Markdown
def text_to_items(text: str, page: int = 1) -> list[Item]:
    """A page's text back into lines and tables: a run of lines that all hold CELL_SEP is a table."""
    items: list[Item] = []
    new_para = True
    table: list[list[str]] = []
    for line in text.split("\n"):
        if CELL_SEP in line:
            table.append(line.split(CELL_SEP))
            continue
        if table:
            items.append(TableBlock(rows=table, page=page))
            table = []
            new_para = True
        if not line.strip():
            new_para = True
            continue
        items.append(Line(text=line.strip(), page=page, new_para=new_para))
        new_para = False
    if table:
        items.append(TableBlock(rows=table, page=page))
    return items


_LETTERS = re.compile(r"[^\W\d_]")


def in_capitals(text: str) -> bool:
    letters = _LETTERS.findall(text)
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _heading_level(p: Para) -> int:
    """## for a roman section or a line in capitals, ### for a numbered one in capitals, #### deeper."""
    if len(p.text) > HEADING_MAX or not in_capitals(p.body or p.text):
        return 0
    if p.kind in ("roman", "plain"):
        return 2
    if p.kind == "num":
        return 3 if "." not in p.marker else 4
    return 4 if p.kind == "letter" else 0


def _escaped(text: str) -> str:
    """A paragraph that Markdown would take for markup at its start stays text."""
    number = re.match(r"^\d+(?=[.)](?:\s|$))", text)  # '2026. Năm …' is not an ordered list from 2026
    if number:
        return f"{text[:number.end()]}\\{text[number.end():]}"
    return "\\" + text if re.match(r"^(?:#|>|[-+*](?:\s|$)|=+\s*$|\|)", text) else text


def para_to_markdown(p: Para, in_list: str) -> tuple[str, str]:
    """(the paragraph as Markdown, the kind of list item it is or '')."""
    level = _heading_level(p)
    if level:
        return f"{'#' * level} {p.text}", ""
    if p.kind == "dash":
        return f"- {p.body}", "dash"
    if p.kind == "plus":
        return (f"  - {p.body}" if in_list in ("dash", "plus") else f"- {p.body}"), "plus"
    if p.kind == "letter":
        return f"- {p.marker}) {p.body}", "letter"
    if p.kind == "num" and "." not in p.marker:
        return f"{p.marker}. {p.body}", "num"
    return _escaped(p.text), ""


def table_to_markdown(rows: list[list[str]]) -> str:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)

    def line(cells: list[str]) -> str:
        cells = [_cell(c).replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(rows[0]), "| " + " | ".join(["---"] * width) + " |", *map(line, rows[1:])])


def items_to_markdown(items: list[Item]) -> str:
    """Headings, list items, paragraphs and pipe tables; list items follow each other without a blank line, and
    a table that goes on over the next page (nothing between its parts) stays one table, a repeated header
    row dropped."""
    out: list[str] = []
    lines: list[Line] = []
    table: list[list[str]] = []
    prev_list = ""

    def flush() -> None:
        nonlocal prev_list
        if table:
            out.append(table_to_markdown(table))
            table.clear()
            prev_list = ""
        for p in lines_to_paras(lines):
            md, kind = para_to_markdown(p, prev_list)
            if out and kind and (kind == prev_list or {kind, prev_list} <= {"dash", "plus"}):
                out[-1] += "\n" + md  # one list: its items on consecutive lines
            else:
                out.append(md)
            prev_list = kind
        lines.clear()

    for it in items:
        if isinstance(it, Line):
            if table:
                flush()
            lines.append(it)
            continue
        rows = [r for r in it.rows if any(c.strip() for c in r)]
        if not rows:
            continue
        if lines or table and _width(table) != _width(rows):
            flush()
        if table and [_cell(c) for c in rows[0]] == [_cell(c) for c in table[0]]:
            rows = rows[1:]
        table.extend(rows)
    flush()
    return "\n\n".join(out) + "\n" if out else ""


def _width(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


def pages_to_markdown(texts: list[str]) -> str:
    """The Markdown of a document from its pages' text, in page order."""
    return items_to_markdown([it for n, text in enumerate(texts, start=1) for it in text_to_items(text, n)])
