"""Prose plans → tasks. Numbered sections (I., 1., a), -, +) are walked as a tree; tasks come only from
sections that assign work (Nội dung triển khai, Nhiệm vụ, Tổ chức thực hiện…), never from Mục đích /
Yêu cầu / Mục tiêu or general Giải pháp thực hiện."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from normalizers.dates import inline_deadline, parse_deadline
from normalizers.people import people_units
from normalizers.units import Gazetteer, UnitMatch, dedupe_units
from pipeline.layout import Para, marker_of
from pipeline.prose_tree import Found, Head, attach_fields, last_task
from pipeline.prose_vocab import ProseVocab, load_vocab
from pipeline.records import RawTask

if TYPE_CHECKING:
    from normalizers.mentions import MentionFinder


_END = re.compile(r"^[|\s]*(?:trên đây là|nơi nhận|phụ lục\b|kt\.?\s*(?:giám đốc|chủ tịch)|giám đốc$|tm\.)", re.I)
# the signature block's authority line anywhere in a line: OCR may run it into the recipients beside it
_SIGNATURE = re.compile(r"\b(?:KT|TM|TL|TUQ)\.\s*[A-ZĐÂĂÊÔƠƯÀ-Ỹ]{2,}")
_ASSIGN_LINE = re.compile(r"^(?:[-+]\s*)?phân\s+công\s+(?:thực\s+hiện|nhiệm\s+vụ)\s*:?\s*$", re.I)
# 'b) Chủ trì, phối hợp' with the partners as the subjects of the items below it
_DANGLING_COOPERATION = re.compile(r"phối\s+hợp(?:\s+với)?\s*[:.]?\s*$", re.I)
_RESPONSIBLE_TAIL = re.compile(r"\s*(?:(?:có|chịu)\s+trách\s+nhiệm|thực\s+hiện)?\s*[:.]?\s*$", re.I)
_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
_BRACKET = re.compile(r"\([^()]*\)")
_HEADING_KINDS = ("roman", "article", "num", "letter", "paren")
LEVELS = {"roman": 1, "article": 1, "letter": 6, "paren": 7, "dash": 8, "plus": 9, "plain": 10}


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
        root = Head(0, "", root_kind)
        heads = [root]
        found: list[Found] = []
        started = root_kind == "task"
        for i, p in enumerate(paras):
            if _END.match(p.text) or _SIGNATURE.search(p.text):
                if started:
                    break
                continue
            if p.kind == "letter" and started and self._letter_field(p, heads, found):
                continue  # a) Nhiệm vụ: … / b) Cơ quan thực hiện: … / c) Thời gian: … — fields of the item
            if p.kind in _HEADING_KINDS:
                started = started or p.kind in ("roman", "article") or len(heads) > 1
                nxt = paras[i + 1] if i + 1 < len(paras) else None
                self._heading(p, heads, found, self._labels_content(nxt), _opens_list(p, nxt))
                continue
            if not started or heads[-1].kind != "task":
                continue
            self._body(p, heads, found)
        attach_fields(found)
        found = [f for f in found if not f.role_only]
        found = self._drop_indicator_lists(found)
        found = _fold_lone_paragraphs(found)
        tasks = []
        by_no: dict[str, Found] = {}  # the latest task of each number: a misread heading may repeat numbers
        for f in found:
            self._assign_units(f, by_no.get(f.task.parent_no))
            by_no[f.task.task_no] = f
            f.task.deadline_raw = f.own_deadline or str(f.given.get("deadline") or "") or f.task.deadline_raw \
                or inline_deadline(f.task.content)
            f.task.output = f.task.output or f.fields.get("output") or str(f.given.get("output") or "")
            tasks.append(f.task)
        for t in tasks:  # 'Triển khai, phát triển dữ liệu:' over its items: the colon only introduced them
            t.content = t.content.rstrip(" :;") or t.content
        return tasks

    def _heading(self, p: Para, heads: list[Head], found: list[Found], labelled: bool = False,
                 opens_list: bool = False) -> None:
        """A numbered or lettered heading: a section, a unit heading, or an item (a task). labelled: its first
        line below is a content label ('a) Nhiệm vụ: …'), which makes it an item whatever its title says.
        opens_list: marked items of a lower level follow it."""
        level = _level(p)
        while len(heads) > 1 and heads[-1].level >= level:
            heads.pop()
        parent = heads[-1]
        mark = p.marker
        path = mark if p.kind in ("roman", "article") or not parent.path else f"{parent.path}.{mark}"
        if p.kind == "num" and "." in mark and parent.path.endswith(mark.rsplit(".", 1)[0]):
            path = f"{parent.path}.{mark.rsplit('.', 1)[1]}"
        kind = p.section or self.vocab.section_kind(p.body.rstrip(" .:"), p.kind == "roman")
        kind = None if labelled and p.kind not in ("roman", "article") else kind
        group = kind == "task" and parent.kind == "task" and parent is not heads[0] and p.kind != "roman"
        head = Head(level, path, parent.kind if kind is None or group else kind)
        heads.append(head)
        assigns = parent.kind == "assigning" and kind is None and self.vocab.assigns_unit(p.body)
        if ((kind is not None and not group) or parent.kind != "task") and not assigns:
            return
        body = p.body
        units, rest = self._unit_heading(body, opens_list)
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
        f = Found(head.task, head, list(heads), fields.get("deadline", ""), fields=fields)
        found.append(f)
        head.events.append(("task", f))
        heads[-2].events.append(("child", f))

    def _labels_content(self, p: Para | None) -> bool:
        """'a) Nhiệm vụ: …' or a bare 'Nhiệm vụ:' line: the paragraph labels the content of the item above."""
        if p is None or p.kind in ("roman", "num"):
            return False
        text = p.body if p.kind == "letter" else p.text
        labelled = self.vocab.field_line(text)
        return (labelled[0] if labelled else self.vocab.open_label(text)) == "content"

    def _unit_heading(self, body: str, opens_list: bool = False) -> tuple[list[UnitMatch], str]:
        """The units a heading names and the task text after them ('Sở Tài chính: tham mưu …'), if any. A
        lead-in after the units that ends in ':' ('Các sở, ngành: là các đơn vị …, thực hiện các nội dung sau:')
        only introduces the items below it."""
        title = _RESPONSIBLE_TAIL.sub("", body)
        unit = self.vocab.unit_title(body, need_tail=False, opens_list=opens_list)
        if unit is not None and len(_BRACKET.sub(" ", title)) <= 150 or len(title) <= 150 and self.gaz._covers(title):
            return self._heading_units(unit or title), ""
        head, colon, rest = body.partition(":")
        if colon and len(rest.split()) >= 4 and self.vocab.unit_title(head, need_tail=False):
            unit = self.vocab.unit_title(head, need_tail=False) or head
            lead_in = opens_list and rest.rstrip().endswith(":")
            return self._heading_units(unit), "" if lead_in else rest.strip()
        return [], body

    def _heading_units(self, title: str) -> list[UnitMatch]:
        """A heading's units: those its brackets list ('Các cơ quan đăng ký đầu tư (Sở A, Ban B):'), else the
        title's own names; a generic head with a clause ('Cơ quan chủ trì giải quyết …') as written."""
        m = _BRACKETED.match(title.strip(" :"))
        if m is not None:
            listed = self.gaz.split_cell(m.group("inner"), 90)
            if listed and all(self.vocab.agency.match(u.raw) for u in listed):
                return listed
        if self.vocab.generic.match(title) and self.vocab.names_action(title):
            written = title.strip(" :")
            return [UnitMatch(written[:1].upper() + written[1:], written, 100.0, False)]
        return self.gaz.split_cell(title, 90)

    def _labelled(self, p: Para, text: str, heads: list[Head], found: list[Found]) -> bool:
        """A field line, a bare label, or a value line under one: True when the paragraph was taken."""
        head = heads[-1]
        if head.open_field and p.kind not in head.open_kinds:
            head.open_field = ""
        labelled = self.vocab.field_line(p.text)
        if labelled is not None:
            self._field(labelled, head, last_task(head))
            return True
        opened = self.vocab.open_label(p.text)
        if opened is not None:
            head.open_field, head.open_kinds, head.open_units = opened, ("plus",), {}
            return True
        if head.open_field and p.kind in head.open_kinds:
            self._open_value(p, text, head, heads, found)
            return True
        return False

    def _letter_field(self, p: Para, heads: list[Head], found: list[Found]) -> bool:
        """'b) Cơ quan thực hiện: …', 'c) Thời gian thực hiện: …', 'a) Nhiệm vụ:' — a lettered sub-item that is
        a label is a field of the item above the letters; a bare one opens the lines below it: units under a
        unit label, the item's own sub-items under a content label. True when the paragraph was taken."""
        labelled = self.vocab.field_line(p.body)
        opened = None if labelled is not None else self.vocab.open_label(p.body)
        outer = [h for h in heads if h.level < LEVELS["letter"]]
        if labelled is None and opened is None or outer[-1].kind != "task":
            return False
        del heads[len(outer):]
        head = heads[-1]
        head.open_field = ""
        if labelled is not None and labelled[0] == "content" and last_task(head) is None:
            value = labelled[1]  # under a unit heading: the unit's task
            self._body(Para(text=value, page=p.page, raw=value, body=value), heads, found)
        elif labelled is not None:
            self._field(labelled, head, last_task(head))
        elif opened != "content":
            head.open_field, head.open_kinds, head.open_units = opened or "", ("dash", "plus"), {}
        return True

    def _body(self, p: Para, heads: list[Head], found: list[Found]) -> None:
        head = heads[-1]
        text = p.body if p.kind != "plain" else p.text
        last = last_task(head)
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

    def _field(self, labelled: tuple[str, str], head: Head, last: Found | None) -> None:
        name, value = labelled
        if name in ("deadline", "output"):
            head.events.append((name, value))
        elif name in ("lead", "coord"):
            for role, units in self._units_of(name, value).items():
                head.events.append((role, units))
        elif name == "person":  # 'Người thực hiện: Nguyễn Văn A, Trần Thị B': one lead each
            head.events.append(("person", people_units(value)))
        elif name == "content" and last is not None:
            task = last.task
            title = task.content.rstrip()
            if title.endswith((".", ";", "!", "?")):
                task.content = f"{title} {value}"
            else:  # the title is a heading ('Hoạt động 1', '1.1. Xây dựng kế hoạch:'): the label says the task
                task.content = task.content_raw = value

    def _units_of(self, name: str, value: str) -> dict[str, list[UnitMatch]]:
        """A unit field's value: a list of units, or sentences with roles ('Sở A chủ trì, phối hợp với B; Sở C
        chủ động triển khai …'), each clause read on its own, so that no clause's object is taken for a unit."""
        clauses = [c for c in re.split(r"\s*;\s*", value) if c.strip(" .")]
        if name == "person" or len(clauses) < 2 or not any(map(self.vocab.names_action, clauses)):
            return self._clause_units(name, value)
        out: dict[str, list[UnitMatch]] = {}
        for clause in clauses:
            for role, units in self._clause_units(name, clause).items():
                out.setdefault(role, []).extend(units)
        return {role: dedupe_units(units) for role, units in out.items()}

    def _clause_units(self, name: str, value: str) -> dict[str, list[UnitMatch]]:
        split = self.vocab.role_split(value) if name == "lead" else None
        if split is not None:
            lead, coord = (self.gaz.split_cell(part, 90) if part else [] for part in split)
            return {"lead": lead, "coord": coord} if coord else {"lead": lead}
        if name == "person":
            return {"lead": people_units(value)}
        units = self.gaz.split_cell(value, 90)
        if not self.vocab.names_action(value):
            return {name: units}
        # 'Sở Xây dựng đăng tải thông điệp …': the sentence's subject, found by the subject grammar, which keeps
        # the verbs inside known names ('Cục … Quản lý xử lý vi phạm hành chính'); a list the grammar does not
        # read as a subject keeps all its units
        roles = self.mentions.roles(value, self.vocab.verbs)
        if len(units) > 1 and not roles.opens:
            return {name: units}
        return {"lead": roles.lead, "coord": roles.coord} if name == "lead" else {name: roles.lead}

    def _open_value(self, p: Para, text: str, head: Head, heads: list[Head], found: list[Found]) -> None:
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

    def _add(self, found: list[Found], head: Head, heads: list[Head], p: Para, text: str, no: str,
             parent: str) -> Found:
        body, fields = self.vocab.split_fields(text)
        task = RawTask(task_no=no, content=body, parent_no=parent, source_section=_section_path(heads),
                       page=p.page, content_raw=_raw_body(p) if p.raw != p.text else body)
        f = Found(task, head, list(heads), fields.get("deadline", ""), unit_line=list(head.unit_line),
                   fields=fields)
        found.append(f)
        head.events.append(("task", f))
        return f

    def _drop_indicator_lists(self, found: list[Found]) -> list[Found]:
        """A list of indicators ('Tỷ lệ … (%)') under an item is what is measured, not work: when most of a
        list's items read as indicators, the list goes, and so does its item when it reads as one too."""
        by_parent: dict[str, list[Found]] = {}
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

    def _field_units(self, f: Found, role: str) -> list[UnitMatch]:
        """Units (or people) the item states inline ('…; chủ trì: Sở A'), else those its field lines give it."""
        if f.fields.get(role):
            return self.gaz.split_cell(f.fields[role], 90)
        if role == "lead" and f.fields.get("person"):
            return people_units(f.fields["person"])
        return list(f.given.get(role) or [])  # type: ignore[call-overload]

    def _opens_with(self, text: str, units: list[UnitMatch]) -> bool:
        """The text opens with the first of the units (after a request word: 'Giao Sở A …', 'Đề nghị …')."""
        body = self.vocab.request.sub("", text.strip(), count=1).lower()
        return bool(units) and body.startswith(units[0].raw.lower())

    def _assign_units(self, f: Found, parent: Found | None) -> None:
        """Explicit 'Đơn vị chủ trì/phối hợp:' fields win (the item's own, then its group's), then the sentence's
        own subject, then the subject of a lead-in above the item, then the unit heading, then a unit named
        further in the sentence. Under a parent that ends 'chủ trì, phối hợp', the item's subject are the
        partners of the parent's lead."""
        if parent is not None and parent.task.lead and _DANGLING_COOPERATION.search(parent.task.content):
            subject = self.vocab.subject(f.task.content)
            f.task.lead = list(parent.task.lead)
            f.task.coord = self.gaz.split_cell(subject, 90) if subject else self.mentions.roles(f.task.content).lead
            f.task.lead_raw = "; ".join(u.raw for u in f.task.lead)
            f.task.coord_raw = "; ".join(u.raw for u in f.task.coord)
            return
        roles = self.mentions.roles(f.task.content, self.vocab.verbs)
        if f.role_from is not None:
            given = self.mentions.roles(f.role_from.task.content, self.vocab.verbs)
            roles.lead, roles.coord = roles.lead or given.lead, roles.coord or given.coord
        lead = self._field_units(f, "lead")
        coord = self._field_units(f, "coord")
        heading = list(f.unit_line) or next((list(h.unit_lead) for h in reversed(f.heads) if h.unit_lead), [])
        # the item's own subject; under a unit heading only a known name in subject position, not any phrase
        # the subject grammar reads as units ('Các phòng chuyên môn …' of the unit above)
        if not lead and ((roles.opens and not heading) or self._opens_with(f.task.content, roles.lead)):
            lead = roles.lead
        if not lead and parent is not None and parent.task.content.rstrip().endswith(":") and parent.task.lead \
                and (self._opens_with(parent.task.content, parent.task.lead)
                     or not heading and self.mentions.subject(parent.task.content, self.vocab.verbs) is not None):
            lead = list(parent.task.lead)  # 'Các đơn vị tham mưu … như sau:' — its subject does the items below
        lead = lead or heading or roles.lead  # a unit named further in yields to the unit heading
        if not coord:
            coord = roles.coord or next((list(h.unit_coord) for h in reversed(f.heads) if h.unit_coord), [])
        f.task.lead, f.task.coord = lead, coord
        f.task.lead_raw = "; ".join(u.raw for u in lead)
        f.task.coord_raw = "; ".join(u.raw for u in coord)


def _fold_lone_paragraphs(found: list[Found]) -> list[Found]:
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
            own.given = {**f.given, **own.given}
            own.own_deadline = own.own_deadline or f.own_deadline
            h.task.deadline_raw = h.task.deadline_raw or f.task.deadline_raw
            gone.add(id(f))
    return [f for f in found if id(f) not in gone]


def _opens_list(p: Para, nxt: Para | None) -> bool:
    return nxt is not None and nxt.kind not in ("plain", "roman", "article") and _level(nxt) > _level(p)


def _continues_item(head: Head, last: Found | None, text: str) -> bool:
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



def _parent_task_no(heads: list[Head]) -> str:
    return next((h.task.task_no for h in reversed(heads) if h.task is not None), "")


def _section_path(heads: list[Head]) -> str:
    return " > ".join(h.path for h in heads[1:] if h.path)
