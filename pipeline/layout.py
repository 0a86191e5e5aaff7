"""Extracted lines → paragraphs with their list markers; tables broken across pages → one table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors.model import Item, Line, TableBlock
from normalizers.fields import line_label, open_label
from normalizers.text import clean, roman

MARKER = re.compile(
    r"^(?:(?P<roman>[IVXL]{1,5})\s*(?:[.)]|/(?![Vv]\b))\s*"  # 'V/V …' (về việc) opens a title, not section V
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=\S)"
    r"|(?P<num1>\d{1,2})\s*[.)]\s*(?=[^\d\s/.,])"
    r"|(?P<roman_ocr>[IVXLHl1|]{1,5})\s*\.\s+(?=[A-ZĐÀ-Ỹ]{2})"  # 'HI.', 'I1.' for III., II. in OCR text
    r"|(?P<letter>[a-zđ])\s*[).]\s+(?=\S)"
    r"|(?P<paren>\(\d{1,2}\))\s*(?=[^\s\d])"  # '(1) Về việc phê duyệt …' in conclusions and resolutions
    r"|(?P<plus>(?:[-–]\s*)?\+\s*)"
    r"|(?P<dash>(?:[-–—•·▪]|\*(?=\s))\s*)(?=\S))"
)
# An article of a decision or resolution ('Điều 4. Tổ chức thực hiện'); not 'Điều 18 Luật …' cited in a sentence.
ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(?P<n>\d{1,3})\s*[.:]\s*(?P<title>.*)$")
# A marker alone on its line ('III.', '**2.**', '*2.10.') whose title follows on the next line.
_BARE_MARKER = re.compile(r"^(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])\s*[.)]$")
# Single-star emphasis left by Markdown converters ('*2.1. Sở*', '*“Truyền thông”*'); a star followed by
# a space at the start of a line is a bullet and stays.
_STAR = re.compile(r"(?<!^)(?<!\()\*|^\*(?!\s)")  # '(*)' footnote marks stay



_RANGE_TAIL = re.compile(r"^[-–]\s*\d{1,4}\s+(\w)")
_MAX_LINES_BETWEEN_PARTS = 3
_SHORT_LINE = 40


@dataclass
class Para:
    text: str
    page: int
    bold: bool = False
    kind: str = "plain"  # roman · article · num · letter · paren · dash · plus · plain
    marker: str = ""
    body: str = ""  # text after the marker
    raw: str = ""  # the extracted text before restoration
    section: str = ""  # task · nontask when the document's type decides what this heading opens


def marker_of(text: str) -> tuple[str, str, str]:
    """(kind, marker, body) of a paragraph's leading list marker."""
    m = MARKER.match(text)
    if not m:
        return "plain", "", text
    kind = next(k for k, v in m.groupdict().items() if v is not None)
    mark = m.group(kind).strip(" .()/")
    if kind == "roman_ocr":
        mark = mark.replace("H", "II").translate(str.maketrans("l1|", "III"))
        if not re.fullmatch(r"[IVXL]+", mark):
            return "plain", "", text
        kind = "roman"
    kind = "num" if kind == "num1" else kind
    return kind, mark, text[m.end():].strip()


def lines_to_paras(lines: list[Line]) -> list[Para]:
    paras: list[Para] = []
    for ln in lines:
        text = _unstarred(clean(ln.text))
        if not text or ln.footnote:  # a footnote interrupts the sentence the page break cut, and assigns nothing
            continue
        starts = ln.new_para or not paras or MARKER.match(text) is not None or _field_line(text) \
            or ARTICLE.match(text) is not None or paras[-1].text.endswith("/.")  # the body's last line: '… này./.'
        starts = starts or paras[-1].bold != ln.bold and (ln.bold or _ends_sentence(paras[-1].text)) \
            and not (text[:1].islower() and not _ends_sentence(paras[-1].text))  # '**20%' / '**xã, phường'

        if starts and paras and ln.new_para and _continues(paras[-1].text, text):
            starts = False
        starts = starts and not (paras and _BARE_MARKER.match(paras[-1].text))
        starts = starts and not (paras and not ln.new_para and _wrapped_range(paras[-1].text, text))
        raw = _unstarred(clean(ln.raw)) if ln.raw else text
        if starts:
            paras.append(Para(text=text, page=ln.page, bold=ln.bold, raw=raw))
        else:
            paras[-1].text = f"{paras[-1].text} {text}"
            paras[-1].raw = f"{paras[-1].raw} {raw}"
            paras[-1].bold = paras[-1].bold and ln.bold
    for p in paras:
        p.kind, p.marker, p.body = marker_of(p.text)
    repair_numbering(paras)
    return paras


_ROMANS = [roman(v) for v in range(1, 16)]
# what an OCR leaves of a small number before a capitalised word: '` Tiếp tục', "' Bảo đảm", '? Dự án'
_LOST_NUMBER = re.compile(r"^[`'‘’?,.:;¬~_]{1,2}\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])")


def repair_numbering(paras: list[Para]) -> None:
    """Numbers an OCR misread, put back from the sequence around them: a section numeral read as the one
    before it ('II.' where 'III.' follows 'II.'), and an item number read as a mark ('` Tiếp tục …' between
    items 4 and 6). A text that was typed never repeats a section or skips a number this way."""
    last_roman = ""
    for i, p in enumerate(paras):
        if p.kind == "roman":
            if p.marker == last_roman and last_roman in _ROMANS[:-1] and p.body[:2].isupper():
                nxt = _ROMANS[_ROMANS.index(last_roman) + 1]
                if len(nxt) - len(p.marker) == 1:  # one stroke lost ('II' for 'III'), not a guess
                    p.marker = nxt
            last_roman = p.marker
        elif p.kind == "plain" and _LOST_NUMBER.match(p.text):
            before = next((q for q in reversed(paras[:i]) if q.kind != "plain"), None)
            after = next((q for q in paras[i + 1:] if q.kind != "plain"), None)
            if before is not None and after is not None and before.kind == after.kind == "num" \
                    and before.marker.isdigit() and after.marker.isdigit() \
                    and int(after.marker) == int(before.marker) + 2:
                p.kind, p.marker = "num", str(int(before.marker) + 1)
                p.body = _LOST_NUMBER.sub("", p.text)
                p.text = f"{p.marker}. {p.body}"


def _unstarred(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _STAR.sub("", text)).strip() if "*" in text else text


def _continues(prev: str, text: str) -> bool:
    """A paragraph cut by a page break: the text before has no closing mark and this one starts in lower case."""
    return text[:1].islower() and not _ends_sentence(prev) and MARKER.match(text) is None \
        and not _field_line(text)


def _wrapped_range(prev: str, text: str) -> bool:
    """'… giai đoạn 2021' / '- 2025 sang thực hiện …': a range of years cut at its dash, not a bullet."""
    return not _ends_sentence(prev) and re.match(r"\d{1,4}\b", prev.rsplit(" ", 1)[-1]) is not None \
        and (m := _RANGE_TAIL.match(text)) is not None and m.group(1).islower()


def _field_line(text: str) -> bool:
    """A 'Thời gian thực hiện: …' line opens a paragraph; 'kết quả cho các sở…' wrapped mid-sentence does not."""
    return not text[:1].islower() and (line_label(text) is not None or open_label(text) is not None)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ":", ";", "!", "?"))


def stitch_tables(items: list[Item]) -> list[Item]:
    """A table that opens a page and has the width of the table closing the previous one continues it."""
    out: list[Item] = []
    for it in items:
        prev = out[-1] if out else None
        if (isinstance(it, TableBlock) and isinstance(prev, TableBlock) and it.at_page_top
                and it.page == prev.page + len(prev.page_breaks) + 1 and _width(it) == _width(prev)):
            join_table_parts(prev, it)
            continue
        out.append(it)
    return out


def join_table_parts(prev: TableBlock, part: TableBlock) -> None:
    """Appends a later page's part; raw rows stay one per row (a part that was not restored is its own raw)."""
    if prev.raw_rows is not None or part.raw_rows is not None:
        prev.raw_rows = (prev.raw_rows if prev.raw_rows is not None else [list(r) for r in prev.rows]) + (
            part.raw_rows if part.raw_rows is not None else [list(r) for r in part.rows])
    prev.page_breaks.append(len(prev.rows))
    prev.rows.extend(part.rows)


def join_headerless_parts(items: list[Item], has_header: Callable[[TableBlock], bool]) -> list[Item]:
    """A table without a header of its own, of the width of the headed table just before it (at most a few
    short lines between: a page number, a blank paragraph), continues that table: Word files and text dumps
    split a long table where a page ends. So does a part that opens by repeating that table's header word
    for word, right after it (a header row repeated on each page)."""
    out: list[Item] = []
    last: TableBlock | None = None
    between = 0
    for it in items:
        if isinstance(it, TableBlock):
            if last is not None and _width(it) == _width(last) and (
                    between <= _MAX_LINES_BETWEEN_PARTS and not has_header(it)
                    or between <= 1 and _repeats_header(it, last)):
                join_table_parts(last, it)
                between = 0
                continue
            if not _inside_page_of(it, last, has_header):
                last = it if has_header(it) else None
            between = 0
        elif isinstance(it, Line) and last is not None:
            between += 1 if len(it.text) <= _SHORT_LINE else _MAX_LINES_BETWEEN_PARTS + 1
        out.append(it)
    return out


def _inside_page_of(it: TableBlock, last: TableBlock | None, has_header: Callable[[TableBlock], bool]) -> bool:
    """A narrower headerless table on the page the headed table ends on, not opening a page: a table or a
    text box a cell holds, which a PDF's reader lists after the table. The table's next part still joins
    the table."""
    return (last is not None and not it.at_page_top and _width(it) < _width(last) and not has_header(it)
            and it.page == last.page + len(last.page_breaks))


def _repeats_header(part: TableBlock, table: TableBlock) -> bool:
    first = [clean(c) for c in part.rows[0]] if part.rows else []
    return any(first) and any(first == [clean(c) for c in row] for row in table.rows[:8])


def _width(t: TableBlock) -> int:
    return max((len(r) for r in t.rows), default=0)
