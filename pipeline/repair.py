"""Text repair between extraction and parsing: lines and cells that look stripped of their marks or garbled
by an English-model OCR are restored; what was extracted is kept beside it (raw / raw_rows)."""

from __future__ import annotations

from collections.abc import Iterator

from extractors.model import ExtractedDoc, Line, TableBlock
from normalizers.encodings import detect, encoding_of_font, has_legacy_letters, to_unicode
from normalizers.restore import Restorer, is_vietnamese_word


def legacy_to_unicode(text: str, font: str = "", encoding: str | None = None) -> str:
    """A line in TCVN3/VNI/VISCII → Unicode: named by its font, else the encoding found for the whole text
    (`encoding`), else recognised by its own words."""
    hint = encoding_of_font(font) if font else None
    if hint:
        return to_unicode(text, hint[0], upper_font=hint[1])
    if font or encoding is None or not has_legacy_letters(text, encoding):  # a Unicode font: judged alone
        encoding = detect(text, is_vietnamese_word)
    return to_unicode(text, encoding) if encoding else text


def legacy_lines_to_unicode(lines: list[str]) -> list[str]:
    """A whole text in one legacy encoding (recognised over all its lines, so that a line with a single
    legacy letter converts too) → Unicode; a Unicode text comes back as it is."""
    encoding = detect("\n".join(lines), is_vietnamese_word)
    return [legacy_to_unicode(ln, encoding=encoding) for ln in lines]


def restore_doc(doc: ExtractedDoc) -> int:
    """Restores `doc` in place; returns how many lines and cells changed."""
    restorer = Restorer.load()
    changed = 0
    # text without a font name (Word cells, text dumps, PDF cells) in the encoding the whole document uses
    encoding = detect("\n".join(_texts(doc)), is_vietnamese_word)
    for item in doc.items:
        if isinstance(item, Line):
            converted = legacy_to_unicode(item.text, item.font, encoding)
            if converted != item.text:
                item.raw, item.text = item.raw or item.text, converted
                changed += 1
        elif isinstance(item, TableBlock):
            for row in item.rows:
                for j, cell in enumerate(row):
                    converted = legacy_to_unicode(cell, encoding=encoding)
                    if converted != cell:
                        item.raw_rows = item.raw_rows or [list(r) for r in item.rows]
                        row[j] = converted
                        changed += 1
    # a document written with its marks keeps every word that is right as written (names, cells, signatures).
    # Short lines of a stripped document are left to the unit matcher: a lone word or two has too little
    # context to restore, and a fragment wrongly restored matches the gazetteer worse than as read.
    marked = True if restorer.text_marked(list(_texts(doc))) else None
    before = ""  # the line above, as restored: a wrapped sentence continues there
    for item in doc.items:
        if isinstance(item, Line):
            r = restorer.restore_line(item.text, marked, before)
            if r.changed:
                item.raw, item.text = item.raw or item.text, r.text
                changed += 1
            before = item.text
        elif isinstance(item, TableBlock):
            before = ""
            raw_rows = item.raw_rows or [list(row) for row in item.rows]
            for row in item.rows:
                for j, cell in enumerate(row):
                    r = restorer.restore_line(cell, marked)
                    if r.text != cell:
                        row[j] = r.text
                        changed += 1
            if raw_rows != item.rows:
                item.raw_rows = raw_rows
    return changed


def _texts(doc: ExtractedDoc) -> Iterator[str]:
    for item in doc.items:
        if isinstance(item, Line):
            yield item.text
        elif isinstance(item, TableBlock):
            yield from (cell for row in item.rows for cell in row)
