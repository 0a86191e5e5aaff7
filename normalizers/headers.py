"""A task table's header: which row it is and the field of every column, read with the shared field
vocabulary (normalizers/fields.py). One or two header rows, in any order of columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalizers.fields import header_field
from normalizers.text import key

NUMBER = re.compile(r"^(?:[IVX]{1,6}|[A-ZĐ]|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]?$")
RESPONSIBLE = "resp"  # a column naming the body answerable for a row, read when its chủ trì cell is blank
_HEADER_ROWS = 8


@dataclass
class Header:
    row_index: int  # the last header row
    roles: list[str]  # one per column: a field of normalizers/fields.py, '' for none, 'x2' for a second x


def cell_role(text: str) -> tuple[str, float]:
    return header_field(text)


def find_header(rows: list[list[str]]) -> Header | None:
    """The first row (of the first eight) naming two fields, one of them the content, a unit or a deadline;
    with the row below when that one splits a group cell ('Thực hiện' → 'Chủ trì' | 'Phối hợp')."""
    width = max((len(r) for r in rows), default=0)
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        roles = [header_field(c)[0] for c in row]
        found = {r for r in roles if r}
        if len(found) >= 2 and found & {"content", "lead", "unit", "person", "deadline"}:
            index = i
            below = rows[i + 1] if i + 1 < len(rows) else []
            merged = _merge_sub_header(row, roles, below, width)
            if merged is not None:
                roles, index = merged, i + 1
            keys = [key(c) for c in row]
            keys += [""] * max(0, len(roles) - len(keys))
            if merged is not None and len(below) == len(roles):
                keys = [key(b) or k for k, b in zip(keys, below, strict=True)]
            return Header(index, _number_column(settle_roles(keys, roles), rows[index + 1:index + 12]))
    return None


def is_task_table(header: Header) -> bool:
    """A table that names who does it or by when; an indicator or statistics table does not."""
    return "content" in header.roles and bool(set(header.roles) & {"lead", "coord", "unit", "person", "deadline"})


def is_header_repeat(row: list[str], header: Header) -> bool:
    hits = sum(1 for c, r in zip(row, header.roles, strict=False) if r and header_field(c)[0] == r.rstrip("2"))
    return hits >= max(2, len([r for r in header.roles if r]) // 2)


def _number_column(roles: list[str], body: list[list[str]]) -> list[str]:
    """A first column without a name whose cells are mostly row numbers is the number column."""
    if "no" in roles or not roles or roles[0]:
        return roles
    numbered = [r[0] for r in body if r and r[0].strip()]
    if numbered and sum(bool(NUMBER.match(c.strip())) for c in numbered) >= 0.7 * len(numbered):
        return ["no", *roles[1:]]
    return roles


def _merge_sub_header(row: list[str], roles: list[str], below: list[str], width: int) -> list[str] | None:
    """A two-row header: a group cell ('Đơn vị thực hiện', 'Thực hiện') over sub-cells ('Chủ trì', 'Phối hợp')."""
    sub = [header_field(c)[0] for c in below]
    named = [r for r in sub if r]
    if not named or any(c.strip() and not r and c.strip() != (row[j] if j < len(row) else "").strip()
                        for j, (c, r) in enumerate(zip(below, sub, strict=False))):
        return None
    if len(row) == len(below):  # a grid (Word, PDF): spanned cells are blank or repeat the cell above
        merged = [s or r for r, s in zip(roles, sub, strict=True)]
        return merged if merged != roles else None
    if len(below) > len(row):  # a text dump printing the sub-row whole, blanks under the single cells
        extra = len(below) - len(row)
        j = next(k for k, r in enumerate(sub) if r)
        if j >= len(row) or any(sub[j + extra + 1:]) and len(sub[j:j + extra + 1]) < extra + 1:
            return None
        return roles[:j] + [s or "unit" for s in sub[j:j + extra + 1]] + roles[j + 1:]
    # a text dump: the group cell became one cell, its sub-cells a short row of their own
    span = width - len(row) + 1
    if len(below) != span or span < 2:
        return None
    groups = [j for j, r in enumerate(roles) if r in ("unit", "lead", "coord", "")]
    if not groups:
        return None
    j = groups[0]
    return roles[:j] + sub + roles[j + 1:]


def settle_roles(keys: list[str], roles: list[str]) -> list[str]:
    """A unit column ('Đơn vị thực hiện') is the lead unless a chủ trì column stands beside it, then it is the
    coordinating one; a second lead column (one without 'chủ trì') is coordinating too, or, when chủ trì and
    phối hợp columns both stand beside it, the responsible body (the lead of a row whose chủ trì cell is blank).
    The body that submits a draft ('Cơ quan trình') is the lead only where no lead column names the drafter.
    A people column is the lead when no unit column is."""
    roles = list(roles)
    has_lead = bool({"lead", "unit"} & set(roles))
    roles = [("note" if has_lead else "lead") if r == "submitter" else r for r in roles]
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
                roles[i] = RESPONSIBLE if "coord" in roles and "chủ trì" in keys[main] else "coord"
    if "lead" in roles:
        roles = ["note" if r == "person" else r for r in roles]
    seen: set[str] = set()
    for i, r in enumerate(roles):  # a second content/deadline column is folded into the first
        if r == "deadline" and r in seen and keys[i].startswith("tiến độ"):
            roles[i] = "note"  # 'Thời hạn' then 'Tiến độ': the progress so far, not a second date
        elif r in seen and r not in ("note", "funding", ""):
            roles[i] = r + "2"
        seen.add(r)
    return roles
