"""Plain-text dumps: prose, one-cell-per-line tables (leading tab, blank line between rows), pipe rows."""

from __future__ import annotations

import re
from pathlib import Path

from extractors.model import ExtractedDoc, Item, Line, TableBlock
from normalizers.encodings import detect, to_unicode
from normalizers.errors import EmptyFileError, TextDecodingError
from normalizers.headers import find_header, is_task_table
from normalizers.restore import is_vietnamese_word
from normalizers.text import clean, nfc

_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}")
_RULE = re.compile(r"^\s*[-=_*]{3,}\s*$")
_EMPHASIS = re.compile(r"(?<!\w)\*+|\*+(?!\w)")
_BOLD_START = re.compile(r"^\s*(?:#{1,6}\s*)?(?:[-+]\s*)?\*\*")


def decode_text(data: bytes, path: Path) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    legacy = data.decode("latin-1")
    encoding = detect(legacy, is_vietnamese_word)
    if encoding:  # TCVN3 / VNI / VISCII bytes
        return to_unicode(legacy, encoding)
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as e:
        raise TextDecodingError(path, f"not valid UTF-8 or Windows-1258 text (byte {e.start})") from e


def text_to_doc(path: Path, data: bytes | None = None) -> ExtractedDoc:
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise EmptyFileError(path, "the file is empty")
    text = nfc(decode_text(data, path)).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return ExtractedDoc(path=path, items=lines_to_items(text.split("\n")), pages=1)


def _is_tab_cell(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:].rstrip("\t")


def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2 or _PIPE_SEP.match(line):
        return None
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [clean(c) for c in body.split("|")]


def _open_pipe_cells(line: str) -> list[str] | None:
    """A row of a pipe table printed without outer bars ('I | Giai đoạn 1', ' | | Chủ trì | Phối hợp'):
    every bar separates two cells, so a line that opens with one has an empty first cell, and a row of
    two cells has a single bar."""
    if "|" not in line or _PIPE_SEP.match(line):
        return None
    return [clean(c) for c in line.split("|")]


def _tab_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Rows of the one-cell-per-line format starting at i; returns rows and the index after them."""
    rows: list[list[str]] = []
    row: list[str] = []
    while i < len(lines):
        ln = lines[i]
        if _is_tab_cell(ln):
            row.append(clean(ln))
        elif not ln.strip():
            if row:
                rows.append(row)
                row = []
            if i + 1 < len(lines) and not _is_tab_cell(lines[i + 1]):
                break
        else:
            break
        i += 1
    if row:
        rows.append(row)
    return rows, i


def _is_bar(line: str) -> bool:
    return line.strip() == "|"


def _bar_segments(lines: list[str], i: int) -> tuple[list[str], int]:
    """The cells of a one-cell-per-line dump (cell text between lines holding only '|') from the bar at i;
    returns the cells and the index after the block's last bar. A cell that is one blank line is empty (some
    exporters print an empty cell so); a blank line inside a cell with text, or two, end the block."""
    cells: list[str] = []
    end = i + 1
    j = i + 1
    while j < len(lines):
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        if j < k < len(lines) and _is_bar(lines[k]) and k - j == 1:  # an empty cell printed as a blank line
            cells.append("")
            end = j = k + 1
            continue
        k = j
        while k < len(lines) and not _is_bar(lines[k]) and lines[k].strip():
            k += 1
        if k >= len(lines) or not _is_bar(lines[k]):
            break
        cells.append(_cell_text(lines[j:k]))
        end = j = k + 1
    return cells, end


def _cell_text(lines: list[str]) -> str:
    kept = [ln for ln in lines if not _RULE.match(ln)]
    return clean(_EMPHASIS.sub("", " ".join(kept)))


def bar_rows(cells: list[str], width: int) -> tuple[list[list[str]], int]:
    """Splits a dump's cells into rows. Between two rows the dump prints an empty cell, which an empty cell
    inside a row looks like too; the split that gives the most rows of exactly `width` cells wins (dynamic
    programming; a row merged across columns is shorter). Returns the rows and their cost."""
    n = len(cells)
    inf = 10**9
    best = [inf] * (n + 2)
    nxt = [0] * (n + 2)
    best[n] = best[n + 1] = 0
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + width) + 1):
            if j < n and cells[j]:
                continue  # a row ends at the end or at an empty cell
            row = cells[i:j]
            cost = (0 if len(row) == width else 1) + (2 if not any(row) else 0)
            total = cost + best[min(j + 1, n)] if j < n else cost
            if total < best[i]:
                best[i], nxt[i] = total, j
    rows: list[list[str]] = []
    i = 0
    while i < n and best[i] < inf:
        j = nxt[i]
        rows.append(cells[i:j])
        i = j + 1
    return rows, best[0]


def bar_table(cells: list[str]) -> list[list[str]]:
    """The rows of a dump, at the width that explains its empty cells best (at least its longest run)."""
    longest = run = 0
    for c in cells:
        run = run + 1 if c else 0
        longest = max(longest, run)
    options = [(bar_rows(cells, w), w) for w in range(max(1, longest), longest + 3)]
    (rows, _cost), _w = min(options, key=lambda o: (o[0][1], o[1]))
    return rows


def _is_task_table(rows: list[list[str]]) -> bool:
    """Only a dump block headed like a task table becomes a table: the other blocks (the two-column page
    head, a signature block, a web page's info box) stay running text for the metadata reader."""
    header = find_header(rows)
    return header is not None and is_task_table(header)


def lines_to_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    blank_before = True
    i = 0
    while i < len(lines):
        ln = lines[i]
        if _is_bar(ln):
            bar_cells, after = _bar_segments(lines, i)
            grid = bar_table(bar_cells) if bar_cells else []
            if sum(len(r) >= 2 for r in grid) >= 2 and _is_task_table(grid):
                items.append(TableBlock(rows=grid))
                blank_before = True
                i = after
                continue
        if _is_tab_cell(ln) and i + 1 < len(lines) and _is_tab_cell(lines[i + 1]):
            rows, i = _tab_rows(lines, i)
            items.append(TableBlock(rows=rows))
            blank_before = True
            continue
        cells = _pipe_cells(ln)
        if cells is not None:
            read = _pipe_cells if ln.lstrip().startswith("|") else _open_pipe_cells
            rows = []
            while i < len(lines) and (read(lines[i]) is not None or _PIPE_SEP.match(lines[i])):
                got = read(lines[i])
                if got is not None:
                    rows.append(got)
                i += 1
            items.append(TableBlock(rows=rows))
            blank_before = True
            continue
        if not ln.strip():
            blank_before = True
        else:
            cells_tab = [c.strip() for c in ln.split("\t")]
            if len([c for c in cells_tab if c]) >= 3:
                items.append(TableBlock(rows=[cells_tab]))
            else:
                items.append(Line(text=ln.strip(), bold=bool(_BOLD_START.match(ln)), new_para=blank_before))
            blank_before = False
        i += 1
    return _merge_adjacent_tables(items)


def _merge_adjacent_tables(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    for it in items:
        if isinstance(it, TableBlock) and out and isinstance(out[-1], TableBlock):
            out[-1].rows.extend(it.rows)
        else:
            out.append(it)
    return out
