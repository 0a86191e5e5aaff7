"""Unicode hygiene shared by every stage: NFC, one dash style for keys, collapsed whitespace."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
# what OCR reads for the '/' of a number ('239⁄TTr': Tesseract 5 has the fraction slash in its alphabet)
SLASHES = str.maketrans({"⁄": "/", "∕": "/", "／": "/"})
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s*", re.M)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, no markdown emphasis, single spaces, stripped. Keeps the text's own dashes and case."""
    text = _MARKDOWN.sub("", nfc(text))
    text = text.replace("\r", "").replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


def key(text: str) -> str:
    """A comparison key: clean, lower-case, ASCII dashes, no space around '-' '&' '/'."""
    k = clean(text).lower().translate(DASHES)
    k = re.sub(r"\s*([-&/])\s*", r"\1", k)
    return k.strip(" .;:,")


def bare(token: str) -> str:
    """A token of running text as a word: lower case, punctuation around it dropped ('Sở,' → 'sở')."""
    return re.sub(r"^\W+|\W+$", "", token).lower()


def strip_diacritics(text: str) -> str:
    return "".join(
        "d" if c == "đ" else "D" if c == "Đ" else c
        for c in unicodedata.normalize("NFD", text)
        if not unicodedata.combining(c)
    )


def sentence_case(text: str) -> str:
    """'SỞ LAO ĐỘNG' → 'Sở lao động' for headings typed in capitals; mixed-case text is left alone."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text[:1] + text[1:].lower()
    return text


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first (so 'thời gian hoàn thành' wins over 'thời gian'), each
    space matching any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_ROMAN = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def roman(value: int) -> str:
    """4 → 'IV': a group or list number as plans print it."""
    out = ""
    for sym, v in _ROMAN:
        while value >= v:
            out, value = out + sym, value - v
    return out


def roman_value(numeral: str) -> int:
    """'IV' → 4; letters other than I, V, X count nothing."""
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(numeral, numeral[1:] + " ", strict=True):
        v = values.get(a, 0)
        total += -v if values.get(b, 0) > v else v
    return total
