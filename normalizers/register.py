"""The national register of units (normalizers/data/register.csv, built by tools/build_register.py), the
abbreviations units are written with, the head nouns that open a unit's name, and the resolution of names
relative to a document's issuer ('Văn phòng Sở' in a Sở Công Thương plan is that Sở's Văn phòng)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from normalizers.text import clean, strip_diacritics


@dataclass(frozen=True)
class UnitMatch:
    unit: str  # canonical name, or the raw text (abbreviations expanded) when unknown
    raw: str
    score: float
    known: bool  # a register or chart entry
    unit_id: str = ""  # the register id; '' for a name the register lacks
    level: str = ""  # central · province · district · commune · issuer (relative to the issuer) · person · ''


DATA = Path(__file__).resolve().parent / "data"
DEFAULT_REGISTER = DATA / "register.csv"
# levels whose names the splitter and prose finder look for; places (districts, communes) are only
# looked up by name, a bare place name in running text is seldom a unit
MATCHED_LEVELS = {"central", "province", "district", "commune"}
PLACE_TYPES = {"tinh", "thanh_pho_tw", "quan", "huyen", "thi_xa", "thanh_pho", "xa", "phuong", "dac_khu", "thi_tran"}


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    level: str
    type: str
    parent: str
    valid_from: str
    valid_to: str
    variants: tuple[str, ...]

    @property
    def is_place(self) -> bool:
        return self.type in PLACE_TYPES


@lru_cache(maxsize=4)
def load_register(path: Path = DEFAULT_REGISTER) -> tuple[Entry, ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(Entry(r["id"], clean(r["name"]), r["level"], r["type"], r["parent"], r["valid_from"],
                           r["valid_to"], tuple(clean(v) for v in r["variants"].split("|") if v.strip()))
                     for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def abbreviations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Capitalised abbreviations → their words, longest first ('VH,TT&DL' before 'TT')."""
    with open(DATA / "abbreviations.csv", encoding="utf-8", newline="") as fh:
        pairs = [(r["abbreviation"], r["expansion"]) for r in csv.DictReader(fh)]
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple((re.compile(rf"(?<![\w&]){re.escape(a)}(?![\w&])"), e) for a, e in pairs)


def expand_abbreviations(text: str) -> str:
    """'Sở TN&MT' → 'Sở Tài nguyên và Môi trường'; lower-case words are never touched."""
    for pat, rep in abbreviations():
        text = pat.sub(rep, text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def head_nouns() -> tuple[str, ...]:
    """Words that open a unit's name (data/unit_heads.txt), longest first, lower case."""
    words = [ln.strip() for ln in (DATA / "unit_heads.txt").read_text(encoding="utf-8").splitlines()]
    return tuple(sorted({w.lower() for w in words if w and not w.startswith("#")}, key=lambda w: -len(w)))


@lru_cache(maxsize=1)
def _head_pattern() -> re.Pattern[str]:
    alts = "|".join(re.escape(strip_diacritics(h)) for h in head_nouns())
    return re.compile(rf"^(?:{alts})(?!\w)")


def head_of(text: str) -> str:
    """The head noun a name opens with ('sở', 'bộ', 'ủy ban nhân dân'), diacritics stripped; '' if none."""
    m = _head_pattern().match(strip_diacritics(text.lower()))
    return m.group(0) if m else ""


def starts_unit(text: str) -> bool:
    """True when `text` opens a new unit: a capitalised head noun, 'các …', or a capitalised abbreviation."""
    t = text.lstrip(" -+•")
    if not t:
        return False
    words = t.split(maxsplit=2)
    first = words[0]
    if first.lower() in ("các", "những"):
        return True
    # a capitalised abbreviation ('UBND cấp xã', 'ĐVTT'), not a word of a heading in capitals
    if len(first) >= 2 and first.replace("&", "").replace("-", "").isupper():
        return len(words) == 1 or not words[1].isupper()
    return t[0].isupper() and bool(head_of(t))


def lower_name_after(prev: str, rest: str) -> bool:
    """'Đài Phát thanh … Thành phố, cơ quan thông tấn báo chí': after a unit's proper name, a head noun of
    several words in lower case with a name of its own opens another unit. After a kind of body ('Cơ quan ngang
    bộ, cơ quan thuộc Chính phủ') or a collective ('Sở, ban, ngành có liên quan') the list goes on."""
    return _proper_name(prev) and named_in_lower_case(re.split(r"\s*[,;]\s*|\s+và\s+", rest, maxsplit=1)[0])


def named_in_lower_case(piece: str) -> bool:
    """'cơ quan thông tấn báo chí', 'đơn vị sự nghiệp công lập': a head noun of several words in lower case
    and two words or more of a name after it (a one-word head in lower case is as often a common word: 'báo
    cáo')."""
    head = head_of(piece)
    words = piece.split()
    return (piece[:1].islower() and " " in head and len(words) >= len(head.split()) + 2
            and not re.match(r"(?:có\s+)?liên\s+quan\b|thuộc\b|trực\s+thuộc\b", " ".join(words[len(head.split()):])))


def _proper_name(text: str) -> bool:
    """'Sở Y tế', 'Ủy ban nhân dân Thành phố': a head noun and a capitalised name after it."""
    head = head_of(text)
    words = text.split()
    after = words[len(head.split()):] if head else []
    return starts_unit(text) and bool(after) and (after[0][:1].isupper() or after[0][:1].isdigit())


def is_bare_head(text: str) -> bool:
    """'Sở', 'Viện', 'các sở': a head noun with no name after it (the start of a collective list)."""
    t = re.sub(r"^(?:các|những)\s+", "", text.strip(" ,;.").lower())
    return bool(t) and head_of(t) == strip_diacritics(t)


@dataclass(frozen=True)
class Issuer:
    """Who issued the document: a register name ('Sở Công Thương', 'Bộ Tài chính', 'Ủy ban nhân dân tỉnh')
    with its head noun; `own_chart` when the default chart is this issuer's own organisation chart."""
    name: str
    head: str  # diacritics stripped: 'so', 'bo', 'uy ban nhan dan'
    unit_id: str = ""
    level: str = ""
    own_chart: bool = False
    province: str = ""  # the document's province, for the communes and districts it names


def chart_owner() -> str:
    path = DATA / "chart_owner.txt"
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return next((ln for ln in lines if not ln.startswith("#")), "")


def relative_stem(canonical: str) -> tuple[str, str]:
    """'Văn phòng Sở' → ('Văn phòng', 'so'); ('', '') for a name not written relative to its issuer."""
    m = re.match(r"^(?P<stem>.+?)\s+(?P<head>Sở|Bộ)$", canonical)
    return (m.group("stem"), strip_diacritics(m.group("head").lower())) if m else ("", "")


# what a bare 'Văn phòng' / 'Thanh tra' is in a plan of the provincial People's Committee (register ids)
_UNDER_UBND = {"Văn phòng": "vpubnd", "Thanh tra": "tt"}


def qualify(u: UnitMatch, issuer: Issuer | None, names: dict[str, Entry]) -> UnitMatch:
    """A name written relative to the issuer takes the issuer's name: 'Văn phòng Sở' (or a bare 'Văn phòng')
    in a Sở Công Thương plan → 'Văn phòng Sở Công Thương'. The issuer's own chart keeps its names; a name
    relative to another kind of body ('Văn phòng Bộ' in a Sở plan) stays as it is."""
    if issuer is None or not issuer.name or issuer.own_chart or not u.known:
        return u
    stem, head = relative_stem(u.unit)
    if not stem:
        return u
    written = re.search(r"\b(so|bo)\b", strip_diacritics(u.raw.lower()))
    if written and written.group(1) != issuer.head:
        return u
    if issuer.head in ("so", "bo"):
        return replace(u, unit=f"{stem} {issuer.name}", unit_id="", level=issuer.level)
    target = names.get(_UNDER_UBND.get(stem, ""))
    if issuer.head == "uy ban nhan dan" and not written and target is not None:
        return replace(u, unit=target.name, unit_id=target.id, level=target.level)
    return u
