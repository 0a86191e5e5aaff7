"""One tone-placement style so equal words compare equal: the traditional one used by most administrative
documents (hòa, khỏe, thủy: in an open oa/oe/uy syllable the mark sits on the first vowel)."""

from __future__ import annotations

import re
import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"
_WORD = re.compile(r"[^\W\d_]+")
_MOVE = re.compile(r"^(?P<onset>[^aeiouy]*)(?P<v1>[ou])(?P<v2>[aey])$")


def _retone(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    marks = [c for c in nfd if c in TONES]
    if len(marks) != 1:
        return word
    bare = unicodedata.normalize("NFC", nfd.replace(marks[0], ""))
    m = _MOVE.match(bare.lower())
    if not m or m.group("onset").lower() in ("q", "g"):  # quý, gìa: u/i belong to the onset
        return word
    i = len(m.group("onset"))  # tone goes on the first vowel of the open syllable
    target = unicodedata.normalize("NFC", bare[:i + 1] + marks[0] + bare[i + 1:])
    return target


def normalize_tones(text: str) -> str:
    return _WORD.sub(lambda m: _retone(m.group(0)), text)
