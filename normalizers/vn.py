"""Vietnamese syllables: what counts as one, and the token stream the language model is trained on."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from normalizers.text import strip_diacritics

ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])"
_SYLLABLE = re.compile(rf"^{ONSET}?(?:[aeiouy]{{1,3}})(?:ch|ng|nh|[cmnpt])?$")
_ONSET_RHYME = re.compile(rf"^({ONSET})?(.*)$")
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[^\w\s]", re.UNICODE)
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


@lru_cache(maxsize=1 << 16)  # asked of every word of a text several times while judging it
def is_syllable(word: str) -> bool:
    """A lower-case word with the shape of a Vietnamese syllable (onset, vowels, coda)."""
    base = strip_diacritics(word.lower())
    return bool(_SYLLABLE.match(base)) and base.isascii()


_SHAPES = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # circumflex, breve, horn: the vowels they sit on
_ENTERING = ("c", "ch", "p", "t")  # a syllable closed by these takes only the sắc or nặng tone


def is_marked_syllable(word: str, rhymes: frozenset[str] = frozenset()) -> bool:
    """A word spelled as a Vietnamese syllable with its marks: one tone at most, shape marks only where
    they belong (â ê ô ă ơ ư), an entering coda only with sắc/nặng; with `rhymes` (shaped, toneless,
    as a corpus writes them) the rhyme must be one of them."""
    low = unicodedata.normalize("NFD", word.lower())
    letters = [c for c in low if not unicodedata.combining(c)]
    if not letters or not all(c.isalpha() and (c.isascii() or c == "đ") for c in letters):
        return False
    tones = [c for c in low if c in TONE_MARKS]
    if len(tones) > 1:
        return False
    prev = ""
    for c in low:
        if c in _SHAPES and prev not in _SHAPES[c]:
            return False
        if not unicodedata.combining(c):
            prev = c
    base = strip_diacritics(word.lower())
    if not is_syllable(base):
        return False
    if tones and tones[0] not in "\u0301\u0323" and base.endswith(_ENTERING):
        return False
    if rhymes:
        toneless = unicodedata.normalize("NFC", "".join(c for c in low if c not in TONE_MARKS))
        rhyme = split_onset(toneless)[1]
        if rhyme and rhyme not in rhymes and not (toneless.startswith(("gi", "qu")) and toneless[1:] in rhymes):
            return False
    return True


def toneless_rhyme(word: str) -> str:
    """'người' → 'ươi': the rhyme with its shape marks, without the tone."""
    low = unicodedata.normalize("NFD", word.lower())
    return split_onset(unicodedata.normalize("NFC", "".join(c for c in low if c not in TONE_MARKS)))[1]


def split_onset(syllable: str) -> tuple[str, str]:
    """'người' → ('ng', 'ười'): the initial consonant(s) and the rhyme."""
    m = _ONSET_RHYME.match(syllable)
    assert m is not None  # the pattern matches every string
    return m.group(1) or "", m.group(2)


def lm_tokens(line: str) -> list[list[str]]:
    """A line → runs of LM tokens split at punctuation: syllables lower-cased, <num>, <unk>."""
    runs: list[list[str]] = [[]]
    for tok in _WORD.findall(line):
        if tok[0].isdigit():
            runs[-1].append("<num>")
        elif tok.isalpha():
            w = tok.lower()
            # capitalized codes (UBND, TTHC) are context of their own: 'UBND tỉnh' is not 'ABC tính'
            runs[-1].append(w if is_syllable(w) else tok if tok.isupper() and len(tok) > 1 else "<unk>")
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]
