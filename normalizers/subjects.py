"""The subject of an item: the noun phrase that opens it and names who is to act ('Giao Bộ A chủ trì …',
'Bộ trưởng Bộ A chỉ đạo …', 'Sau khi …, các Bộ, cơ quan, địa phương tập trung …', 'Tập đoàn A, Tập đoàn B
chủ trì …', 'Cơ quan đăng ký đầu tư có trách nhiệm …'). The phrase is cut into the units it lists: a new
unit begins at a title or a unit's head noun after ',', 'và' or ';'. Words from data/lead_frames.tsv."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from normalizers.register import DATA, expand_abbreviations, head_of, lower_name_after, starts_unit
from normalizers.text import alternation

_PIECE_SEP = re.compile(r"\s*;\s*|\s*,\s*(?:và\s+)?|\s+và\s+")
_LIST_GLUE = re.compile(r",|;|\svà\s")
_MAX_WORDS = 60  # a subject longer than this is a sentence that happens to open with a unit


@dataclass(frozen=True)
class SubjectChunk:
    text: str
    titled: bool  # opens with a person's title: the lead is written as the title with its body


@dataclass(frozen=True)
class Subject:
    start: int  # where the phrase begins in the text (after a request word or an opening clause)
    end: int
    chunks: tuple[SubjectChunk, ...]


@dataclass(frozen=True)
class _Frames:
    request: re.Pattern[str]
    clause: re.Pattern[str]
    title: re.Pattern[str]
    predicate: re.Pattern[str]
    strong: re.Pattern[str]
    np_end: re.Pattern[str]


@lru_cache(maxsize=1)
def frames() -> _Frames:
    kinds: dict[str, list[str]] = {}
    for ln in (DATA / "lead_frames.tsv").read_text(encoding="utf-8").splitlines():
        if ln.strip() and not ln.startswith("#"):
            phrase, kind = ln.split("\t")
            kinds.setdefault(kind.strip(), []).append(phrase.strip())
    return _Frames(
        request=re.compile(rf"^(?:{alternation(kinds['request'])})\s+", re.I),
        clause=re.compile(rf"^(?:{alternation(kinds['clause'])})(?!\w)", re.I),
        title=re.compile(rf"^(?:{alternation(kinds['title'])})(?!\w)"),
        predicate=re.compile(rf"(?<!\w)(?:{alternation(kinds['predicate'])})(?!\w)"),
        strong=re.compile(rf"(?<!\w)(?:{alternation(kinds['responsible'])})(?!\w)"),
        np_end=re.compile(rf"(?<!\w)(?:{alternation(kinds['np_end'])})(?!\w)"),
    )


def opens_unit(piece: str) -> bool:
    """A piece of a list that begins a unit: a title, 'các …', an abbreviation, a head noun of several words
    ('Cơ quan', 'Ủy ban nhân dân') or a one-word head before a capitalised name ('Sở Tài chính', not
    'Trường hợp')."""
    if frames().title.match(piece):
        return True
    if not starts_unit(piece):
        return False
    words = piece.split()
    if words[0].lower() in ("các", "những"):
        return True
    if words[0].isupper():  # 'UBND cấp xã', not 'CSDL quốc gia': an abbreviation of a unit's words
        return expand_abbreviations(words[0]) != words[0]
    head = head_of(piece)
    if " " in head:
        return len(words) > len(head.split())  # a bare 'Cơ quan' names nobody
    return len(words) > 1 and (words[1][:1].isupper() or words[1][:1].isdigit())  # 'Phòng 5', 'Đội 2'


def find_subject(text: str, predicate_at: Callable[[str], int | None],
                 protected: list[tuple[int, int]]) -> Subject | None:
    """The units-naming phrase that opens `text`, or None. predicate_at(text) gives where the text's first
    action verb stands (the caller's verb vocabulary); verbs inside `protected` spans (unit names found in
    the text) do not count."""
    f = frames()
    offset = 0
    m = f.request.match(text)
    if m is not None:
        offset = m.end()
    starts = [offset]
    if f.clause.match(text[offset:]):  # 'Sau khi được Quốc hội thông qua, các Bộ …': the subject after a comma
        starts = [offset + c.end() for c in re.finditer(r",\s*", text[offset:])][:8]
    for start in starts:
        subject = _subject_at(text, start, predicate_at, protected)
        if subject is not None:
            return subject
    return None


def _subject_at(text: str, start: int, predicate_at: Callable[[str], int | None],
                protected: list[tuple[int, int]]) -> Subject | None:
    rest = text[start:]
    if not opens_unit(rest) or predicate_at(rest) == 0:
        return None
    end = _predicate_start(rest, start, predicate_at, protected)
    if end is None:
        return None
    phrase = rest[:end]
    cut = next((m for m in frames().np_end.finditer(phrase)
                if m.start() > 0 and not _inside(start + m.start(), protected)), None)
    if cut is not None:
        phrase = phrase[:cut.start()]
    phrase = phrase.rstrip(" ,;:")
    if not phrase or len(phrase.split()) > _MAX_WORDS:
        return None
    chunks = _chunks(phrase)
    if not chunks or any(len(c.text.split()) > 16 for c in chunks):
        return None
    return Subject(start, start + len(phrase), tuple(chunks))


def _predicate_start(rest: str, start: int, predicate_at: Callable[[str], int | None],
                     protected: list[tuple[int, int]]) -> int | None:
    """Where the predicate begins in `rest`: a responsibility frame close after the opening name ('Cơ quan
    đăng ký đầu tư có trách nhiệm'), else the first of a ':' closing a unit heading, a predicate word or an
    action verb outside a unit's name."""
    f = frames()
    strong = f.strong.search(rest)
    word = f.predicate.search(rest)
    before = rest[:strong.start()] if strong is not None else ""
    # 'Cơ quan phối hợp có trách nhiệm': a predicate word after a bare head ('Cơ quan') is a word of the name
    inside_name = word is not None and not opens_unit(rest[:word.start()].strip())
    if strong is not None and (word is None or word.start() >= strong.start() or word.start() == 0 or inside_name) \
            and len(before.split()) <= 8 and not _LIST_GLUE.search(before):
        return strong.start()
    cands: list[int] = []
    colon = rest.find(":")
    if colon > 0:
        cands.append(colon)
    if word is not None and word.start() > 0:
        cands.append(word.start())
    pos = 0
    while pos < len(rest):
        at = predicate_at(rest[pos:])
        if at is None:
            break
        at += pos
        if at > 0 and rest[at].islower() and not _inside(start + at, protected) and not _in_listed_name(rest, at):
            cands.append(at)
            break
        pos = at + 1
    return min(cands) if cands else None


def _in_listed_name(rest: str, at: int) -> bool:
    """'Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên, Ban …': a verb before capitalised words,
    in a list whose next item opens a unit, is a word of a name."""
    after = rest[at:].split(maxsplit=3)
    sep = _PIECE_SEP.search(rest, at)
    return len(after) > 2 and any(w[:1].isupper() for w in after[1:3]) and sep is not None \
        and opens_unit(rest[sep.end():])


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _chunks(phrase: str) -> list[SubjectChunk]:
    """'Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, Chủ tịch Ủy ban nhân dân các tỉnh' → two: a piece opens a
    new unit at a title or a head noun; a title with nothing after it shares the unit that follows it."""
    chunks: list[list[str]] = []
    pos = 0
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    sep = ""
    for m in _PIECE_SEP.finditer(phrase):
        pieces.append((sep, phrase[pos:m.start()]))
        sep, pos = m.group(0), m.end()
    pieces.append((sep, phrase[pos:]))
    for sep, piece in pieces:
        if not piece:
            continue
        bare_title = bool(chunks) and _bare_title(chunks[-1][-1]) and len(chunks[-1]) == 1
        opens = opens_unit(piece) or bool(chunks) and lower_name_after("".join(chunks[-1]), piece)
        if chunks and (";" in sep or (opens and not bare_title)) or not chunks:
            chunks.append([piece])
        else:
            chunks[-1].extend([sep, piece])
    if not chunks or not opens_unit(chunks[0][0]):
        return []
    out = [SubjectChunk("".join(c).strip(" ,;"), bool(frames().title.match(c[0]))) for c in chunks]
    return _path_as_one(out)


def _path_as_one(chunks: list[SubjectChunk]) -> list[SubjectChunk]:
    """'Phòng 5, Cục A, Bộ Công an': pieces rising in rank from a lowest-rank body are one unit's path."""
    ranks = [_rank(c.text) for c in chunks]
    rising = all(a is not None and b is not None and a < b for a, b in zip(ranks, ranks[1:], strict=False))
    if len(chunks) < 2 or ranks[0] != 1 or not rising or any(c.titled for c in chunks):
        return chunks
    return [SubjectChunk(", ".join(c.text for c in chunks), False)]


def _rank(piece: str) -> int | None:
    low = piece.lower()
    return next((r for head, r in _ranks() if low.startswith(head + " ")), None)


@lru_cache(maxsize=1)
def _ranks() -> list[tuple[str, int]]:
    rows = [ln.split("\t") for ln in (DATA / "unit_ranks.tsv").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return sorted(((h.strip(), int(r)) for h, r in rows), key=lambda x: len(x[0]), reverse=True)


def _bare_title(piece: str) -> bool:
    m = frames().title.match(piece)
    return m is not None and not piece[m.end():].strip()
