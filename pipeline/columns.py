"""Cells of a ruled table that an OCR read line by line with its columns interleaved.

Each OCR line holds a slice of every column in reading order: Nội dung, then the unit columns and Mục
tiêu/giải pháp. Unit names are pulled out with the gazetteer's vocabulary (a name may be broken over
several lines: 'Các phòng chuyên' / 'môn, đơn vị trực' / 'thuộc Sở'), and each line is cut between the
content and the goal column where both columns then read most like Vietnamese under the language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from normalizers.restore import Restorer
from normalizers.text import bare, strip_diacritics
from normalizers.units import Gazetteer

_OCR_LETTERS = str.maketrans({"¢": "o", "&": "o", "©": "o", "8": "s", "1": "l", "0": "o"})
_LINKERS = {"cua", "cac", "va", "voi", "cho", "tai", "ve", "den", "tu", "giua", "nhung"}
_OPEN_END = (",", ";", ":", "–", "-", "—")
_BEAM = 24


def token_key(token: str) -> str:
    """ASCII lower-case letters of a token, with the symbols an English OCR puts for Vietnamese letters."""
    return re.sub(r"[^a-z0-9]", "", strip_diacritics(token).lower().translate(_OCR_LETTERS))


def is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def is_title(token: str) -> bool:
    word = token.lstrip("\"'‘“(")
    return word[:1].isupper() and not any(c.isupper() for c in word[1:])


class UnitVocabulary:
    """The words of the gazetteer's multi-word names, matched with one OCR slip allowed."""

    def __init__(self, gaz: Gazetteer, syllables: set[str]) -> None:
        self.syllables = syllables  # a real word is matched exactly; only OCR-broken ones get the slip
        self.names: list[list[str]] = []
        self.abbrevs: set[str] = set()
        for v in gaz.variants:
            keys = [token_key(w) for w in v.key.split()]
            keys = [k for k in keys if k]
            if len(keys) >= 2:
                self.names.append(keys)
            elif v.abbrev and len(v.key) >= 3 and keys:
                self.abbrevs.add(keys[0])
        self.words = {k for name in self.names for k in name}
        self.pairs = {(a, b) for name in self.names for a, b in zip(name, name[1:], strict=False)}
        self.ends = {name[-1] for name in self.names}
        self.heads = {name[0] for name in self.names}
        self._cache: dict[str, str | None] = {}

    def word(self, token: str) -> str | None:
        k = token_key(token)
        if bare(token) in self.syllables:
            return k if k in self.words else None
        if k not in self._cache:
            self._cache[k] = self._nearest(k)
        return self._cache[k]

    def _nearest(self, k: str) -> str | None:
        if k in self.words or len(k) < 3:
            return k if k in self.words else None
        near = [w for w in self.words if abs(len(w) - len(k)) <= 1 and Levenshtein.distance(w, k, score_cutoff=1) <= 1]
        return min(near, key=lambda w: (abs(len(w) - len(k)), w)) if near else None

    def looks_like_units(self, words: list[str]) -> bool:
        """A paragraph of unit names too garbled to join up word by word: it opens with a name's first
        word and most of its words are unit words."""
        words = [w for w in words if is_word(w)]
        known = sum(1 for w in words if self.word(w) is not None)
        return bool(words) and is_title(words[0]) and self.word(words[0]) in self.heads and known >= 0.7 * len(words)

    def fits(self, a: str, b: str) -> bool:
        """Word b may follow word a inside one name, or a ends a name and b starts the next."""
        return (a, b) in self.pairs or (a in self.ends and b in self.heads)

    def names_in(self, keys: list[str]) -> int:
        """How many tokens of `keys` lie inside a whole gazetteer name."""
        covered = [False] * len(keys)
        for name in self.names:
            n = len(name)
            for i in range(len(keys) - n + 1):
                if keys[i:i + n] == name:
                    covered[i:i + n] = [True] * n
        return sum(covered)


@dataclass
class Chain:
    """A unit name, or a list of them, spread over consecutive lines of one cell."""

    keys: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (line, start, end) token ranges
    last_line: int = 0

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def is_open(self) -> bool:
        return self.words[-1].endswith(_OPEN_END) or self.keys[-1] in {"va", "cac", "don", "vi", "truc", "chuyen"} \
            or self.keys[-2:] == ["cac", "phong"]


def find_unit_chains(lines: list[list[str]], vocab: UnitVocabulary) -> list[Chain]:
    """Unit names in a row's tokenised lines. A name starts at a capitalised head word ('Các', 'Văn', 'Phòng')
    not governed by a preceding 'của', 'các'…; a lower-case run on the next lines continues a name left open."""
    chains: list[Chain] = []
    for li, toks in enumerate(lines):
        pending = [c for c in chains if li - c.last_line <= 6 and c.is_open()]
        for start, end in _vocab_runs(toks, vocab):
            keys = [vocab.word(t) or "" for t in toks[start:end]]
            before = token_key(toks[start - 1]) if start else ""
            head = is_title(toks[start]) and keys[0] in vocab.heads and before not in _LINKERS
            if head and (end - start >= 2 or keys[0] in vocab.abbrevs):
                end = start + _fitting(keys, vocab)
                chains.append(Chain(keys[:end - start], toks[start:end], [(li, start, end)], li))
            elif pending and not head and not is_title(toks[start]):
                _continue_chains(pending, li, toks, start, keys, vocab)
    return [c for c in chains if vocab.names_in(c.keys) >= 2 or c.keys[0] in vocab.abbrevs]


def _continue_chains(pending: list[Chain], li: int, toks: list[str], start: int, keys: list[str],
                     vocab: UnitVocabulary) -> None:
    """A lower-case run carries on the names left open, in order: 'vị trực thuộc Sở thuộc Sở' ends
    'Các phòng chuyên môn, đơn' and then 'Các phòng chuyên môn, đơn vị trực'."""
    pos, took = 0, False
    while pending and pos < len(keys):
        c = next((c for c in pending if vocab.fits(c.keys[-1], keys[pos])), None)
        n = _fitting(keys[pos:], vocab) if c is not None else 0
        if c is None or (n < 2 and keys[pos] != "so"):
            if took:
                break
            pos += 1  # words of another column before the name goes on
            continue
        pending.remove(c)
        c.keys += keys[pos:pos + n]
        c.words += toks[start + pos:start + pos + n]
        c.spans.append((li, start + pos, start + pos + n))
        c.last_line = li
        pos += n
        took = True


def _fitting(keys: list[str], vocab: UnitVocabulary) -> int:
    """How many of `keys` read on as one name or a list of names."""
    n = 1
    while n < len(keys) and vocab.fits(keys[n - 1], keys[n]):
        n += 1
    return n


def _vocab_runs(toks: list[str], vocab: UnitVocabulary) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, t in enumerate([*toks, "|"]):
        inside = is_word(t) and (vocab.word(t) is not None or token_key(t) in vocab.abbrevs)
        if inside and start is not None and is_title(t) and vocab.word(t) not in vocab.heads:
            runs.append((start, i))  # a capital that starts no name ends the one before
            start = None
            continue
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


@dataclass
class CellLine:
    """One line of a row, its unit names taken out."""

    words: list[str]
    numbered: bool = False  # the line carrying the row number, which normally holds content
    forced: int | None = None  # a cut a lead unit name in between fixes
    seams: frozenset[int] = frozenset()  # cuts where the OCR saw a ruling line ('|')


@dataclass
class _State:
    score: float
    phase: int  # 0 before the content cell, 1 inside it, 2 after it
    c: tuple[int, int]  # the content column's last two word ids
    g: tuple[int, int]
    goal_started: bool
    goal_closed: bool  # the goal text so far ends a sentence
    cuts: tuple[int, ...]


class StreamSplitter:
    """Cuts each line of a row between the content column (left) and the goal column (right): the cut
    that makes both columns most likely under the language model, with a capital opening each cell."""

    def __init__(self, lm: Restorer, width: int | None = None) -> None:
        self.lm = lm
        self.width = width  # the content column's width in characters, when the document shows it

    def split(self, lines: list[CellLine]) -> list[int]:
        """The cut of each line: words before it are content, the rest goal."""
        beam = [_State(0.0, 0, (0, 0), (0, 0), False, False, ())]
        for line in lines:
            if not line.words:
                beam = [replace(s, cuts=(*s.cuts, 0)) for s in beam]
                continue
            ids = self.lm.word_ids(line.words)
            cuts = [line.forced] if line.forced is not None else range(len(line.words) + 1)
            nxt: dict[tuple[int, tuple[int, int], tuple[int, int], bool], _State] = {}
            for s in beam:
                for cut in cuts:
                    st = self._step(s, line, ids, cut)
                    k = (st.phase, st.c, st.g, st.goal_started)
                    if k not in nxt or nxt[k].score < st.score:
                        nxt[k] = st
            beam = sorted(nxt.values(), key=lambda x: -x.score)[:_BEAM] or beam
        best = max(beam, key=lambda s: s.score + self._end(s) - (10.0 if s.phase == 0 else 0.0))
        return list(best.cuts)

    def _end(self, s: _State) -> float:
        return (self.lm.logprob(*s.c, 0) if s.phase else 0.0) + (self.lm.logprob(*s.g, 0) if s.goal_started else 0.0)

    def _step(self, s: _State, line: CellLine, ids: list[int], cut: int) -> _State:
        toks = line.words
        phase = 1 if cut > 0 else 2 if s.phase == 1 else s.phase
        score = s.score - (30.0 if cut > 0 and s.phase == 2 else 0.0)  # a cell's lines are consecutive
        score += (2.0 if cut in line.seams else 0.0) - (2.0 if line.numbered and cut == 0 else 0.0)
        c, g = s.c, s.g
        if cut > 0:
            score_c, c = self._part(ids[:cut], c)
            score += score_c - self._overflow(toks[:cut])
            if s.phase == 1 and is_title(toks[0]):
                score -= 3.0  # a cell's later lines seldom open with a capital
        started, closed = s.goal_started, s.goal_closed
        if cut < len(toks):
            score_g, g = self._part(ids[cut:], g)
            score += score_g
            if is_title(toks[cut]):
                score += 4.0 if not started or closed else -2.0
            started = True
            closed = toks[-1].endswith((".", ";"))
        return _State(score, phase, c, g, started, closed, (*s.cuts, cut))

    def _overflow(self, words: list[str]) -> float:
        if self.width is None:
            return 0.0
        extra = len(" ".join(words)) - self.width - 3
        return 0.6 * extra if extra > 0 else 0.0

    def _part(self, ids: list[int], ctx: tuple[int, int]) -> tuple[float, tuple[int, int]]:
        a, b = ctx
        total = 0.0
        for w in ids:
            total += self.lm.logprob(a, b, w)
            a, b = b, w
        return total, (a, b)
