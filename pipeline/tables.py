"""Phụ lục tables → tasks: find the header by fuzzy column names, align cells, build the group tree."""

from __future__ import annotations

import re
from collections import Counter

from extractors.model import TableBlock
from normalizers.dates import parse_deadline
from normalizers.headers import NUMBER, RESPONSIBLE, Header, cell_role, find_header, is_header_repeat, is_task_table
from normalizers.ocr_units import Speller
from normalizers.people import people_units
from normalizers.register import Issuer, UnitMatch, head_of, starts_unit
from normalizers.text import clean, roman, roman_value
from normalizers.units import Gazetteer, unit_key
from pipeline.prose_vocab import LETTER_ITEM, load_vocab
from pipeline.records import RawTask

_NUMBER = NUMBER
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET = re.compile(r"^[-+•*]\s*")
_GROUP_MARK = re.compile(r"^(?P<no>[IVX]{1,6}|[A-ZĐ])\s*[.)]\s+(?=\S)")  # 'I. Kinh tế số' in the content cell
_ROW_MARK = re.compile(r"^(?P<no>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s+(?=\D)")  # '1. Rà soát' in the content cell
_TASK_ROLES = {"lead", "coord", "deadline", "output"}
_LONG_CELL = 30  # more than a number column ever holds
_PLACE_WORD = re.compile(r"tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường|thị\s+trấn|đặc\s+khu")

__all__ = ["Header", "align_cells", "cell_role", "find_header", "is_header_repeat", "is_task_table",
           "resolve_units", "rows_to_tasks"]


def _is_column_numbers(row: list[str]) -> bool:
    """The row numbering the columns ('(1)', '(2)' …); one short cell may be misread ('Œ)' for '(1)')."""
    cells = [c.strip() for c in row if c.strip()]
    hits = sum(1 for c in cells if _COLUMN_NUMBERS.match(c))
    return hits >= 3 and hits >= len(cells) - 1 and all(len(c) <= 4 for c in cells)


def _fit(cell: str, role: str, gaz: Gazetteer) -> float:
    """How well a cell's text fits a column role, for aligning rows whose empty cells were dropped."""
    c = clean(cell)
    if not c:
        return 0.0
    dl = parse_deadline(c).kind != "unspecified" or bool(re.match(r"(?i)theo\s+(kế hoạch|quy định)", c))
    units = gaz.find_exact(c)
    cover = sum(e - s for s, e, _ in units) / max(1, len(c))
    if len(c) < 160 and _reads_as_name(c):
        cover = max(cover, 0.6)  # a unit the register lacks ('Ban X (…)') still reads as one
    if role == "deadline":
        return 3.0 if dl and len(c) < 80 else -2.0
    if role in ("lead", "coord"):
        return 2 * cover - 0.6 + (0.05 if role == "lead" else 0)
    if dl and len(c) < 40:
        return -1.0
    if role == "content":
        return 1.0 + min(len(c), 200) / 200
    return 0.2 - cover


def _reads_as_name(cell: str) -> bool:
    """A capitalised head noun followed by a capitalised word ('Ban Công tác …', 'Văn phòng Quốc hội'), which
    'Báo cáo kết quả' or 'Các biểu mẫu' are not."""
    head = head_of(cell)
    rest = cell[len(head):].split()
    return bool(head) and cell[:1].isupper() and bool(rest) and rest[0][:1].isupper()


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
            best[i][j], back[i][j] = (take, True) if take > skip else (skip, False)
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
    unit_groups: list[tuple[int, str]] = []  # (level, unit) of the open group rows that name a unit
    ocr = table.confidence is not None  # only OCR loses or misreads a printed row number
    for r_i, row in enumerate(table.rows[header.row_index + 1:], start=header.row_index + 1):
        cells = [clean(c) for c in row]
        if not any(cells) or _is_column_numbers(cells) or is_header_repeat(cells, header):
            continue
        fields = _row_fields(cells, roles, gaz)
        after = _number_after(table, r_i, roles)  # the number the next numbered row prints
        if ocr and not re.search(r"\w", fields.get("no", "")):
            fields.pop("no", None)  # specks an OCR read in a number cell ("' :") are no text of the row
        no = fields.get("no", "").rstrip(".)") if _NUMBER.match(fields.get("no", "")) else ""
        if not no and not _NUMBER.match(fields.get("no", "")) and fields.get("no"):
            fields["content"] = (fields["no"] + " " + fields.get("content", "")).strip()
        content = fields.get("content", "")
        mark = None if no else _ROW_MARK.match(content) or (
            _GROUP_MARK.match(content) if not _has_details(fields) else None) or (
            LETTER_ITEM.match(content) if after == "1" else None)
        if mark:
            no, fields["content"] = mark.group("no"), content[mark.end():].strip()
            content = fields["content"]
        if not content:
            if not no and tasks and _has_details(fields):  # the rest of a row an export broke across lines
                _continue_task(tasks[-1], fields)
            continue
        if _same_document(tasks, roles, no, content):
            tasks[-1].goal = "; ".join(x for x in (tasks[-1].goal, fields.get("goal", "")) if x)
            continue
        if not no and tasks and not _BULLET.match(content) and _is_continuation(table, r_i in starts, fields):
            _continue_task(tasks[-1], fields)
            continue
        following = after if ocr else ""
        if not no and table.ruled and stack:
            no = _next_number(stack, group=not _has_details(fields), following=following)
        elif not no and not stack and following == "2":  # the table's first number lost
            no = "1"
        if no:
            unnumbered = 0
            no = _repair_sequence(_repair_prefix(no, stack), stack, last_group)
            no = _fit_between(no, stack, following) if ocr else no
            level = _level(no)
            if re.fullmatch(r"[a-zđ]", no) and after == "1":
                level = -1  # a letter row over rows numbered from 1 is their group, not an item of the row above
        else:
            level = 10
        while stack and stack[-1][0] >= level:
            stack.pop()
        _unit_group(fields, level, unit_groups, gaz)
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
        if len(row) == len(roles):
            _keep_cell_lines(tasks[-1], row, roles)
        if fields.get("person"):  # one lead per person; the cell's own lines part the names best
            cell = row[roles.index("person")] if len(row) == len(roles) and "person" in roles else fields["person"]
            tasks[-1].lead_raw, tasks[-1].lead = fields["person"], people_units(cell)
        raw = table.raw_rows[r_i] if table.raw_rows is not None and r_i < len(table.raw_rows) else None
        if raw is not None and "content" in roles and len(raw) == len(roles):
            raw_content = clean(raw[roles.index("content")])
            raw_mark = (_ROW_MARK.match(raw_content) or _GROUP_MARK.match(raw_content)
                        or LETTER_ITEM.match(raw_content)) if mark else None
            tasks[-1].content_raw = raw_content[raw_mark.end():].strip() if raw_mark else raw_content
    _prefix_restarted(tasks, groups)
    for t in tasks:
        t.append_goal()
    return tasks


def _unit_group(fields: dict[str, str], level: int, unit_groups: list[tuple[int, str]], gaz: Gazetteer) -> None:
    """A group row that only names a unit ('A. Bộ Nông nghiệp và Môi trường') is that unit's: it leads the
    group row and every item under it that names no lead of its own."""
    while unit_groups and unit_groups[-1][0] >= level:
        unit_groups.pop()
    name = fields.get("content", "").rstrip(" :")
    if level <= 1 and not _has_details(fields) and not fields.get("person") and _names_a_unit(name, level, gaz):
        fields["lead"] = name
        unit_groups.append((level, name))
    elif unit_groups and not fields.get("lead") and not fields.get("person"):
        fields["lead"] = unit_groups[-1][1]


def _names_a_unit(text: str, level: int, gaz: Gazetteer) -> bool:
    """Only unit names; or, for a roman or letter group, a short name opening with a unit's head noun that
    a proper name or a place word follows ('Vụ Hợp tác quốc tế', 'Công an xã'; not 'Ban hành quy định')."""
    if gaz.covers(text):
        return True
    words = text.split()
    if level > 0 or not 2 <= len(words) <= 12 or re.search(r"[.;:]", text) or not starts_unit(text):
        return False
    n = len(head_of(unit_key(text)).split())
    nxt = words[n] if n < len(words) else ""
    return nxt[:1].isupper() or _PLACE_WORD.fullmatch(words[-1].lower()) is not None


def _same_document(tasks: list[RawTask], roles: list[str], no: str, content: str) -> bool:
    """In an amendment table a document merged down several rows (one per article or clause to amend) is
    one task: Word repeats the merged cell's text in each row."""
    return "clause" in roles and bool(tasks) and content == tasks[-1].content and no in ("", tasks[-1].task_no)


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
    number = _number_in_first_column(cells, roles)
    if number:  # a table without a number column prints group numbers in its first one ('I', '1')
        cells = ["", *cells[1:]] if len(cells) >= len(roles) else cells[1:]
        if len(cells) < len(roles):
            cells = [""] + align_cells(cells, roles[1:], gaz)
    if roles[0] == "no" and len(cells[0]) > _LONG_CELL and (len(cells) == len(roles) - 1 or cells[-1] == ""):
        cells = ["", *cells[:len(roles) - 1]]  # a row an export printed without its empty number cell
    if len(cells) < len(roles):
        first_is_no = roles and roles[0] == "no" and bool(_NUMBER.match(cells[0]))
        head = [cells[0]] if first_is_no else []
        rest_roles = roles[1:] if first_is_no else roles
        cells = head + align_cells(cells[len(head):], rest_roles, gaz)
    fields: dict[str, str] = {}
    for c, r in zip(cells, roles, strict=False):
        base = r.rstrip("2")
        base = "goal" if base == "clause" else base  # the article to amend follows the document's name
        if base and c:
            fields[base] = (fields[base] + " " + c).strip() if base in fields and fields[base] != c else c
    for extra in cells[len(roles):]:
        fields["content"] = (fields.get("content", "") + " " + extra).strip()
    if number:
        fields["no"] = number
    responsible = fields.pop(RESPONSIBLE, "")
    if responsible and not fields.get("lead"):
        fields["lead"] = responsible
    return fields


def _number_in_first_column(cells: list[str], roles: list[str]) -> str:
    """The row number standing in the first column of a table that has no number column (the time or
    phase column of a schedule holds 'I', '1' on its group rows); '' when the cell is no bare number."""
    if not cells or not roles or "no" in roles or roles[0] in ("content", ""):
        return ""
    first = cells[0].strip()
    if not _NUMBER.match(first) or parse_deadline(first).kind != "unspecified":
        return ""
    return first


def _is_continuation(table: TableBlock, page_start: bool, fields: dict[str, str]) -> bool:
    """A row without a number continues the one above when it opens a page, starts in lower case, or (in a
    table without drawn rows) holds only text; in a ruled table every other row is a row of its own. A row
    opening a page is a task of its own (its number lost) when a capital task verb opens its content and it
    has lead and deadline cells of its own: the rest of a cell broken at the page opens mid-sentence."""
    content = fields.get("content", "")
    if content[:1].islower():
        return True
    if page_start:
        return not _opens_task(fields)
    return not table.ruled and not _has_details(fields)


def _opens_task(fields: dict[str, str]) -> bool:
    content = fields.get("content", "")
    return (content[:1].isupper() and load_vocab().verbs.match(content) is not None
            and bool(fields.get("lead") or fields.get("person")) and bool(fields.get("deadline")))


def _number_after(table: TableBlock, r_i: int, roles: list[str]) -> str:
    """The printed number of the next row that has one (a few rows on at most): the number a row between
    must fit under."""
    if "no" not in roles:
        return ""
    k = roles.index("no")
    for row in table.rows[r_i + 1:r_i + 4]:
        cell = clean(row[k]) if k < len(row) and len(row) == len(roles) else ""
        if cell and _NUMBER.match(cell):
            return cell.rstrip(".)")
    return ""


def _between(before: str, after: str) -> str:
    """The one number that fits between two siblings ('5' between '4' and '6', '2.3' between '2.2' and '2.4')."""
    a, b = before.split("."), after.split(".")
    if len(a) != len(b) or a[:-1] != b[:-1] or not (a[-1].isdigit() and b[-1].isdigit()):
        return ""
    return ".".join([*a[:-1], str(int(a[-1]) + 1)]) if int(b[-1]) - int(a[-1]) == 2 else ""


def _sibling_before(stack: list[tuple[int, str]], depth: int) -> str:
    """The last number of the stack at the depth of `depth` parts ('4' for 1, '4.2' for 2)."""
    for _, n in reversed(stack):
        if re.fullmatch(r"\d+(?:\.\d+)*", n) and n.count(".") + 1 == depth:
            return n
    return ""


def _fit_between(no: str, stack: list[tuple[int, str]], following: str) -> str:
    """An OCR'd number that breaks its sequence where the neighbours leave one place ('8' or '51' read
    between '4' and '6') is the number of that place."""
    if not following or not re.fullmatch(r"[\w.]+", no):
        return no
    fit = _between(_sibling_before(stack, following.count(".") + 1), following)
    return fit if fit and no != fit and no.count(".") == fit.count(".") else no


def _next_number(stack: list[tuple[int, str]], group: bool, following: str = "") -> str:
    """The number a row must have had (OCR drops short numbers): the next sibling in the sequence. Under
    roman groups a group row is the next roman group, and single numbers are rows of their own unless the
    next printed number leaves exactly this row's place (4, ?, 6)."""
    romans = [n for lvl, n in stack if lvl == 0]
    if group and romans:
        return roman(roman_value(romans[-1]) + 1)
    numeric = [n for _, n in stack if re.fullmatch(r"\d+(?:\.\d+)*", n)]
    if not numeric:
        return ""
    fit = _between(_sibling_before(stack, following.count(".") + 1), following) if following else ""
    if fit:
        return fit
    last = numeric[-1].split(".")
    if group:
        last = last[:1]
    elif len(last) == 1 and not romans:
        return ""
    return ".".join(last[:-1] + [str(int(last[-1]) + 1)])


_OCR_DIGITS = str.maketrans({"s": "5", "S": "5", "l": "1", "I": "1", "O": "0", "o": "0", "z": "2", "Z": "2",
                             "g": "9", "b": "6", "B": "8"})


def _repair_sequence(no: str, stack: list[tuple[int, str]], last_group: str) -> str:
    """OCR slips that break the sequence: a roman group that does not advance ('II' after 'II' is 'III'),
    a single letter where the next number belongs ('s' after '4' is '5')."""
    if re.fullmatch(r"[IVX]+", no) and last_group and roman_value(no) <= roman_value(last_group):
        return roman(roman_value(last_group) + 1)
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


def cell_lines(cell: str) -> str:
    """A cell's text with its line breaks (a Word cell's paragraphs, an OCR'd cell's lines), each line clean."""
    return "\n".join(x for x in (clean(ln) for ln in cell.splitlines()) if x)


def _keep_cell_lines(t: RawTask, row: list[str], roles: list[str]) -> None:
    """The unit cells keep their lines: the splitter tells one unit a line from one name wrapped over two."""
    for role, attr in (("lead", "lead_raw"), ("coord", "coord_raw")):
        if role in roles:
            cell = row[roles.index(role)]
            if "\n" in cell.strip() and clean(cell) == getattr(t, attr):
                setattr(t, attr, cell_lines(cell))


def _has_details(fields: dict[str, str]) -> bool:
    return any(fields.get(k) for k in ("lead", "coord", "output", "deadline"))


def _continue_task(t: RawTask, fields: dict[str, str]) -> None:
    """A row without a number continues the task above it (a cell broken across pages or lines)."""
    def join(a: str, b: str, sep: str = " ") -> str:
        return (a + sep + b).strip() if b and b != a else a
    t.content = join(t.content, fields.get("content", ""))
    t.lead_raw = join(t.lead_raw, fields.get("lead", ""), "\n")  # a cell's next line
    t.coord_raw = join(t.coord_raw, fields.get("coord", ""), "\n")
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


_FOOTNOTE = re.compile(r"\s*\[\d{1,3}\]")
_NOTE = re.compile(r"\s*\((?P<note>[^()]*)(?:\)|$)")
_HELPER_NOTE = re.compile(r"^(?P<unit>.+?)\s+(?:cùng\s+)?phối hợp\b", re.I)
_REMARK = re.compile(r"\s(?:là|làm)\s", re.I)


def lead_notes(cell: str) -> tuple[str, list[str]]:
    """A lead cell's notes → (the cell without them, the units a note names as helping). 'Ban A [3] (Văn phòng B
    phối hợp chuẩn bị)' leads with Ban A and has Văn phòng B coordinate; a remark ('(C là cơ quan thường trực
    …)') and a footnote mark are no unit."""
    text = _FOOTNOTE.sub("", cell)
    helpers: list[str] = []

    def drop(m: re.Match[str]) -> str:
        note = m.group("note").strip()
        helper = _HELPER_NOTE.match(note)
        if helper:
            helpers.append(helper.group("unit"))
            return ""
        return "" if _REMARK.search(f" {note} ") else m.group(0)

    return _NOTE.sub(drop, text).strip(), helpers


def resolve_units(tasks: list[RawTask], gaz: Gazetteer, threshold: float, issuer: Issuer | None = None,
                  speller: Speller | None = None) -> None:
    """Cells → units; names relative to the issuer ('Văn phòng Sở') take the issuer's name. A cell text met
    again (long tables name the same units row after row) is split once. An OCR'd document's `speller`
    gives misread names the spelling the document or the register has."""
    split: dict[str, list[UnitMatch]] = {}

    def split_one(cell: str) -> list[UnitMatch]:
        return gaz.split_cell(cell, threshold)

    def units_of(cell: str) -> list[UnitMatch]:
        if cell not in split:
            split[cell] = speller.cell(cell, split_one) if speller is not None else split_one(cell)
        return list(split[cell])

    for t in tasks:
        if t.method == "table" and t.lead_raw and not t.lead:
            t.lead_raw, helpers = lead_notes(t.lead_raw)
            t.coord_raw = "; ".join(x for x in (t.coord_raw, *helpers) if x) if not t.coord else t.coord_raw
        if t.lead_raw and not t.lead:
            t.lead = units_of(t.lead_raw)
        if t.coord_raw and not t.coord:
            t.coord = units_of(t.coord_raw)
        t.lead, t.coord = gaz.resolve(t.lead, issuer), gaz.resolve(t.coord, issuer)
