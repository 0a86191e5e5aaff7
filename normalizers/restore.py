"""Diacritic restoration and English-model OCR repair, as a noisy-channel decoder.

Only lines that look stripped or garbled are touched (share of syllables without marks, or with marks that
make no Vietnamese syllable). Each word gets candidates from the syllable inventory by its mark-less
skeleton, after undoing typical OCR confusions (Đ→P/B/D, ư→w, ơ→¢, ă→i/4, ô→6, l→1/I, Latin-1 accents);
in a garbled line the channel learned from Tesseract's English model (normalizers/channel.py,
data/eng_channel.tsv) adds the words it reads the token as and scores every candidate, log P(read | word);
a syllable trigram model (Kneser–Ney) picks the sequence by Viterbi. Case, numbers, codes (UBND, TTHC,
39/KH-SLĐTBXH), punctuation and line breaks are kept.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from normalizers.channel import Channel, Lexicon
from normalizers.register import load_register
from normalizers.text import bare, nfc, strip_diacritics
from normalizers.vn import is_marked_syllable, is_syllable, split_onset, toneless_rhyme

MODEL = Path(__file__).resolve().parent / "data" / "restore_model.npz"
# how Tesseract's English model reads each Vietnamese letter, learned from rendered text (make eng-channel)
ENG_CHANNEL = Path(__file__).resolve().parent / "data" / "eng_channel.tsv"
CHANNEL_WEIGHT = 1.0  # of the channel's log P(read | word) beside the language model's
CHANNEL_READINGS = 8  # words the learned channel proposes for an OCR token
MAX_CANDIDATES = 10
# log-odds the model must give another reading before a plain word of a line that has its marks is changed
STRONG_EVIDENCE = -6.0
BEAM = 12.0  # log-probability behind the best path at which a Viterbi state is dropped
PLAIN_SHARE = 0.4  # more plain lower-case words than this and the text is (partly) stripped
MEMO_SIZE = 50_000  # entries a look-up memo holds before it starts afresh (a few MB)
_TOKEN = re.compile(r"[^\W_]+|[\W_]+", re.UNICODE)
_BOUNDARY = re.compile(r"[.,;:!?()\[\]\"“”…]|\s[-–—]\s")
_OCR_CHARS = str.maketrans({"¢": "o", "ð": "đ", "©": "o", "®": "o"})
_DIGIT_AS_LETTER = str.maketrans({"6": "o", "4": "a", "1": "l", "3": "a", "0": "o", "8": "a"})
# How an English-model OCR misreads Vietnamese glyphs, as rewrites of the mark-less skeleton with a log
# penalty: ô/ơ/ộ read as d or b, ư as ii/ir/tr/ri, ươ as ug, ô/ơ as e, ă as ia, u as a, l as i, ...
CONFUSIONS: list[tuple[str, str, float]] = [
    ("d", "o", -2.0), ("b", "o", -2.5), ("ii", "u", -1.5), ("it", "u", -2.0), ("ir", "u", -1.5),
    ("tr", "u", -2.5), ("ri", "u", -2.0), ("ug", "uo", -1.5), ("g", "a", -2.5), ("e", "o", -2.0),
    ("e", "a", -2.5), ("o", "e", -2.5), ("ia", "ua", -1.5), ("ia", "a", -2.0), ("a", "u", -2.5),
    ("t", "", -2.5), ("y", "u", -1.5), ("ll", "l", -0.5), ("6", "e", -1.0), ("i", "l", -2.0),
    ("c", "o", -2.5), ("n", "u", -2.5), ("u", "n", -2.5), ("rn", "m", -1.5), ("h", "b", -3.0),
]
_VN_ONLY = set("ăâđêôơưĂÂĐÊÔƠƯ")
# the kind a register name of a place opens with ('Huyện Si Ma Cai'): what follows is the place's own name
_PLACE_KIND = re.compile(r"^(?:tỉnh|thành phố|quận|huyện|thị xã|thị trấn|xã|phường|đặc khu)\s+(?=\S)", re.I)
# letters an English-model OCR cannot produce: a word carrying one was read with a Vietnamese model
_VN_MARKED = set("ăđơưảạằắẳẵặầấẩẫậẻẽẹềếểễệỉĩịỏọồốổỗộờớởỡợủũụừứửữựỳỷỹỵ")


@dataclass
class Restored:
    text: str
    changed: bool
    confidence: list[float]


class Restorer:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.vocab: list[str] = [str(w) for w in arrays["vocab"]]
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.v = len(self.vocab)
        # interpolated Kneser–Ney: P(c|ab) = p3(abc) + γ(ab)·(p2(bc) + γ(b)·p1(c)); an unseen context passes
        # all its mass down
        self.uni_p: list[float] = arrays["uni_p"].tolist()
        self.uni: list[float] = np.log(arrays["uni_p"]).tolist()
        self.bi = dict(zip(arrays["bi_keys"].tolist(), arrays["bi_p"].tolist(), strict=True))
        self.bi_gamma: list[float] = arrays["bi_gamma"].tolist()
        self.tri = dict(zip(arrays["tri_keys"].tolist(), arrays["tri_p"].tolist(), strict=True))
        self.tri_gamma = dict(zip(arrays["ctx_keys"].tolist(), arrays["ctx_gamma"].tolist(), strict=True))
        by_skeleton: dict[str, list[int]] = {}
        for i, w in enumerate(self.vocab[3:], start=3):
            if not w.isupper():  # codes (UBND) are context, never candidates
                by_skeleton.setdefault(strip_diacritics(w), []).append(i)
        self.candidates = {k: sorted(ids, key=lambda i: -self.uni[i])[:MAX_CANDIDATES]
                           for k, ids in by_skeleton.items()}
        self.rhymes = _rhyme_table(self.vocab, self.uni)
        self.rhyme_shapes = frozenset(toneless_rhyme(w) for w in self.vocab[3:] if not w.isupper())
        self.abbreviations = dict(zip(arrays["abbr_keys"].tolist(), arrays["abbr_vals"].tolist(), strict=True))
        self.places = _place_names()
        self.channel = Channel.load(ENG_CHANNEL) if ENG_CHANNEL.exists() else None
        self.lexicon = Lexicon.of(self.vocab[i] for ids in self.candidates.values() for i in ids)
        # memos of pure look-ups, bounded: the same words and word triples recur all through a text
        self._cands_memo: dict[tuple[str, bool, str], list[tuple[int, float]]] = {}
        self._skeleton_memo: dict[str, str] = {}
        self._lp_memo: dict[tuple[int, int], list[float]] = {}  # (context ab or -1-b, candidate list) → row
        self._lower_memo: dict[tuple[int, int], list[float]] = {}
        self._lattice_kinds: dict[tuple[tuple[int, float], ...], int] = {}

    @classmethod
    def load(cls, path: Path = MODEL) -> Restorer:
        return _load(str(path))

    # ------------------------------------------------------------ detection
    def needs_restoring(self, words: list[str]) -> bool:
        """True for stripped or English-OCR text: few syllables with marks, or marks that fit no syllable."""
        alpha = [w for w in words if w.isalpha() and len(w) > 1]
        syllables = sum(1 for w in alpha if self._skeleton(w) in self.candidates)
        if syllables < 2:  # too little text to judge: 'ST T', 'TTHC', a name
            return False
        plain = sum(1 for w in alpha if w.isascii())
        odd = sum(1 for w in alpha if not w.isascii() and w.lower() not in self.index)
        return (plain + odd) / len(alpha) > 0.6 or odd / len(alpha) > 0.25

    def has_unmarked_words(self, words: list[str]) -> bool:
        """A line of a stripped or OCR text worth decoding even when short ('dinh', 'Céc phong'): a plain
        word some syllable explains, or a word with marks no syllable has."""
        return any(w.isalpha() and not self._looks_like_code(w) and not _is_code(w)
                   and (w.isascii() and self._skeleton(w) in self.candidates
                        or not w.isascii() and w.lower() not in self.index) for w in words)

    # ------------------------------------------------------------ candidates
    def is_garbled(self, words: list[str]) -> bool:
        """OCR damage beyond lost marks: digits inside words, or many words no syllable could be."""
        alpha = [w for w in words if len(w) > 1 and not self._looks_like_code(w)]
        if any(any(c.isdigit() for c in w) and any(c.isalpha() for c in w) for w in alpha):
            return True
        unknown = sum(1 for w in alpha if w.isalpha() and (self._skeleton(w) not in self.candidates
                                                            or not w.isascii() and w.lower() not in self.index))
        return unknown >= max(1, 0.08 * len(alpha))

    def _looks_like_code(self, w: str) -> bool:
        """UBND, TTHC, SLĐTBXH: short capitals that are no syllable, or a known abbreviation."""
        return w.isupper() and (len(w) <= 4 and not is_syllable(w.lower())
                                or strip_diacritics(w) in self.abbreviations)

    def _skeletons(self, token: str, garbled: bool = True) -> list[tuple[str, float]]:
        """Mark-less forms the token may stand for, each with a log channel penalty."""
        low = token.lower()
        extra: list[tuple[str, float]] = []
        if any(c.isdigit() for c in low):
            if not any(c.isalpha() for c in low):
                return []
            if "6" in low:  # 6 is ô as often as ê/ệ
                extra.append((strip_diacritics(low.replace("6", "e").translate(_DIGIT_AS_LETTER)), -1.0))
            low = low.translate(_DIGIT_AS_LETTER)
        base = strip_diacritics(low)
        variants = [(base, 0.0), *extra]
        if not garbled:
            return variants
        if "w" in base:
            variants += [(re.sub("w+", "u", base), -0.5), (re.sub("w+", "uo", base), -1.0)]
        if token[:1] in "PBpb" and len(token) > 1:
            variants.append(("d" + re.sub(r"^(?:bp|pb|p|b)", "", base), -1.0 if token[:1].isupper() else -2.5))
        if "i" in base:  # ă read as i, and ư (its horn lost)
            variants += [(base.replace("i", v, 1), -3.0) for v in "au"]
            variants += [(base[::-1].replace("i", v, 1)[::-1], -3.0) for v in "au"]
        seen: dict[str, float] = {}
        for sk, pen in variants:
            seen[sk] = max(pen, seen.get(sk, -99.0))
        return list(seen.items())

    def _confusions(self, skeleton: str, budget: int = 2) -> dict[str, float]:
        """Known skeletons reachable by one or two confusion rewrites (never at the first letter for d/b/t/c)."""
        found: dict[str, float] = {}
        frontier = {skeleton: 0.0}
        for _ in range(budget):
            nxt: dict[str, float] = {}
            for s, pen in frontier.items():
                for src, dst, cost in CONFUSIONS:
                    start = s.find(src, 1 if src in "dbtcn" else 0)
                    while start >= 0:
                        v = s[:start] + dst + s[start + len(src):]
                        p = pen + cost
                        if v and p > nxt.get(v, -99.0):
                            nxt[v] = p
                        start = s.find(src, start + 1)
            for v, p in nxt.items():
                if v in self.candidates and p > found.get(v, -99.0):
                    found[v] = p
            if found:
                break
            frontier = dict(sorted(nxt.items(), key=lambda kv: -kv[1])[:60])
        return found

    def candidates_for(self, token: str, garbled: bool = True, read: str = "") -> list[tuple[int, float]]:
        """(syllable id, channel log-penalty) pairs; a word already written with Vietnamese marks that is a
        real syllable is trusted over its mark-less alternatives. `read` is the token as OCR'd, before its
        symbols became letters (what the learned channel scores). Memoised per token: the confusion search
        is the dearest step of decoding and a text repeats its words."""
        key = (token, garbled, read)
        found = self._cands_memo.get(key)
        if found is None:
            if len(self._cands_memo) > MEMO_SIZE:
                self._cands_memo.clear()
            found = self._cands_memo[key] = self._find_candidates(token, garbled, read or token)
        return found

    def _skeleton(self, word: str) -> str:
        """strip_diacritics(word.lower()), memoised (detection asks it of every word several times)."""
        sk = self._skeleton_memo.get(word)
        if sk is None:
            if len(self._skeleton_memo) > MEMO_SIZE:
                self._skeleton_memo.clear()
            sk = self._skeleton_memo[word] = strip_diacritics(word.lower())
        return sk

    def _find_candidates(self, token: str, garbled: bool, read: str) -> list[tuple[int, float]]:
        low = token.lower()
        trusted = self.index.get(low) if any(c in _VN_MARKED for c in low) else None
        found: dict[int, float] = {}
        skeletons = self._skeletons(token, garbled)
        if garbled and (not token.isupper() or len(token) == 1) and skeletons \
                and not any(sk in self.candidates for sk, _ in skeletons):
            base = skeletons[0][0]
            skeletons += list(self._confusions(base).items())
            if len(base) == 1 and base.isalpha() and base not in "aeiouy":  # 's' for số/sở: a cut-off syllable
                skeletons += [(base + v, -3.0) for v in "oa"]
        for sk, pen in skeletons:
            for i in self.candidates.get(sk, []):
                p = pen - (1.0 if trusted is not None and i != trusted else 0.0)
                found[i] = max(p, found.get(i, -99.0))
        if garbled and self.channel is not None and trusted is None and token.isalnum() \
                and (not token.isupper() or len(token) == 1 or not self._looks_like_code(token)):
            found = self._channel_candidates(read, found)
        if not found:
            guess = self._rhyme_guess(token)
            if guess is not None:
                found[guess] = -1.0
        return sorted(found.items(), key=lambda x: -x[1] - self.uni[x[0]] * 0.01)[:MAX_CANDIDATES]

    def _channel_candidates(self, token: str, found: dict[int, float]) -> dict[int, float]:
        """The words the learned English-OCR channel reads `token` as, joined to the rule-made candidates
        (which still find what the channel's letter-by-letter view misses); every candidate is then scored by
        the channel alone, log P(token | word) behind the best: the rules' penalties were guesses of it."""
        assert self.channel is not None
        low = token.lower()
        for word, _ in self.channel.readings(low, self.lexicon, k=CHANNEL_READINGS):
            i = self.index.get(word)
            if i is not None:
                found.setdefault(i, -99.0)
        scored = {i: self.channel.logp(low, self.vocab[i]) for i in found}
        top = max(scored.values(), default=0.0)
        return {i: CHANNEL_WEIGHT * (lp - top) for i, lp in scored.items()}

    def _rhyme_guess(self, token: str) -> int | None:
        base = strip_diacritics(token.lower())
        if not token.isalpha() or not is_syllable(base):
            return None
        onset, rhyme = split_onset(base)
        if rhyme not in self.rhymes:
            return None
        word = onset + self.rhymes[rhyme]
        if word not in self.index:
            self.index[word] = len(self.vocab)
            self.vocab.append(word)
            self.uni.append(min(self.uni))
            self.uni_p.append(min(self.uni_p))
        return self.index[word]

    # ------------------------------------------------------------ scoring running text
    def word_ids(self, tokens: list[str]) -> list[int]:
        """Model ids of running-text tokens: numbers are <num>, words the model does not know <unk>."""
        num, unk = self.index["<num>"], self.index["<unk>"]
        return [num if any(c.isdigit() for c in w) else self.index.get(w, unk) for w in map(bare, tokens)]

    def logprob(self, a: int, b: int, c: int) -> float:
        """log P(c | a b); id 0 (<s>) stands for a sentence edge."""
        return self._lp(a, b, c)

    # ------------------------------------------------------------ decoding
    def _lp(self, a: int, b: int, c: int) -> float:
        v = self.v
        ab = a * v + b
        lower = self.bi.get(b * v + c, 0.0) + (self.bi_gamma[b] if b < v else 1.0) * self.uni_p[c]
        return math.log(self.tri.get(ab * v + c, 0.0) + self.tri_gamma.get(ab, 1.0) * lower)

    def _viterbi(self, lattice: list[list[tuple[int, float]]], start: tuple[int, int] = (0, 0)
                 ) -> tuple[list[int], list[float]]:
        """Best path through a run of positions (each a list of candidate ids; fixed tokens have one).
        States are the last word, each keeping its best score and the previous word, with back-pointers per
        position; the scores of a position's candidates after a context are memoised as one row (a text's
        contexts and words recur)."""
        v, tri, tri_gamma, uni = self.v, self.tri, self.tri_gamma, self.uni
        if max(len(self._lp_memo), len(self._lower_memo), len(self._lattice_kinds)) > MEMO_SIZE:
            # rows are keyed by candidate-list numbers: those and every row go together
            self._lp_memo.clear()
            self._lower_memo.clear()
            self._lattice_kinds.clear()
        memo = self._lp_memo
        kinds = self._lattice_kinds
        log = math.log
        # last → (score, prev); `start`: the two words before the run (sentence edges by default)
        states: dict[int, tuple[float, int]] = {start[1]: (0.0, start[0])}
        back: list[dict[int, int]] = []  # per position: candidate → the state (last word) it came from
        margins: list[float] = []
        for cands in lattice:
            n = len(cands)
            if n == 1 and len(states) == 1:  # one way through: its score moves every path alike
                (last, (score, _)), = states.items()
                states = {cands[0][0]: (score, last)}
                back.append({cands[0][0]: last})
                margins.append(10.0)
                continue
            # a position's candidate list (ids and penalties) as a small number, so that the channel penalty
            # plus the trigram score of every candidate after a context ab is memoised as one row
            kind = kinds.setdefault(tuple(cands), len(kinds))
            best_sc: list[float] = []
            best_from: list[int] = []
            for last, (score, prev) in states.items():
                ab = prev * v + last
                exact = last < v and prev < v  # keys are exact only for ids of the model
                g3 = tri_gamma.get(ab) if exact else None
                # an unseen context ab passes all its mass to the bigram model: the row is the one after b
                key = ((ab, kind) if g3 is not None else (-1 - last, kind)) if exact else None
                row = memo.get(key) if key is not None else None
                if row is None:
                    lower = self._lower_row(last, kind, cands)
                    if g3 is None:
                        g3 = tri_gamma.get(ab, 1.0)
                    t0 = ab * v
                    row = [penalty + (log(tri.get(t0 + c, 0.0) + g3 * low) if c < v else uni[c])
                           for (c, penalty), low in zip(cands, lower, strict=True)]
                    if key is not None:
                        memo[key] = row
                if not best_sc:  # the first state sets every candidate's best
                    best_sc = [score + x for x in row]
                    best_from = [last] * n
                    continue
                for k in range(n):
                    sc = score + row[k]
                    if sc > best_sc[k]:
                        best_sc[k] = sc
                        best_from[k] = last
            top = max(best_sc)
            second = sorted(best_sc)[-2] if n > 1 else -math.inf
            floor = top - BEAM  # paths this far behind never come back in practice
            states = {}
            for k in range(n):
                c, sc = cands[k][0], best_sc[k]
                if sc >= floor and (c not in states or sc > states[c][0]):
                    states[c] = (sc, best_from[k])
            back.append({c: last for c, (_, last) in states.items()})
            margins.append(top - second if n > 1 else 10.0)
        if not lattice:
            return [], margins
        last = max(states, key=lambda c: states[c][0] + (self._lp(states[c][1], c, 0) if c < self.v else 0.0))
        path = [last]
        for step in reversed(back[1:]):
            last = step[last]
            path.append(last)
        path.reverse()
        return path, margins

    def _lower_row(self, last: int, kind: int, cands: list[tuple[int, float]]) -> list[float]:
        """P(c | last) by the bigram model and its unigram backoff, for each candidate c of a position."""
        key = (last, kind)
        row = self._lower_memo.get(key)
        if row is None:
            v, bi, uni_p = self.v, self.bi, self.uni_p
            b0, g2 = last * v, (self.bi_gamma[last] if last < v else 1.0)
            row = [bi.get(b0 + c, 0.0) + g2 * uni_p[c] if c < v else 0.0 for c, _ in cands]
            self._lower_memo[key] = row  # bounded with the rows in _viterbi
        return row

    def has_its_marks(self, words: list[str]) -> bool:
        """True for text written with its Vietnamese marks: many syllables carry ă đ ơ ư ả ạ … (letters an
        English-model OCR cannot produce), few stay plain, and no lower-case word is OCR debris ('c6', 'nhiing').
        Capitalised words, plain or no syllable, are names (Si Ma Cai, Kđăm, Ksor), not stripped or debris."""
        # each distinct word judged once, counted as often as it occurs (a long document repeats its words)
        alpha = {w: n for w, n in Counter(words).items()
                 if w.isalnum() and not w.isdigit() and not self._looks_like_code(w) and not _is_code(w)}
        n_alpha = sum(alpha.values())
        if not n_alpha:
            return False
        vn = sum(n for w, n in alpha.items() if any(c in _VN_MARKED for c in w.lower()))
        accented = sum(n for w, n in alpha.items() if not w.isascii() and self._is_marked_word(w))
        plain = sum(n for w, n in alpha.items() if w.isascii() and w.isalpha() and not w[:1].isupper())
        debris = sum(n for w, n in alpha.items() if not w[:1].isupper() and (
            not w.isalpha() or not (is_syllable(w) if w.isascii() else self._is_marked_word(w))))
        # without ă đ ơ ư … the accents alone must be on most words (an English-model OCR puts few)
        marks = vn >= 0.2 * n_alpha or accented >= 2 and accented > 0.5 * n_alpha \
            or accented >= 1 and all(w[:1].isupper() and not w.isupper() for w in alpha)  # a name: Na Rì
        # written Vietnamese leaves about one word in ten plain and lower-case (a quarter at most in a line)
        return marks and plain <= PLAIN_SHARE * max(n_alpha, 5) and debris <= 0.03 * n_alpha

    def text_has_marks(self, lines: list[str]) -> bool:
        """has_its_marks over a whole text (a file, a document's lines and cells)."""
        return self.has_its_marks([t for ln in lines for t in _TOKEN.findall(nfc(ln)) if t[0].isalnum()])

    def text_marked(self, lines: list[str]) -> bool | None:
        """A whole text judged: True written with its marks, False stripped or garbled throughout (at least
        20 words), None mixed (each line judged alone)."""
        words = [t for ln in lines for t in _TOKEN.findall(nfc(ln)) if t[0].isalnum()]
        if self.has_its_marks(words):
            return True
        if len(words) >= 20 and self.needs_restoring(words) and not self._mostly_marked(words):
            return False
        return None

    def _mostly_marked(self, words: list[str]) -> bool:
        alpha = [w for w in words if w.isalpha()]
        return sum(1 for w in alpha if any(c in _VN_MARKED for c in w.lower())) > 0.3 * max(1, len(alpha))

    def _is_marked_word(self, tok: str) -> bool:
        low = tok.lower()
        return low in self.index or is_marked_syllable(low, self.rhyme_shapes)

    def restore_line(self, line: str, marked_doc: bool | None = None, before: str = "") -> Restored:
        """Restores one line. In text written with its marks (`marked_doc`, or judged from the line itself) the
        decision is per token: a word spelled as a Vietnamese syllable with its marks stays, a capitalised word
        is a name and stays, and a plain word changes only when the model is far surer of another reading.
        Elsewhere (stripped text, OCR) the model decodes the line, continuing the sentence of `before` (the
        line above, as restored) when that one does not end it."""
        line = nfc(line)
        words = [t for t in _TOKEN.findall(line) if t[0].isalnum()]
        # in a text stripped or garbled as a whole (`marked_doc` False) short lines and single words count too
        if not (self.has_unmarked_words(words) if marked_doc is False else self.needs_restoring(words)):
            return Restored(line, False, [])
        marked = self.has_its_marks(words) if marked_doc is None else marked_doc
        # OCR symbols become letters for the rules (¢ → o); the channel reads the token as OCR'd (¢ is ơ's)
        spans = [m.span() for m in _TOKEN.finditer(line.translate(_OCR_CHARS))]
        tokens = [line.translate(_OCR_CHARS)[a:b] for a, b in spans]
        reads = [line[a:b] for a, b in spans]
        change_cost = 0.0
        garbled = False
        if marked:
            alpha = [w for w in words if w.isalpha() and not (w.isupper() and (len(w) > 4 or self._looks_like_code(w)))]
            plain = [w for w in alpha if w.islower() and w.isascii() and self._skeleton(w) in self.candidates]
            if len(plain) < 3 or len(plain) <= 0.6 * len(alpha):
                change_cost = STRONG_EVIDENCE  # a few plain words in marked text: mostly right as they are
        else:
            garbled = self.is_garbled(words) or line != line.translate(_OCR_CHARS)
        out = list(tokens)
        confidences: list[float] = []
        run: list[tuple[int, list[tuple[int, float]]]] = []  # (token index, candidates) in this sentence run
        keep = self.index["<unk>"]
        start = self._context_of(before)  # a word kept as written that the model does not know
        names = self._register_names(tokens, respell=not marked)
        for i, tok in enumerate(tokens):
            if not tok[0].isalnum():
                if _BOUNDARY.search(tok):
                    confidences += self._decode(run, tokens, out, start)
                    run, start = [], (0, 0)
                continue
            if tok.isdigit():
                run.append((i, [(self.index["<num>"], 0.0)]))
                continue
            own = self.index.get(tok.lower())
            if i in names:  # a place name of the register: as written, or as the register writes it
                out[i] = names[i]
                run.append((i, [(self.index.get(names[i].lower(), keep), 0.0)]))
                continue
            if self._is_kept(tok, marked, garbled):
                run.append((i, [(own if own is not None else keep, 0.0)]))
                continue
            cands = self.candidates_for(tok, garbled, reads[i]) if not _is_code(tok) else []
            if change_cost and tok.isascii():
                own_id = own if own is not None else keep
                cands = [(own_id, 0.0)] + [(c, p + change_cost) for c, p in cands if c != own_id]
            fixed = self.index.get(tok, self.index["<unk>"]) if tok.isupper() else self.index["<unk>"]
            run.append((i, cands or [(fixed, 0.0)]))  # kept as written: a code or a name
        confidences += self._decode(run, tokens, out, start)
        text = "".join(out)
        return Restored(text, text != line, confidences)

    def _register_names(self, tokens: list[str], respell: bool) -> dict[int, str]:
        """Token index → its word, for runs of capitalised words (Si Ma Cai; headings in capitals are no
        names) that spell a place name of the register.
        A name written as the register writes it stays as it is (plain-letter names: Si Ma Cai, Bát Xát);
        with `respell` (text without its marks) a mark-less one takes the register's spelling when there is
        only one ('Dong Thap' → 'Đồng Tháp'); names the register spells in several ways go to the decoder."""
        found: dict[int, str] = {}
        runs: list[list[int]] = [[]]
        for i, tok in enumerate(tokens):
            if tok.isalpha() and tok[0].isupper() and (len(tok) == 1 or tok[1:].islower()):
                runs[-1].append(i)
            elif tok.strip(" \t") or not runs[-1]:  # a name's words are parted by spaces alone
                runs.append([])
        for run in runs:
            at = 0
            while at + 1 < len(run):
                for end in range(min(len(run), at + 6), at + 1, -1):
                    idx = run[at:end]
                    spellings = self.places.get(tuple(self._skeleton(tokens[j]) for j in idx))
                    if spellings is None:
                        continue
                    written = " ".join(tokens[j] for j in idx).lower()
                    lowered = {sp.lower() for sp in spellings}
                    if written in lowered:
                        found |= {j: tokens[j] for j in idx}
                    elif respell and len(lowered) == 1:
                        found |= {j: _apply_case(tokens[j], w) for j, w in zip(idx, lowered.pop().split(), strict=True)}
                    else:
                        continue
                    at = end - 1
                    break
                at += 1
        return found

    def _is_kept(self, tok: str, marked: bool, garbled: bool) -> bool:
        """A token right as written. In marked text: a syllable with its marks, a capitalised word (names:
        Si Ma Cai, Niê, Kđăm, H'Mông) or a word with marks no syllable explains. In unmarked text that is not
        garbled: a known syllable written with ă đ ơ ư ả ạ … (an English-model OCR's à é ô are guesses)."""
        low = tok.lower()
        if not marked:
            return not garbled and any(c in _VN_MARKED for c in low) and self._is_marked_word(tok)
        if low.isascii():
            return tok[:1].isupper() and not tok.isupper()
        return self._is_marked_word(tok) or tok[:1].isupper()

    def _context_of(self, before: str) -> tuple[int, int]:
        """The last two model ids of the line above when its sentence runs on into this line (a wrapped
        line: no full stop, colon or semicolon at its end), else sentence edges."""
        tail = before.rstrip()
        if not tail or not tail[-1].isalnum():
            return (0, 0)
        ids = self.word_ids([t for t in _TOKEN.findall(tail) if t[0].isalnum()][-2:])
        return (0, 0) if not ids else ((0, ids[0]) if len(ids) == 1 else (ids[0], ids[1]))

    def _decode(self, run: list[tuple[int, list[tuple[int, float]]]], tokens: list[str],
                out: list[str], start: tuple[int, int] = (0, 0)) -> list[float]:
        if not run:
            return []
        path, margins = self._viterbi([c for _, c in run], start if run[0][0] == _first_word(tokens) else (0, 0))
        confs = []
        for (i, cands), choice, margin in zip(run, path, margins, strict=True):
            word = self.vocab[choice]
            if word.startswith("<") or word.isupper():
                abbr = self.abbreviations.get(tokens[i]) if tokens[i].isupper() else None
                if abbr:
                    out[i] = abbr  # CTDT → CTĐT
                continue
            out[i] = _apply_case(tokens[i], word)
            confs.append(round(1 / (1 + math.exp(-margin)), 3) if len(cands) > 1 else 1.0)
        return confs


def _place_names() -> dict[tuple[str, ...], frozenset[str]]:
    """Mark-less words of the register's place names (2 words or more: 'Si Ma Cai', 'Đồng Tháp') → the
    names as the register writes them."""
    out: dict[tuple[str, ...], set[str]] = {}
    for e in load_register():
        if e.is_place:
            name = _PLACE_KIND.sub("", e.name)
            words = name.split()
            if len(words) >= 2 and all(w.isalpha() for w in words):
                out.setdefault(tuple(strip_diacritics(w.lower()) for w in words), set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def _first_word(tokens: list[str]) -> int:
    return next((i for i, t in enumerate(tokens) if t[0].isalnum()), -1)


def _is_code(tok: str) -> bool:
    """SLĐTBXH, KH-…: long capitals with Vietnamese letters are abbreviations, kept as written (UBND, TTHC
    simply find no candidate)."""
    return len(tok) > 4 and tok.isupper() and any(c in _VN_ONLY for c in tok)


def _apply_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _rhyme_table(vocab: list[str], uni: list[float]) -> dict[str, str]:
    """Mark-less rhyme → its most frequent marked form, for syllables the corpus never saw."""
    best: dict[str, tuple[float, str]] = {}
    for i, w in enumerate(vocab[3:], start=3):
        if w.isupper():
            continue
        rhyme = split_onset(w)[1]
        key = strip_diacritics(rhyme)
        if key not in best or uni[i] > best[key][0]:
            best[key] = (uni[i], rhyme)
    return {k: v for k, (_, v) in best.items()}


@lru_cache(maxsize=2)
def _load(path: str) -> Restorer:
    with np.load(path, allow_pickle=False) as z:
        return Restorer({k: z[k] for k in z.files})


def restore_lines(lines: list[str]) -> list[str]:
    """Restores a text line by line; a text written with its marks as a whole keeps every word that is
    right as written (its plain lines are names and codes more often than stripped text)."""
    r = Restorer.load()
    marked = r.text_marked(lines)
    out: list[str] = []
    for ln in lines:
        out.append(r.restore_line(ln, marked, out[-1] if out else "").text)
    return out


def is_vietnamese_word(word: str) -> bool:
    return word in Restorer.load().index
