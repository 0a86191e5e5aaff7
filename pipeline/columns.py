"""Cells of a ruled table that an OCR read line by line with its columns interleaved.

Each OCR line holds a slice of every column in reading order: Nội dung, then the unit columns and Mục
tiêu/giải pháp. Unit names are pulled out with the gazetteer's vocabulary (a name may be broken over
several lines: 'Các phòng chuyên' / 'môn, đơn vị trực' / 'thuộc Sở'), and each line is cut between the
content and the goal column where both columns then read most like Vietnamese under the language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from normalizers.restore import Restorer
from normalizers.text import strip_diacritics
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
    return word[:1].isupper() and not word.isupper()


class UnitVocabulary:
    """The words of the gazetteer's multi-word names, matched with one OCR slip allowed."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.names: list[list[str]] = []
        self.abbrevs: set[str] = set()
        for v in gaz.variants:
            keys = [token_key(w) for w in v.key.split()]
            keys = [k for k in keys if k]
            if len(keys) >= 2:
                self.names.append(keys)
            elif v.abbrev and len(v.key) >= 3:
                self.abbrevs.add(keys[0] if keys else "")
        self.words = {k for name in self.names for k in name}
        self.heads = {name[0] for name in self.names}
        self._cache: dict[str, str | None] = {}

    def word(self, token: str) -> str | None:
        k = token_key(token)
        if k not in self._cache:
            self._cache[k] = self._nearest(k)
        return self._cache[k]

    def _nearest(self, k: str) -> str | None:
        if k in self.words or len(k) < 3:
            return k if k in self.words else None
        near = [w for w in self.words if abs(len(w) - len(k)) <= 1 and Levenshtein.distance(w, k, score_cutoff=1) <= 1]
        return min(near, key=lambda w: (abs(len(w) - len(k)), w)) if near else None

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
        return self.words[-1].endswith(_OPEN_END) or self.keys[-1] in {"va", "phong", "cac", "don", "vi", "truc"}


def find_unit_chains(lines: list[list[str]], vocab: UnitVocabulary) -> list[Chain]:
    """Unit names in a row's tokenised lines. A name starts at a capitalised head word ('Các', 'Văn', 'Phòng')
    not governed by a preceding 'của', 'các'…; a lower-case run on the next lines continues a name left open."""
    chains: list[Chain] = []
    for li, toks in enumerate(lines):
        pending = [c for c in chains if li - c.last_line <= 2 and c.is_open()]
        for start, end in _vocab_runs(toks, vocab):
            keys = [vocab.word(t) or "" for t in toks[start:end]]
            before = token_key(toks[start - 1]) if start else ""
            head = is_title(toks[start]) and keys[0] in vocab.heads and before not in _LINKERS
            if head and (end - start >= 2 or keys[0] in vocab.abbrevs):
                chains.append(Chain(keys, toks[start:end], [(li, start, end)], li))
            elif pending and not head and not is_title(toks[start]):
                c = pending.pop(0)
                c.keys += keys
                c.words += toks[start:end]
                c.spans.append((li, start, end))
                c.last_line = li
    return [c for c in chains if vocab.names_in(c.keys) >= 2 or c.keys[0] in vocab.abbrevs]


def _vocab_runs(toks: list[str], vocab: UnitVocabulary) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, t in enumerate([*toks, "|"]):
        inside = is_word(t) and (vocab.word(t) is not None or token_key(t) in vocab.abbrevs)
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


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
    """Cuts each line of a row between the content column (left) and the goal column (right)."""

    def __init__(self, lm: Restorer) -> None:
        self.lm = lm

    def ids(self, tokens: list[str]) -> list[int]:
        out = []
        for t in tokens:
            w = re.sub(r"^\W+|\W+$", "", t).lower()
            out.append(2 if w.isdigit() else self.lm.index.get(w, 1))
        return out

    def split(self, lines: list[list[str]], must_content: int | None, forced: list[int | None]) -> list[int]:
        """The cut of each line: tokens before it are content, the rest goal. `must_content` is the line
        carrying the row number, which holds content; `forced` gives a cut a unit name in between fixed."""
        ids = [self.ids(t) for t in lines]
        beam = [_State(0.0, 0, (0, 0), (0, 0), False, False, ())]
        for li, toks in enumerate(lines):
            if not toks:
                beam = [_State(s.score, s.phase, s.c, s.g, s.goal_started, s.goal_closed, (*s.cuts, 0)) for s in beam]
                continue
            cuts = [forced[li]] if forced[li] is not None else range(len(toks) + 1)
            nxt: dict[tuple[int, tuple[int, int], tuple[int, int], bool], _State] = {}
            for s in beam:
                for cut in cuts:
                    st = self._step(s, toks, ids[li], cut, li == must_content)
                    if st is None:
                        continue
                    k = (st.phase, st.c, st.g, st.goal_started)
                    if k not in nxt or nxt[k].score < st.score:
                        nxt[k] = st
            beam = sorted(nxt.values(), key=lambda x: -x.score)[:_BEAM] or beam
        best = max(beam, key=lambda s: s.score + self._end(s))
        return list(best.cuts)

    def _end(self, s: _State) -> float:
        return (self.lm._lp(*s.c, 0) if s.phase else 0.0) + (self.lm._lp(*s.g, 0) if s.goal_started else 0.0)

    def _step(self, s: _State, toks: list[str], ids: list[int], cut: int, numbered: bool) -> _State | None:
        if cut > 0:
            if s.phase == 2:
                return None
            phase = 1
        else:
            if numbered:
                return None
            phase = 2 if s.phase == 1 else s.phase
        score = s.score
        c, g = s.c, s.g
        if cut > 0:
            score_c, c = self._part(ids[:cut], c)
            score += score_c
            if s.phase == 1 and is_title(toks[0]):
                score -= 1.0  # a cell's later lines seldom open with a capital
        started, closed = s.goal_started, s.goal_closed
        if cut < len(toks):
            score_g, g = self._part(ids[cut:], g)
            score += score_g
            if is_title(toks[cut]):
                score += 2.5 if not started or closed else -1.0
            started = True
            closed = toks[-1].endswith((".", ";"))
        return _State(score, phase, c, g, started, closed, (*s.cuts, cut))

    def _part(self, ids: list[int], ctx: tuple[int, int]) -> tuple[float, tuple[int, int]]:
        a, b = ctx
        total = 0.0
        for w in ids:
            total += self.lm._lp(a, b, w)
            a, b = b, w
        return total, (a, b)
