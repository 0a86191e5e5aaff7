"""The field vocabulary every reader shares: the words a plan uses to name a task's number, content, lead,
coordinating units, people, deadline, output … — as a table's column header or as a line's label
('Cơ quan chủ trì: Sở Tài chính'). The wordings live in normalizers/data/fields.tsv (source named there)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from normalizers.text import key, strip_diacritics

DATA = Path(__file__).resolve().parent / "data" / "fields.tsv"
FIELDS = frozenset({"no", "content", "lead", "coord", "unit", "person", "submitter", "output", "deadline", "goal",
                    "clause", "note", "funding"})
TASK_FIELDS = frozenset({"lead", "coord", "unit", "person", "deadline", "output"})
_MAX_TAIL_WORDS = 4  # 'Cơ quan chủ trì thực hiện': a wording followed by a few more words keeps its field
_FUZZY_MIN = 85
_MAX_WORD_CELL = 8  # a wording inside a longer cell is running text, not a column's name
_BULLET = r"(?:[-+•*–]\s*|[a-zđ]\s*[.)]\s+|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]\s+)?"
# words a label may carry after its wording: 'Đơn vị chủ trì thực hiện:', 'Cơ quan chủ trì soạn thảo:'
_LABEL_TAIL = r"(?:\s+(?:thực\s+hiện|hoàn\s+thành|chính|tham\s+mưu|soạn\s+thảo|xây\s+dựng|phụ\s+trách))?"


@dataclass(frozen=True)
class Wording:
    field: str
    key: str  # normalizers.text.key of the wording
    plain: str  # the key without diacritics
    match: str  # head: a header equals or begins with it · word: a header contains it
    label: str  # '' header only · ':' labels a line when a colon follows · 'any' with or without a colon


@dataclass(frozen=True)
class Label:
    """A labelled field in running text: 'Thời gian thực hiện: Quý II/2026' → deadline, 'Quý II/2026'."""

    field: str  # a unit label ('Đơn vị thực hiện:') is the lead
    label: str  # the label as written, its tail included
    value: str
    start: int = 0  # where the label starts in the text (inline labels)
    marker: str = ""  # the list marker before a line's label ('a)', '-')


@lru_cache(maxsize=4)
def vocabulary(path: Path = DATA) -> tuple[Wording, ...]:
    """Every wording of the data file, longest first (so 'thời gian hoàn thành' wins over 'thời gian')."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")] + ["", ""]
        field, wording, match, label = parts[:4]
        if field not in FIELDS:
            raise ValueError(f"{path}: unknown field {field!r} for {wording!r}")
        k = key(wording)
        rows.append(Wording(field, k, strip_diacritics(k), match or "head", label))
    return tuple(sorted(rows, key=lambda w: -len(w.key)))


def header_key(text: str) -> str:
    """A header cell as compared: no emphasis, no leading 'các'/'những', a narrow 'ST T' rejoined."""
    k = re.sub(r"^(?:các|những)\s+", "", key(text.replace("*", "")))
    return k.replace(" ", "") if len(k) <= 6 else k


@lru_cache(maxsize=1 << 16)  # long tables and text dumps judge the same cells again and again
def header_field(text: str) -> tuple[str, float]:
    """The field a header cell names and how sure (100 for a wording it equals or begins with, the fuzzy
    ratio otherwise); ('', score) when it names none."""
    k = header_key(text)
    if not k or len(k) > 60:
        return "", 0.0
    ak = strip_diacritics(k)
    vocab = vocabulary()
    for w in vocab:
        if _begins(k, w.key) or _begins(ak, w.plain):
            return w.field, 100.0
    best = ("", 0.0)
    for w in vocab:
        s = max(fuzz.ratio(k, w.key), fuzz.ratio(ak, w.plain) - 3)
        if s > best[1]:
            best = (w.field, s)
    if best[1] >= _FUZZY_MIN:
        return best
    if len(k.split()) > _MAX_WORD_CELL:
        return "", best[1]
    contained = {w.field for w in vocab if w.match == "word" and _contains(ak, w.plain)}
    if len(contained) == 1:
        return contained.pop(), 90.0
    if contained <= {"lead", "coord"} and contained:  # 'Cơ quan chủ trì, phối hợp': both in one column
        return "unit", 90.0
    return "", best[1]


def _begins(cand: str, word: str) -> bool:
    if cand == word:
        return True
    return cand.startswith(word) and not cand[len(word)].isalnum() \
        and len(cand[len(word):].split()) <= _MAX_TAIL_WORDS


def _contains(cand: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", cand) is not None


def fields_in(text: str) -> tuple[set[str], int]:
    """The fields whose wordings occur in a line (a header printed as one line of text), and how many of
    its words those wordings cover: the longest wordings take their words first."""
    words = [x.strip(",;:/()") for x in key(text).split()]
    by_first = _wordings_by_first_word()
    hits = sorted((rank, i) for i, w in enumerate(words) for rank in by_first.get(w, ()))
    vocab = vocabulary()
    used = [False] * len(words)
    found: set[str] = set()
    for rank, i in hits:
        parts = vocab[rank].key.split()
        if words[i:i + len(parts)] == parts and not any(used[i:i + len(parts)]):
            used[i:i + len(parts)] = [True] * len(parts)
            found.add(vocab[rank].field)
    return found, sum(used)


@lru_cache(maxsize=1)
def _wordings_by_first_word() -> dict[str, tuple[int, ...]]:
    """Each wording's rank in the vocabulary (longest first) under its first word: a line is looked up word
    by word instead of every wording tried at every position (a long OCR'd page has hundreds of lines)."""
    out: dict[str, list[int]] = {}
    for rank, w in enumerate(vocabulary()):
        out.setdefault(w.key.split()[0], []).append(rank)
    return {k: tuple(v) for k, v in out.items()}


def _alternation(wordings: list[str]) -> str:
    """Longest first; a space matches any run of spaces, a comma may have spaces around it."""
    ordered = sorted(set(wordings), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(",", r"\s*,") for w in ordered)


@dataclass(frozen=True)
class _LabelPatterns:
    line: re.Pattern[str]
    bare: re.Pattern[str]
    inline: re.Pattern[str]
    field: dict[str, str]


@lru_cache(maxsize=1)
def _patterns() -> _LabelPatterns:
    labels = [w for w in vocabulary() if w.label]
    free = _alternation([w.key for w in labels if w.label == "any"])
    colon = _alternation([w.key for w in labels if w.label == ":"])
    field = {w.key: ("lead" if w.field == "unit" else w.field) for w in labels}
    both = f"{free}|{colon}"
    line = re.compile(rf"^(?P<m>{_BULLET})(?:(?P<l>(?:{free}){_LABEL_TAIL})(?:\s*:\s*|\s+)(?P<v>\S.*)"
                      rf"|(?P<l2>(?:{colon}){_LABEL_TAIL})\s*:\s*(?P<v2>\S.*))$", re.I | re.S)
    bare = re.compile(rf"^(?P<m>{_BULLET})(?P<l>(?:{both}){_LABEL_TAIL})\s*:?\s*$", re.I)
    inline = re.compile(rf"(?:[;.,(]|\s[-–])\s*(?P<l>(?:{both}){_LABEL_TAIL})\s*:\s*", re.I)
    return _LabelPatterns(line, bare, inline, field)


def _label_field(label: str) -> str:
    """The field of a label as written: its wording is the longest vocabulary key it begins with."""
    k = key(label)
    fields = _patterns().field
    best = max((w for w in fields if k == w or k.startswith(w + " ")), key=len, default="")
    return fields.get(best, "")


def line_label(text: str) -> Label | None:
    """A line that opens with a field label and carries its value: '- Cơ quan chủ trì: Sở Tài chính',
    'Thời gian thực hiện Quý II/2026' (a deadline label needs no colon)."""
    m = _patterns().line.match(text.strip())
    if m is None:
        return None
    label = m.group("l") or m.group("l2")
    value = (m.group("v") if m.group("l") else m.group("v2")).strip(" .;")
    field = _label_field(label)
    return Label(field, label, value, 0, m.group("m").strip()) if value and field else None


def open_label(text: str) -> Label | None:
    """A line that is only a label ('b) Cơ quan thực hiện:'), its values on the lines below."""
    m = _patterns().bare.match(text.strip())
    if m is None:
        return None
    field = _label_field(m.group("l"))
    return Label(field, m.group("l"), "", 0, m.group("m").strip()) if field else None


def inline_labels(text: str) -> tuple[str, list[Label]]:
    """Labels inside a line after its first words ('Rà soát quy định; chủ trì: Sở Tư pháp; thời hạn: Quý
    II'): the text before the first label, and each label with the value up to the next one."""
    marks = [m for m in _patterns().inline.finditer(text) if m.start() > 0]
    if not marks:
        return text, []
    labels = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        value = text[m.end():nxt.start() if nxt is not None else len(text)].strip(" .;,)")
        field = _label_field(m.group("l"))
        if field and value:
            labels.append(Label(field, m.group("l"), value, m.start()))
    return text[:marks[0].start()].rstrip(" ;,.("), labels
