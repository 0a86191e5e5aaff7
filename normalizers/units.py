"""Unit names: a gazetteer of canonical names and their variants, cell splitting and fuzzy matching.

The gazetteer is a CSV (canonical,variant) that analysts extend without code; extra CSVs can be
layered on top. Matching works on a comparison key (lower case, ASCII dashes) and, for text whose
diacritics were lost, on the same key without marks.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from normalizers.text import DASHES, clean, strip_diacritics
from pipeline.errors import GazetteerError

_SEPARATORS = re.compile(r"\s*(?:[,;\n/+]|\s-\s|\bvà\b|\bva\b)\s*", re.I)
_NOISE = {"sở", "thuộc sở", "các", "và", "của sở", "liên quan", "các đơn vị", "đơn vị", "so", "thuoc so", "chủ trì"}
_PREFIX_LIST = re.compile(r"^(?:các\s+)?phòng(?:\s+chuyên\s+môn)?(?:\s+sở)?\s*:\s*(?P<items>.+)$", re.I | re.S)
_COMMON_WORDS = {"phòng", "sở", "trung tâm", "thanh tra", "văn phòng"}
_GENERIC = {"trung tâm", "thanh tra", "phòng cm", "các trung tâm", "chủ tịch ubnd tỉnh", "giám đốc sở"}
_ROLE_WORDS = re.compile(r"\b(?:chủ trì|phối hợp|thực hiện|tham mưu)\b\s*[:,]?", re.I)


@dataclass(frozen=True)
class UnitMatch:
    unit: str  # canonical name, or the cleaned raw text when unknown
    raw: str
    score: float
    known: bool


@dataclass(frozen=True)
class _Variant:
    key: str
    ascii_key: str
    canonical: str
    prose_ok: bool  # safe to look for in running text (not a bare 'Phòng' or 'CM')
    abbrev: bool  # written in capitals: ĐVTT, VP, TTDVVL


def norm_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-case, ASCII dashes, single spaces, no space around - & /; with a map to raw offsets."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        c = ch.lower().translate(DASHES)
        if c.isspace():
            if out and out[-1] not in " -&/":
                out.append(" ")
                idx.append(i)
            continue
        if c in "-&/" and out and out[-1] == " ":
            out.pop()
            idx.pop()
        out.append(c)
        idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def unit_key(text: str) -> str:
    return norm_with_map(clean(text))[0].strip(" .;:,")


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]]) -> None:
        seen: set[tuple[str, str]] = set()
        variants: list[_Variant] = []
        for canonical, variant in rows:
            for v in (variant, canonical):
                k = unit_key(v)
                if k and (k, canonical) not in seen:
                    seen.add((k, canonical))
                    prose_ok = (" " in k and k not in _GENERIC) or (v.isupper() and len(v) >= 4)
                    variants.append(_Variant(k, strip_diacritics(k), canonical, prose_ok, v.isupper()))
        variants.sort(key=lambda v: len(v.key), reverse=True)
        self.variants = variants
        self.canonicals = sorted({v.canonical for v in variants})
        self._keys = [v.key for v in variants]
        self._ascii = [v.ascii_key for v in variants]
        # a bare common word ('Phòng', 'Văn phòng' is fine) only counts when it is a whole piece of a cell,
        # which the fuzzy pass handles; inside longer text it is usually part of another name
        self._inline = [v for v in variants if (" " in v.key and v.key not in _COMMON_WORDS) or v.abbrev
                        or not v.key.replace(" ", "").isalpha()]
        self._patterns = [re.compile(rf"(?<!\w){re.escape(v.key)}(?!\w)") for v in self._inline]
        self._ascii_patterns = [re.compile(rf"(?<!\w){re.escape(v.ascii_key)}(?!\w)") for v in self._inline]
        self._nospace = [v.key.replace(" ", "") for v in variants]

    @classmethod
    def from_csv(cls, *paths: Path) -> Gazetteer:
        rows: list[tuple[str, str]] = []
        for path in paths:
            try:
                with open(path, encoding="utf-8-sig", newline="") as fh:
                    reader = csv.DictReader(fh)
                    if not reader.fieldnames or not {"canonical", "variant"} <= set(reader.fieldnames):
                        raise GazetteerError(path, "missing the columns canonical,variant")
                    rows += [(clean(r["canonical"]), clean(r["variant"])) for r in reader if r["canonical"]]
            except OSError as e:
                raise GazetteerError(path, f"cannot read the gazetteer: {e.strerror}") from e
        return cls(rows)

    def prose_variants(self) -> list[_Variant]:
        return [v for v in self.variants if v.prose_ok]

    def match_one(self, piece: str, threshold: float) -> UnitMatch:
        raw = clean(piece).strip(" .;:,-")
        k = unit_key(raw)
        if not k:
            return UnitMatch("", raw, 0.0, False)
        for keys in (self._keys, self._ascii):
            probe = k if keys is self._keys else strip_diacritics(k)
            hit = process.extractOne(probe, keys, scorer=fuzz.ratio)
            if hit and hit[1] >= threshold:
                return UnitMatch(self.variants[hit[2]].canonical, raw, round(float(hit[1]), 1), True)
        hit = process.extractOne(k.replace(" ", ""), self._nospace, scorer=fuzz.ratio)
        if hit and hit[1] >= max(threshold, 90):  # words broken across lines: 'BT XH&PCTN XH'
            return UnitMatch(self.variants[hit[2]].canonical, raw, round(float(hit[1]), 1), True)
        hit = process.extractOne(k, self._keys, scorer=fuzz.ratio)
        return UnitMatch(raw, raw, round(float(hit[1]), 1) if hit else 0.0, False)

    def find_exact(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, canonical) occurrences of any variant in raw `text`, longest first."""
        norm, idx = norm_with_map(text)
        ascii_norm = strip_diacritics(norm)
        taken = [False] * len(norm)
        found: list[tuple[int, int, str]] = []
        for patterns, hay in ((self._patterns, norm), (self._ascii_patterns, ascii_norm)):
            for pat, var in zip(patterns, self._inline, strict=True):
                for m in pat.finditer(hay):
                    if any(taken[m.start():m.end()]):
                        continue
                    taken[m.start():m.end()] = [True] * (m.end() - m.start())
                    found.append((idx[m.start()], idx[m.end() - 1] + 1, var.canonical))
        return sorted(found)

    def _covers(self, text: str) -> bool:
        """True when known unit names cover the whole text (a unit heading, a fully known cell)."""
        letters = len(re.sub(r"[\W_]", "", text))
        known = sum(len(re.sub(r"[\W_]", "", text[s:e])) for s, e, _ in self.find_exact(text))
        return letters > 0 and known >= 0.85 * letters

    def split_cell(self, cell: str, threshold: float) -> list[UnitMatch]:
        """'Văn phòng Sở, Các phòng chuyên môn, ĐVTT Sở' → three units; names with commas stay whole."""
        text = clean(cell).strip(" .;:")
        if not text:
            return []
        m = _PREFIX_LIST.match(text)
        if m and re.search(r"[;,]", m.group("items")):
            text = "; ".join(p if self._covers(p) else "Phòng " + p for p in _split_protected(self, m.group("items")))
        text = _ROLE_WORDS.sub(",", text)
        out: list[UnitMatch] = []
        pos = 0
        for start, end, canonical in self.find_exact(text):
            out += self._leftovers(text[pos:start], threshold)
            out.append(UnitMatch(canonical, text[start:end], 100.0, True))
            pos = end
        out += self._leftovers(text[pos:], threshold)
        return dedupe_units(out)

    def _leftovers(self, text: str, threshold: float) -> list[UnitMatch]:
        matches = []
        for piece in _SEPARATORS.split(text):
            piece = piece.strip(" .;:,-()")
            if len(re.sub(r"\W", "", piece)) < 2 or unit_key(piece) in _NOISE:
                continue
            matches.append(self.match_one(piece, threshold))
        return [m for m in matches if m.unit]


def _split_protected(gaz: Gazetteer, items: str) -> list[str]:
    """Split a list on ; and , but never inside a known unit name."""
    spans = gaz.find_exact(items)
    pieces, buf, i = [], "", 0
    while i < len(items):
        span = next((s for s in spans if s[0] == i), None)
        if span:
            buf += items[span[0]:span[1]]
            i = span[1]
            continue
        if items[i] in ";,":
            pieces.append(buf)
            buf = ""
        else:
            buf += items[i]
        i += 1
    pieces.append(buf)
    return [p.strip() for p in pieces if p.strip()]


def dedupe_units(matches: list[UnitMatch]) -> list[UnitMatch]:
    """Each unit once, in order of first mention."""
    seen: set[str] = set()
    out = []
    for m in matches:
        if m.unit not in seen:
            seen.add(m.unit)
            out.append(m)
    return out
