"""Unit names read by OCR, respelt from the names the same document or the register spells.

Tesseract misreads letters inside a unit's name ('Sở Công Thươn', 'SởYtế', 'UBNDxã Hòa Ninh') and puts
stray symbols between its words ('Sở 3» Nông … Môi trường'); such a name no longer matches its register
entry nor the same name read cleanly elsewhere in the document (its prose, the content of another row).
An OCR'd name close to one known name, and clearly closer to it than to any other, takes that spelling. The
comparison is on the letters without marks and spaces, the part after the shared head noun weighed on its
own with a stricter bar for short names ('Sở Nội vụ' never becomes 'Sở Ngoại vụ', 'xã Hòa Ninh' never
'xã Hòa Bình'); a person's title before the name ('Lãnh đạo') is kept. Only for OCR'd text: a text layer or a
Word file spells its names as their authors did."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from normalizers.register import UnitMatch, expand_abbreviations, head_nouns, head_of, starts_unit
from normalizers.shapes import shaped_spans
from normalizers.text import clean, strip_diacritics
from normalizers.units import Gazetteer, line_groups, unit_key

# a token with a symbol no unit's name holds ('3»', '2_', '"I1', '*'): a speck or a stroke Tesseract read
_JUNK = re.compile(r"[^\w\s,.&/()\-–—]|_")
_GLUED = re.compile(r"(?<!\w)([A-ZĐ]{2,})(?=[a-zđà-ỹ]{2,}(?!\w))")  # 'UBNDxã' → 'UBND xã'
_PLACE_KIND = re.compile(r"^(?:xa|phuong|thi tran|thi xa|thanh pho|huyen|quan|dac khu|tinh)\s+")
_COLLECTIVE = re.compile(r"^(?:các|những)\s", re.I)
_MIN_SHORT, _MIN_LONG, _SHORT = 90.0, 85.0, 12  # the bar for the name after the head: short names stricter
_MARGIN = 5.0  # the best name ahead of the next other one by this much, or it is a guess
_TITLE_MIN = 80.0


@dataclass(frozen=True)
class _Name:
    text: str  # as the document or the register spells it
    skeleton: str  # letters without marks, no spaces or punctuation
    head: str  # the skeleton of its head noun (and place kind): 'so', 'uybannhandanxa'
    canonical: str  # its register name, '' for a name only the document spells


def skeleton(text: str) -> str:
    return re.sub(r"[\W_]", "", strip_diacritics(unit_key(expand_abbreviations(text))))


def _head_skeleton(text: str) -> str:
    k = strip_diacritics(unit_key(expand_abbreviations(text)))
    head = head_of(k)
    rest = k[len(head):].strip()
    kind = _PLACE_KIND.match(rest)
    return re.sub(r"[\W_]", "", head + (kind.group(0) if kind else ""))


def without_junk(text: str) -> str:
    """The words of an OCR'd name without the tokens no name holds; a glued abbreviation parted."""
    words = [w for w in _GLUED.sub(r"\1 ", text).split() if not _JUNK.search(w)]
    return " ".join(words).strip(" ,.-")


class Speller:
    """The names one OCR'd document spells (register names it mentions, names shaped like units, the units of
    its other cells met more than once), then the register's; `respell` gives an OCR'd unit their spelling."""

    def __init__(self, gaz: Gazetteer, texts: Iterable[str] = (), cells: Iterable[str] = ()) -> None:
        self.gaz = gaz
        seen: Counter[str] = Counter()
        for text in texts:
            t = clean(text)
            seen.update(c for _, _, c in gaz.find_exact(t))
            seen.update(expand_abbreviations(t[s:e]) for s, e in shaped_spans(t))
        units: Counter[str] = Counter(u.unit for cell in cells for u in gaz.split_cell(cell, 85))
        seen.update({u: n for u, n in units.items() if n >= 2})
        # collective mentions ('Các sở, ban, ngành …') are no names to respell to: their wording varies
        names = Counter({n: c for n, c in seen.items() if len(n.split()) >= 2 and not _COLLECTIVE.match(n)})
        self.doc = self._pool(names)
        register = {v.canonical for v in gaz._variants if " " in v.key} - set(names)
        self.register = self._pool(Counter(register))

    def _pool(self, names: Counter[str]) -> list[_Name]:
        """One spelling a skeleton: the one met most often, a spelling in capitals (a heading) last."""
        best: dict[str, str] = {}
        for n in sorted(names, key=lambda n: (n.isupper(), -names[n], n)):
            sk = skeleton(n)
            if len(sk) >= 4:
                best.setdefault(sk, n)
        return [_Name(n, sk, _head_skeleton(n), n if n in self.gaz.info else "") for sk, n in best.items()]

    def cell(self, cell: str, split: Callable[[str], list[UnitMatch]]) -> list[UnitMatch]:
        """A lead or coordinating cell's units: each run of lines that reads as one garbled name respelt
        whole (its stray comma split it in two), else each unit the splitter gave respelt on its own."""
        out: list[UnitMatch] = []
        for group in line_groups(_misread_separators(cell), self.gaz):
            units = split(group)
            garbled = len(units) > 1 and not all(u.known for u in units) and not self.gaz.covers(group)
            whole = self._spelt(UnitMatch(expand_abbreviations(group), group, 0.0, False)) if garbled else None
            out += [whole] if whole is not None else [self.respell(u) for u in units]
        return out

    def respell(self, u: UnitMatch) -> UnitMatch:
        """The unit in a known name's spelling; without its stray symbols when no name is close enough; as
        it is when known (the register matched it) or a person."""
        if u.known or u.level == "person":
            return u
        spelt = self._spelt(u)
        if spelt is not None:
            return spelt
        text = without_junk(u.unit)
        return replace(u, unit=text[:1].upper() + text[1:]) if text and text != u.unit else u

    def _spelt(self, u: UnitMatch) -> UnitMatch | None:
        words = without_junk(u.unit).split()
        for i in range(len(words)):
            if i and not words[i][:1].isupper():
                continue
            title = _title(words[:i])
            for n, tail in enumerate(_tails(words[i:])):
                hit = self._match(tail)
                if hit is not None and not (n and hit[1] == 100):  # 'xã Bảo Lâm 1' is not 'xã Bảo Lâm'
                    name, score = hit
                    if not title and name.canonical:
                        return self.gaz.known(name.canonical, u.raw, score)
                    return UnitMatch(f"{title} {name.text}".strip(), u.raw, score, False)
        return None

    def _match(self, tail: str) -> tuple[_Name, float] | None:
        probe = skeleton(tail)
        if len(probe) < 4:
            return None
        for pool in (self.doc, self.register):
            hit = _confident(probe, pool)
            if hit is not None:
                return None if _fewer_words(tail, hit[0].text) else hit
        return None


def _confident(probe: str, pool: list[_Name]) -> tuple[_Name, float] | None:
    """The one name of `pool` the probe reads as, or None when none is close enough or two are."""
    if not pool:
        return None
    found = process.extract(probe, [n.skeleton for n in pool], scorer=fuzz.ratio, limit=6, score_cutoff=70)
    # only names of the probe's head noun compete: 'Bộ Nông nghiệp …' is no rival of 'Sở Nông nghiệp …'
    ranked = sorted(((float(s), pool[i]) for _, s, i in found if probe.startswith(pool[i].head)), key=lambda x: -x[0])
    if not ranked:
        return None
    score, best = ranked[0]
    other = next((s for s, n in ranked[1:] if n.skeleton != best.skeleton), 0.0)
    if score < 100 and (score - other < _MARGIN or not _same_name(probe, best)):
        return None  # not close enough, or two names close
    return best, round(score, 1)


def _same_name(probe: str, name: _Name) -> bool:
    """The same head noun, and the words after it close: short ones within one letter."""
    if not probe.startswith(name.head) or re.findall(r"\d+", probe) != re.findall(r"\d+", name.skeleton):
        return False  # another head, or another number: 'xã Bảo Lâm 1' is not 'xã Bảo Lâm'

    a, b = probe[len(name.head):], name.skeleton[len(name.head):]
    if not a or not b:
        return False
    if len(b) < _SHORT:
        return fuzz.ratio(a, b) >= _MIN_SHORT and Levenshtein.distance(a, b) <= 1  # 'Hòa Ninh' ≠ 'Hòa Bình'
    return fuzz.ratio(a, b) >= _MIN_LONG


def _fewer_words(tail: str, name: str) -> bool:
    """The name read is a longer one's first words, whole: a name of its own ('Ban Quản lý các khu công
    nghiệp' is not 'Ban Quản lý các khu công nghiệp tỉnh'), not a misreading."""
    a, b = [skeleton(w) for w in tail.split()], [skeleton(w) for w in expand_abbreviations(name).split()]
    a, b = [w for w in a if w], [w for w in b if w]
    return len(a) < len(b) and b[:len(a)] == a


def _tails(words: list[str]) -> list[str]:
    """The name as read, and without a lone number or letter at its end ('Sở Công Thươn 6')."""
    out = [" ".join(words)]
    if len(words) > 2 and len(words[-1]) == 1:
        out.append(" ".join(words[:-1]))
    return out


def _title(words: list[str]) -> str:
    """The words before a name: '' for none, a head's title as spelt ('làn đạo' → 'Lãnh đạo'), else the words
    as read."""
    if not words:
        return ""
    text = " ".join(words)
    sk = strip_diacritics(text.lower())
    best = max(head_nouns(), key=lambda h: fuzz.ratio(sk, strip_diacritics(h)))
    if fuzz.ratio(sk, strip_diacritics(best)) >= _TITLE_MIN and len(best.split()) == len(words):
        return best[:1].upper() + best[1:]
    return text


def _misread_separators(cell: str) -> str:
    """A ';' between two names read as ':' ('Sở Công Thương: Sở Xây dựng'): a colon after a name that the
    next name follows parts them; a colon after a label ('Phòng: A, B') is no name before it."""
    def part(m: re.Match[str]) -> str:
        before = cell[:m.start()].rsplit(";", 1)[-1].strip()
        after = cell[m.end():]
        return "; " if starts_unit(before) and starts_unit(after) and len(before.split()) >= 2 else m.group(0)

    return re.sub(r"\s*:\s*(?=\S)", part, cell)
