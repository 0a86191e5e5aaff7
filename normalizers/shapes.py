"""Unit mentions found by their shape rather than by name: a head noun and a capitalised name ('Sở Quy hoạch
– Kiến trúc', 'Ban Quản lý dự án Đầu tư xây dựng'), a collective mention ('các sở, ban, ngành có liên quan',
'các bộ, ngành Trung ương') and the People's Committees of a list of communes ('Ủy ban nhân dân các xã,
phường'). The words come from data/unit_heads.txt, collective_heads.txt and collective_tails.txt."""

from __future__ import annotations

import re
from functools import lru_cache

from normalizers.register import DATA, head_nouns

UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LO = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_CAP = rf"[{UP}][{LO}]*"
_LOW = rf"[{LO}]+"
_PLACES = r"(?:xã|phường|thị trấn|thị xã|thành phố|huyện|quận|đặc khu)"


def _words(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return sorted({ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}, key=lambda w: -len(w))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


@lru_cache(maxsize=1)
def _named() -> re.Pattern[str]:
    """A capitalised head noun, then name words: each a capitalised word with at most one lower-case word
    after it ('Nông nghiệp', 'Môi trường'), joined by ',', 'và' or a dash — never a next head noun."""
    heads = [h[:1].upper() + h[1:] for h in head_nouns() if h not in ("các", "những")]
    head_alt = _alt(sorted(set(heads), key=lambda w: -len(w)))
    group = rf"(?!(?:{head_alt})(?!\w)){_CAP}(?:\s+(?!và\b){_LOW})?"
    return re.compile(rf"(?<!\w)(?:{head_alt})\s+{group}(?:(?:\s*,\s*|\s+và\s+|\s*[-–—]\s*|\s+){group})*")


@lru_cache(maxsize=1)
def _collective() -> re.Pattern[str]:
    nouns = _alt(_words("collective_heads.txt"))
    tails = _alt(_words("collective_tails.txt"))
    sep = r"(?:\s*,\s*|\s+và\s+|\s*,\s*và\s+)(?:các\s+)?"
    one = rf"(?:{nouns})(?!\w)"
    tail = rf"(?:\s+(?:thuộc\s+)?(?:{tails})(?!\w))*"
    under = rf"(?:\s+(?:thuộc|trực thuộc)\s+(?:các\s+)?{one}(?:{sep}{one})*{tail})?"
    return re.compile(rf"(?<!\w)(?:(?:các|những)\s+{one}(?:{sep}{one})*|{one}(?:{sep}{one})+){tail}{under}", re.I)


@lru_cache(maxsize=1)
def _communes() -> re.Pattern[str]:
    names = rf"{_CAP}(?:\s+{_CAP})*(?:\s*(?:,|và)\s*{_CAP}(?:\s+{_CAP})*)*"
    return re.compile(rf"(?<!\w)(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?:các\s+)?(?:\d+\s+)?{_PLACES}"
                      rf"(?:\s*,\s*{_PLACES})*(?:\s*:\s*{names}|\s+{names})?")


def shaped_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every unit-shaped mention in `text`, longest first where they overlap."""
    return [(s, e) for s, e, _ in shaped_mentions(text)]


def shaped_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of unit-shaped mentions: kind is communes · collective · named."""
    kinds = (("communes", _communes()), ("collective", _collective()), ("named", _named()))
    found = [(m.start(), m.end(), kind) for kind, pat in kinds for m in pat.finditer(text)]
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, kind))
    return sorted(taken)
