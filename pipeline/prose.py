"""Prose plans → tasks. Numbered sections (I., 1., a), -, +) are walked as a tree; tasks come only from
sections that assign work (Nội dung triển khai, Nhiệm vụ, Tổ chức thực hiện…), never from Mục đích /
Yêu cầu / Mục tiêu or general Giải pháp thực hiện."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalizers.dates import inline_deadline, parse_deadline
from normalizers.units import Gazetteer, UnitMatch
from pipeline.layout import Para, marker_of
from pipeline.prose_vocab import ProseVocab, load_vocab
from pipeline.records import RawTask

if TYPE_CHECKING:
    from normalizers.mentions import MentionFinder


_END = re.compile(r"^[|\s]*(?:trên đây là|nơi nhận|phụ lục\b|kt\.?\s*(?:giám đốc|chủ tịch)|giám đốc$|tm\.)", re.I)
_ASSIGN_LINE = re.compile(r"^(?:[-+]\s*)?phân\s+công\s+(?:thực\s+hiện|nhiệm\s+vụ)\s*:?\s*$", re.I)
# 'b) Chủ trì, phối hợp' with the partners as the subjects of the items below it
_DANGLING_COOPERATION = re.compile(r"phối\s+hợp(?:\s+với)?\s*[:.]?\s*$", re.I)
_RESPONSIBLE_TAIL = re.compile(r"\s*(?:(?:có|chịu)\s+trách\s+nhiệm|thực\s+hiện)?\s*[:.]?\s*$", re.I)
_HEADING_KINDS = ("roman", "article", "num", "letter", "paren")
LEVELS = {"roman": 1, "article": 1, "letter": 6, "paren": 7, "dash": 8, "plus": 9, "plain": 10}


@dataclass(eq=False)
class _Head:
    level: int
    path: str
    kind: str  # task · nontask · neutral
    task: RawTask | None = None
    unit_lead: list[UnitMatch] = field(default_factory=list)
    unit_coord: list[UnitMatch] = field(default_factory=list)  # '1. Sở A chủ trì, phối hợp với B:'
    events: list[tuple[str, object]] = field(default_factory=list)  # ("task", _Found) | ("deadline", str) ...
    children: int = 0
    last_dash: _Found | None = None
    unit_line: list[UnitMatch] = field(default_factory=list)  # 'Các sở, ban, ngành:' above the next items
    plain: list[_Found] = field(default_factory=list)  # unmarked paragraphs that became tasks
    open_field: str = ""  # '- Cơ quan thực hiện:' — the '+' lines below are this field's values
    open_units: dict[str, list[UnitMatch]] = field(default_factory=dict)
    open_items: int = 0


@dataclass(eq=False)
class _Found:
    task: RawTask
    head: _Head
    heads: list[_Head]
    own_deadline: str = ""
    merging: bool = False
    role_only: bool = False  # '- X chủ trì, phối hợp Y' introducing '+' items: roles, not a task
    role_from: _Found | None = None
    plus_count: int = 0
    unit_line: list[UnitMatch] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # written inline: '…; chủ trì: X; thời gian: Y'


def _level(p: Para) -> int:
    if p.kind == "num":
        return 2 + p.marker.count(".")
    return LEVELS[p.kind]


class ProseParser:
    def __init__(self, gaz: Gazetteer, mentions: MentionFinder, vocab: ProseVocab | None = None) -> None:
        self.gaz = gaz
        self.mentions = mentions
        self.vocab = vocab or load_vocab()

    def parse(self, paras: list[Para], root_kind: str = "nontask") -> list[RawTask]:
        """root_kind: what the document's top level is — a plan's preamble (nontask), the directives of a
        chỉ thị or công điện (task), a decision's articles (assigning)."""
        root = _Head(0, "", root_kind)
        heads = [root]
        found: list[_Found] = []
        started = root_kind == "task"
        for p in paras:
            if _END.match(p.text):
                if started:
                    break
                continue
            if p.kind == "letter" and heads[-1].kind == "task" and self.vocab.field_line(p.body):
                self._body(Para(text=p.body, page=p.page, raw=p.body, body=p.body), heads, found)
                continue  # a) task / b) Cơ quan chủ trì: … / c) Thời gian: … — b) and c) are its fields
            if p.kind in _HEADING_KINDS:
                started = started or p.kind in ("roman", "article") or len(heads) > 1
                self._heading(p, heads, found)
                continue
            if not started or heads[-1].kind != "task":
                continue
            self._body(p, heads, found)
        for head in sorted({id(f.head): f.head for f in found}.values(), key=lambda h: -h.level):
            _apply_deadlines(head, found)
        found = [f for f in found if not f.role_only]
        found = self._drop_indicator_lists(found)
        found = _fold_lone_paragraphs(found)
        tasks = []
        by_no = {f.task.task_no: f for f in found}
        for f in found:
            self._assign_units(f, by_no.get(f.task.parent_no))
            if not f.task.deadline_raw:
                f.task.deadline_raw = f.fields.get("deadline") or inline_deadline(f.task.content)
            f.task.output = f.task.output or f.fields.get("output", "")
            tasks.append(f.task)
        return tasks

    def _heading(self, p: Para, heads: list[_Head], found: list[_Found]) -> None:
        level = _level(p)
        while len(heads) > 1 and heads[-1].level >= level:
            heads.pop()
        parent = heads[-1]
        mark = p.marker
        path = mark if p.kind in ("roman", "article") or not parent.path else f"{parent.path}.{mark}"
        if p.kind == "num" and "." in mark and parent.path.endswith(mark.rsplit(".", 1)[0]):
            path = f"{parent.path}.{mark.rsplit('.', 1)[1]}"
        kind = p.section or self.vocab.section_kind(p.body.rstrip(" .:"), p.kind == "roman")
        group = kind == "task" and parent.kind == "task" and parent is not heads[0] and p.kind != "roman"
        head = _Head(level, path, parent.kind if kind is None or group else kind)
        heads.append(head)
        assigns = parent.kind == "assigning" and kind is None and self.vocab.assigns_unit(p.body)
        if ((kind is not None and not group) or parent.kind != "task") and not assigns:
            return
        body = p.body
        units, rest = self._unit_heading(body)
        if not units and body.rstrip().endswith(":") and len(body.split()) <= 25:
            split = self.vocab.role_heading(body)
            if split is not None:
                units, rest = self.gaz.split_cell(split[0], 90), ""
                head.unit_coord = self.gaz.split_cell(split[1], 90) if split[1] else []
        if units:
            head.unit_lead = units
            if not rest:
                return
            body = rest  # '1. Sở Tài chính: chủ trì tham mưu …' — the unit heads its own task
        body = self.vocab.strip_content_label(body)
        content, fields = self.vocab.split_fields(body)
        head.task = RawTask(task_no=path, content=content, parent_no=_parent_task_no(heads[:-1]),
                            source_section=_section_path(heads), page=p.page,
                            content_raw=content if units else _raw_body(p))
        f = _Found(head.task, head, list(heads), fields.get("deadline", ""), fields=fields)
        found.append(f)
        head.events.append(("task", f))

    def _unit_heading(self, body: str) -> tuple[list[UnitMatch], str]:
        """The units a heading names and the task text after them ('Sở Tài chính: tham mưu …'), if any."""
        title = _RESPONSIBLE_TAIL.sub("", body)
        if len(title) <= 150 and (self.gaz._covers(title) or self.vocab.unit_title(body, need_tail=False)):
            unit = self.vocab.unit_title(body, need_tail=False) or title
            return self.gaz.split_cell(unit, 90), ""
        head, colon, rest = body.partition(":")
        if colon and len(rest.split()) >= 4 and self.vocab.unit_title(head, need_tail=False):
            unit = self.vocab.unit_title(head, need_tail=False) or head
            return self.gaz.split_cell(unit, 90), rest.strip()
        return [], body

    def _labelled(self, p: Para, text: str, heads: list[_Head], found: list[_Found]) -> bool:
        """A field line, a bare label, or a value line under one: True when the paragraph was taken."""
        head = heads[-1]
        if head.open_field and p.kind != "plus":
            head.open_field = ""
        labelled = self.vocab.field_line(p.text)
        if labelled is not None:
            self._field(labelled, head, _last_task(head))
            return True
        opened = self.vocab.open_label(p.text)
        if opened is not None:
            head.open_field, head.open_units = opened, {}
            return True
        if p.kind == "plus" and head.open_field:
            self._open_value(p, text, head, heads, found)
            return True
        return False

    def _body(self, p: Para, heads: list[_Head], found: list[_Found]) -> None:
        head = heads[-1]
        text = p.body if p.kind != "plain" else p.text
        last = _last_task(head)
        if self._labelled(p, text, heads, found):
            return
        if text.startswith("(") and text.rstrip(" .;").endswith(")"):
            return  # '(Khung kế hoạch … tại Phụ lục kèm theo)': a note, not an item
        if _ASSIGN_LINE.match(p.text) or not text:
            return
        if p.kind in ("plain", "dash") and (text.rstrip().endswith(":") or p.bold and p.kind == "plain"):
            unit = self.vocab.unit_title(text, need_tail=not p.bold)  # '**Sở Nội vụ**' alone on its line
            if unit is not None:
                head.unit_line = self.gaz.split_cell(unit, 90)
                return
        if p.kind == "plain" and text.rstrip().endswith(":"):
            return  # 'Đồng thời, yêu cầu các Sở … cụ thể như sau:' introduces the items, it is not one
        if p.kind == "plain" and head.task is not None and _continues_item(head, last, text):
            head.task.content = f"{head.task.content} {text}"
            head.task.content_raw = f"{head.task.content_raw} {_raw_body(p)}"
            return
        dash = head.last_dash
        if p.kind == "plus" and dash is not None:
            joins = dash.merging or dash.task.content.rstrip().endswith(":") and \
                self.vocab.names_procedure(dash.task.content)
            if dash is last and joins:
                dash.task.content = f"{dash.task.content} {text}"
                dash.task.content_raw = dash.task.content
                dash.merging = True
                return
            dash.role_only = dash.role_only or self._is_role_statement(dash.task.content)
            dash.plus_count += 1
            parent = dash.task.parent_no if dash.role_only else dash.task.task_no
            no = f"{dash.task.task_no}.+{dash.plus_count}"
            self._add(found, head, heads, p, text, no, parent).role_from = dash if dash.role_only else None
            return
        head.children += 1
        f = self._add(found, head, heads, p, text, f"{head.path}.-{head.children}", _parent_task_no(heads))
        if p.kind == "dash":
            head.last_dash = f
        if p.kind == "plain":
            head.plain.append(f)

    def _field(self, labelled: tuple[str, str], head: _Head, last: _Found | None) -> None:
        name, value = labelled
        if name == "deadline":
            head.events.append(("deadline", value))
        elif name in ("lead", "coord"):
            for role, units in self._units_of(name, value).items():
                head.events.append((role, units))
        elif name == "output" and last is not None:
            last.task.output = value
        elif name == "content" and last is not None:
            task = last.task
            if task.content.rstrip().endswith(":"):
                task.content = f"{task.content} {value}"
            elif len(task.content.split()) <= 6 and not self.vocab.opens_with_verb(task.content):
                task.content = task.content_raw = value  # 'a) Hoạt động 1' / '- Nội dung: Triển khai …'

    def _units_of(self, name: str, value: str) -> dict[str, list[UnitMatch]]:
        """A unit field's value: a list of units, or a sentence with roles ('Sở A chủ trì, phối hợp với B')."""
        split = self.vocab.role_split(value) if name == "lead" else None
        if split is not None:
            lead, coord = (self.gaz.split_cell(part, 90) if part else [] for part in split)
            return {"lead": lead, "coord": coord} if coord else {"lead": lead}
        if self.vocab.names_action(value):  # 'Sở Xây dựng đăng tải thông điệp …': the sentence's subject
            roles = self.mentions.roles(value)
            return {"lead": roles.lead, "coord": roles.coord} if name == "lead" else {name: roles.lead}
        return {name: self.gaz.split_cell(value, 90)}

    def _open_value(self, p: Para, text: str, head: _Head, heads: list[_Head], found: list[_Found]) -> None:
        """A '+' line under a bare label: a unit statement, a deadline, or (under 'Nội dung:') a sub-task."""
        name = head.open_field
        if name in ("lead", "coord"):
            fresh = not head.open_units
            for role, units in self._units_of(name, text).items():
                head.open_units.setdefault(role, []).extend(units)
            if fresh:  # one event per label, growing with each line
                head.events += [(role, head.open_units.setdefault(role, [])) for role in ("lead", "coord")]
        elif name == "deadline":
            head.events.append(("deadline", text.strip(" .;")))
        elif name == "content" and head.task is not None:
            head.open_items += 1
            self._add(found, head, heads, p, text, f"{head.path}.+{head.open_items}", head.task.task_no)

    def _add(self, found: list[_Found], head: _Head, heads: list[_Head], p: Para, text: str, no: str,
             parent: str) -> _Found:
        body, fields = self.vocab.split_fields(text)
        task = RawTask(task_no=no, content=body, parent_no=parent, source_section=_section_path(heads),
                       page=p.page, content_raw=_raw_body(p) if p.raw != p.text else body)
        f = _Found(task, head, list(heads), fields.get("deadline", ""), unit_line=list(head.unit_line),
                   fields=fields)
        found.append(f)
        head.events.append(("task", f))
        return f

    def _drop_indicator_lists(self, found: list[_Found]) -> list[_Found]:
        """A list of indicators ('Tỷ lệ … (%)') under an item is what is measured, not work: when most of a
        list's items read as indicators, the list goes, and so does its item when it reads as one too."""
        by_parent: dict[str, list[_Found]] = {}
        for f in found:
            by_parent.setdefault(f.task.parent_no, []).append(f)
        drop: set[int] = set()
        for parent, items in by_parent.items():
            hits = sum(self.vocab.is_indicator(f.task.content) for f in items)
            if parent and len(items) >= 3 and hits * 5 >= len(items) * 3:
                drop |= {id(f) for f in items}
                drop |= {id(f) for f in found if f.task.task_no == parent and self.vocab.is_indicator(f.task.content)}
        return [f for f in found if id(f) not in drop]

    def _is_role_statement(self, text: str) -> bool:
        return len(text.split()) <= 18 and "chủ trì" in text.lower() and bool(self.mentions.roles(text).lead)

    def _assign_units(self, f: _Found, parent: _Found | None) -> None:
        """Explicit 'Đơn vị chủ trì/phối hợp:' lines win, then the sentence's own subject, then the unit heading.
        Under a parent that ends 'chủ trì, phối hợp', the item's subject are the partners of the parent's lead."""
        if parent is not None and parent.task.lead and _DANGLING_COOPERATION.search(parent.task.content):
            subject = self.vocab.subject(f.task.content)
            f.task.lead = list(parent.task.lead)
            f.task.coord = self.gaz.split_cell(subject, 90) if subject else self.mentions.roles(f.task.content).lead
            f.task.lead_raw = "; ".join(u.raw for u in f.task.lead)
            f.task.coord_raw = "; ".join(u.raw for u in f.task.coord)
            return
        roles = self.mentions.roles(f.task.content)
        if f.role_from is not None:
            given = self.mentions.roles(f.role_from.task.content)
            roles.lead, roles.coord = roles.lead or given.lead, roles.coord or given.coord
        lead: list[UnitMatch] = self.gaz.split_cell(f.fields["lead"], 90) if f.fields.get("lead") else []
        coord: list[UnitMatch] = self.gaz.split_cell(f.fields["coord"], 90) if f.fields.get("coord") else []
        for h in reversed(f.heads):
            for kind, units in h.events:
                if kind == "lead" and not lead:
                    lead = list(units)  # type: ignore[call-overload]
                if kind == "coord" and not coord:
                    coord = list(units)  # type: ignore[call-overload]
        lead, coord = lead or roles.lead, coord or roles.coord
        if not lead:
            lead = list(f.unit_line) or next((list(h.unit_lead) for h in reversed(f.heads) if h.unit_lead), [])
        if not coord:
            coord = next((list(h.unit_coord) for h in reversed(f.heads) if h.unit_coord), [])
        f.task.lead, f.task.coord = lead, coord
        f.task.lead_raw = "; ".join(u.raw for u in lead)
        f.task.coord_raw = "; ".join(u.raw for u in coord)


def _fold_lone_paragraphs(found: list[_Found]) -> list[_Found]:
    """A heading with a single unmarked paragraph under it: under a unit heading ('2.5. Sở Y tế') the
    paragraph is the heading's one task and takes its number; under a bare title ('11. Vận hành hệ thống
    cơ sở dữ liệu') the paragraph is what the title's task says."""
    gone: set[int] = set()
    for f in found:
        h = f.head
        if h.plain != [f] or h.children != 1 or any(g.task.parent_no == f.task.task_no for g in found):
            continue
        if h.unit_lead and h.task is None:
            f.task.task_no = h.path
        elif h.task is not None and not h.task.content.rstrip().endswith((".", ";", ":", "!", "?")) \
                and not f.task.content[:1].islower() \
                and not any(g is not f and g.task.parent_no == h.task.task_no for g in found):
            h.task.content, h.task.content_raw = f.task.content, f.task.content_raw
            own = next(g for g in found if g.task is h.task)
            own.fields = {**f.fields, **own.fields}
            own.own_deadline = own.own_deadline or f.own_deadline
            h.task.deadline_raw = h.task.deadline_raw or f.task.deadline_raw
            gone.add(id(f))
    return [f for f in found if id(f) not in gone]


def _continues_item(head: _Head, last: _Found | None, text: str) -> bool:
    """An unmarked paragraph right after a sentence item is more of its text; after a bare title it is a
    sub-task, and one with a date of its own is a task of its own."""
    task = head.task
    return task is not None and last is not None and last.task is task and head.children == 0 \
        and head.last_dash is None and task.content.rstrip().endswith((".", ";", "!", "?", "…")) and not _dated(text)


def _dated(text: str) -> bool:
    return parse_deadline(inline_deadline(text)).end is not None


def _raw_body(p: Para) -> str:
    if not p.raw or p.raw == p.text:
        return p.body if p.kind != "plain" else p.text
    return marker_of(p.raw)[2]


def _last_task(head: _Head) -> _Found | None:
    for kind, obj in reversed(head.events):
        if kind == "task":
            return obj  # type: ignore[return-value]
    return None


def _parent_task_no(heads: list[_Head]) -> str:
    return next((h.task.task_no for h in reversed(heads) if h.task is not None), "")


def _section_path(heads: list[_Head]) -> str:
    return " > ".join(h.path for h in heads[1:] if h.path)


def _apply_deadlines(head: _Head, found: list[_Found]) -> None:
    """One deadline line closing (or right after) a numbered item covers the item and all its children;
    several deadline lines each belong to the task just before them."""
    tasks_in_block = [f for f in found if head in f.heads and not f.own_deadline]
    events = head.events
    lines = [i for i, (k, _) in enumerate(events) if k == "deadline"]
    task_idx = [i for i, (k, _) in enumerate(events) if k == "task"]
    if len(lines) == 1 and (lines[0] > max(task_idx, default=-1) or lines[0] == 1 and head.task is not None):
        raw = str(events[lines[0]][1])
        for f in tasks_in_block:
            if not f.task.deadline_raw:
                f.task.deadline_raw = raw
    else:
        for i in lines:
            before = [events[j][1] for j in task_idx if j < i]
            prev = before[-1] if before else None
            if isinstance(prev, _Found) and not prev.task.deadline_raw:
                prev.task.deadline_raw = str(events[i][1])
    for f in found:
        if f.head is head and f.own_deadline:
            f.task.deadline_raw = f.own_deadline
