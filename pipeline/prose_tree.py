"""The tree a prose plan is read into — headings (Head) with the tasks found under them (Found) and the
field lines met on the way — and the one rule that gives every field line its tasks: a block of field
lines belongs to the item just before it, unless it is the only block of its heading, in which case it
is the heading's (printed right after the heading's own text or after all of its items) and reaches
every item below it; an item's own fields win over its heading's."""

from __future__ import annotations

from dataclasses import dataclass, field

from normalizers.units import UnitMatch
from pipeline.records import RawTask

FIELD_EVENTS = ("lead", "coord", "person", "deadline", "output")


@dataclass(eq=False)
class Head:
    level: int
    path: str
    kind: str  # task · nontask · neutral · assigning
    task: RawTask | None = None
    unit_lead: list[UnitMatch] = field(default_factory=list)
    unit_coord: list[UnitMatch] = field(default_factory=list)  # '1. Sở A chủ trì, phối hợp với B:'
    # in print order: ("task", Found) for its items, ("child", Found) for a sub-heading's own task,
    # (field, value) for a field line
    events: list[tuple[str, object]] = field(default_factory=list)
    children: int = 0
    last_dash: Found | None = None
    unit_line: list[UnitMatch] = field(default_factory=list)  # 'Các sở, ban, ngành:' above the next items
    plain: list[Found] = field(default_factory=list)  # unmarked paragraphs that became tasks
    open_field: str = ""  # '- Cơ quan thực hiện:' — the lines below are this field's values
    open_kinds: tuple[str, ...] = ("plus",)  # the markers of those value lines
    open_units: dict[str, list[UnitMatch]] = field(default_factory=dict)
    open_items: int = 0


@dataclass(eq=False)
class Found:
    task: RawTask
    head: Head
    heads: list[Head]
    own_deadline: str = ""
    merging: bool = False
    role_only: bool = False  # '- X chủ trì, phối hợp Y' introducing '+' items: roles, not a task
    role_from: Found | None = None
    plus_count: int = 0
    unit_line: list[UnitMatch] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # written inline: '…; chủ trì: X; thời gian: Y'
    given: dict[str, object] = field(default_factory=dict)  # from field lines, by attach_fields


def last_task(head: Head) -> Found | None:
    for kind, obj in reversed(head.events):
        if kind == "task":
            return obj  # type: ignore[return-value]
    return None


def attach_fields(found: list[Found]) -> None:
    """Field lines → Found.given of the tasks they belong to, outer headings first so that the fields of an
    inner heading or of an item win over those of the group around it."""
    heads: dict[int, Head] = {}
    for f in found:
        for h in f.heads:
            heads.setdefault(id(h), h)
    for head in sorted(heads.values(), key=lambda h: h.level):
        blocks = _field_blocks(head)
        if not blocks:
            continue
        own = next((f for f in found if f.task is head.task), None) if head.task is not None else None
        positions = [i for i, (k, _) in enumerate(head.events) if k in ("task", "child")]
        group = len(blocks) == 1 and (blocks[0][0] is None or blocks[0][0] is own
                                      or blocks[0][1] > max(positions, default=-1))
        for prev, _, values in blocks:
            scope = [f for f in found if head in f.heads] if group or prev is None else _below(prev, found)
            for f in scope:
                _give(f, values)


def _field_blocks(head: Head) -> list[tuple[Found | None, int, list[tuple[str, object]]]]:
    """Runs of consecutive field lines: (the item just before the run, where the run starts, its fields)."""
    blocks: list[tuple[Found | None, int, list[tuple[str, object]]]] = []
    prev: Found | None = None
    run = False
    for i, (kind, obj) in enumerate(head.events):
        if kind in ("task", "child"):
            prev, run = obj, False  # type: ignore[assignment]
        elif kind in FIELD_EVENTS:
            if not run:
                blocks.append((prev, i, []))
                run = True
            blocks[-1][2].append((kind, obj))
    return blocks


def _below(item: Found, found: list[Found]) -> list[Found]:
    """The item and every task under it: its sub-items by number, and a sub-heading's tasks."""
    numbers = {item.task.task_no}
    out = []
    for f in found:
        if f is item or f.task.parent_no in numbers or item.head.task is item.task and item.head in f.heads:
            numbers.add(f.task.task_no)
            out.append(f)
    return out


def _give(f: Found, values: list[tuple[str, object]]) -> None:
    """One block's fields replace what an outer block gave; two unit lines of one role in a block add up; a
    people line ('Lãnh đạo phụ trách', 'Người thực hiện') is the lead only in a block that names no unit."""
    if any(name == "lead" for name, _ in values):  # people lead only where no unit does, as in a table
        values = [(name, v) for name, v in values if name != "person"]
    values = [("lead" if name == "person" else name, v) for name, v in values]
    seen: set[str] = set()
    for name, value in values:
        if not value:
            continue
        if name in ("lead", "coord") and name in seen:
            f.given[name] = [*f.given[name], *value]  # type: ignore[misc]
        else:
            f.given[name] = list(value) if isinstance(value, list) else value
        seen.add(name)
