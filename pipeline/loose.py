"""A phụ lục whose table survived only as text, its columns interleaved line by line (whole-page OCR of a
ruled table).

Rows are found by their numbers (1, 1.1, 1.2 …), repaired against the numbering sequence when the OCR
misread them. The lines between two numbers are shared out between the rows, knowing that a row's number
sits in the middle of its tallest cell and that a cell begins with a capital. Within a row, unit names
are pulled out with the gazetteer and the rest is cut into the content and goal columns
(pipeline/columns.py). Pages the OCR read column by column (a number alone on its line, then one
paragraph per cell) are read paragraph by paragraph instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.model import Line
from normalizers.fields import fields_in
from normalizers.restore import Restorer
from normalizers.text import bare, clean, key
from normalizers.units import Gazetteer
from pipeline.columns import (
    CellLine,
    Chain,
    StreamSplitter,
    UnitVocabulary,
    find_unit_chains,
    is_word,
)
from pipeline.records import RawTask

_HEADER_WORDS = ("tt", "nội dung", "đơn vị", "thực hiện", "mục tiêu", "giải pháp", "phối hợp", "thời gian",
                 "kết quả", "sản phẩm", "chủ trì")
_ROW = re.compile(r"^\s*(?P<no>\d{1,2}(?:\s?\.\s?\d{1,2})?)\.?(?![/.,]\d)(?:\s*[|!l]\s*|\s+|$)(?P<text>.*)$")
_JUNK_ROW = re.compile(r"^\s*\S{1,2}\s+(?P<no>\d{1,2}(?:\.\d{1,2})?)\s*\|\s*(?P<text>.*)$")  # 'g 1 | Thực hiện'


@dataclass
class _Row:
    no: str
    at: int  # index of the line that carries the number (or the title of a group that lost its number)
    text: str  # what follows the number on that line
    page: int
    lines: list[int] = field(default_factory=list)  # every line of the row, in order, the number's included
    content: str = ""
    goals: list[str] = field(default_factory=list)
    lead: str = ""
    coord: str = ""

    @property
    def is_group(self) -> bool:
        return "." not in self.no

    @property
    def group(self) -> str:
        return self.no.split(".")[0]

    @property
    def by_rows(self) -> bool:
        """The OCR read this row across its columns (text beside the number), not column by column."""
        return not self.is_group and any(c.isalpha() for c in self.text)


def _is_header(text: str) -> bool:
    """A table's header line: short, with a TT/STT column and at least two other column names, or without
    the number column when column names (from the header vocabulary) make up nearly all of the line."""
    k = key(text)
    if len(k) > 150:
        return False
    if re.search(r"(?<!\w)s?tt(?!\w)", k) is not None and sum(1 for w in _HEADER_WORDS[1:] if w in k) >= 2:
        return True
    roles, covered = fields_in(k)
    words = [w for w in k.split() if any(c.isalnum() for c in w)]
    # four column names at least: a prose heading ('Nội dung, thời gian, đơn vị thực hiện') seldom has more
    return len(roles) >= 4 and bool(roles & {"content", "lead", "unit"}) and covered >= 0.8 * len(words)


def lines_to_loose_tasks(lines: list[Line], gaz: Gazetteer, lm: Restorer) -> list[RawTask]:
    texts = [clean(ln.text) for ln in lines]
    start = next((i for i, t in enumerate(texts) if _is_header(t)), None)
    if start is None:
        return []
    rows = _numbered_rows(texts, start + 1, lines)
    if not rows:
        return []
    vocab = UnitVocabulary(gaz, set(lm.vocab))
    _share_lines(rows, texts, len(texts), vocab)
    widths: list[int] = []
    for row in rows:
        if row.is_group:
            row.content = row.text
        elif not row.by_rows:
            widths += _read_down(row, texts, lines, vocab)
    # pages read column by column show how wide the content column is; the widest lines are its width
    splitter = StreamSplitter(lm, sorted(widths)[int(0.9 * len(widths))] if len(widths) >= 6 else None)
    for row in rows:
        if row.by_rows:
            _read_across(row, texts, vocab, splitter)
    _share_block_goals(rows)
    _merge_continued_goals(rows, lambda w: bare(w) in lm.index)
    _fill_units(rows)
    right = _right_column(" ".join(texts[max(0, start - 1):start + 2]))
    return [_to_task(r, lines, right) for r in rows]


def _right_column(header: str) -> str:
    """What the text right of the content is, by the header's column names: a goal column is appended to
    the content; a deadline or output column goes to its field."""
    k = key(header)
    if "mục tiêu" in k or "giải pháp" in k:
        return "goal"
    if "thời gian" in k or "thời hạn" in k:
        return "deadline"
    return "output" if "kết quả" in k or "sản phẩm" in k else "goal"


# ----------------------------------------------------------------------------------------- numbering
def _numbered_rows(texts: list[str], first: int, lines: list[Line]) -> list[_Row]:
    found = []
    for i in range(first, len(texts)):
        m = _ROW.match(texts[i])
        junk = m is None and (m := _JUNK_ROW.match(texts[i])) is not None
        if m:
            found.append((i, m.group("no").replace(" ", ""), m.group("text"), junk))
    rows: list[_Row] = []
    group, child = 0, 0
    for j, (i, read, text, junk) in enumerate(found):
        after = found[j + 1][1] if j + 1 < len(found) else ""
        no = _fix_number(read, group, child, after, junk, {r.no for r in rows})
        if no is None:
            continue
        top, _, sub = no.partition(".")
        if sub and int(top) != group:  # a group row that lost its number: its title is the line before
            t = _previous_text(texts, i, rows[-1].at if rows else first - 1)
            if t is not None and _title_like(texts[t]):
                rows.append(_Row(top, t, texts[t], lines[t].page))
        group, child = int(top), int(sub) if sub else 0
        rows.append(_Row(no, i, text, lines[i].page))
    return rows


def _fix_number(read: str, group: int, child: int, after: str, junk: bool, seen: set[str]) -> str | None:
    """The row number a line carries, checked against the numbering so far: 2.1 read as '21', 5.2 as '59'
    (5.3 follows), 4.3 as '2.3' (group 2 is over); a figure inside a cell (17/17, 2020) is no number."""
    if len(read) == 2 and "." not in read and int(read) > group + 1 and read[0] == str(group):
        read = f"{read[0]}.{read[1]}"
    expected = {f"{group}.{child + 1}", str(group + 1), f"{group + 1}.1"}
    if read in expected and read not in seen:
        return read
    top, _, sub = read.partition(".")
    nxt = f"{group}.{child + 1}"
    if sub and int(top) == group and after == f"{group}.{child + 2}":
        return nxt
    if (sub or junk) and (sub or top) == str(child + 1) and group and (read in seen or int(top) < group or junk):
        return nxt
    if sub and read not in seen and int(top) == group and int(sub) > child:
        return read  # a row the OCR missed entirely
    return None


def _previous_text(texts: list[str], i: int, floor: int) -> int | None:
    for t in range(i - 1, floor, -1):
        if texts[t]:
            return t
    return None


def _title_like(text: str) -> bool:
    return 8 <= len(text) <= 70 and text[:1].isupper() and not text.rstrip().endswith((",", ";"))


# ----------------------------------------------------------------------------------------- lines → rows
def _substantive(text: str) -> bool:
    """A line of text, not a stray mark the OCR made of a ruling line."""
    return any(sum(c.isalpha() for c in w) >= 2 for w in text.split())


def _opens(text: str, vocab: UnitVocabulary) -> float:
    """How unlikely a line is to open a row: 0 for a capital, 1.5 for a lower-case word or a unit name (the
    unit columns are centred, so their names seldom start a row)."""
    word = next((w for w in text.split() if any(c.isalpha() for c in w)), "")
    letter = next((c for c in word if c.isalpha()), "")
    return 0.0 if not letter or letter.isupper() and vocab.word(word) not in vocab.heads else 1.5


def _share_lines(rows: list[_Row], texts: list[str], end: int, vocab: UnitVocabulary) -> None:
    """Give every line between two numbered lines to one of the two rows: the number sits in the middle
    of its row, so each row takes about as many lines below its number as it has above."""
    bounds = [r.at for r in rows] + [end]
    gaps = [[i for i in range(bounds[k] + 1, bounds[k + 1]) if texts[i]] for k in range(len(rows))]
    # dp over gaps: lines above the current row → (cost, cut of every gap so far)
    dp: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for k, gap in enumerate(gaps):
        row, nxt = rows[k], rows[k + 1] if k + 1 < len(rows) else None
        counted = [0]  # substantive lines among the gap's first d lines
        for i in gap:
            counted.append(counted[-1] + _substantive(texts[i]))
        shared = row.by_rows and nxt is not None and nxt.by_rows
        cuts = [d for d in range(len(gap)) if counted[d + 1] > counted[d]] + [len(gap)] if shared else \
            ([0] if row.is_group and nxt is not None else [len(gap)])
        new: dict[int, tuple[float, list[int]]] = {}
        for up, (cost, path) in dp.items():
            for d in cuts:
                c = cost + (0.5 * abs(up - counted[d]) if row.by_rows else 0.0)
                c += _opens(texts[gap[d]], vocab) if d < len(gap) and shared else 0.0
                u = counted[-1] - counted[d] if nxt is not None and nxt.by_rows else 0
                if u not in new or new[u][0] > c:
                    new[u] = (c, [*path, d])
        dp = new
    _, path = min(dp.values(), key=lambda v: v[0])
    above: list[int] = []
    for row, gap, d in zip(rows, gaps, path, strict=True):
        row.lines = above + [row.at] + gap[:d]
        above = gap[d:]


# ----------------------------------------------------------------------------------------- rows → cells
def _read_across(row: _Row, texts: list[str], vocab: UnitVocabulary, splitter: StreamSplitter) -> None:
    toks = [(row.text if i == row.at else texts[i]).split() for i in row.lines]
    chains = find_unit_chains(toks, vocab)
    leads = _set_units(row, chains, toks)
    taken = {(li, t) for c in chains for li, s, e in c.spans for t in range(s, e)}
    cells: list[CellLine] = []
    for li, line in enumerate(toks):
        kept = [t for t, tok in enumerate(line) if is_word(tok) and (li, t) not in taken]
        seams = frozenset(k for k in range(1, len(kept)) if "|" in line[kept[k - 1] + 1:kept[k]])
        cut = next((sum(1 for t in kept if t < s) for c in leads for ci, s, e in c.spans
                    if ci == li and e < len(line)), None)
        cells.append(CellLine([line[t] for t in kept], row.lines[li] == row.at, cut, seams))
    cuts = splitter.split(cells)
    row.content = " ".join(w for cell, c in zip(cells, cuts, strict=True) for w in cell.words[:c])
    goal = " ".join(w for cell, c in zip(cells, cuts, strict=True) for w in cell.words[c:])
    row.goals = [goal] if goal else []


def _read_down(row: _Row, texts: list[str], lines: list[Line], vocab: UnitVocabulary) -> list[int]:
    """A row read column by column: its first paragraph is the content, paragraphs made of unit names are
    its units, and the other paragraphs are goal text. Gives the lengths of the content's lines."""
    paras: list[list[int]] = []
    for i in row.lines:
        if i == row.at:
            continue
        if not paras or lines[i].new_para:
            paras.append([])
        paras[-1].append(i)
    toks = [texts[i].split() for p in paras for i in p]
    chains = find_unit_chains(toks, vocab)
    taken = {li for c in chains for li, s, e in c.spans if e - s >= 0.6 * len(toks[li])}
    names = [(c.spans[0][0], c.text) for c in chains]  # (line, text) of each unit name
    li, goal_at = 0, len(toks)
    widths: list[int] = []
    for p in paras:
        text = " ".join(texts[i] for i in p)
        chained = all(li + k in taken for k in range(len(p)))
        if not chained and vocab.looks_like_units(text.split()):
            names.append((li, text))
        elif not chained and not row.content:
            row.content = text
            widths = [len(texts[i]) for i in p]
        elif not chained:
            row.goals.append(text)
            goal_at = min(goal_at, li)
        li += len(p)
    # names before the goal text are the lead column, names after it the coordinating column
    names.sort()
    lead = [t for at, t in names if at < goal_at][:1 if goal_at == len(toks) else None]
    row.lead = "; ".join(lead)
    row.coord = "; ".join(t for _, t in names[len(lead):])
    return widths


def _set_units(row: _Row, chains: list[Chain], toks: list[list[str]]) -> list[Chain]:
    """Names standing at the end of a line after other text are in the last column, the coordinating
    units; the others are the lead. Gives the lead names."""
    def last_column(c: Chain) -> bool:
        li, s, e = c.spans[0]
        return e == len(toks[li]) and s >= 3
    leads = [c for c in chains if not last_column(c)]
    if chains:
        row.lead = "; ".join(c.text for c in leads)
        row.coord = "; ".join(c.text for c in chains if last_column(c))
    return leads


def _share_block_goals(rows: list[_Row]) -> None:
    """Goal cells the OCR emitted after several rows' contents belong to the rows that have none, in order."""
    for k, row in enumerate(rows):
        if len(row.goals) < 2 or row.by_rows:
            continue
        empty: list[_Row] = []
        for prev in reversed(rows[:k]):
            if prev.is_group or prev.by_rows or prev.goals:
                break
            empty.insert(0, prev)
        take = min(len(empty), len(row.goals) - 1)
        if not take:
            continue
        extra = len(row.goals) - 1 - take
        receivers = empty[-take:]
        receivers[0].goals = [" ".join(row.goals[:extra + 1])]
        for r, g in zip(receivers[1:], row.goals[extra + 1:-1], strict=True):
            r.goals = [g]
        row.goals = row.goals[-1:]


def _merge_continued_goals(rows: list[_Row], lm_word: Callable[[str], bool]) -> None:
    """A goal that runs on into the next row without a capital is one cell merged down those rows."""
    run: list[_Row] = []
    for row in [*rows, None]:
        goal = " ".join(row.goals) if row is not None else ""
        first = goal.split()[0] if goal else ""
        continues = first.isupper() or (first.islower() and lm_word(first))
        if row is not None and not row.is_group and run and continues and len(goal) <= 80 \
                and not " ".join(run[-1].goals).endswith((".", ";")):
            run.append(row)
            continue
        if len(run) > 1:
            merged = " ".join(" ".join(r.goals) for r in run)
            for r in run:
                r.goals = [merged]
        run = [row] if row is not None and not row.is_group and goal else []


def _fill_units(rows: list[_Row]) -> None:
    """A unit cell merged down a group's rows is printed once, level with the middle of them."""
    for k, row in enumerate(rows):
        if row.is_group or row.lead:
            continue
        same = [(j, r) for j, r in enumerate(rows) if not r.is_group and r.group == row.group and r.lead]
        before = [r for j, r in same if j < k]
        source = before[-1] if before else (same[0][1] if same else None)
        if source is not None:
            row.lead, row.coord = source.lead, source.coord


def _to_task(row: _Row, lines: list[Line], right: str) -> RawTask:
    rest = clean(" ".join(row.goals))
    goal = rest if right == "goal" else ""
    raw = " ".join(clean(lines[i].raw or lines[i].text) for i in row.lines)
    task = RawTask(task_no=row.no, parent_no="" if row.is_group else row.group, content_raw=raw,
                   content=clean(row.content).strip(" |.,;:"), goal=goal, lead_raw=row.lead, coord_raw=row.coord,
                   source_section="Phụ lục", page=row.page, method="text", confidence=0.5,
                   output=rest if right == "output" else "", deadline_raw=rest if right == "deadline" else "")
    task.append_goal()
    return task
