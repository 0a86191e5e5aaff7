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

from extractors.ocr_sign import SIGN_KEY, dark_ink, ink_bands, lowest_band, shifted, text_height, true_runs

Word = dict[str, Any]
Reader = Callable[[np.ndarray], list[Word]]

GUTTER = 1.5  # text heights: the narrowest white channel between the recipients and the signature block
STROKE = 0.3  # a column's ink in one row of text below this share of a text height is a stroke, not a letter
SEARCH = (0.3, 0.7)  # the share of the page width the channel lies in
MIN_SIDE_ROWS = 2  # rows of text on each side that make a two-column block
NARROW = 3.0  # text heights: a row of ink narrower than this (a page number, a speck) neither blocks nor counts
READ_SHARE = 0.7  # a column's reading must make out this share of the words its ink holds
SURE = 85.0  # Tesseract's confidence in each word of the name line above which it is not read again
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
    """(start, length) of the longest run of True (of two as long, the later one)."""
    start, end = max(true_runs(free), key=lambda r: (r[1] - r[0], r[0]), default=(0, 0))
    return start, end - start


def ink_line_height(ink: np.ndarray) -> float:
    """The height of a line of text, from the rows of ink: the median band of those with ink across a good
    part of the page (most are one line; specks and a scan's dark edge make narrow bands of their own)."""
    heights = [b - a for a, b in ink_bands(ink) if b - a >= 5
               and ink[a:b].any(axis=0).sum() >= 0.15 * ink.shape[1]]
    return float(np.median(heights)) if heights else 30.0


def foot_columns(gray: np.ndarray, below: int = 0, line: float | None = None) -> FootColumns | None:
    """The two-column block at the page's foot, under y `below` (tables end above it); None when the
    page's last rows are not in two columns. `line`: the text height (measured from the ink if not given)."""
    width = gray.shape[1]
    if gray.shape[0] - below < 10:
        return None
    ink = dark_ink(gray[below:])
    line = line or ink_line_height(ink)
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


def _with_border(part: np.ndarray) -> np.ndarray:
    # a border in the paper's own tone: a white one round a grey photo would be the only 'paper' left to
    # Tesseract's threshold, and the whole column would turn to ink
    return cv2.copyMakeBorder(part, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=(int(np.median(part)),))


def column_words(gray: np.ndarray, zone: FootColumns, read: Reader) -> list[Word]:
    """The words of each column of the block in page coordinates, with `column` set to 'left' or 'right':
    the two columns cut apart and set one under the other, read at once (one Tesseract run, not two)."""
    margin = 10
    top, bottom = max(0, zone.top - margin), min(gray.shape[0], zone.bottom + margin)
    left, right = gray[top:bottom, :zone.cut], gray[top:bottom, zone.cut:]
    paper = int(np.median(gray[top:bottom]))
    width = max(left.shape[1], right.shape[1])
    gap = np.full((2 * PAD, width), paper, np.uint8)

    def widened(part: np.ndarray) -> np.ndarray:
        return cv2.copyMakeBorder(part, 0, 0, 0, width - part.shape[1], cv2.BORDER_CONSTANT, value=(paper,))

    stack = _with_border(np.vstack([widened(left), gap, widened(right)]))
    split = PAD + left.shape[0] + PAD  # the stack's y where the right column begins, border included
    out: list[Word] = []
    for w in read(stack):
        side = "left" if (w["top"] + w["bottom"]) / 2 < split else "right"
        dx = -PAD + (zone.cut if side == "right" else 0)
        dy = top - PAD - (left.shape[0] + 2 * PAD if side == "right" else 0)
        out.append(shifted(w, dx, dy, column=side))
    return out


def without_block(gray: np.ndarray, zone: FootColumns) -> np.ndarray:
    """The page with the block's ink lifted to the paper round it, for the page reading to leave it out.

    A flat fill of the block's median tone would do on white paper, but on a grey scan a band of one tone
    shifts the threshold Tesseract takes for the whole page, and the header's capitals are lost; a max
    filter a line high keeps the paper's own grain and shading."""
    out = gray.copy()
    block = gray[zone.top:zone.bottom]
    side = 2 * round(ink_line_height(dark_ink(block))) + 1
    out[zone.top:zone.bottom] = cv2.dilate(block, np.ones((side, side), np.uint8))
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
    ink = dark_ink(zone)
    band = lowest_band(ink, line)
    if band is None or band[1] - band[0] > ONE_LINE * line:
        return columns  # a seal joins the name to the lines above: read as one line they would interleave
    # the margin round the line stops at the ink above (a signature's tail in a one-line reading spoils it),
    # and is cut from the page, not the block: a block found to end at the name's lowest ink would clip it
    above = max((b for _, b in ink_bands(ink) if b <= band[0]), default=0)
    top = max(above, band[0] - int(0.3 * line))
    bottom = min(gray.shape[0] - foot.top, band[1] + int(0.3 * line))

    def in_band(w: Word) -> bool:
        mid = (w["top"] + w["bottom"]) / 2
        return w.get("column") == "right" and foot.top + top <= mid <= foot.top + bottom

    read_once = [w for w in columns if in_band(w)]
    if read_once and min(w["conf"] for w in read_once) >= SURE:
        return columns  # every word of it read with confidence: a second reading would only cost time
    crop = _with_border(gray[foot.top + top:foot.top + bottom, foot.cut:])
    # a key of its own: the column reading's first line has the same block, paragraph and line numbers
    again = [shifted(w, foot.cut - PAD, foot.top + top - PAD, column="right", key=(SIGN_KEY, 1, 1))
             for w in read_line(crop) if any(c.isalnum() for c in w["text"])]

    if not again or _mean_conf(again) <= _mean_conf(read_once):
        return columns
    return [w for w in columns if not in_band(w)] + again


def foot_words(gray: np.ndarray, foot: FootColumns, read: Reader, read_line: Reader,
               read_page: Reader) -> list[Word]:
    """The words of a two-column foot, column by column; a column whose reading makes out fewer than
    READ_SHARE of the words its ink holds (a shadow or show-through that the column's own threshold turns
    to ink) takes the page reading's words of the block instead (`read_page`: the block read as a page)."""
    columns = column_words(gray, foot, read)
    out: list[Word] = []
    fallback: list[Word] | None = None
    ink = dark_ink(gray[foot.top:foot.bottom])
    line = ink_line_height(ink)
    for side, part in (("left", ink[:, :foot.cut]), ("right", ink[:, foot.cut:])):
        again = [w for w in columns if w["column"] == side]
        if _legible(again) >= READ_SHARE * ink_words(part, line):
            out += again
            continue
        if fallback is None:
            fallback = _page_words(gray, foot, read_page)
        out += [{**w, "column": side} for w in fallback if _side(w, foot.cut) == side]
    return name_line(gray, foot, out, read_line)


def ink_words(ink: np.ndarray, line: float) -> int:
    """About how many words a zone of ink holds: blots of letters run together across a letter gap, as
    tall as a letter at least (a seal or a signature counts as a word or two)."""
    kernel = np.ones((1, max(1, int(0.3 * line))), np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, kernel), connectivity=8)
    return sum(1 for k in range(1, n) if stats[k, cv2.CC_STAT_HEIGHT] >= 0.4 * line
               and stats[k, cv2.CC_STAT_WIDTH] >= 0.3 * line)


def _page_words(gray: np.ndarray, foot: FootColumns, read_page: Reader) -> list[Word]:
    top = max(0, foot.top - 10)
    return [shifted(w, -PAD, top - PAD) for w in read_page(_with_border(gray[top:foot.bottom + 10]))]


def _side(w: Word, cut: int) -> str:
    return "left" if (w["x0"] + w["x1"]) / 2 < cut else "right"
