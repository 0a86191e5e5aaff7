"""Phụ lục tables → tasks: find the header by fuzzy column names, align cells, build the group tree."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from extractors.model import TableBlock
from normalizers.dates import parse_deadline
from normalizers.register import Issuer, UnitMatch
from normalizers.text import clean, key, strip_diacritics
from normalizers.units import Gazetteer
from pipeline.records import RawTask

_DATA = Path(__file__).parent / "data" / "table_headers.tsv"
_NUMBER = re.compile(r"^(?:[IVX]{1,6}|[A-ZĐ]|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]?$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET = re.compile(r"^[-+•*]\s*")
_GROUP_MARK = re.compile(r"^(?P<no>[IVX]{1,6}|[A-ZĐ])\s*[.)]\s+(?=\S)")  # 'I. Kinh tế số' in the content cell
_ROW_MARK = re.compile(r"^(?P<no>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s+(?=\D)")  # '1. Rà soát' in the content cell
_TASK_ROLES = {"lead", "coord", "deadline", "output"}
_MAX_TAIL_WORDS = 4  # 'Cơ quan chủ trì thực hiện': a wording followed by a few more words keeps its role


@dataclass
class Header:
    row_index: int
    roles: list[str]  # one per column: no, content, lead, coord, output, deadline, goal, note, funding, ""


@lru_cache(maxsize=1)
def header_vocabulary(path: Path = _DATA) -> tuple[tuple[str, str, str], ...]:
    """(role, key, key without marks) for every wording in the data file, longest first."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        role, wording = line.split("\t", 1)
        k = key(wording)
        rows.append((role.strip(), k, strip_diacritics(k)))
    return tuple(sorted(rows, key=lambda r: -len(r[1])))


@lru_cache(maxsize=1 << 16)  # the same cells are judged again and again (repeated headers, dump suffixes)
def cell_role(text: str) -> tuple[str, float]:
    """The role a header cell names: a wording it equals or begins with, else the closest by fuzzy ratio."""
    k = re.sub(r"^(?:các|những)\s+", "", key(re.sub(r"\*", "", text)))  # 'Các nhiệm vụ' is 'Nhiệm vụ'
    if not k or len(k) > 60:
        return "", 0.0
    if len(k) <= 6:
        k = k.replace(" ", "")  # 'ST T' wrapped in a narrow column
    ak = strip_diacritics(k)
    vocab = header_vocabulary()
    for role, v, av in vocab:
        for cand, word in ((k, v), (ak, av)):
            if cand == word or (cand.startswith(word) and not cand[len(word)].isalnum()
                                and len(cand[len(word):].split()) <= _MAX_TAIL_WORDS):
                return role, 100.0
    best = ("", 0.0)
    for role, v, av in vocab:
        s = max(fuzz.ratio(k, v), fuzz.ratio(ak, av) - 3)
        if s > best[1]:
            best = (role, s)
    return best if best[1] >= 85 else ("", best[1])


def find_header(rows: list[list[str]]) -> Header | None:
    width = max((len(r) for r in rows), default=0)
    for i, row in enumerate(rows[:8]):
        roles = [cell_role(c)[0] for c in row]
        found = {r for r in roles if r}
        if len(found) >= 2 and found & {"content", "lead", "unit", "deadline"}:
            index = i
            below = rows[i + 1] if i + 1 < len(rows) else []
            merged = _merge_sub_header(row, roles, below, width)
            if merged is not None:
                roles, index = merged, i + 1
            if "no" not in roles and roles and not roles[0]:
                numbered = [r[0] for r in rows[index + 1:index + 12] if r and r[0].strip()]
                if numbered and sum(bool(_NUMBER.match(c.strip())) for c in numbered) >= 0.7 * len(numbered):
                    roles[0] = "no"
            return Header(index, _settle_roles(row, roles))
    return None


def is_task_table(header: Header) -> bool:
    """A table that names who does it or by when; an indicator or statistics table does not."""
    return "content" in header.roles and bool(set(header.roles) & {"lead", "coord", "unit", "deadline"})


def _merge_sub_header(row: list[str], roles: list[str], below: list[str], width: int) -> list[str] | None:
    """A two-row header: a group cell ('Đơn vị thực hiện') over sub-cells ('Chủ trì', 'Phối hợp')."""
    sub = [cell_role(c)[0] for c in below]
    named = [r for r in sub if r]
    if not named or any(c.strip() and not r and c.strip() != (row[j] if j < len(row) else "").strip()
                        for j, (c, r) in enumerate(zip(below, sub, strict=False))):
        return None
    if len(row) == len(below):  # a grid (Word, PDF): spanned cells are blank or repeat the cell above
        merged = [s or r for r, s in zip(roles, sub, strict=True)]
        return merged if merged != roles else None
    # a text dump: the group cell became one cell, its sub-cells a short row of their own
    span = width - len(row) + 1
    if len(below) != span or span < 2:
        return None
    groups = [j for j, r in enumerate(roles) if r in ("unit", "lead", "coord", "")]
    if not groups:
        return None
    j = groups[0]
    return roles[:j] + sub + roles[j + 1:]


def _settle_roles(row: list[str], roles: list[str]) -> list[str]:
    """A unit column ('Đơn vị thực hiện') is the lead unless a chủ trì column stands beside it, then it is the
    coordinating one; a second lead column (one without 'chủ trì') is coordinating too."""
    keys = [key(c) for c in row] + [""] * max(0, len(roles) - len(row))
    roles = list(roles)
    if "lead" in roles:
        roles = ["coord" if r == "unit" else r for r in roles]
    units = [i for i, r in enumerate(roles) if r == "unit"]
    for n, i in enumerate(units):
        roles[i] = "lead" if n == 0 else "coord"
    leads = [i for i, r in enumerate(roles) if r == "lead"]
    if len(leads) > 1:
        main = next((i for i in leads if "chủ trì" in keys[i]), leads[0])
        for i in leads:
            if i != main:
                roles[i] = "coord"
    seen: set[str] = set()
    for i, r in enumerate(roles):  # a second content/deadline column is folded into the first
        if r in seen and r not in ("note", "funding", ""):
            roles[i] = r + "2"
        seen.add(r)
    return roles


def is_header_repeat(row: list[str], header: Header) -> bool:
    hits = sum(1 for c, r in zip(row, header.roles, strict=False) if r and cell_role(c)[0] == r.rstrip("2"))
    return hits >= max(2, len([r for r in header.roles if r]) // 2)


def _is_column_numbers(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 3 and all(_COLUMN_NUMBERS.match(c) for c in cells)


def _fit(cell: str, role: str, gaz: Gazetteer) -> float:
    """How well a cell's text fits a column role, for aligning rows whose empty cells were dropped."""
    c = clean(cell)
    if not c:
        return 0.0
    dl = parse_deadline(c).kind != "unspecified" or bool(re.match(r"(?i)theo\s+(kế hoạch|quy định)", c))
    units = gaz.find_exact(c)
    cover = sum(e - s for s, e, _ in units) / max(1, len(c))
    if role == "deadline":
        return 3.0 if dl and len(c) < 80 else -2.0
    if role in ("lead", "coord"):
        return 2 * cover - 0.6 + (0.05 if role == "lead" else 0)
    if dl and len(c) < 40:
        return -1.0
    if role == "content":
        return 1.0 + min(len(c), 200) / 200
    return 0.2 - cover


def align_cells(cells: list[str], roles: list[str], gaz: Gazetteer) -> list[str]:
    """Order-preserving assignment of n cells to m ≥ n columns maximizing fit (dynamic programming)."""
    n, m = len(cells), len(roles)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[False] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + _fit(cells[i - 1], roles[j - 1], gaz)
            best[i][j], back[i][j] = (take, True) if take >= skip else (skip, False)
    out = [""] * m
    i, j = n, m
    while i > 0 and j > 0:
        if back[i][j]:
            out[j - 1] = cells[i - 1]
            i -= 1
        j -= 1
    return out


def _level(no: str) -> int:
    n = no.rstrip(".)")
    if re.fullmatch(r"[IVX]+", n):
        return 0
    if re.fullmatch(r"[A-ZĐ]", n):
        return -1
    if re.fullmatch(r"\d+(?:\.\d+)*", n):
        return 1 + n.count(".")
    if re.fullmatch(r"[a-zđ]", n):
        return 8
    return 9


def rows_to_tasks(table: TableBlock, header: Header, gaz: Gazetteer, section: str = "Phụ lục") -> list[RawTask]:
    roles = header.roles
    tasks: list[RawTask] = []
    stack: list[tuple[int, str]] = []
    unnumbered = 0
    starts = set(table.page_breaks)
    spanned = _spanned_roles(roles)
    carried: dict[str, str] = {}
    groups: list[str] = []  # the roman/letter group each task sits in
    siblings: dict[str, dict[str, str]] = {}  # the fields of the last row under each parent
    last_group = ""  # the last roman group of the table, which an OCR may misread ('II' for 'III')
    for r_i, row in enumerate(table.rows[header.row_index + 1:], start=header.row_index + 1):
        cells = [clean(c) for c in row]
        if not any(cells) or _is_column_numbers(cells) or is_header_repeat(cells, header):
            continue
        fields = _row_fields(cells, roles, gaz)
        no = fields.get("no", "").rstrip(".)") if _NUMBER.match(fields.get("no", "")) else ""
        if not no and not _NUMBER.match(fields.get("no", "")) and fields.get("no"):
            fields["content"] = (fields["no"] + " " + fields.get("content", "")).strip()
        content = fields.get("content", "")
        mark = None if no else _ROW_MARK.match(content) or (
            _GROUP_MARK.match(content) if not _has_details(fields) else None)
        if mark:
            no, fields["content"] = mark.group("no"), content[mark.end():].strip()
            content = fields["content"]
        if not content:
            continue
        if not no and tasks and not _BULLET.match(content) and _is_continuation(table, r_i in starts, fields):
            _continue_task(tasks[-1], fields)
            continue
        if not no and table.ruled and stack:
            no = _next_number(stack, group=not _has_details(fields))
        if no:
            unnumbered = 0
            no = _repair_sequence(_repair_prefix(no, stack), stack, last_group)
            level = _level(no)
        else:
            level = 10
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent_no = stack[-1][1] if stack else ""
        if not no:  # a row without a number: the n-th unnumbered row under the last numbered one
            unnumbered += 1
            no = f"{parent_no}.-{unnumbered}" if parent_no else f"-{unnumbered}"
        groups.append(next((n for lvl, n in reversed(stack) if lvl <= 0), ""))
        stack.append((level, no))
        if level == 0:
            last_group = no
        if level <= 0:
            carried = {}
        _carry_spanned(fields, spanned, carried)
        if not table.ruled:
            _carry_from_sibling(fields, siblings.get(parent_no))
            siblings[parent_no] = fields
        tasks.append(_make_task(no, parent_no, fields, table, section))
        raw = table.raw_rows[r_i] if table.raw_rows is not None and r_i < len(table.raw_rows) else None
        if raw is not None and "content" in roles and len(raw) == len(roles):
            raw_content = clean(raw[roles.index("content")])
            raw_mark = (_ROW_MARK.match(raw_content) or _GROUP_MARK.match(raw_content)) if mark else None
            tasks[-1].content_raw = raw_content[raw_mark.end():].strip() if raw_mark else raw_content
    _prefix_restarted(tasks, groups)
    for t in tasks:
        t.append_goal()
    return tasks


def _spanned_roles(roles: list[str]) -> list[str]:
    """Columns left of the content (a deadline or unit printed first) are merged down their group: a text
    dump leaves the cell blank in every row it spans but the first."""
    if "content" not in roles:
        return []
    return [r for r in roles[:roles.index("content")] if r in _TASK_ROLES]


def _carry_spanned(fields: dict[str, str], spanned: list[str], carried: dict[str, str]) -> None:
    if not _has_details(fields) and not any(fields.get(r) for r in spanned):
        return  # a group row: its children start the span again
    for r in spanned:
        if fields.get(r):
            carried[r] = fields[r]
        elif r in carried:
            fields[r] = carried[r]


def _prefix_restarted(tasks: list[RawTask], groups: list[str]) -> None:
    """Numbers that restart inside roman (or letter) groups take the group as a prefix ('I.1', 'II.1')."""
    counts = Counter(t.task_no for t in tasks)
    if all(c == 1 for c in counts.values()):
        return
    for t, g in zip(tasks, groups, strict=True):
        if g and not t.task_no.startswith(g + "."):
            t.task_no = f"{g}.{t.task_no}"
            if t.parent_no and t.parent_no != g and not t.parent_no.startswith(g + "."):
                t.parent_no = f"{g}.{t.parent_no}"


def _carry_from_sibling(fields: dict[str, str], sibling: dict[str, str] | None) -> None:
    """A text dump prints a cell merged down several rows in the first of them and leaves the others blank:
    a task row without a lead or a deadline, after a sibling with one, shares it."""
    if sibling is None or not _has_details(fields) or not _has_details(sibling):
        return
    for r in ("lead", "deadline"):
        if not fields.get(r) and sibling.get(r):
            fields[r] = sibling[r]


def _row_fields(cells: list[str], roles: list[str], gaz: Gazetteer) -> dict[str, str]:
    if len(cells) < len(roles):
        first_is_no = roles and roles[0] == "no" and bool(_NUMBER.match(cells[0]))
        head = [cells[0]] if first_is_no else []
        rest_roles = roles[1:] if first_is_no else roles
        cells = head + align_cells(cells[len(head):], rest_roles, gaz)
    fields: dict[str, str] = {}
    for c, r in zip(cells, roles, strict=False):
        base = r.rstrip("2")
        if base and c:
            fields[base] = (fields[base] + " " + c).strip() if base in fields and fields[base] != c else c
    for extra in cells[len(roles):]:
        fields["content"] = (fields.get("content", "") + " " + extra).strip()
    return fields


def _is_continuation(table: TableBlock, page_start: bool, fields: dict[str, str]) -> bool:
    """A row without a number continues the one above when it opens a page, starts in lower case, or (in a
    table without drawn rows) holds only text; in a ruled table every other row is a row of its own."""
    content = fields.get("content", "")
    if page_start or content[:1].islower():
        return True
    return not table.ruled and not _has_details(fields)


def _next_number(stack: list[tuple[int, str]], group: bool) -> str:
    """The number a row must have had (OCR drops short numbers): the next sibling in the sequence. Under
    roman groups a group row is the next roman group, and single numbers are rows of their own."""
    romans = [n for lvl, n in stack if lvl == 0]
    if group and romans:
        return _roman(_roman_value(romans[-1]) + 1)
    numeric = [n for _, n in stack if re.fullmatch(r"\d+(?:\.\d+)*", n)]
    if not numeric:
        return ""
    last = numeric[-1].split(".")
    if group:
        last = last[:1]
    elif len(last) == 1 and not romans:
        return ""
    return ".".join(last[:-1] + [str(int(last[-1]) + 1)])


_ROMAN = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_OCR_DIGITS = str.maketrans({"s": "5", "S": "5", "l": "1", "I": "1", "O": "0", "o": "0", "z": "2", "Z": "2",
                             "g": "9", "b": "6", "B": "8"})


def _roman_value(n: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(n, n[1:] + " ", strict=True):
        v = values.get(a, 0)
        total += -v if values.get(b, 0) > v else v
    return total


def _roman(value: int) -> str:
    out = ""
    for sym, v in _ROMAN:
        while value >= v:
            out, value = out + sym, value - v
    return out


def _repair_sequence(no: str, stack: list[tuple[int, str]], last_group: str) -> str:
    """OCR slips that break the sequence: a roman group that does not advance ('II' after 'II' is 'III'),
    a single letter where the next number belongs ('s' after '4' is '5')."""
    if re.fullmatch(r"[IVX]+", no) and last_group and _roman_value(no) <= _roman_value(last_group):
        return _roman(_roman_value(last_group) + 1)
    if len(no) == 1 and no.isalpha() and stack and re.fullmatch(r"\d+", stack[-1][1]):
        digit = no.translate(_OCR_DIGITS)
        if digit.isdigit() and int(digit) == int(stack[-1][1]) + 1:
            return digit
    return no


def _repair_prefix(no: str, stack: list[tuple[int, str]]) -> str:
    """'9.2' right after '5.1' under group '5' was misread: a child carries its group's number."""
    parts = no.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return no
    groups = [n for lvl, n in stack if lvl == 1 and n.isdigit()]
    siblings = [n for lvl, n in stack if lvl == 2]
    if groups and parts[0] != groups[-1] and siblings and siblings[-1].startswith(groups[-1] + "."):
        return f"{groups[-1]}.{parts[1]}"
    return no


def _has_details(fields: dict[str, str]) -> bool:
    return any(fields.get(k) for k in ("lead", "coord", "output", "deadline"))


def _continue_task(t: RawTask, fields: dict[str, str]) -> None:
    """A row without a number continues the task above it (a cell broken across pages or lines)."""
    def join(a: str, b: str) -> str:
        return (a + " " + b).strip() if b and b != a else a
    t.content = join(t.content, fields.get("content", ""))
    t.lead_raw = join(t.lead_raw, fields.get("lead", ""))
    t.coord_raw = join(t.coord_raw, fields.get("coord", ""))
    t.output = join(t.output, fields.get("output", ""))
    t.deadline_raw = join(t.deadline_raw, fields.get("deadline", ""))
    t.goal = join(t.goal, fields.get("goal", ""))


def _make_task(no: str, parent_no: str, fields: dict[str, str], table: TableBlock, section: str) -> RawTask:
    content = _BULLET.sub("", fields.get("content", ""))
    return RawTask(goal=fields.get("goal", ""),
        task_no=no, parent_no=parent_no, content=content, content_raw=content,
        lead_raw=fields.get("lead", ""), coord_raw=fields.get("coord", ""),
        output=fields.get("output", ""), deadline_raw=fields.get("deadline", ""),
        source_section=section, page=table.page, method="table",
        confidence=table.confidence if table.confidence is not None else 1.0,
    )


def resolve_units(tasks: list[RawTask], gaz: Gazetteer, threshold: float, issuer: Issuer | None = None) -> None:
    """Cells → units; names relative to the issuer ('Văn phòng Sở') take the issuer's name. A cell text met
    again (long tables name the same units row after row) is split once."""
    split: dict[str, list[UnitMatch]] = {}

    def units_of(cell: str) -> list[UnitMatch]:
        if cell not in split:
            split[cell] = gaz.split_cell(cell, threshold)
        return list(split[cell])

    for t in tasks:
        if t.lead_raw and not t.lead:
            t.lead = units_of(t.lead_raw)
        if t.coord_raw and not t.coord:
            t.coord = units_of(t.coord_raw)
        t.lead, t.coord = gaz.resolve(t.lead, issuer), gaz.resolve(t.coord, issuer)
