"""The signer's name under a signature read once more.

The signature block stands right of the recipients ('Nơi nhận'), and the seal, the signature's strokes
and the hand across the sign title make the page reading (Tesseract's page segmentation) take the whole
column for a picture: the name printed under it is not read at all. The name is the lowest line of the
column; that line alone, cut from the page by its rows of ink, is read as one line of text. Its words are
added to the page's words where they stand, so the layout places them as it would have.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

Word = dict[str, Any]
Reader = Callable[[np.ndarray], list[Word]]

_RECIPIENTS = re.compile(r"^(?:[Nn]|(?P<cut>))[ơo]i$")  # its N may be lost to the italic
_NEXT = re.compile(r"(?i)^nh[ậaâ]n\W*$")
SIGN_KEY = 9000  # Tesseract's block numbers stay far below: the words read here keep their own lines


def recipients_word(words: list[Word], width: int) -> Word | None:
    """The 'Nơi' of 'Nơi nhận:' in the left half of the page."""
    for a, b in zip(words, words[1:], strict=False):
        m = _RECIPIENTS.match(a["text"])
        if m and _NEXT.match(b["text"]) and a["x0"] < width / 2 and (m.group("cut") is None or ":" in b["text"]):
            return a
    return None


def text_height(words: list[Word]) -> float:
    heights = [w["bottom"] - w["top"] for w in words if len(w["text"]) > 2]
    return float(np.median(heights)) if heights else 30.0


def dark_ink(zone: np.ndarray) -> np.ndarray:
    """Print-dark pixels (255) of a zone: well below its paper's tone, so that a grey photo's background
    and the seal's light trace left by taking out its red stay out."""
    paper = float(np.median(zone[::4, ::4]))  # a sample is enough for the paper's tone, and 16 times quicker
    below = math.ceil(min(0.6 * paper, 140)) - 1  # gray levels under the bar, which is a fraction
    return cv2.threshold(np.ascontiguousarray(zone), below, 255, cv2.THRESH_BINARY_INV)[1]


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D mask, in order."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return [(int(a), int(b)) for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)]


def shifted(w: Word, dx: float, dy: float, **changes: Any) -> Word:
    """A word's box moved by (dx, dy) (a crop's coordinates → the page's), with other fields changed."""
    return {**w, "x0": w["x0"] + dx, "x1": w["x1"] + dx, "top": w["top"] + dy, "bottom": w["bottom"] + dy,
            **changes}


def ink_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows holding ink (a line of text, a seal, a signature), top to bottom."""
    return true_runs(np.count_nonzero(ink, axis=1) > max(2, 0.003 * ink.shape[1]))


def lowest_band(ink: np.ndarray, line: float) -> tuple[int, int] | None:
    """(top, bottom) of the lowest row of ink about one line of text high: the name under the signature."""
    for top, bottom in reversed(ink_bands(ink)):
        if 0.6 * line <= bottom - top <= 2.5 * line:
            return top, bottom
        if bottom - top > 2.5 * line:
            return None  # a stamp or a signature reaches the bottom: no clear name line
    return None


def signature_words(gray: np.ndarray, words: list[Word], read: Reader) -> list[Word]:
    """Words of the signer's name line when the page reading left the column beside 'Nơi nhận' unread;
    [] otherwise."""
    height, width = gray.shape
    label = recipients_word(words, width)
    if label is None:
        return []
    x0, y0 = width // 2, int(label["top"])
    beside = [w for w in words if w["x0"] >= x0 and w["top"] >= y0]
    if any(len(w["text"]) > 1 and w["text"][0].isupper() and w["conf"] > 60 for w in beside):
        return []  # the column was read: its name line with it
    line = text_height(words)
    zone = gray[y0:, x0:].copy()
    for w in words:  # the recipients' long lines that reach into the right half
        if w["top"] >= y0 and w["x1"] > x0:
            zone[max(0, w["top"] - y0 - 2):w["bottom"] - y0 + 2, max(0, w["x0"] - x0):w["x1"] - x0 + 2] = 255
    ink = dark_ink(zone)
    band = lowest_band(ink, line)
    if band is None:
        return []
    above = max((b for _, b in ink_bands(ink) if b <= band[0]), default=0)  # a signature's tail stays out
    top, bottom = max(above, band[0] - int(0.3 * line)), min(zone.shape[0], band[1] + int(0.3 * line))
    crop = cv2.copyMakeBorder(zone[top:bottom], 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=(255,))
    out = []
    for w in read(crop):
        text = w["text"].strip("_-~=.,'\"`|")  # a signature's stroke run into a word
        if not any(c.isalpha() for c in text):
            continue
        out.append(shifted(w, x0 - 20, y0 + top - 20, text=text, key=(SIGN_KEY, 1, 1)))  # crop → page
    return out
