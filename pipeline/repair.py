"""Text repair between extraction and parsing: lines and cells that look stripped of their marks or garbled
by an English-model OCR are restored; what was extracted is kept beside it (raw / raw_rows)."""

from __future__ import annotations

from extractors.model import ExtractedDoc, Line, TableBlock
from normalizers.restore import Restorer


def restore_doc(doc: ExtractedDoc) -> int:
    """Restores `doc` in place; returns how many lines and cells changed."""
    restorer = Restorer.load()
    changed = 0
    for item in doc.items:
        if isinstance(item, Line):
            r = restorer.restore_line(item.text)
            if r.changed:
                item.raw, item.text = item.text, r.text
                changed += 1
        elif isinstance(item, TableBlock):
            raw_rows = [list(row) for row in item.rows]
            for row in item.rows:
                for j, cell in enumerate(row):
                    r = restorer.restore_line(cell)
                    if r.changed:
                        row[j] = r.text
                        changed += 1
            if raw_rows != item.rows:
                item.raw_rows = raw_rows
    return changed
