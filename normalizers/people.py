"""People named where a unit is expected ('Người thực hiện: Nguyễn Văn A, Trần Thị B', a cell with one name a
line): one lead per person (level `person`), never one joined unit. A name is a family name of the list in
normalizers/data/surnames.txt followed by two to four capitalised syllables, an honorific before it dropped."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from normalizers.register import UnitMatch
from normalizers.text import clean

DATA = Path(__file__).resolve().parent / "data"
_SPLIT = re.compile(r"\s*(?:[,;\n]|/(?![cC]\b)|\s-\s|\s+và\s+)\s*")  # not the '/' of 'Đ/c'
_HONORIFIC = re.compile(r"^(?:đồng\s+chí|đ/c|ông|bà|anh|chị)\s+", re.I)
_NOTE = re.compile(r"\s*\([^)]*\)\s*")  # '(trưởng nhóm)', '(thư ký)': the person's part, not the name


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    lines = (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().lower() for ln in lines if ln.strip() and not ln.startswith("#"))


def person_name(text: str) -> str:
    """The person's name the text is ('Đ/c Nguyễn Văn An' → 'Nguyễn Văn An'), or '' when it is not one."""
    name = _HONORIFIC.sub("", _NOTE.sub(" ", clean(text)).strip(" .;:,"))
    words = name.split()
    # three syllables at least: 'Hà Nội', 'Lâm Đồng' are places
    if not 3 <= len(words) <= 5 or words[0].lower() not in _surnames():
        return ""
    return name if all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words) else ""


def person_names(text: str) -> list[str]:
    """Every person a value names, in order; empty unless every part of it is a person's name."""
    parts = [p for p in _SPLIT.split(clean(text).strip(" .;")) if p.strip(" .;:,")]
    names = [person_name(p) for p in parts]
    return names if names and all(names) else []


def person_units(text: str) -> list[UnitMatch]:
    return [UnitMatch(n, n, 100.0, False, "", "person") for n in person_names(text)]
