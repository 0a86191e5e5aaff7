"""Tone and vowel marks of a Vietnamese-model OCR (Tesseract `vie`) corrected, word by word.

Tesseract reads the letters of a Vietnamese word well and its marks less so: `nổ` comes out `nó`, `tỉnh`
`tĩnh`, `quyền` `quyên` — each a real syllable, so restoration (which keeps a marked syllable) leaves them.
Here each word is weighed against the other marked spellings of its letters (the same mark-less skeleton):
a noisy channel P(read | true), learned from pages rendered, degraded and read by Tesseract
(tools/build_ocr_channel.py → data/ocr_channel.json), times the syllable language model of restoration,
decoded by its Viterbi. A word changes only when the other reading wins by a clear log-odds margin; numbers,
codes, words in capitals (but for headings of five words or more) and capitalised words inside a sentence
stay as read. A capitalised run whose mark-less words are exactly those of one known name (a unit or place of
the register, a head's title: 'Sở Giáo dục và Đảo tạo', 'LÂM ĐỎNG', 'GIÁM ĐÓC') takes that name's spelling.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers.register import load_register
from normalizers.restore import _PLACE_KIND, Restorer
from normalizers.text import nfc, strip_diacritics
from normalizers.tones import normalize_tones
from normalizers.vn import TONE_MARKS, is_syllable

CHANNEL = Path(__file__).resolve().parent / "data" / "ocr_channel.json"
TITLES = Path(__file__).resolve().parent / "data" / "lead_frames.tsv"  # the 'title' rows: heads' titles
PHRASES = Path(__file__).resolve().parent / "data" / "fixed_phrases.txt"  # the national name and motto
# log-odds the corrected reading must win by (tools/eval.py --only ocr-real measures it on held-out pages)
MIN_LOG_ODDS = 2.0
SHAPED = "aăâeêoôơuưdđ"  # letters whose marks Tesseract can misread (tones aside)
MOVED_TONE = math.log(0.02)  # the same tone on another vowel (hoà/hòa): a spelling, seldom a misreading
VIETNAMESE_SHAPES = "\u0302\u0306\u031b"  # circumflex, breve, horn
FOREIGN_MARK = math.log(0.01)  # a word read with a mark Vietnamese does not have, kept as read
# log-odds for a known name when a run spells it mark-less: two or more words matching a name by chance are
# rare, but a skeleton alone is no proof ('Bộ Y', a line's end of 'Bộ Y tế', is not the commune 'Bờ Y')
NAME_PRIOR = 8.0
HEADING_WORDS = 5  # words in capitals a line needs to be read as a heading
# the share of a tone row spread evenly over all tones (tools/eval.py --only ocr-real: real scans and
# held-out generated pages both gain alike from 0.005 to 0.1)
TONE_FLOOR = 0.03
# a reading the model does not know (<unk>) shares the unknown words' mass with all the others: as one of
# them it is less likely than <unk> (tools/eval.py --only ocr-real: real and held-out pages gain alike, 1 to 0.03)
UNKNOWN_WORD = math.log(0.1)
BACKOFF = 5.0  # pseudo-counts of the pooled tone confusions in each vowel's own
_TOKEN = re.compile(r"[^\W_]+|[\W_]+", re.UNICODE)
_BOUNDARY = re.compile(r"[.,;:!?()\[\]\"“”…]|\s[-–—]\s")
_SENTENCE_END = re.compile(r"[.:;!?]\W*$")
_ITEM_MARK = re.compile(r"^\s*(?:[-+•*–]|\(?[0-9]{1,2}[.)]|\(?[a-zđ][.)]|[IVX]{1,4}[.)])\s")


def split_marks(word: str) -> tuple[str, str, int]:
    """'nổ' → ('nô', '\u0309', 1): the word lower-cased without its tone, the tone mark ('' for none) and
    the position of the letter carrying it (-1)."""
    letters: list[str] = []
    tone, at = "", -1
    for c in unicodedata.normalize("NFD", word.lower()):
        if c in TONE_MARKS:
            tone, at = c, len(letters) - 1
        elif unicodedata.combining(c) and letters:
            letters[-1] += c
        else:
            letters.append(c)
    return "".join(unicodedata.normalize("NFC", x) for x in letters), tone, at


def _events(true: str, read: str) -> tuple[list[tuple[str, str]], tuple[str, str, str], bool] | None:
    """The channel events of reading `true` as `read` (same skeleton): (true letter, read letter) per shaped
    letter, (vowel, true tone, read tone), and whether the tone moved to another vowel."""
    t_base, t_tone, t_at = split_marks(true)
    r_base, r_tone, r_at = split_marks(read)
    if len(t_base) != len(r_base):
        return None
    shapes = [(a, b) for a, b in zip(t_base, r_base, strict=True) if a in SHAPED]
    at = t_at if t_at >= 0 else r_at
    vowel = t_base[at] if at >= 0 else "*"
    moved = t_at >= 0 and r_at >= 0 and t_at != r_at
    return shapes, (vowel, t_tone, r_tone), moved


def channel_counts_of(pairs: list[tuple[str, str]]) -> dict[str, dict[str, dict[str, int]]]:
    """Counts of the channel events in (true word, read word) pairs of the same skeleton."""
    shape: Counter[tuple[str, str]] = Counter()
    tone: Counter[tuple[str, str, str]] = Counter()
    for true, read in pairs:
        if strip_diacritics(true.lower()) != strip_diacritics(read.lower()):
            continue
        ev = _events(true, read)
        if ev is None:
            continue
        shape.update(ev[0])
        tone[ev[1]] += 1
    out: dict[str, dict[str, dict[str, int]]] = {"shape": {}, "tone": {}}
    for (a, b), n in shape.items():
        out["shape"].setdefault(a, {})[b] = n
    for (v, t, r), n in tone.items():
        out["tone"].setdefault(f"{v}{t}", {})[r or "-"] = n
    return out


class Channel:
    """log P(read | true) for two spellings of one skeleton, from the learned counts."""

    def __init__(self, counts: dict[str, dict[str, dict[str, int]]]) -> None:
        self.shape = {a: _normalised(row, 0.5) for a, row in counts["shape"].items()}
        pooled: dict[str, Counter[str]] = {}
        for key, row in counts["tone"].items():
            t = key[1:]
            pooled.setdefault(t, Counter()).update(row)
        tones = ["-", *TONE_MARKS]
        self.pooled = {t: {r: (row.get(r, 0) + 0.5) / (sum(row.values()) + 3.0) for r in tones}
                       for t, row in pooled.items()}
        self.tone: dict[str, dict[str, float]] = {}
        for key, row in counts["tone"].items():
            base = self.pooled[key[1:]]
            total = sum(row.values())
            self.tone[key] = {r: (row.get(r, 0) + BACKOFF * base[r]) / (total + BACKOFF) for r in tones}
        # the rows as learned, for names: a run respelt as a known name must be a misreading the pages showed
        self.tone_learned, self.pooled_learned = self.tone, self.pooled
        self.tone = {k: _floored(row, TONE_FLOOR) for k, row in self.tone.items()}
        self.pooled = {k: _floored(row, TONE_FLOOR) for k, row in self.pooled.items()}

    def logp(self, read: str, true: str, floored: bool = True) -> float:
        ev = _events(true, read)
        if ev is None:
            return -30.0
        shapes, (vowel, t_tone, r_tone), moved = ev
        lp = sum(math.log(self.shape.get(a, {}).get(b, 1e-4)) for a, b in shapes)
        r = r_tone or "-"
        tone, pooled = (self.tone, self.pooled) if floored else (self.tone_learned, self.pooled_learned)
        row = tone.get(f"{vowel}{t_tone}") or pooled.get(t_tone or "-")
        lp += math.log(row.get(r, 1e-4)) if row else math.log(0.9 if r == (t_tone or "-") else 0.02)
        return lp + (MOVED_TONE if moved else 0.0)


def _floored(row: dict[str, float], share: float) -> dict[str, float]:
    """A tone row mixed with an even spread over all tones: a real scan's specks, blur and low resolution
    confuse tones (hỏi and ngã above a circumflex) that the rendered training pages never did."""
    return {r: (1 - share) * p + share / len(row) for r, p in row.items()}


def _normalised(row: dict[str, int], alpha: float) -> dict[str, float]:
    total = sum(row.values()) + alpha * len(row)
    return {k: (v + alpha) / total for k, v in row.items()}


@lru_cache(maxsize=2)
def load_channel(path: str = str(CHANNEL)) -> Channel:
    return Channel(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass
class Corrected:
    text: str
    changed: int  # words changed


class OcrCorrector:
    def __init__(self, restorer: Restorer, channel: Channel, min_log_odds: float = MIN_LOG_ODDS) -> None:
        self.r = restorer
        self.channel = channel
        self.min_log_odds = min_log_odds
        self._memo: dict[str, list[tuple[int, float]]] = {}

    @classmethod
    def load(cls) -> OcrCorrector:
        return _corrector()

    def candidates(self, word: str) -> list[tuple[int, float]]:
        """(syllable id, log P(word | syllable)) for the spellings of the word's skeleton, the word itself
        (or <unk> when the model does not know it) first."""
        low = word.lower()
        found = self._memo.get(low)
        if found is None:
            r = self.r
            # the model's spelling puts the tone on the traditional vowel (hòa): 'hoà' is the same word
            own = r.index.get(normalize_tones(low), r.index["<unk>"])
            # a mark Vietnamese does not have (ï, ö, š) was misread for sure: weigh the letters without it
            read = _without_foreign_marks(low)
            found = [(own, FOREIGN_MARK if read != low else self.channel.logp(low, low))]
            if own == r.index["<unk>"]:
                found = [(own, found[0][1] + UNKNOWN_WORD)]
            for i in r.candidates.get(strip_diacritics(low), []):
                if i != own:
                    found.append((i, self.channel.logp(read, r.vocab[i])))
            self._memo[low] = found
        return found

    def _fixed_id(self, tok: str) -> int:
        r = self.r
        if any(c.isdigit() for c in tok):
            return r.index["<num>"]
        return r.index.get(tok) or r.index.get(normalize_tones(tok.lower()), r.index["<unk>"])

    def _name_wins(self, tokens: list[str], idx: list[int], respelt: list[str], phrase: bool = False) -> bool:
        """Whether a known name's spelling of a run beats the run as read, the line's other words as read:
        channel (each respelt word read as it was) plus the language model over the line. A name that
        only the skeleton shares ('Bộ Y' cut from 'Bộ Y tế' is not the commune 'Bờ Y') loses. Names are
        weighed on the channel as learned (a person's name is no place's misreading by a confusion the pages
        never showed); the header's fixed phrases on the channel every word has."""
        read = [tokens[i] for i in idx]
        if all(normalize_tones(a.lower()) == normalize_tones(b.lower()) for a, b in zip(read, respelt, strict=True)):
            return False  # written as the name is (its tone perhaps on the other vowel: Hoà/Hòa)
        at = [i for i, t in enumerate(tokens) if t[0].isalnum()]
        ids = [self._fixed_id(tokens[i]) for i in at]
        alt = list(ids)
        channel = 0.0
        for i, word in zip(idx, respelt, strict=True):
            alt[at.index(i)] = self._fixed_id(word)
            if normalize_tones(word.lower()) != normalize_tones(tokens[i].lower()):
                channel += self.channel.logp(_without_foreign_marks(tokens[i].lower()), word.lower(), floored=phrase)
        return NAME_PRIOR + channel + self._sequence(alt) - self._sequence(ids) >= 0.0

    def _sequence(self, ids: list[int]) -> float:
        seq = [0, 0, *ids, 0]
        return sum(self.r.logprob(seq[k - 2], seq[k - 1], seq[k]) for k in range(2, len(seq)))

    def correct_line(self, line: str, before: str | None = None, after: str | None = None) -> Corrected:
        """One OCR'd line; `before` is the line above as read (None: the line opens a text block), which
        says whether the line's first word opens a sentence and gives the model its context; `after`, the
        line below when the sentence runs on into it, gives the line's last words theirs."""
        line = nfc(line)
        read = _TOKEN.findall(line)
        tokens = [_roman_read_with_mark(_number_read_as_letter(t)) for t in read]
        words = [t for t in tokens if t[0].isalpha()]
        # a heading in capitals is text like any other; a person's name in capitals (a signature) is shorter
        heading = len(words) >= HEADING_WORDS and all(w.isupper() for w in words)
        names = self.r._register_names([_title(t) for t in tokens] if heading else tokens, respell=False)
        for idx, spelled in known_name_runs(tokens):
            respelt = [_apply_case(tokens[i], w) for i, w in zip(idx, spelled, strict=True)]
            if self._name_wins(tokens, idx, respelt, " ".join(spelled) in fixed_phrases()):
                tokens[idx[0]:idx[-1] + 1] = _with_words(tokens[idx[0]:idx[-1] + 1], respelt)
            names |= {i: tokens[i] for i in idx}
        opens = before is None or not before.strip() or bool(_SENTENCE_END.search(before)) \
            or bool(_ITEM_MARK.match(line))
        out = list(tokens)
        changed = sum(a != b for a, b in zip(read, tokens, strict=True))
        run: list[tuple[int, list[tuple[int, float]]]] = []
        start = self.r._context_of(before or "")  # a wrapped sentence continues from the line above
        for i, tok in enumerate(tokens):
            if not tok[0].isalnum():
                if _BOUNDARY.search(tok):
                    changed += self._decode(run, tokens, out, start)
                    run, start = [], (0, 0)
                    opens = opens or bool(re.search(r"[.:;!?]", tok))
                continue
            sentence_start, opens = opens, False
            if self._correctable(tok.lower() if heading else tok, sentence_start) and i not in names:
                run.append((i, self.candidates(tok)))
            else:
                run.append((i, [(self._fixed_id(tok), 0.0)]))
        changed += self._decode(run + self._run_on(line, after), tokens, out, start)
        return Corrected("".join(out), changed)

    def _run_on(self, line: str, after: str | None) -> list[tuple[int, list[tuple[int, float]]]]:
        """The next line's first two words as read, fixed, when the sentence wraps into it: a word at a
        line's end ('quá hạn 12.579 hỗ' / 'sơ') is weighed with the words that follow it."""
        if not after or _SENTENCE_END.search(line) or _ITEM_MARK.match(after):
            return []
        head = re.match(r"\s*([^\W_]+)(\s+[^\W_]+)?", after)
        if head is None:
            return []
        return [(-1, [(self._fixed_id(w.strip()), 0.0)]) for w in head.groups() if w]

    def _correctable(self, tok: str, sentence_start: bool) -> bool:
        if not tok.isalpha() or len(tok) > 7:
            return False
        if tok[:1].isupper() and not (sentence_start and tok[1:].islower()):
            return False  # a name inside a sentence, a word in capitals (headings, codes)
        skeleton = strip_diacritics(tok.lower())
        return skeleton in self.r.candidates and is_syllable(skeleton)

    def _decode(self, run: list[tuple[int, list[tuple[int, float]]]], tokens: list[str], out: list[str],
                start: tuple[int, int]) -> int:
        if not run or all(len(c) == 1 for _, c in run):
            return 0
        path, _ = self.r._viterbi([c for _, c in run], start)
        ids = [start[0], start[1], *path, 0, 0]
        changed = 0
        for k, ((i, cands), choice) in enumerate(zip(run, path, strict=True)):
            own, own_ch = cands[0]
            if choice == own or len(cands) == 1:
                continue
            ch = dict(cands)
            odds = self._local(ids, k + 2, choice, ch[choice]) - self._local(ids, k + 2, own, own_ch)
            if odds >= self.min_log_odds:
                out[i] = _apply_case(tokens[i], self.r.vocab[choice])
                changed += 1
            else:
                ids[k + 2] = own  # kept as read: the next words are weighed after the word as read
        return changed

    def _local(self, ids: list[int], at: int, word: int, channel: float) -> float:
        """Channel plus the three trigrams a word at `at` takes part in, its neighbours fixed."""
        lp = self.r.logprob
        a, b, c, d = ids[at - 2], ids[at - 1], ids[at + 1], ids[at + 2]
        score = channel + lp(a, b, word) + lp(b, word, c)
        if c != 0:
            score += lp(word, c, d)
        return score


@lru_cache(maxsize=1)
def fixed_phrases() -> frozenset[str]:
    """The national name and the words of the motto (data/fixed_phrases.txt): a header prints them always."""
    return frozenset(ln.strip() for ln in PHRASES.read_text(encoding="utf-8").splitlines()
                     if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def known_names() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Mark-less lower-case words of the names of two words or more that a capitalised run may spell: the
    register's units and places (a place without its kind: 'Lâm Đồng'), the heads' titles
    (data/lead_frames.tsv) and the national name and motto (data/fixed_phrases.txt) → their words as
    written; a skeleton two names share in different spellings is
    left out (which one was meant is a guess)."""
    names = set()
    for e in load_register():
        names.add(_PLACE_KIND.sub("", e.name) if e.is_place else e.name)
    for ln in TITLES.read_text(encoding="utf-8").splitlines():
        phrase, _, kind = ln.partition("\t")
        if kind.strip() == "title" and not phrase.startswith("#"):
            names.add(phrase.strip())
    names |= fixed_phrases()
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(nfc(name).split())
        if len(words) >= 2 and all(w.isalpha() for w in words):
            found.setdefault(tuple(strip_diacritics(w.lower()) for w in words), set()).add(words)
    out = {}
    for key, spellings in found.items():
        if len({tuple(normalize_tones(w.lower()) for w in sp) for sp in spellings}) == 1:
            out[key] = min(spellings)
    return out


def known_name_runs(tokens: list[str]) -> list[tuple[list[int], tuple[str, ...]]]:
    """(token indices, the words of a known name (known_names)) for each run of words that spells one,
    mark-less, exactly: the run opens with a capital, each word the name writes with a capital has one,
    words are parted by spaces alone. Longest names first, left to right."""
    names = known_names()
    longest = max((len(k) for k in names), default=0)
    at = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    found: list[tuple[list[int], tuple[str, ...]]] = []
    k = 0
    while k < len(at):
        end = k
        while end + 1 < len(at) and at[end + 1] == at[end] + 2 and tokens[at[end] + 1].strip(" ") == "" \
                and end + 1 - k < longest:
            end += 1  # the run of words from at[k] parted by spaces only
        hit = 0
        if tokens[at[k]][0].isupper():
            for n in range(end - k + 1, 1, -1):
                idx = at[k:k + n]
                name = names.get(tuple(strip_diacritics(tokens[i].lower()) for i in idx))
                if name and all(tokens[i][0].isupper() or not w[0].isupper() for i, w in zip(idx, name, strict=True)):
                    found.append((idx, name))
                    hit = n
                    break
        k += max(1, hit)
    return found


def _with_words(tokens: list[str], words: list[str]) -> list[str]:
    """A run of word and space tokens with its words replaced in order."""
    it = iter(words)
    return [next(it) if t[0].isalnum() else t for t in tokens]


# a number's first digit read as the letter it looks like: '1' as i, l or I ('i364', 'l2'), '0' as a marked u
# ('ú6', 'Ú9' in a date); only when the digits that follow are the rest of the number (codes start with a
# capital that is no digit's look-alike: 'C04', 'PA83')
_LOOKS_LIKE_1 = "ilIíìỉĩịÍÌỈĨỊ"
_LOOKS_LIKE_0 = "úùủũụÚÙỦŨỤ"
_LETTER_THEN_DIGITS = re.compile(rf"^[{_LOOKS_LIKE_1}{_LOOKS_LIKE_0}]\d+$")


def _number_read_as_letter(tok: str) -> str:
    if not _LETTER_THEN_DIGITS.match(tok):
        return tok
    return ("1" if tok[0] in _LOOKS_LIKE_1 else "0") + tok[1:]


_ROMAN = re.compile(r"^[IVX]{1,5}$")


def _roman_read_with_mark(tok: str) -> str:
    """A roman numeral with a mark no Vietnamese letter has ('Chương Ï'): the speck is no letter's."""
    if tok[:1].isupper() and tok.isalpha():
        bare = _without_foreign_marks(tok)
        if bare != tok and _ROMAN.match(bare):
            return bare
    return tok


def _without_foreign_marks(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if not unicodedata.combining(c)
                                                 or c in TONE_MARKS or c in VIETNAMESE_SHAPES))


def _apply_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _title(tok: str) -> str:
    return tok[:1] + tok[1:].lower() if tok[:1].isalpha() else tok


@lru_cache(maxsize=1)
def _corrector() -> OcrCorrector:
    return OcrCorrector(Restorer.load(), load_channel())


def correct_lines(lines: list[str]) -> list[str]:
    """OCR'd lines of one text block (a page's running text, or a table cell's lines), corrected."""
    c = OcrCorrector.load()
    out: list[str] = []
    before: str | None = None
    for k, ln in enumerate(lines):
        out.append(c.correct_line(ln, before, lines[k + 1] if k + 1 < len(lines) else None).text)
        before = ln
    return out
