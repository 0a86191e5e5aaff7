"""Unit names: a gazetteer of canonical names and their variants, cell splitting and fuzzy matching.

The gazetteer is a CSV (canonical,variant) that analysts extend without code; extra CSVs can be
layered on top. Matching works on a comparison key (lower case, ASCII dashes) and, for text whose
diacritics were lost, on the same key without marks.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from normalizers.errors import GazetteerError
from normalizers.register import (
    DEFAULT_REGISTER,
    MATCHED_LEVELS,
    Entry,
    Issuer,
    UnitMatch,
    chart_owner,
    expand_abbreviations,
    head_nouns,
    head_of,
    is_bare_head,
    load_register,
    lower_name_after,
    named_in_lower_case,
    qualify,
    relative_stem,
    starts_unit,
)
from normalizers.shapes import shaped_spans
from normalizers.text import DASHES, clean, strip_diacritics

_SEP = re.compile(r"\s*(?:[,;\n/+]|\s[-–—]\s|\bvà\b|\bva\b)\s*", re.I)
_NOISE = {"sở", "thuộc sở", "các", "và", "của sở", "liên quan", "các đơn vị", "đơn vị", "so", "thuoc so", "chủ trì"}
_PREFIX_LIST = re.compile(r"^(?:các\s+)?phòng(?:\s+chuyên\s+môn)?(?:\s+sở)?\s*:\s*(?P<items>.+)$", re.I | re.S)
_COMMON_WORDS = {"phòng", "sở", "trung tâm", "thanh tra", "văn phòng"}
_GENERIC = {"trung tâm", "thanh tra", "phòng cm", "các trung tâm", "chủ tịch ubnd tỉnh", "giám đốc sở"}
_ROLE_WORDS = re.compile(r"\b(?:chủ trì|phối hợp|thực hiện|tham mưu)\b\s*[:,]?", re.I)
_PLACE_UBND = re.compile(r"^(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?P<place>(?:xã|phường|đặc khu|thị trấn|huyện|"
                         r"quận|thị xã|thành phố)\s+[^,;:]+)$", re.I)
_ISSUER_TYPES = {"so", "bo", "ubnd", "co_quan_ngang_bo", "co_quan_thuoc_cp"}
_REQUEST = re.compile(r"^(?:đề nghị|giao|yêu cầu|đối với)\s+(?=\S)", re.I)  # 'Đề nghị Liên đoàn Lao động tỉnh'
_LEADING = re.compile(r"^(?:(?:với|cùng|và|va|voi)\s+)+", re.I)


@dataclass(frozen=True)
class _Variant:
    key: str
    ascii_key: str
    canonical: str
    prose_ok: bool  # safe to look for in running text (not a bare 'Phòng' or 'CM')
    abbrev: bool  # written in capitals: ĐVTT, VP, TTDVVL
    head: str = ""  # the head noun, diacritics stripped: fuzzy matching stays within one head


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
    def __init__(self, rows: list[tuple[str, str]], entries: tuple[Entry, ...] = ()) -> None:
        """`rows` (canonical, variant) of the issuer's chart; `entries` the national register."""
        self.info: dict[str, tuple[str, str]] = {c: ("", "issuer") for c, _ in rows if relative_stem(c)[0]}
        reg_rows = [(e.name, v) for e in entries if not e.is_place and e.level in MATCHED_LEVELS
                    for v in (e.name, *e.variants)]
        self.by_id = {e.id: e for e in entries}
        self._places: dict[tuple[str, str], Entry] = {}  # (province, 'xã gia thuận') → the place
        for e in entries:
            parent = self.by_id.get(e.parent)
            if e.is_place and e.level in ("district", "commune") and parent is not None:
                self._places.setdefault((_province_key(parent.name), unit_key(e.name)), e)
        self.owner = chart_owner()
        for e in entries:
            if not e.is_place and e.name not in self.info:
                self.info[e.name] = (e.id, e.level)
        seen: set[tuple[str, str]] = set()
        variants: list[_Variant] = []
        for canonical, variant in [*rows, *reg_rows]:
            for name in (variant, canonical):
                k = unit_key(name)
                if k and (k, canonical) not in seen:
                    seen.add((k, canonical))
                    prose_ok = (" " in k and k not in _GENERIC) or (name.isupper() and len(name) >= 4)
                    variants.append(_Variant(k, strip_diacritics(k), canonical, prose_ok, name.isupper(),
                                             head_of(unit_key(expand_abbreviations(name)))))
        variants.sort(key=lambda v: len(v.key), reverse=True)
        self._variants = variants
        chart = {c for c, _ in rows}
        # the chart's own names: the vocabulary that OCR'd interleaved tables of its documents are read with
        self.variants = [v for v in variants if v.canonical in chart]
        self.canonicals = sorted({v.canonical for v in variants})
        self._by_key: dict[str, _Variant] = {}
        for var in variants:
            self._by_key.setdefault(var.key, var)
            self._by_key.setdefault(var.ascii_key, var)
        self._keys = [v.key for v in variants]
        self._ascii = [v.ascii_key for v in variants]
        # a bare common word ('Phòng', 'Văn phòng' is fine) only counts when it is a whole piece of a cell,
        # which the fuzzy pass handles; inside longer text it is usually part of another name
        self._inline = [v for v in variants if (" " in v.key and v.key not in _COMMON_WORDS) or v.abbrev
                        or not v.key.replace(" ", "").isalpha()]
        self._inline_key = {v.key: v for v in reversed(self._inline)}
        self._inline_ascii = {v.ascii_key: v for v in reversed(self._inline)}
        # one alternation, longest first: at each position the longest known name wins
        self._pattern = _alternation([v.key for v in self._inline])
        self._ascii_pattern = _alternation([v.ascii_key for v in self._inline])
        self._nospace = [v.key.replace(" ", "") for v in variants]

    @classmethod
    def from_csv(cls, *paths: Path, register: Path | None = DEFAULT_REGISTER) -> Gazetteer:
        """Chart CSVs (canonical,variant) and, unless `register` is None, the national register with the
        names written relative to a ministry (relative_units.csv beside it)."""
        rows: list[tuple[str, str]] = []
        if register is not None:
            paths = (*paths, register.parent / "relative_units.csv")
        for path in paths:
            try:
                with open(path, encoding="utf-8-sig", newline="") as fh:
                    reader = csv.DictReader(fh)
                    if not reader.fieldnames or not {"canonical", "variant"} <= set(reader.fieldnames):
                        raise GazetteerError(path, "missing the columns canonical,variant")
                    records = list(reader)
                    _check_csv(path, records)  # type: ignore[arg-type]
                    rows += [(clean(r["canonical"]), clean(r["variant"])) for r in records if r["canonical"]]
            except OSError as e:
                raise GazetteerError(path, f"cannot read the gazetteer: {e.strerror}") from e
        entries: tuple[Entry, ...] = ()
        if register is not None:
            try:
                entries = load_register(register)
            except (OSError, KeyError) as e:
                raise GazetteerError(register, f"cannot read the unit register ({e}); run `make register`") from e
        return cls(rows, entries)

    def issuer_of(self, issuing_body: str, parent_body: str, province: str = "") -> Issuer | None:
        """The document's issuer as a register entry: the issuing body when it names one, the parent body
        ('Ủy ban nhân dân tỉnh …') only when no issuing body was read; an issuer without a name (nothing is
        qualified) when unsure but the province is known; None when neither is."""
        body = issuing_body.strip().splitlines()[0] if issuing_body.strip() else ""
        text = body or (parent_body.strip().splitlines()[0] if parent_body.strip() else "")
        units = self.split_cell(text, 88) if text else []
        e = self.by_id.get(units[0].unit_id) if units and units[0].known else None
        if e is None and text and not body and strip_diacritics(unit_key(text)).startswith("uy ban nhan"):
            e = self.by_id.get("ubnd")  # the parent read as far as 'Ủy ban nhân …'
        if e is None or e.type not in _ISSUER_TYPES:
            return Issuer("", "", province=province) if province else None
        return Issuer(e.name, head_of(unit_key(e.name)), e.id, e.level, e.name == self.owner, province)

    def resolve(self, units: list[UnitMatch], issuer: Issuer | None) -> list[UnitMatch]:
        """Names relative to the issuer take its name ('Văn phòng Sở' → 'Văn phòng Sở Công Thương'); the
        People's Committee of a named commune or district of the document's province gets that place's id."""
        out = [qualify(u, issuer, self.by_id) for u in units]
        if issuer is not None and issuer.province:
            out = [self._place_unit(u, issuer.province) for u in out]
        return dedupe_units(out)

    def _place_unit(self, u: UnitMatch, province: str) -> UnitMatch:
        m = _PLACE_UBND.match(u.unit)
        if u.unit_id or m is None:
            return u
        e = self._places.get((_province_key(province), unit_key(m.group("place"))))
        return replace(u, unit_id=e.id, level=e.level, known=True) if e is not None else u

    def prose_variants(self) -> list[_Variant]:
        return [v for v in self._variants if v.prose_ok]

    def known(self, canonical: str, raw: str, score: float) -> UnitMatch:
        uid, level = self.info.get(canonical, ("", ""))
        return UnitMatch(canonical, raw, score, True, uid, level)

    def match_one(self, piece: str, threshold: float) -> UnitMatch:
        """One unit's name → its register entry; fuzzy only within one head noun and one name
        ('Sở Ngoại vụ' is never 'Sở Nội vụ', 'Bộ Nội vụ' never 'Sở Nội vụ'); else the name as written."""
        raw = clean(piece).strip(" .;:,-")
        expanded = expand_abbreviations(raw)
        k, ek = unit_key(raw), unit_key(expanded)
        if not k:
            return UnitMatch("", raw, 0.0, False)
        for probe in (k, ek, strip_diacritics(k), strip_diacritics(ek)):
            if probe in self._by_key:
                return self.known(self._by_key[probe].canonical, raw, 100.0)
        head = head_of(ek)  # '' for a garbled head ('Vian phong'): then the whole name must be close
        best: tuple[float, _Variant] | None = None
        for keys, probe in ((self._keys, ek), (self._ascii, strip_diacritics(ek)),
                            (self._nospace, ek.replace(" ", ""))):
            need = threshold if keys is not self._nospace else max(threshold, 90)
            for _, score, i in process.extract(probe, keys, scorer=fuzz.ratio, limit=5, score_cutoff=need):
                v = self._variants[i]
                if _same_kind(ek, head, v) and (best is None or score > best[0]):
                    best = (float(score), v)
            if best:
                return self.known(best[1].canonical, raw, round(best[0], 1))
        words = raw.split()
        if not head and len(words) > 2 and not words[-1].isalpha():  # an OCR'd tail of symbols: 'S¢&'
            shorter = self.match_one(" ".join(words[:-1]), threshold)
            if shorter.known:
                return replace(shorter, raw=raw)
        hit = process.extractOne(k, self._keys, scorer=fuzz.ratio)
        name = expanded[:1].upper() + expanded[1:]
        return UnitMatch(name, raw, round(float(hit[1]), 1) if hit else 0.0, False)

    def find_exact(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, canonical) occurrences of any variant in raw `text`, longest first."""
        norm, idx = norm_with_map(text)
        ascii_norm = strip_diacritics(norm)
        taken = [False] * len(norm)
        found: list[tuple[int, int, str]] = []
        for pat, hay, table in ((self._pattern, norm, self._inline_key),
                                (self._ascii_pattern, ascii_norm, self._inline_ascii)):
            if pat is None:
                continue
            for m in pat.finditer(hay):
                if any(taken[m.start():m.end()]):
                    continue
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                found.append((idx[m.start()], idx[m.end() - 1] + 1, table[m.group(0)].canonical))
        return sorted(found)

    def covers(self, text: str) -> bool:
        """The text is only unit names (a unit heading, a group row naming a ministry)."""
        return self._covers(text)

    def _covers(self, text: str) -> bool:
        """True when unit names cover the whole text (a unit heading, a fully known cell): known names and
        mentions shaped like units ('Các Sở, ban, ngành khác'), after a leading 'Đề nghị' / 'Giao'."""
        text = _REQUEST.sub("", text)
        letters = len(re.sub(r"[\W_]", "", text))
        covered = [False] * len(text)
        for s, e in [(s, e) for s, e, _ in self.find_exact(text)] + shaped_spans(text):
            covered[s:e] = [True] * (e - s)
        known = sum(1 for c, hit in zip(text, covered, strict=True) if hit and (c.isalnum()))
        return letters > 0 and known >= 0.85 * letters

    def split_cell(self, cell: str, threshold: float) -> list[UnitMatch]:
        """'Văn phòng Sở, Các phòng chuyên môn, ĐVTT Sở' → three units. A list splits only where a new
        name begins (a head noun, 'các …'); names with 'và', commas or dashes inside stay whole."""
        # lines are kept: a cell may hold one unit a line ('Sở A\nSở B'), the splitter decides
        text = "\n".join(ln for ln in (clean(ln) for ln in cell.splitlines()) if ln).strip(" .;:")
        text = _REQUEST.sub("", text)
        if not text:
            return []
        m = _PREFIX_LIST.match(text)
        if m and re.search(r"[;,]", m.group("items")):
            text = "; ".join(p if self._covers(p) else "Phòng " + p for p in _split_protected(self, m.group("items")))
        text = _ROLE_WORDS.sub(";", text)
        pieces = [p for g in line_groups(text, self) for p in self.segments(g)]
        out = [u for u in (self._piece(p, threshold) for p in pieces) if u is not None and u.unit]
        if any(u.known or starts_unit(u.raw) for u in out):  # words of a sentence beside named units
            out = [u for u in out if u.known or starts_unit(u.raw) or named_in_lower_case(u.raw)]
        return dedupe_units(_complete_under(out))

    def segments(self, text: str) -> list[str]:
        """The names of a list, cut at separators that a new name follows, never inside a known name."""
        spans = self.find_exact(text)
        inside = [False] * (len(text) + 1)
        starts = {s for s, _, _ in spans}
        for s, e, _ in spans:
            inside[s:e] = [True] * (e - s)
        pieces, start = [], 0
        for m in _SEP.finditer(text):
            if any(inside[m.start():m.end()]) or m.start() == 0:
                continue
            prev, rest = text[start:m.start()], text[m.end():]
            strong = ";" in m.group(0) or ("\n" in m.group(0) and rest[:1] in "-+•")
            collective = _bare_pair(prev, rest) and unit_key(prev) not in self._by_key  # 'Viện, Trường'
            opens = starts_unit(rest) or m.end() in starts or lower_name_after(prev, rest)
            if strong or (opens and not collective):
                pieces.append(prev)
                start = m.end()
        pieces.append(text[start:])
        return [p for p in (_LEADING.sub("", p.strip(" .;:,-()")) for p in pieces) if p]

    def _piece(self, piece: str, threshold: float) -> UnitMatch | None:
        piece = clean(piece)
        if len(re.sub(r"\W", "", piece)) < 2 or unit_key(piece) in _NOISE:
            return None
        spans = self.find_exact(piece)
        letters = len(re.sub(r"[\W_]", "", piece))
        if len(spans) == 1:
            s, e, canonical = spans[0]
            if len(re.sub(r"[\W_]", "", piece[s:e])) >= 0.85 * letters:
                extra = piece[:s] + " " + piece[e:]
                if re.search(r"\d|\b[IVXLC]+\b", extra):  # 'khu vực XII': a numbered one of its kind
                    known = self.known(canonical, piece, 100.0)
                    return replace(known, unit=expand_abbreviations(piece.strip()))
                return self.known(canonical, piece, 100.0)
        if spans and spans[0][0] == 0 and _is_predicate(piece[spans[0][1]:]):
            return self.known(spans[0][2], piece[:spans[0][1]], 100.0)  # 'Sở KH&CN thúc đẩy, theo dõi'
        return self.match_one(piece, threshold)


_OPEN_END = re.compile(r"(?:[,&/(\-–—]|(?<!\w)(?:và|của|thuộc|trực thuộc|cấp|các|với|cùng))$", re.I)


def line_groups(text: str, gaz: Gazetteer | None = None) -> list[str]:
    """A cell's lines → the runs of lines that each name one unit. A line opening a new name (a capitalised
    head noun, an abbreviation, a bullet) ends the run before, even where a longer name would read across it
    ('Kho bạc Nhà nước' / 'Tỉnh đoàn' is not 'Kho bạc Nhà nước tỉnh'; 'Sở Công Thương' / 'Sở Xây dựng' is
    two), but only when that run is a name of its own: a name wrapped over lines ('Lãnh đạo' / 'Sở Y tế',
    'Sở Nông nghiệp và' / 'Môi trường', 'UBND' / 'các xã, phường') stays one. Lines of a run join with a
    space; a bulleted line keeps its break, which the segmenter reads as a strong separator. With the
    gazetteer, a line opening with a known name opens a unit, and a known name is a whole run though it
    reads as a bare head ('Quốc hội')."""
    groups: list[str] = []
    for ln in (x.strip() for x in text.split("\n")):
        if not ln:
            continue
        bullet = ln[:1] in "-+•"
        opens = bullet or (starts_unit(ln) and not ln[:1].islower() and _marked_head(ln)) \
            or (gaz is not None and any(s == 0 for s, _, _ in gaz.find_exact(ln)))  # 'Thống kê tỉnh'
        whole = gaz is not None and bool(groups) and unit_key(groups[-1]) in gaz._by_key  # 'Quốc hội'
        if groups and not (opens and (_complete(groups[-1]) or whole)):
            groups[-1] += ("\n" if bullet else " ") + ln
        else:
            groups.append(ln)
    return groups


def _marked_head(line: str) -> bool:
    """The line opens with a head noun as spelt, marks and all, or an abbreviation: a wrapped name's next
    word that only looks like one without its marks ('Viên' of 'Lâm Viên', not 'Viện'; 'Bảo', not 'Báo')
    is no new name."""
    first = line.lstrip(" -+•").split(maxsplit=1)[0] if line.strip(" -+•") else ""
    if first.replace("&", "").isupper() and len(first) >= 2:
        return True
    low = line.lstrip(" -+•").lower()
    return any(low.startswith(h) and not low[len(h):len(h) + 1].isalnum() for h in head_nouns())


def _complete(run: str) -> bool:
    """A run of lines that can end a unit's name: more than a bare head ('Lãnh đạo', 'Văn phòng' want the
    line after), not ending on a word or mark that goes on ('và', ',')."""
    last = run.rsplit("\n", 1)[-1].strip()
    return not is_bare_head(last) and not _OPEN_END.search(last.rstrip(" .;:"))


def _province_key(name: str) -> str:
    return unit_key(re.sub(r"^(?:thành phố|tỉnh|tp\.?)\s+", "", name.strip(), flags=re.I))


def _complete_under(units: list[UnitMatch]) -> list[UnitMatch]:
    """'Ủy ban MTTQ tỉnh và các tổ chức … trực thuộc': the dangling 'trực thuộc' names the unit before it."""
    out: list[UnitMatch] = []
    for u in units:
        if out and not u.known and re.search(r"(?<!\w)thuộc$", u.unit):
            u = replace(u, unit=f"{u.unit} {out[-1].unit}")
        out.append(u)
    return out


def _bare_pair(prev: str, rest: str) -> bool:
    """'Viện, Trường': two bare head nouns read as one collective; 'Doanh nghiệp, Sở, ban, ngành …' is two."""
    nxt = re.split(r"\s*[,;]\s*", rest, maxsplit=1)[0]
    after = rest[len(nxt):].lstrip(" ,;")
    return is_bare_head(prev) and is_bare_head(nxt) and not after[:1].islower()


def _alternation(keys: list[str]) -> re.Pattern[str] | None:
    if not keys:
        return None
    alts = "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)")


_QUALIFIERS = re.compile(r"^(?:tỉnh|thành phố|cấp|các|thuộc|trực thuộc|có liên quan|liên quan|khu vực|huyện|xã|"
                         r"phường|thị xã|quận|trung ương|và|,)(?!\w)", re.I)


def _is_predicate(rest: str) -> bool:
    """The text after a unit's name reads as what it does ('thúc đẩy, theo dõi'), not more of the name."""
    rest = rest.strip()
    return bool(rest) and rest[:1].islower() and not _QUALIFIERS.match(rest)


def _same_kind(probe: str, head: str, v: _Variant) -> bool:
    if not head:
        return _garbled_head(probe, v.head)
    return v.head == head and _same_name(probe, v.key, head)


def _garbled_head(probe: str, head: str) -> bool:
    """A name whose head noun the OCR broke ('Vian phong Sở') may match a headed name only where its first
    letters still read as that head; a name with no head at all never becomes one ('Lao động – …' ≠ 'Sở …')."""
    return not head or fuzz.ratio(strip_diacritics(probe)[:len(head) + 1], head) >= 70


def _same_name(probe: str, key: str, head: str) -> bool:
    """The words after the head noun agree closely (OCR noise), not merely look alike."""
    a = strip_diacritics(probe)[len(head):].strip()
    b = strip_diacritics(key)[len(head):].strip()
    if not a or not b:
        return not a and not b
    return fuzz.ratio(a, b) >= 90 or (len(a) >= 6 and Levenshtein.distance(a, b) <= 1)  # 'Sây dựng'


def _check_csv(path: Path, rows: list[dict[str, str | None]]) -> None:
    """A variant with an unquoted comma spills into a column of its own: say so instead of reading half."""
    for i, r in enumerate(rows, start=2):
        if None in r:
            raise GazetteerError(path, f"line {i} has more columns than the header (quote names with commas)")


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
