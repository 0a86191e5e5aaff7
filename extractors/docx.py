"""Word .docx through python-docx: paragraphs (with bold and rendered list numbering) and tables
(cells merged across rows repeat in each row; cells merged across columns keep their text once)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.docx_fonts import CachedParagraph, StyleCache, paragraph_text, uses_legacy_fonts
from extractors.model import ExtractedDoc, Item, Line, TableBlock
from normalizers.errors import CorruptFileError, EmptyFileError, TooLargeError
from normalizers.text import nfc, roman

MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as e:
        raise CorruptFileError(path, "not a valid .docx (zip) file") from e
    if total > MAX_UNPACKED_BYTES:
        raise TooLargeError(path, f"unpacks to {total // 2**20} MB, more than {MAX_UNPACKED_BYTES // 2**20} MB")


def docx_to_doc(path: Path) -> ExtractedDoc:
    if path.stat().st_size == 0:
        raise EmptyFileError(path, "the file is empty")
    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise CorruptFileError(path, f"not a readable .docx ({type(e).__name__})") from e
    numbering = _Numbering(document)
    styles = StyleCache(legacy=uses_legacy_fonts(document))
    items: list[Item] = []
    page = 1
    for el in _body_elements(document.element.body):
        if el.tag == qn("w:p"):
            para = CachedParagraph(el, document, styles)
            text = nfc(paragraph_text(para)).strip()
            prefix = numbering.render(para)
            if text:
                items.append(Line(text=f"{prefix} {text}".strip() if prefix else text, page=page,
                                  bold=_is_bold(para), new_para=True))
            page += len(el.findall(".//" + qn("w:lastRenderedPageBreak"))) + sum(
                1 for br in el.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
        elif el.tag == qn("w:tbl"):
            rows = table_to_rows(Table(el, document), numbering, styles)
            if rows:
                items.append(TableBlock(rows=rows, page=page, ruled=True))
    return ExtractedDoc(path=path, items=items, pages=page)


def _body_elements(body: Any) -> Any:
    """The body's paragraphs and tables in order, those inside content controls (w:sdt) included."""
    for el in body.iterchildren():
        if el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)
        else:
            yield el


def _is_bold(para: Paragraph) -> bool:
    runs = [(r, text) for r in para.runs if (text := r.text).strip()]  # a run's text is rebuilt on each read
    if not runs:
        return False
    style_bold = bool(para.style is not None and para.style.font is not None and para.style.font.bold)
    heading = para.style is not None and (para.style.name or "").lower().startswith(("heading", "title"))
    n_bold = sum(len(text) for r, text in runs if r.bold or (r.bold is None and (style_bold or heading)))
    return n_bold > 0.6 * sum(len(text) for _, text in runs)


def table_to_rows(table: Table, numbering: _Numbering | None = None,
                  styles: StyleCache | None = None) -> list[list[str]]:
    """Cell texts by grid column; a row-number column filled by Word's automatic numbering gets its numbers."""
    grid: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        row: list[str] = [""] * (tr.grid_before or 0)  # a row that starts right of the first grid column
        for tc in tr.tc_lst:
            span = tc.grid_span or 1
            col = len(row)
            if tc.vMerge == "continue":
                text = grid[-1][col] if grid and col < len(grid[-1]) else ""
            else:
                # one line per paragraph: a cell may list one unit or one person a line
                paras = _cell_paragraphs(tc, table, styles)
                text = nfc("\n".join(t for t in (_numbered(p, numbering) for p in paras) if t))
            row.append(text)
            row += [""] * (span - 1)
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def _numbered(para: Paragraph, numbering: _Numbering | None) -> str:
    text = paragraph_text(para).strip()
    prefix = numbering.render(para, empty_too=True) if numbering is not None else ""
    if prefix == "-":  # a bullet inside a cell stays a line break (unit lists are written so)
        return text
    return f"{prefix} {text}".strip() if prefix else text


def _cell_paragraphs(tc: Any, parent: Any, styles: StyleCache | None = None) -> list[Paragraph]:
    styles = StyleCache() if styles is None else styles
    return [CachedParagraph(p, parent, styles) for p in tc.iter(qn("w:p"))]


_FORMATS = {
    "decimal": lambda n: str(n),
    "lowerLetter": lambda n: "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26],
    "upperLetter": lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26],
    "lowerRoman": lambda n: roman(n).lower(),
    "upperRoman": lambda n: roman(n),
}


class _Numbering:
    """Renders Word's automatic list numbers ('1.', 'a)', bullets as '-'), which paragraph text omits."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            a = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if a is None:
                continue
            for lvl in a.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                txt = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self.levels[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"))))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    txt.get(qn("w:val")) if txt is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )

    def _num_pr(self, para: Paragraph) -> tuple[str, int] | None:
        for holder in (para._p.pPr, para.style.element.pPr if para.style is not None else None):
            num_pr = holder.find(qn("w:numPr")) if holder is not None else None
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                ilvl = num_pr.find(qn("w:ilvl"))
                if num_id is not None:
                    return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        return None

    def render(self, para: Paragraph, empty_too: bool = False) -> str:
        """The number Word shows before the paragraph; an empty paragraph shows one in a table cell only."""
        pr = self._num_pr(para)
        if pr is None or pr not in self.levels or not (empty_too or para.text.strip()):
            return ""
        num_id, ilvl = pr
        fmt, text, _ = self.levels[pr]
        if fmt == "bullet":
            return "-"
        counters = self.counters.setdefault(num_id, [0] * 9)
        if counters[ilvl] == 0:
            counters[ilvl] = self.levels[pr][2] - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        for lvl in range(ilvl + 1):
            f = self.levels.get((num_id, lvl), ("decimal", "", 1))[0]
            value = counters[lvl] or self.levels.get((num_id, lvl), ("", "", 1))[2]
            text = text.replace(f"%{lvl + 1}", _FORMATS[f](value) if f in _FORMATS else str(value))
        return text
