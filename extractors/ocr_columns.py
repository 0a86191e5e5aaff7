"""A page's foot in two columns (the recipients left, the signature block right) read column by column.

Tesseract's page segmentation follows lines across the white channel between the two columns. Their lines
do not stand at the same heights (the recipients in small print, the signer's title in large capitals), so
it joins a line of one column with the line of the other that is nearest, and a word made of parts of two
lines ('Nơi nhận:' with the next line's dash, read as `sUIEriE`) is lost from both. Found in the ink, not in
Tesseract's reading: from the page's last row of ink upwards, the rows that all leave the same channel free
(a signature's stroke across it is ink too thin to be text), down to the foot. Each column is then read on
its own, as a Word table of the same block keeps its cells apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from extractors.ocr_sign import SIGN_KEY, dark_ink, ink_bands, lowest_band, text_height

Word = dict[str, Any]
Reader = Callable[[np.ndarray], list[Word]]

GUTTER = 1.5  # text heights: the narrowest white channel between the recipients and the signature block
STROKE = 0.3  # a column's ink in one row of text below this share of a text height is a stroke, not a letter
SEARCH = (0.3, 0.7)  # the share of the page width the channel lies in
MIN_SIDE_ROWS = 2  # rows of text on each side that make a two-column block
NARROW = 3.0  # text heights: a row of ink narrower than this (a page number, a speck) neither blocks nor counts
ONE_LINE = 1.7  # text heights: the most a single line of ink stands, marks above and below included
PAD = 20  # white border around a column cut out for Tesseract


@dataclass(frozen=True)
class FootColumns:
    top: int
    bottom: int
    cut: int  # x of the middle of the channel

    def holds(self, w: Word) -> bool:
        return self.top <= (w["top"] + w["bottom"]) / 2 <= self.bottom


def _longest_run(free: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of True."""
    best, start = (0, 0), None
    for x, on in enumerate([*free.tolist(), False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            best = max(best, (x - start, start))
            start = None
    return best[1], best[0]


def foot_columns(gray: np.ndarray, words: list[Word], below: int = 0) -> FootColumns | None:
    """The two-column block at the page's foot, under y `below` (tables end above it); None when the
    page's last rows are not in two columns."""
    height, width = gray.shape
    line = text_height(words)
    ink = dark_ink(gray[below:])
    lo, hi = int(SEARCH[0] * width), int(SEARCH[1] * width)
    free = np.ones(hi - lo, dtype=bool)
    top = bottom = None
    for a, b in reversed(ink_bands(ink)):
        if b - a < 0.3 * line:
            continue
        cols = ink[a:b].sum(axis=0) // 255
        xs = np.flatnonzero(cols)
        if xs[-1] - xs[0] < NARROW * line:
            continue
        joint = free & (cols[lo:hi] <= STROKE * line)
        start, run = _longest_run(joint)
        if run < GUTTER * line:
            break
        free, top = joint, a
        bottom = b if bottom is None else bottom
    if top is None or bottom is None:
        return None
    start, run = _longest_run(free)
    cut = lo + start + run // 2
    for side in (ink[top:bottom, :cut], ink[top:bottom, cut:]):
        if sum(1 for a, b in ink_bands(side) if b - a >= 0.5 * line) < MIN_SIDE_ROWS:
            return None
    return FootColumns(below + top, below + bottom, cut)


def column_words(gray: np.ndarray, zone: FootColumns, read: Reader) -> list[Word]:
    """The words of each column of the block, read on their own, in page coordinates, with `column` set to
    'left' or 'right'."""
    margin = 10
    top, bottom = max(0, zone.top - margin), min(gray.shape[0], zone.bottom + margin)
    out: list[Word] = []
    for side, x0, x1 in (("left", 0, zone.cut), ("right", zone.cut, gray.shape[1])):
        part = gray[top:bottom, x0:x1]
        # a border in the paper's own tone: a white one round a grey photo would be the only 'paper' left
        # to Tesseract's threshold, and the whole column would turn to ink
        crop = cv2.copyMakeBorder(part, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=(int(np.median(part)),))
        for w in read(crop):
            dx, dy = x0 - PAD, top - PAD
            out.append({**w, "x0": w["x0"] + dx, "x1": w["x1"] + dx, "top": w["top"] + dy,
                        "bottom": w["bottom"] + dy, "column": side})
    return out


def _legible(words: list[Word]) -> int:
    return sum(1 for w in words if w["conf"] >= 50 and any(c.isalnum() for c in w["text"]))


def _mean_conf(words: list[Word]) -> float:
    return float(np.mean([w["conf"] for w in words])) if words else 0.0


def name_line(gray: np.ndarray, foot: FootColumns, columns: list[Word], read_line: Reader) -> list[Word]:
    """The right column's words with its lowest line (the signer's name, under the seal and the signature,
    which a column reading takes for part of a picture and misreads) read once more as a single line,
    when that reading is the surer one."""
    line = text_height(columns)
    zone = gray[foot.top:foot.bottom, foot.cut:]
    band = lowest_band(dark_ink(zone), line)
    if band is None or band[1] - band[0] > ONE_LINE * line:
        return columns  # a seal joins the name to the lines above: read as one line they would interleave
    top, bottom = max(0, band[0] - int(0.3 * line)), min(zone.shape[0], band[1] + int(0.3 * line))
    part = zone[top:bottom]
    crop = cv2.copyMakeBorder(part, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=(int(np.median(part)),))
    dx, dy = foot.cut - PAD, foot.top + top - PAD
    # a key of its own: the column reading's first line has the same block, paragraph and line numbers
    again = [{**w, "x0": w["x0"] + dx, "x1": w["x1"] + dx, "top": w["top"] + dy, "bottom": w["bottom"] + dy,
              "column": "right", "key": (SIGN_KEY, 1, 1)} for w in read_line(crop)
             if any(c.isalnum() for c in w["text"])]

    def in_band(w: Word) -> bool:
        return w.get("column") == "right" and foot.top + top <= (w["top"] + w["bottom"]) / 2 <= foot.top + bottom

    if not again or _mean_conf(again) <= _mean_conf([w for w in columns if in_band(w)]):
        return columns
    return [w for w in columns if not in_band(w)] + again


def foot_reread(gray: np.ndarray, words: list[Word], read: Reader, read_line: Reader, below: int = 0) -> list[Word]:
    """The page's words with those of a two-column foot replaced by its columns' own reading, each column
    unless its own reading makes out fewer words than the page reading did there (a column's shadow or
    show-through that its own threshold turns to ink)."""
    foot = foot_columns(gray, words, below)
    if foot is None:
        return words
    columns = column_words(gray, foot, read)
    out = [w for w in words if not foot.holds(w)]
    for side in ("left", "right"):
        before = [{**w, "column": side} for w in words if foot.holds(w) and _side(w, foot.cut) == side]
        again = [w for w in columns if w["column"] == side]
        out += again if _legible(again) >= 0.8 * _legible(before) else before
    return name_line(gray, foot, out, read_line)


def _side(w: Word, cut: int) -> str:
    return "left" if (w["x0"] + w["x1"]) / 2 < cut else "right"
