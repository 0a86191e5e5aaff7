"""Phụ lục tables → tasks: find the header by fuzzy column names, align cells, build the group tree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractors.model import TableBlock
from normalizers.dates import parse_deadline
from normalizers.text import clean, key, strip_diacritics
from normalizers.units import Gazetteer
from pipeline.records import RawTask

HEADER_VOCAB: dict[str, list[str]] = {
    "no": ["stt", "tt", "số tt", "số thứ tự"],
    "content": ["nội dung", "nội dung công việc", "nội dung nhiệm vụ", "nhiệm vụ", "tên nhiệm vụ", "công việc",
                "nhiệm vụ cụ thể", "nội dung thực hiện", "hoạt động", "nội dung hoạt động", "tiêu chí",
                "nhiệm vụ, giải pháp", "nội dung triển khai"],
    "lead": ["đơn vị chủ trì", "cơ quan chủ trì", "chủ trì", "đơn vị thực hiện", "cơ quan thực hiện",
             "đơn vị chủ trì thực hiện", "bộ phận thực hiện", "đơn vị/cá nhân thực hiện", "người thực hiện",
             "đơn vị chủ trì, thực hiện", "đơn vị thực hiện chính", "cơ quan, đơn vị chủ trì"],
    "coord": ["đơn vị phối hợp", "cơ quan phối hợp", "phối hợp", "phối hợp thực hiện", "đơn vị phối hợp thực hiện",
              "cơ quan, đơn vị phối hợp"],
    "output": ["kết quả", "sản phẩm", "kết quả/sản phẩm", "sản phẩm đầu ra", "kết quả dự kiến", "hình thức sản phẩm",
               "hình thức văn bản", "kết quả, sản phẩm", "sản phẩm/kết quả", "kết quả đầu ra"],
    "deadline": ["thời gian", "thời gian thực hiện", "thời gian hoàn thành", "thời hạn", "thời hạn hoàn thành",
                 "tiến độ", "tiến độ thực hiện", "thời gian thực hiện/hoàn thành", "thời gian hoàn thành/thực hiện"],
    "goal": ["mục tiêu/giải pháp", "mục tiêu", "giải pháp", "mục tiêu, giải pháp", "mục tiêu/giải pháp thực hiện",
             "giải pháp thực hiện"],
    "note": ["ghi chú"],
}
_VOCAB = [(role, key(v), strip_diacritics(key(v))) for role, vs in HEADER_VOCAB.items() for v in vs]
_NUMBER = re.compile(r"^(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]?$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET = re.compile(r"^[-+•*]\s*")


@dataclass
class Header:
    row_index: int
    roles: list[str]  # one per column: no, content, lead, coord, output, deadline, goal, note, ""


def cell_role(text: str) -> tuple[str, float]:
    k = key(text)
    if not k or len(k) > 60:
        return "", 0.0
    if len(k) <= 6:
        k = k.replace(" ", "")  # 'ST T' wrapped in a narrow column
    ak = strip_diacritics(k)
    best = ("", 0.0)
    for role, v, av in _VOCAB:
        s = max(fuzz.ratio(k, v), fuzz.ratio(ak, av) - 3)
        if s > best[1]:
            best = (role, s)
    return best if best[1] >= 80 else ("", best[1])


def find_header(rows: list[list[str]]) -> Header | None:
    for i, row in enumerate(rows[:8]):
        roles = [cell_role(c)[0] for c in row]
        found = {r for r in roles if r}
        if len(found) >= 2 and found & {"content", "lead", "deadline"}:
            if "no" not in roles and roles and not roles[0]:
                numbered = [r[0] for r in rows[i + 1:i + 12] if r and r[0].strip()]
                if numbered and sum(bool(_NUMBER.match(c.strip())) for c in numbered) >= 0.7 * len(numbered):
                    roles[0] = "no"
            return Header(i, _settle_roles(row, roles))
    return None


def _settle_roles(row: list[str], roles: list[str]) -> list[str]:
    """'Đơn vị thực hiện' beside 'Đơn vị chủ trì' means the coordinating column."""
    keys = [key(c) for c in row]
    leads = [i for i, r in enumerate(roles) if r == "lead"]
    if len(leads) > 1:
        main = next((i for i in leads if "chủ trì" in keys[i]), leads[0])
        for i in leads:
            if i != main:
                roles[i] = "coord"
    seen: set[str] = set()
    for i, r in enumerate(roles):  # a second content/deadline column is folded into the first
        if r in seen and r not in ("note", ""):
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
    if re.fullmatch(r"[IVXLC]+", n):
        return 0
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
    for r_i, row in enumerate(table.rows[header.row_index + 1:], start=header.row_index + 1):
        cells = [clean(c) for c in row]
        if not any(cells) or _is_column_numbers(cells) or is_header_repeat(cells, header):
            continue
        fields = _row_fields(cells, roles, gaz)
        no = fields.get("no", "").rstrip(".)") if _NUMBER.match(fields.get("no", "")) else ""
        if not no and not _NUMBER.match(fields.get("no", "")) and fields.get("no"):
            fields["content"] = (fields["no"] + " " + fields.get("content", "")).strip()
        content = fields.get("content", "")
        if not content:
            continue
        if not no and tasks and not _BULLET.match(content) and _is_continuation(table, r_i in starts, fields):
            _continue_task(tasks[-1], fields)
            continue
        if not no and table.ruled and stack:
            no = _next_number([n for _, n in stack], group=not _has_details(fields))
        if not no:
            unnumbered += 1
            parent = stack[-1][1] if stack else ""
            no = f"{parent}.-{unnumbered}" if parent else f"-{unnumbered}"
            level = 10
        else:
            unnumbered = 0
            no = _repair_prefix(no, stack)
            level = _level(no)
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent_no = stack[-1][1] if stack else ""
        stack.append((level, no))
        tasks.append(_make_task(no, parent_no, fields, table, section))
        if table.raw_rows is not None and "content" in roles and r_i < len(table.raw_rows) \
                and len(table.raw_rows[r_i]) == len(roles):
            tasks[-1].content_raw = clean(table.raw_rows[r_i][roles.index("content")])
    for t in tasks:
        t.append_goal()
    return tasks


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


def _next_number(open_numbers: list[str], group: bool) -> str:
    """The number a row must have had (OCR drops short numbers): the next sibling in the sequence."""
    numeric = [n for n in open_numbers if re.fullmatch(r"\d+(?:\.\d+)*", n)]
    if not numeric:
        return ""
    last = numeric[-1].split(".")
    if group:
        last = last[:1]
    elif len(numeric) >= 1 and len(last) == 1:
        return ""
    return ".".join(last[:-1] + [str(int(last[-1]) + 1)])


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


def resolve_units(tasks: list[RawTask], gaz: Gazetteer, threshold: float) -> None:
    for t in tasks:
        if t.lead_raw and not t.lead:
            t.lead = gaz.split_cell(t.lead_raw, threshold)
        if t.coord_raw and not t.coord:
            t.coord = gaz.split_cell(t.coord_raw, threshold)
