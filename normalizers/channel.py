"""A learned OCR confusion channel: how a reader (an OCR model) writes each letter of a word.

The table counts (true letter, what was read) pairs, where a letter may be read as zero to three characters
(ư → w, ư → ir, ồ → 6, Đ → bp). From it the channel scores a reading of a word, log P(read | word), as its
best letter-by-letter alignment, and lists the words of a lexicon a reading may stand for, best first (a
search over the lexicon's letter tree, so only real words are ever proposed). Strings are compared in lower
case, NFC. The tables are built by tools/build_eng_channel.py from rendered text OCR'd and aligned.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MAX_SEG = 3  # characters one letter may be read as
UNSEEN = 1e-4  # probability mass of a reading the table never saw, per extra character below
SEARCH_FLOOR = math.log(UNSEEN) - 3.0  # letter readings rarer than this are scored, never followed in a search
FAMILY_WEIGHT = 10.0  # pseudo-counts a letter's readings borrow from its toneless family's
TONES = "\u0300\u0301\u0303\u0309\u0323"
_END = "\0"  # marks a node of the letter tree where a word ends

Node = dict[str, "Node"]


def _base(ch: str) -> str:
    nfd = unicodedata.normalize("NFD", ch)
    b = "".join(c for c in nfd if not unicodedata.combining(c))
    return "d" if b == "đ" else b


@dataclass
class Lexicon:
    """The words a reading may stand for, as a letter tree."""

    root: Node = field(default_factory=dict)

    @classmethod
    def of(cls, words: Iterable[str]) -> Lexicon:
        lex = cls()
        for w in words:
            node = lex.root
            for ch in unicodedata.normalize("NFC", w.lower()):
                node = node.setdefault(ch, {})
            node[_END] = {}
        return lex


class Channel:
    """log P(read | word) from counts of (true letter, read segment)."""

    def __init__(self, counts: dict[tuple[str, str], int]) -> None:
        # a letter's readings are smoothed towards those of its toneless family (ở with ơ ờ ớ ỡ ợ), and those
        # towards the bare letter's (every o): a rare letter shares how the reader writes its vowel and shape
        levels: list[dict[str, Counter[str]]] = [{}, {}, {}]
        for (ch, seg), n in counts.items():
            for level, key in zip(levels, (ch, _toneless(ch), _base(ch)), strict=True):
                level.setdefault(key, Counter())[seg] += n
        letters = set(levels[0]) | {unicodedata.normalize("NFC", c + t) for c in levels[1] for t in TONES}
        self.emit: dict[str, dict[str, float]] = {}
        for ch in letters:
            if len(ch) != 1:
                continue
            keys = (ch, _toneless(ch), _base(ch))
            rows = [lv.get(k, Counter()) for lv, k in zip(levels, keys, strict=True)]
            segs = set(rows[2]) | set(rows[1]) | set(rows[0])
            row = {}
            for seg in segs:
                p = rows[2][seg] / (sum(rows[2].values()) + 1)
                for r in (rows[1], rows[0]):
                    p = (r[seg] + FAMILY_WEIGHT * p) / (sum(r.values()) + FAMILY_WEIGHT)
                if p > 0:
                    row[seg] = math.log(p)
            self.emit[ch] = row
        self._memo: dict[tuple[str, str], float] = {}

    @classmethod
    def load(cls, path: Path) -> Channel:
        """A table of `true letter<TAB>read<TAB>count` lines (# comments); an empty read is a lost letter."""
        return _load(str(path))

    def emission(self, ch: str, seg: str) -> float:
        """log P(seg | ch); a pair never seen gets a small share, smaller the further it is from the letter."""
        lp = self.emit.get(ch, {}).get(seg)
        if lp is not None and lp > math.log(UNSEEN):
            return lp
        if ch not in self.emit and seg == _base(ch):  # a letter the table never saw, read as itself
            return math.log(0.9)
        distance = (seg != _base(ch)) + abs(len(seg) - 1)
        return math.log(UNSEEN) * max(1, distance)

    def logp(self, read: str, word: str) -> float:
        """log P(read | word) by the best alignment of word letters to read segments."""
        key = (read, word)
        lp = self._memo.get(key)
        if lp is None:
            lp = self._memo[key] = self._align(_norm(read), _norm(word))[0]
        return lp

    def alignment(self, read: str, word: str) -> list[tuple[str, str]]:
        """The best alignment as (true letter, read segment) pairs (for learning the table)."""
        return self._align(_norm(read), _norm(word))[1]

    def _align(self, o: str, t: str) -> tuple[float, list[tuple[str, str]]]:
        n, m = len(t), len(o)
        best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
        back = [[0] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(1, n + 1):
            ch = t[i - 1]
            for j in range(m + 1):
                for k in range(min(MAX_SEG, j) + 1):
                    prev = best[i - 1][j - k]
                    if prev == -math.inf:
                        continue
                    s = prev + self.emission(ch, o[j - k:j])
                    if s > best[i][j]:
                        best[i][j], back[i][j] = s, k
        pairs: list[tuple[str, str]] = []
        j = m
        for i in range(n, 0, -1):
            k = back[i][j]
            pairs.append((t[i - 1], o[j - k:j]))
            j -= k
        pairs.reverse()
        return best[n][m], pairs

    def readings(self, read: str, lexicon: Lexicon, k: int = 10, within: float = 14.0,
                 budget: int = 4000) -> list[tuple[str, float]]:
        """Up to k words of the lexicon `read` may stand for, with log P(read | word), best first; only
        letter readings the table has seen are followed, and none more than `within` behind the best."""
        o = _norm(read)
        heap: list[tuple[float, int, int, str, Node]] = [(0.0, 0, 0, "", lexicon.root)]
        found: list[tuple[str, float]] = []
        seen: set[tuple[int, str]] = set()
        tick = 0
        floor = SEARCH_FLOOR
        while heap and len(found) < k and budget > 0:
            cost, _, pos, prefix, node = heapq.heappop(heap)
            if found and cost > -found[0][1] + within:
                break
            if (pos, prefix) in seen:
                continue
            seen.add((pos, prefix))
            budget -= 1
            if pos == len(o) and _END in node:
                found.append((prefix, -cost))
            segs = [o[pos:pos + length] for length in range(min(MAX_SEG, len(o) - pos) + 1)]
            # the tree's branches are fewer than the letters a segment may come from: walk them
            for ch, child in node.items():
                row = self.emit.get(ch)
                if row is None:
                    row = {_base(ch): math.log(0.9)} if ch != _END else {}
                for seg in segs:
                    lp = row.get(seg)
                    if lp is not None and lp > floor:
                        tick += 1
                        heapq.heappush(heap, (cost - lp, tick, pos + len(seg), prefix + ch, child))
        return found


def _toneless(ch: str) -> str:
    """The letter without its tone mark, its shape kept (ở → ơ, ệ → ê)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in TONES))


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", s.lower())


def read_counts(path: Path) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ch, seg, n = line.split("\t")
        counts[(ch, seg)] = int(n)
    return counts


def write_counts(path: Path, counts: dict[tuple[str, str], int], header: str) -> None:
    rows = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    lines = [f"# {h}" for h in header.splitlines()] + [f"{ch}\t{seg}\t{n}" for (ch, seg), n in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def _load(path: str) -> Channel:
    return Channel(read_counts(Path(path)))
