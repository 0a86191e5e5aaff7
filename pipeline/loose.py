"""A phụ lục whose table survived only as text, its columns interleaved line by line (whole-page OCR of a
ruled table): rows are found by their numbers (1, 1.1, 1.2 …), units by the gazetteer, and what is left of
each row's lines is its content."""

from __future__ import annotations

import re

from extractors.model import Line
from normalizers.text import clean, key
from normalizers.units import Gazetteer
from pipeline.records import RawTask

_HEADER_WORDS = ("tt", "nội dung", "đơn vị", "thực hiện", "mục tiêu", "giải pháp", "phối hợp", "thời gian",
                 "kết quả", "sản phẩm", "chủ trì")
_ROW = re.compile(r"^\s*(?P<no>\d{1,2}(?:\s?\.\s?\d{1,2})?)\.?(?![/.,]\d)(?:\s*[|!l]\s*|\s+|$)(?P<text>.*)$")


def _is_header(text: str) -> bool:
    """A table's header line: short, with a TT/STT column and at least two other column names."""
    k = key(text)
    return len(k) <= 150 and re.search(r"(?<!\w)s?tt(?!\w)", k) is not None \
        and sum(1 for w in _HEADER_WORDS[1:] if w in k) >= 2


def lines_to_loose_tasks(lines: list[Line], gaz: Gazetteer) -> list[RawTask]:
    texts = [clean(ln.text) for ln in lines]
    start = next((i for i, t in enumerate(texts) if _is_header(t)), None)
    if start is None:
        return []
    rows: list[tuple[str, list[str], int, list[str]]] = []  # number, its lines, page, the lines as extracted
    group = 0
    for ln, text in zip(lines[start + 1:], texts[start + 1:], strict=True):
        m = _ROW.match(text)
        raw = clean(ln.raw or ln.text)
        seen = {r[0] for r in rows}
        if m and (not rows or _plausible(m.group("no"), rows[-1][0], group, seen)):
            no = _repair(m.group("no").replace(" ", ""), group)
            top = no.split(".")[0]
            if "." in no and top not in seen and rows and _title_like(rows[-1][1][-1:]):
                # the group row lost its number: its title is the short line just before its first child
                title, raw_title = rows[-1][1].pop(), rows[-1][3].pop()
                rows.append((top, [title], ln.page, [raw_title]))
            group = max(group, int(top))
            rows.append((no, [m.group("text")] if m.group("text") else [], ln.page, [raw]))
        elif rows and text:
            rows[-1][1].append(text)
            rows[-1][3].append(raw)
    return _rows_to_tasks(rows, gaz)


def _title_like(last: list[str]) -> bool:
    return bool(last) and 8 <= len(last[0]) <= 70 and last[0][:1].isupper() and not last[0].rstrip().endswith(
        (",", ";"))


def _plausible(no: str, prev: str, group: int, seen: set[str]) -> bool:
    """A number that continues the numbering, or a sub-row of a group already met that the page layout
    pushed out of order (2.3 after 4.2) — not a figure inside a cell (17/17, 2020)."""
    fixed = _repair(no.replace(" ", ""), group)
    if fixed in seen:
        return False
    top = int(fixed.split(".")[0])
    late_child = "." in fixed and str(top) in seen and top < group
    return top in (group, group + 1) or "." in prev and top == int(prev.split(".")[0]) or late_child


def _repair(no: str, group: int) -> str:
    """'21' read for '2.1' (OCR drops the dot): a two-digit number right after group 2 is its first child."""
    if "." not in no and len(no) == 2 and int(no) > group + 1 and no[0] == str(group):
        return f"{no[0]}.{no[1]}"
    return no


def _rows_to_tasks(rows: list[tuple[str, list[str], int, list[str]]], gaz: Gazetteer) -> list[RawTask]:
    tasks: list[RawTask] = []
    last_units: tuple[str, str] = ("", "")
    for no, parts, page, raw in rows:
        text = clean(" ".join(parts))
        spans = gaz.find_exact(text)
        units = [text[s:e] for s, e, _ in spans]
        content = text
        for u in units:
            content = content.replace(u, " ")
        content = re.sub(r"\s+", " ", re.sub(r"[|‘’“”,.;:]\s*(?=[|‘’“”,.;:])", "", content)).strip(" |.,;")
        parent = no.split(".")[0] if "." in no else ""
        lead, coord = (units[0], "; ".join(units[1:])) if units else (last_units if parent else ("", ""))
        if parent:
            last_units = (lead, coord)  # a cell merged down the rows of a group names each of them
        tasks.append(RawTask(task_no=no, parent_no=parent, content=content, content_raw=" ".join(raw), lead_raw=lead,
                             coord_raw=coord, source_section="Phụ lục", page=page, method="text",
                             confidence=0.5))
    return tasks
