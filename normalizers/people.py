"""A cell naming people ('Đỗ Mạnh Cường / Vũ Việt Linh', one name a line, or names run together) → one
lead per person, `level` person."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from normalizers.register import UnitMatch
from normalizers.text import clean

DATA = Path(__file__).resolve().parent / "data" / "surnames.txt"
PERSON = "person"
_SEPARATORS = re.compile(r"\s*(?:\n|[,;/+]|\s[-–]\s|^[-–•+]\s*|\s(?:và)\s)\s*")
_TITLE = re.compile(r"^(?:(?:đồng\s+chí|ông|bà|anh|chị)\.?\s+)", re.I)
_ROLE = re.compile(r"\s*[(–-].*$")  # 'Vũ Việt Linh (Phó Giám đốc)': the name without its post
_NAME_WORDS = (2, 5)  # a Vietnamese full name has two to five words


@lru_cache(maxsize=1)
def surnames(path: Path = DATA) -> dict[str, int]:
    """Family names and their rank by frequency (the file lists the most frequent first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    names = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return {n.lower(): i for i, n in enumerate(names)}


def split_people(cell: str) -> list[str]:
    """The people a cell names, in order. Separators (lines, ',', ';', '/', 'và') split first; a part that
    runs several full names together is cut before family names, preferring names of three words."""
    people: list[str] = []
    for part in _SEPARATORS.split(re.sub(r"(?i)(?<!\w)đ/c\.?\s*", "", cell)):
        part = _ROLE.sub("", _TITLE.sub("", clean(part))).strip(" .:")
        if part:
            people += _run_together(part.split())
    return people


def _run_together(words: list[str]) -> list[str]:
    """Cut a run of names at family names (dynamic programming: each name 2–5 words, opening with a
    capitalised family name; three words and frequent family names cost least)."""
    n = len(words)
    ranks = surnames()
    if n <= _NAME_WORDS[1] and not any(ranks.get(w.lower()) is not None for w in words[2:]):
        return [" ".join(words)]
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for size in range(_NAME_WORDS[0], _NAME_WORDS[1] + 1):
            i = j - size
            if i < 0 or best[i] == inf:
                continue
            rank = ranks.get(words[i].lower())
            opens = rank is not None and words[i][:1].isupper()
            cost = best[i] + abs(size - 3) + (0.02 * rank if opens and rank is not None else 5.0)
            if cost < best[j]:
                best[j], back[j] = cost, i
    if best[n] == inf:
        return [" ".join(words)]
    names: list[str] = []
    j = n
    while j > 0:
        names.insert(0, " ".join(words[back[j]:j]))
        j = back[j]
    return names


def people_units(cell: str) -> list[UnitMatch]:
    """One lead per person the cell names."""
    return [UnitMatch(p, p, 100.0, False, "", PERSON) for p in split_people(cell)]
