"""OCR words outside tables → lines of running text in reading order.

Tesseract joins words at the same height into one line even when they belong to two columns: the header of
an administrative document (issuer left, national motto right; number left, place and date right) and its
signature block (recipients left, signer right) come out as `BỘ CÔNG AN CỘNG HOÀ XÃ HỘI …`. Lines are cut
where the gap between two words is several times the text height; a run of rows that all keep to one side
of a common gap is a two-column zone and is read column by column, left then right, as a Word table of the
same header would be. Every other row keeps Tesseract's line as it is.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any

from extractors.model import Item, Line
from normalizers.text import strip_diacritics

Word = dict[str, Any]
COLUMN_GAP = 1.6  # a gap this many text heights wide, and several times the line's usual gap, parts columns
NOTE_SIZE = 0.8  # footnote print and line pitch against the body's: 10-11 pt under 13-14 pt is 0.7-0.8
_NOTE_MARK = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}(?=\s*[^\d\s/.,])|\(\d{1,2}\)|[`'‘’?*\"])")
MIN_BODY_ROWS = 8  # a page with fewer rows has no body to measure footnotes against
SPLIT_OVER = 2.0  # a zone's top line is cut where a word gap is this many times its usual one
ZONE_BREAK = 1.0  # blank space this many text heights high ends a two-column zone before a one-sided line


@dataclass
class Piece:
    words: list[Word]
    key: tuple[int, int, int]

    @property
    def x0(self) -> float:
        return float(min(w["x0"] for w in self.words))

    @property
    def x1(self) -> float:
        return float(max(w["x1"] for w in self.words))

    @property
    def top(self) -> float:
        return float(min(w["top"] for w in self.words))

    @property
    def bottom(self) -> float:
        return float(max(w["bottom"] for w in self.words))

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def split_at_gaps(words: list[Word], key: tuple[int, int, int]) -> list[Piece]:
    """One Tesseract line (words left to right) → its pieces between column-wide gaps. A speck read in the
    gap ('_', '`': a smudge between the two columns of a header) does not bridge it: the gap is measured
    from word to word (less the specks' own width), and specks inside a column-wide gap are left out."""
    height = statistics.median(w["bottom"] - w["top"] for w in words)
    gaps = [w["x0"] - prev["x1"] for prev, w in zip(words, words[1:], strict=False)]
    usual = statistics.median(gaps) if gaps else 0.0
    wide = COLUMN_GAP * max(8.0, height)
    pieces = [Piece([words[0]], key)]
    held: list[Word] = []  # specks after the last word, until the next word says whether a gap is wide
    for w in words[1:]:
        if not _is_word(w):
            held.append(w)
            continue
        last = pieces[-1].words[-1]
        # the white beside the specks: a dash between words ('Độc lập - Tự do') takes up its gap
        gap = w["x0"] - last["x1"] - sum(x["x1"] - x["x0"] for x in held)
        if gap > wide and gap > 3 * usual:
            pieces.append(Piece([w], key))
        else:
            pieces[-1].words += [*held, w]
        held = []
    pieces[-1].words += held
    return _motto_rejoined(pieces)


_MOTTO_SEAM = re.compile(r"(?:doc lap|tu do)\W*\|\W*(?:tu do|hanh phuc)")


def _motto_rejoined(pieces: list[Piece]) -> list[Piece]:
    """'Độc lập' | 'Tự do - Hạnh phúc': the national motto cut where the OCR lost a dash is one line."""
    out = [pieces[0]]
    for p in pieces[1:]:
        seam = f"{' '.join(out[-1].text.split()[-2:])} | {' '.join(p.text.split()[:2])}"
        if _MOTTO_SEAM.search(strip_diacritics(seam.lower())):
            out[-1] = Piece(out[-1].words + p.words, out[-1].key)
        else:
            out.append(p)
    return out


def _is_word(w: Word) -> bool:
    return any(c.isalnum() for c in w["text"])


@dataclass
class Row:
    """Pieces at the same height, left to right; `segments` are the Tesseract lines they came from."""

    pieces: list[Piece]
    segments: list[Piece]

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)


def words_to_rows(words: list[Word]) -> list[Row]:
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault(w["key"], []).append(w)
    segments = sorted((Piece(sorted(ws, key=lambda w: w["x0"]), k) for k, ws in groups.items()),
                      key=lambda s: s.top)
    rows: list[Row] = []
    for seg in segments:
        mid = (seg.top + seg.bottom) / 2
        row = next((r for r in reversed(rows[-3:]) if any(p.top <= mid <= p.bottom for p in r.segments)), None)
        if row is None:
            row = Row([], [])
            rows.append(row)
        row.segments.append(seg)
        # specks (a rule's end, a stamp's edge) read as '|' or '`' would count as a column of their own
        row.pieces += [p for p in split_at_gaps(seg.words, seg.key) if any(c.isalnum() for c in p.text)]
    rows = [r for r in rows if r.pieces]
    for r in rows:
        r.pieces.sort(key=lambda p: p.x0)
    rows.sort(key=lambda r: r.top)
    return rows


def two_column_zone(rows: list[Row], start: int) -> tuple[int, list[Piece], list[Piece]]:
    """The rows from `start` (which has two pieces) that keep to the two sides of one gap: (end, left
    column, right column). The gap narrows to what every row leaves free; a row across it ends the zone."""
    lx, rx = rows[start].pieces[0].x1, rows[start].pieces[1].x0
    left, right = [rows[start].pieces[0]], [rows[start].pieces[1]]
    height = statistics.median(p.bottom - p.top for p in rows[start].pieces)
    end = start + 1
    while end < len(rows):
        ps = rows[end].pieces
        if len(ps) == 1 and ps[0].top - rows[end - 1].bottom > ZONE_BREAK * height:
            break  # a line on one side after blank space ('Kính gửi:' under the header) is the body's
        if len(ps) == 2 and ps[0].x1 < rx and ps[1].x0 > lx:
            lx, rx = max(lx, ps[0].x1), min(rx, ps[1].x0)
            left.append(ps[0])
            right.append(ps[1])
        elif len(ps) == 1 and ps[0].x1 < rx:
            lx = max(lx, ps[0].x1)
            left.append(ps[0])
        elif len(ps) == 1 and ps[0].x0 > lx:
            rx = min(rx, ps[0].x0)
            right.append(ps[0])
        else:
            break
        end += 1
    return end, left, right


def split_over(piece: Piece, below: Row) -> list[Piece]:
    """A zone's top line whose columns stand closer than a column gap (the issuer's name and the national
    motto, each as wide as its column): cut at its widest word gap when that gap lies over the gap between
    the two pieces of the row right below and is well wider than the line's other gaps."""
    left, right = below.pieces
    height = statistics.median(p.bottom - p.top for p in below.pieces)
    ws = [w for w in piece.words if _is_word(w)]
    if len(ws) < 4 or below.top - piece.bottom > ZONE_BREAK * height:
        return [piece]
    gaps = [(b["x0"] - a["x1"], k) for k, (a, b) in enumerate(zip(ws, ws[1:], strict=False), 1)]
    widest, at = max(gaps)
    others = sorted(g for g, _ in gaps)[:-1]
    usual = statistics.median(others)
    if not (ws[at - 1]["x1"] < right.x0 and ws[at]["x0"] > left.x1 and widest >= SPLIT_OVER * max(1.0, usual)):
        return [piece]
    between = piece.words[piece.words.index(ws[at - 1]) + 1:piece.words.index(ws[at])]
    if any(w["text"].strip() in ("-", "–", "—") for w in between):
        return [piece]  # 'Độc lập - Tự do - Hạnh phúc': the gap is a dash's, inside one column
    return [Piece(ws[:at], piece.key), Piece(ws[at:], piece.key)]


def _is_page_number(text: str, at_edge: bool) -> bool:
    """A bare number is a page number; at the page's top or bottom also with a speck beside it ('2 `')."""
    core = re.sub(r"[^\w]", "", text) if at_edge else text.strip("-– ")
    return len(core) <= 3 and core.isdigit()


def _height(row: Row) -> float:
    return statistics.median(w["bottom"] - w["top"] for p in row.pieces for w in p.words)


def footnote_start(rows: list[Row]) -> int:
    """Where the page's footnotes begin (len(rows) when it has none): the last rows, under the body, in print
    clearly smaller than the body's and set closer together (footnotes are 10-11 pt under a 13-14 pt body)."""
    body = [r for r in rows if not _is_page_number(" ".join(p.text for p in r.pieces), True)]
    if len(body) < MIN_BODY_ROWS:
        return len(rows)
    height = statistics.median(_height(r) for r in body)
    pitch = statistics.median(b.top - a.top for a, b in zip(body, body[1:], strict=False))
    start = len(body)
    while start > 0 and _height(body[start - 1]) < NOTE_SIZE * height:
        if start < len(body) and body[start].top - body[start - 1].top >= NOTE_SIZE * pitch:
            break
        start -= 1
    # a footnote opens with its number (a superscript the OCR reads as ', ?, `); 'Nơi nhận:' and '- Lưu'
    # below a signature are small print too, but no footnote
    while start < len(body) and not _NOTE_MARK.match(body[start].pieces[0].text):
        start += 1
    small = len(body) - start
    if small == 0 or small > len(body) // 3 or start < MIN_BODY_ROWS:
        return len(rows)
    return rows.index(body[start])


def words_to_lines(words: list[Word], page_no: int) -> list[tuple[float, Item]]:
    """(top, Line) for the words outside tables, two-column zones column by column; footnotes flagged."""
    rows = words_to_rows(words)
    out: list[tuple[float, Item]] = []
    prev_par: tuple[int, int] | None = None
    notes = footnote_start(rows)
    in_notes = {id(p) for r in rows[notes:] for p in (*r.pieces, *r.segments)}

    edge = {id(p) for r in rows[:1] + rows[-1:] for p in (*r.pieces, *r.segments)}

    def emit(piece: Piece, top: float, new_para: bool = False) -> None:
        nonlocal prev_par
        if _is_page_number(piece.text, id(piece) in edge):
            return
        out.append((top, Line(text=piece.text, page=page_no, new_para=new_para or piece.key[:2] != prev_par,
                              footnote=id(piece) in in_notes)))
        prev_par = piece.key[:2]

    i = 0
    while i < len(rows):
        if len(rows[i].pieces) == 1 and i + 1 < len(rows) and len(rows[i + 1].pieces) == 2:
            rows[i].pieces = split_over(rows[i].pieces[0], rows[i + 1])
        if len(rows[i].pieces) == 2:
            end, left, right = two_column_zone(rows, i)
            for column in (left, right):  # all at the zone's top: tables sort around the zone, not into it
                for n, piece in enumerate(column):
                    emit(piece, rows[i].top, n == 0)
            i = end
            continue
        for seg in sorted(rows[i].segments, key=lambda s: s.x0):
            emit(seg, seg.top)
        i += 1
    return out
