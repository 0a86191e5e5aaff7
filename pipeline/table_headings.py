"""Letter headings over task tables: 'a) Tổ chức chương trình …:' and its lead-in paragraph stand over a table
whose numbering starts again at 1, as 'b) …' stands over the next one. The heading is the table's group row
(its title the task, the lead-in's organiser and partners its units) and the rows are numbered under it
('a.1', 'a.2'), as a letter group row inside a table would be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.model import Item, Line, TableBlock
from normalizers.text import alternation, clean
from pipeline.prose_vocab import LETTER_ITEM, load_vocab
from pipeline.records import RawTask

DATA = Path(__file__).resolve().parent / "data"
_OTHER_HEADING = re.compile(r"^(?:[IVX]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[A-ZĐ])\s*[.)]\s+\S")
_MAX_TITLE_LINES = 4  # an OCR'd heading wraps over a few lines
_MAX_LEAD_IN = 14  # lines between the heading and its table: a paragraph or two, not a section


@dataclass(frozen=True)
class TableHeading:
    no: str
    title: str
    lead: str = ""
    coord: str = ""


@lru_cache(maxsize=1)
def _role_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    rows = [ln.split("\t") for ln in (DATA / "lead_in_roles.tsv").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    lead = [p.strip() for p, r in rows if r.strip() == "lead"]
    coord = [p.strip() for p, r in rows if r.strip() == "coord"]
    return (re.compile(rf"(?<!\w)(?:{alternation(lead)})(?!\w)"),
            re.compile(rf"(?<!\w)(?:{alternation(coord)})(?!\w)"))


def table_headings(items: list[Item]) -> dict[int, TableHeading]:
    """id(table) → the letter heading standing over it (only lines between the two, none a heading of
    another kind)."""
    out: dict[int, TableHeading] = {}
    since: list[Line] = []
    for it in items:
        if isinstance(it, TableBlock):
            heading = heading_of(since)
            if heading is not None:
                out[id(it)] = heading
            since = []
        else:
            since.append(it)
    return out


def heading_of(lines: list[Line]) -> TableHeading | None:
    texts = [clean(ln.text) for ln in lines if clean(ln.text)]
    for k in range(len(texts) - 1, max(-1, len(texts) - _MAX_LEAD_IN - 1), -1):
        m = LETTER_ITEM.match(texts[k])
        if m is None:
            if _OTHER_HEADING.match(texts[k]):
                return None
            continue
        title_lines = [texts[k][m.end():]]
        j = k + 1
        while (j < len(texts) and len(title_lines) < _MAX_TITLE_LINES and texts[j][:1].islower()
               and not title_lines[-1].rstrip().endswith((":", ".", ";"))):
            title_lines.append(texts[j])
            j += 1
        title = " ".join(title_lines).rstrip(" :;.")
        lead, coord = lead_in_roles(" ".join(texts[j:]))
        return TableHeading(m.group("no"), title, lead, coord)
    return None


def lead_in_roles(text: str) -> tuple[str, str]:
    """The organiser and the partners a lead-in sentence names: 'A chủ trì, phối hợp với B tổ chức …' →
    (A, B), B ending where the action's verb begins."""
    lead_word, coord_word = _role_words()
    for sentence in re.split(r"(?<=[.;:])\s+", text):
        m = lead_word.search(sentence)
        if m is None or not sentence[:1].isupper():
            continue
        lead = sentence[:m.start()].strip(" ,")
        rest = sentence[m.end():]
        c = coord_word.search(rest)
        coord = ""
        if c is not None and not rest[:c.start()].strip(" ,"):
            tail = rest[c.end():].strip()
            verb = load_vocab().verbs.search(tail)
            coord = (tail[:verb.start()] if verb is not None else tail).strip(" ,.;:")
            coord = coord[:1].upper() + coord[1:]
        return lead, coord
    return "", ""


def restarts(tasks: list[RawTask]) -> bool:
    return bool(tasks) and tasks[0].task_no in ("1", "1.")


def under_heading(tasks: list[RawTask], heading: TableHeading) -> list[RawTask]:
    """The heading as the group row, the table's rows numbered under it."""
    first = tasks[0]
    group = RawTask(task_no=heading.no, content=heading.title, content_raw=heading.title, lead_raw=heading.lead,
                    coord_raw=heading.coord, source_section=first.source_section, page=first.page,
                    method=first.method, confidence=first.confidence)
    for t in tasks:
        t.task_no = f"{heading.no}.{t.task_no}"
        t.parent_no = f"{heading.no}.{t.parent_no}" if t.parent_no else heading.no
    return [group, *tasks]


def group_by_headings(tables: list[tuple[TableBlock, list[RawTask]]], headings: dict[int, TableHeading]
                      ) -> list[RawTask]:
    """Tables' tasks in order; when two or more task tables restart their numbering each under a letter
    heading of its own, each such table's rows go under its heading (one table under a heading is left as
    it reads: its numbers are unique without one)."""
    headed = [(t, ts) for t, ts in tables if id(t) in headings and restarts(ts)]
    letters = {headings[id(t)].no for t, _ in headed}
    if len(headed) < 2 or len(letters) < len(headed):
        return [x for _, ts in tables for x in ts]
    out: list[RawTask] = []
    for table, ts in tables:
        out += under_heading(ts, headings[id(table)]) if any(table is t for t, _ in headed) else ts
    return out
