"""Prose plans → tasks. Numbered sections (I., 1., a), -, +) are walked as a tree; tasks come only from
sections that assign work (Nội dung triển khai, Nhiệm vụ, Tổ chức thực hiện…), never from Mục đích /
Yêu cầu / Mục tiêu or general Giải pháp thực hiện."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalizers.dates import inline_deadline
from normalizers.text import key, strip_diacritics
from normalizers.units import Gazetteer, UnitMatch
from pipeline.layout import Para, marker_of
from pipeline.records import RawTask

if TYPE_CHECKING:
    from normalizers.mentions import MentionFinder


def _folded(pattern: str) -> re.Pattern[str]:
    return re.compile(strip_diacritics(pattern))


_TASK_WORDS = _folded(r"nội dung|nhiệm vụ|tổ chức thực hiện|phân công|hoạt động|công việc|chương trình hành động")
_NONTASK_WORDS = _folded(r"mục đích|yêu cầu|mục tiêu|giải pháp thực hiện|kinh phí|căn cứ|tình hình|kết quả|"
                            r"hạn chế|tồn tại|đánh giá|chế độ báo cáo|quan điểm|phạm vi|đối tượng|sự cần thiết")
_TITLE_ONLY = _folded(r"^(?:(?:các\s+)?(?:mục đích|yêu cầu|mục tiêu|nhiệm vụ|giải pháp|nội dung|phân công|kinh phí|"
                         r"tổ chức thực hiện|chế độ báo cáo|trách nhiệm|quan điểm|phạm vi|đối tượng)"
                         r"(?:\s+(?:chung|cụ thể|trọng tâm|chủ yếu|thực hiện|triển khai|và|,|-))*\s*[,\-và]*\s*)+$")
_END = re.compile(r"^(?:trên đây là|nơi nhận|phụ lục\b|kt\.?\s*giám đốc|giám đốc$|tm\.)", re.I)
_DEADLINE_LINE = re.compile(r"^(?:[-+]\s*)?(?:thời\s+(?:gian|hạn)|tiến\s+độ)(?:\s+(?:hoàn\s+thành|thực\s+hiện|"
                            r"triển\s+khai|báo\s+cáo))*\s*:?\s*(?P<v>.+)$", re.I)
_ROLE_LINE = re.compile(r"^(?:[-+]\s*)?(?:đơn\s+vị|cơ\s+quan|bộ\s+phận)\s+(?P<r>chủ\s+trì|phối\s+hợp|thực\s+hiện)"
                        r"(?:\s+thực\s+hiện)?\s*:\s*(?P<v>.+)$", re.I)
_OUTPUT_LINE = re.compile(r"^(?:[-+]\s*)?(?:sản\s+phẩm(?:\s+đầu\s+ra)?|kết\s+quả\s+(?:đầu\s+ra|dự\s+kiến)|"
                          r"hình\s+thức\s+văn\s+bản)\s*:\s*(?P<v>.+)$", re.I)
_ASSIGN_LINE = re.compile(r"^(?:[-+]\s*)?phân\s+công\s+(?:thực\s+hiện|nhiệm\s+vụ)\s*:?\s*$", re.I)
_TRAILING_DEADLINE = re.compile(r"[.;,]?\s*\(?\s*thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?\s*:\s*"
                                r"(?P<v>[^.;()]+?)\s*\)?\s*[.;]?\s*$", re.I)
_RESPONSIBLE_TAIL = re.compile(r"\s*(?:(?:có|chịu)\s+trách\s+nhiệm|thực\s+hiện)?\s*[:.]?\s*$", re.I)
LEVELS = {"roman": 1, "letter": 6, "dash": 7, "plus": 8, "plain": 9}


@dataclass(eq=False)
class _Head:
    level: int
    path: str
    kind: str  # task · nontask · neutral
    task: RawTask | None = None
    unit_lead: list[UnitMatch] = field(default_factory=list)
    events: list[tuple[str, object]] = field(default_factory=list)  # ("task", RawTask) | ("deadline", str) ...
    children: int = 0
    last_dash: _Found | None = None


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


def section_kind(title: str, is_roman: bool) -> str | None:
    """task · nontask · neutral for a heading's title; None when the title is not a section name."""
    k = strip_diacritics(key(title))  # OCR often gets one mark wrong in a heading (THỤC HIỆN)
    task, nontask = _TASK_WORDS.search(k), _NONTASK_WORDS.search(k)
    if not is_roman and (len(k.split()) > 9 or not _TITLE_ONLY.match(k)):
        return None
    if task and not re.search(r"muc dich|muc tieu|yeu cau", k):
        return "task"
    if nontask:
        return "nontask"
    if task:
        return "neutral"
    return "task" if is_roman else None


def _level(p: Para) -> int:
    if p.kind == "num":
        return 2 + p.marker.count(".")
    return LEVELS[p.kind]


class ProseParser:
    def __init__(self, gaz: Gazetteer, mentions: MentionFinder) -> None:
        self.gaz = gaz
        self.mentions = mentions

    def parse(self, paras: list[Para]) -> list[RawTask]:
        root = _Head(0, "", "nontask")
        heads = [root]
        found: list[_Found] = []
        started = False
        for p in paras:
            if _END.match(p.text):
                if started:
                    break
                continue
            if p.kind in ("roman", "num", "letter"):
                started = started or p.kind == "roman" or len(heads) > 1
                self._heading(p, heads, found)
                continue
            if not started or heads[-1].kind != "task":
                continue
            self._body(p, heads, found)
        for head in sorted({id(f.head): f.head for f in found}.values(), key=lambda h: -h.level):
            _apply_deadlines(head, found)
        tasks = []
        found = [f for f in found if not f.role_only]
        for f in found:
            self._assign_units(f)
            if not f.task.deadline_raw:
                f.task.deadline_raw = inline_deadline(f.task.content)
            tasks.append(f.task)
        return tasks

    def _heading(self, p: Para, heads: list[_Head], found: list[_Found]) -> None:
        level = _level(p)
        while len(heads) > 1 and heads[-1].level >= level:
            heads.pop()
        parent = heads[-1]
        mark = p.marker
        path = mark if p.kind == "roman" or not parent.path else f"{parent.path}.{mark}"
        if p.kind == "num" and "." in mark and parent.path.endswith(mark.rsplit(".", 1)[0]):
            path = f"{parent.path}.{mark.rsplit('.', 1)[1]}"
        kind = section_kind(p.body.rstrip(" .:"), p.kind == "roman")
        head = _Head(level, path, kind or parent.kind)
        heads.append(head)
        if kind is not None or parent.kind != "task":
            return
        title = _RESPONSIBLE_TAIL.sub("", p.body)
        if self.gaz._covers(title) and len(title) <= 150:
            head.unit_lead = self.gaz.split_cell(title, 90)
            return
        body, deadline = _split_trailing_deadline(p.body)
        head.task = RawTask(task_no=path, content=body, parent_no=_parent_task_no(heads[:-1]),
                            source_section=_section_path(heads), page=p.page, content_raw=_raw_body(p))
        f = _Found(head.task, head, list(heads), deadline)
        found.append(f)
        head.events.append(("task", f))

    def _body(self, p: Para, heads: list[_Head], found: list[_Found]) -> None:
        head = heads[-1]
        text = p.body if p.kind != "plain" else p.text
        m = _DEADLINE_LINE.match(p.text)
        if m and len(p.text) < 160:
            head.events.append(("deadline", m.group("v").strip(" .;")))
            return
        m = _ROLE_LINE.match(p.text)
        if m:
            role = "coord" if "phối" in m.group("r").lower() else "lead"
            head.events.append((role, self.gaz.split_cell(m.group("v"), 90)))
            return
        m = _OUTPUT_LINE.match(p.text)
        last = _last_task(head)
        if m and last is not None:
            last.task.output = m.group("v").strip(" .;")
            return
        if _ASSIGN_LINE.match(p.text) or not text:
            return
        if p.kind == "plain" and head.task is None and text.rstrip().endswith(":"):
            return
        dash = head.last_dash
        if p.kind == "plus" and dash is not None:
            if dash is last and (dash.merging or dash.task.content.rstrip().endswith(":")):
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

    def _add(self, found: list[_Found], head: _Head, heads: list[_Head], p: Para, text: str, no: str,
             parent: str) -> _Found:
        body, deadline = _split_trailing_deadline(text)
        task = RawTask(task_no=no, content=body, parent_no=parent, source_section=_section_path(heads),
                       page=p.page, content_raw=_raw_body(p) if p.raw != p.text else body)
        f = _Found(task, head, list(heads), deadline)
        found.append(f)
        head.events.append(("task", f))
        return f

    def _is_role_statement(self, text: str) -> bool:
        return len(text.split()) <= 18 and "chủ trì" in text.lower() and bool(self.mentions.roles(text).lead)

    def _assign_units(self, f: _Found) -> None:
        """Explicit 'Đơn vị chủ trì/phối hợp:' lines win, then the sentence's own subject, then the unit heading."""
        roles = self.mentions.roles(f.task.content)
        if f.role_from is not None:
            given = self.mentions.roles(f.role_from.task.content)
            roles.lead, roles.coord = roles.lead or given.lead, roles.coord or given.coord
        lead: list[UnitMatch] = []
        coord: list[UnitMatch] = []
        for h in reversed(f.heads):
            for kind, units in h.events:
                if kind == "lead" and not lead:
                    lead = list(units)  # type: ignore[call-overload]
                if kind == "coord" and not coord:
                    coord = list(units)  # type: ignore[call-overload]
        lead, coord = lead or roles.lead, coord or roles.coord
        if not lead:
            lead = next((list(h.unit_lead) for h in reversed(f.heads) if h.unit_lead), [])
        f.task.lead, f.task.coord = lead, coord
        f.task.lead_raw = "; ".join(u.raw for u in lead)
        f.task.coord_raw = "; ".join(u.raw for u in coord)


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


def _split_trailing_deadline(text: str) -> tuple[str, str]:
    m = _TRAILING_DEADLINE.search(text)
    if m and m.start() > 0:
        return text[:m.start()].rstrip(" ,;") + ("." if text[:m.start()].rstrip()[-1:] not in ".;:" else ""), \
            m.group("v").strip()
    return text, ""


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
