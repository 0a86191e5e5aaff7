"""Plain-text dumps: prose, one-cell-per-line tables (leading tab, blank line between rows), pipe rows."""

from __future__ import annotations

import re
from pathlib import Path

from extractors.model import ExtractedDoc, Item, Line, TableBlock
from normalizers.encodings import detect, to_unicode
from normalizers.errors import EmptyFileError, TextDecodingError
from normalizers.fields import header_field
from normalizers.headers import Header, find_header, is_task_table
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


def _wrapped_row(lines: list[str], i: int) -> tuple[str, int]:
    """A framed pipe row an export wrapped over several lines: a line that does not close with '|' goes on
    in the next line holding a bar, and so does a closed one when the next line is cell text ending in a
    bar ('… (Viện Nghiên cứu phối hợp) |'). Returns the row's text and the index of its last line."""
    text = lines[i]
    while i + 1 < len(lines) and "|" in lines[i + 1] and not _PIPE_SEP.match(lines[i + 1]):
        nxt = lines[i + 1].strip()
        if text.rstrip().endswith("|") and (nxt.startswith("|") or not nxt.endswith("|")):
            break
        text = text.rstrip() + " " + nxt
        i += 1
    return text, i


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


def _bar_segments(lines: list[str], i: int) -> tuple[list[str], int, list[int]]:
    """The cells of a one-cell-per-line dump (cell text between lines holding only '|') from the bar at i;
    returns the cells, the index after the block's last bar and the index of the bar before each cell (and
    of the last bar). A cell that is one blank line is empty (some exporters print an empty cell so); a blank
    line inside a cell with text, or two, end the block."""
    cells: list[str] = []
    bars = [i]
    end = i + 1
    j = i + 1
    while j < len(lines):
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        if j < k < len(lines) and _is_bar(lines[k]) and k - j == 1:  # an empty cell printed as a blank line
            cells.append("")
            bars.append(k)
            end = j = k + 1
            continue
        k = j
        while k < len(lines) and not _is_bar(lines[k]) and lines[k].strip():
            k += 1
        if k >= len(lines) or not _is_bar(lines[k]):
            break
        cells.append(_cell_text(lines[j:k]))
        bars.append(k)
        end = j = k + 1
    return cells, end, bars


def _cell_text(lines: list[str]) -> str:
    kept = [ln for ln in lines if not _RULE.match(ln)]
    return clean(_EMPHASIS.sub("", " ".join(kept)))


_NO_SPLIT = 10**9


def bar_rows(cells: list[str], width: int) -> tuple[list[list[str]], int]:
    """Splits a dump's cells into rows. Between two rows the dump prints an empty cell, which an empty cell
    inside a row looks like too; the split that gives the most rows of exactly `width` cells wins (dynamic
    programming; a row merged across columns is shorter). Returns the rows and their cost."""
    best, nxt = _bar_split(cells, width)
    return _rows_from(cells, best, nxt, 0), best[0]


def _bar_split(cells: list[str], width: int) -> tuple[list[int], list[int]]:
    """best[i] and nxt[i], the cost and first row end of the cheapest split of cells[i:]: computed from the
    end, so one pass serves every suffix of the cells."""
    n = len(cells)
    best = [_NO_SPLIT] * (n + 2)
    nxt = [0] * (n + 2)
    best[n] = best[n + 1] = 0
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n + 1):
            if j < n and cells[j]:
                continue  # a row ends at the end or at an empty cell
            row = cells[i:j]
            # a row wider than the table: a heading printed between two rows without the empty cell
            cost = (0 if len(row) == width else 1 + max(0, len(row) - width)) + (2 if not any(row) else 0)
            total = cost + best[min(j + 1, n)] if j < n else cost
            if total < best[i]:
                best[i], nxt[i] = total, j
    return best, nxt


def _rows_from(cells: list[str], best: list[int], nxt: list[int], start: int) -> list[list[str]]:
    rows: list[list[str]] = []
    i = start
    while i < len(cells) and best[i] < _NO_SPLIT:
        j = nxt[i]
        rows.append(cells[i:j])
        i = j + 1
    return rows


def header_runs(cells: list[str]) -> list[tuple[int, int]]:
    """Where task tables' headers stand in a dump's cells and how many columns each names: runs of non-empty
    cells, each a column name, that read as a task table's header. A dump may print a page head, several
    tables and the headings between them as one block of cells."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and (cells[j] and header_field(cells[j])[0] or j > i and not cells[j]
                                  and j + 1 < len(cells) and cells[j + 1] and header_field(cells[j + 1])[0]):
            j += 1  # a blank header cell (over a two-row header's sub-cells) between two column names
        # a row-number column opens the header: cells before it that read like column names are data
        i = next((k for k in range(i + 1, j) if header_field(cells[k])[0] == "no"), i)
        if j - i >= 3:
            header = find_header([cells[i:j]])
            if header is not None and header.row_index == 0 and is_task_table(header) \
                    and not _repeated_inside(header, cells):
                runs.append((i, j - i))
        i = max(j, i + 1)
    return runs


def _repeated_inside(header: Header, cells: list[str]) -> bool:
    """Column names without a number column in a block whose rows are wider than they are: the header
    printed again under the group rows of a table (its number cell left empty), not a new table's header."""
    if "no" in header.roles:
        return False
    widest = run = 0
    for c in cells:
        run = run + 1 if c else 0
        widest = max(widest, run)
    return widest > len(header.roles)


def _headed_tables(cells: list[str], runs: list[tuple[int, int]]) -> list[Item]:
    """One table per header; the cells before the first header, and those after a table's last whole row
    (a heading over the next table), are running text."""
    items: list[Item] = [Line(text=c, new_para=True) for c in cells[:runs[0][0]] if c]
    for (start, width), nxt in zip(runs, [*runs[1:], (len(cells), 0)], strict=True):
        part = cells[start:nxt[0]]
        # a header cell left blank (over a two-row header's sub-cells) looks like the end of the header row
        (rows, _cost), width = min(((bar_rows(part, w), w) for w in range(width, width + 3)),
                                   key=lambda o: (o[0][1], o[1]))
        tail: list[str] = []
        while rows and (len(rows[-1]) > width or len(rows[-1]) == 1) and len(rows) > 1:
            last = rows.pop()
            tail = (last[width:] if len(last) > width else last) + tail
            if len(last) > width:
                rows.append(last[:width])
                break
        items.append(TableBlock(rows=rows))
        items += [Line(text=c, new_para=True) for c in tail if c]
    return items


class _BarDump:
    """One dump block, read once. Read from a later bar of the block, the block is the same less its first
    cells, so its cells, row splits and longest runs serve every bar in it: a long dump that is no task
    table is tried again from each of its bars, which read afresh each time was quadratic."""

    def __init__(self, lines: list[str], i: int) -> None:
        self.cells, self.after, bars = _bar_segments(lines, i)
        self.offset = {b: m for m, b in enumerate(bars)}  # bar line → the first cell after it
        self.longest = [0] * (len(self.cells) + 1)  # the longest run of non-empty cells from each cell on
        run = 0
        for m in range(len(self.cells) - 1, -1, -1):
            run = run + 1 if self.cells[m] else 0
            self.longest[m] = max(run, self.longest[m + 1])
        self.splits: dict[int, tuple[list[int], list[int]]] = {}
        self.header_runs = header_runs(self.cells)  # found once: each bar of the block looks at those after it

    def table_at(self, bar: int) -> list[list[str]]:
        """The rows of the dump from `bar` on, at the width that explains its empty cells best (at least its
        longest run)."""
        start = self.offset[bar]
        if start == len(self.cells):
            return []
        longest = self.longest[start]
        options = []
        for w in range(max(1, longest), longest + 3):
            if w not in self.splits:
                self.splits[w] = _bar_split(self.cells, w)
            options.append((self.splits[w][0][start], w))
        _cost, w = min(options)
        best, nxt = self.splits[w]
        return _rows_from(self.cells, best, nxt, start)


def _is_task_table(rows: list[list[str]]) -> bool:
    """Only a dump block headed like a task table becomes a table: the other blocks (the two-column page
    head, a signature block, a web page's info box) stay running text for the metadata reader."""
    header = find_header(rows)
    return header is not None and is_task_table(header)


def lines_to_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    blank_before = True
    dump: _BarDump | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if _is_bar(ln):
            if dump is None or i not in dump.offset:
                dump = _BarDump(lines, i)
            start = dump.offset[i]
            runs = [(r - start, w) for r, w in dump.header_runs if r >= start]
            if runs:
                items += _headed_tables(dump.cells[start:], runs)
                blank_before = True
                i = dump.after
                continue
            grid, after = dump.table_at(i), dump.after
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
            framed = ln.lstrip().startswith("|")
            read = _pipe_cells if framed else _open_pipe_cells
            rows = []
            while i < len(lines):
                row_text, i = _wrapped_row(lines, i) if framed else (lines[i], i)
                if framed and _is_bar(row_text) and i + 1 < len(lines) and _pipe_cells(lines[i + 1]) is not None:
                    i += 1  # an empty line of a row wrapped in the export
                    continue
                got = read(row_text)
                if got is None and not _PIPE_SEP.match(row_text):
                    break
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
