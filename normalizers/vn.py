"""Vietnamese syllables: what counts as one, and the token stream the language model is trained on."""

from __future__ import annotations

import re

from normalizers.text import strip_diacritics

ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])"
_SYLLABLE = re.compile(rf"^{ONSET}?(?:[aeiouy]{{1,3}})(?:ch|ng|nh|[cmnpt])?$")
_ONSET_RHYME = re.compile(rf"^({ONSET})?(.*)$")
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[^\w\s]", re.UNICODE)
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def is_syllable(word: str) -> bool:
    """A lower-case word with the shape of a Vietnamese syllable (onset, vowels, coda)."""
    base = strip_diacritics(word.lower())
    return bool(_SYLLABLE.match(base)) and base.isascii()


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
