"""Task tables laid out otherwise than STT | content | units | deadline, with exact gold: a schedule (the time
or phase first, group numbers in it, a two-level Thực hiện → chủ trì | phối hợp header), the lead column
before the content, a people column, group rows naming the unit of their items, an amendment table
(document to amend | article | drafting body)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.plangen.model import Cell, GoldTask, TableRow, TaskTable

if TYPE_CHECKING:
    from tools.plangen.generate import _Writer

SHAPES = ("schedule", "lead_first", "people", "unit_groups", "amendment")
ROMAN = ["I", "II", "III", "IV", "V"]


def _none() -> object:
    from tools.plangen.generate import NONE
    return NONE


def _task(no: str, parent: str, content: str, lead: list[str], coord: list[str], deadline: object) -> GoldTask:
    return GoldTask(no, parent, content, lead, coord, "", deadline, "Phụ lục")  # type: ignore[arg-type]


def shaped_table(w: _Writer, shape: str) -> tuple[TaskTable, list[GoldTask]]:
    return {"schedule": schedule_table, "lead_first": lead_first_table, "people": people_table,
            "unit_groups": unit_group_table, "amendment": amendment_table}[shape](w)


def schedule_table(w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    """Thời gian | Nội dung | Thực hiện (Đơn vị chủ trì | Đơn vị phối hợp): phases I, II… and steps 1, 2…
    (restarting, so the gold prefixes the phase) in the time column; the steps' tasks carry no number, their
    time merged down the rows it spans."""
    rng, h = w.rng, w.vocab.headers
    roles = ["deadline", "content", "lead", "coord"]
    top = [rng.choice(h["schedule_time"]), rng.choice(h["content"]), rng.choice(h["schedule_group"]), ""]
    sub = ["", "", rng.choice(h["schedule_lead"]), rng.choice(h["schedule_coord"])]
    rows: list[TableRow] = []
    gold: list[GoldTask] = []
    for g in range(rng.randint(2, 3)):
        phase = ROMAN[g]
        title = f"GIAI ĐOẠN {g + 1}: {rng.choice(w.vocab.phrases['phase']).upper()}"
        rows.append(TableRow([Cell(phase), Cell(title), Cell(""), Cell("")], group=True))
        gold.append(_task(phase, "", title, [], [], _none()))
        for s in range(rng.randint(1, 2)):
            step, step_no = str(s + 1), f"{phase}.{s + 1}"
            title = rng.choice(w.vocab.phrases["group"])
            rows.append(TableRow([Cell(step), Cell(title), Cell(""), Cell("")], group=True))
            gold.append(_task(step_no, phase, title, [], [], _none()))
            dl = w.deadline()
            while not dl.phrase or dl.phrase[:2].strip().isdigit() and len(dl.phrase) <= 2:
                dl = w.deadline()
            for k in range(rng.randint(1, 3)):
                lead = w.units(1)
                coord = w.units(rng.randint(0, 2), {u.written for u in lead})
                content = w.content()
                rows.append(TableRow([Cell(dl.phrase, merged_up=k > 0), Cell(content), Cell(w.written(lead)),
                                      Cell(w.written(coord))]))
                gold.append(_task(f"{step_no}.-{k + 1}", step_no, content, w.gold(lead), w.gold(coord), dl))
    return TaskTable(roles, [top, sub], rows, group_span=(2, 3)), gold


def lead_first_table(w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    """STT | Đơn vị chủ trì | Nội dung | Phối hợp | Thời hạn, the lead named in one of its other wordings."""
    rng, h = w.rng, w.vocab.headers
    roles = ["stt", "lead", "content", "coord", "deadline"]
    lead_word = rng.choice(h["lead"] + h["lead_other"][:2])
    header = [[rng.choice(h["stt"]), lead_word, rng.choice(h["content"]), rng.choice(h["coord"]),
               rng.choice(h["deadline"])]]
    rows, gold = [], []
    for i in range(rng.randint(3, 8)):
        lead = w.units(1)
        coord = w.units(rng.randint(0, 2), {u.written for u in lead})
        dl = w.deadline()
        content = w.content()
        rows.append(TableRow([Cell(str(i + 1)), Cell(w.written(lead)), Cell(content), Cell(w.written(coord)),
                              Cell(dl.phrase)]))
        gold.append(_task(str(i + 1), "", content, w.gold(lead), w.gold(coord), dl))
    return TaskTable(roles, header, rows), gold


def people_table(w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    """TT | Nhiệm vụ | Người thực hiện | Thời hạn: one to three people a cell, one lead each."""
    rng, h = w.rng, w.vocab.headers
    roles = ["stt", "content", "person", "deadline"]
    header = [[rng.choice(h["stt"]), rng.choice(h["content"]), rng.choice(h["person"]), rng.choice(h["deadline"])]]
    sep = rng.choice([", ", "; ", " / ", " "])  # ' ': names run together, as a cell's lines flattened
    rows, gold = [], []
    for i in range(rng.randint(3, 8)):
        names = w.people(rng.randint(1, 3))
        dl = w.deadline()
        content = w.content()
        rows.append(TableRow([Cell(str(i + 1)), Cell(content), Cell(sep.join(names)), Cell(dl.phrase)]))
        gold.append(_task(str(i + 1), "", content, names, [], dl))
    return TaskTable(roles, header, rows), gold


def unit_group_table(w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    """STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn with group rows 'A. <unit>': the group's items leave the
    lead cell blank (the group's unit leads them) unless another unit leads one of them."""
    rng, h = w.rng, w.vocab.headers
    roles = ["stt", "content", "lead", "deadline"]
    header = [[rng.choice(h["stt"]), rng.choice(h["content"]), rng.choice(h["lead"]), rng.choice(h["deadline"])]]
    rows, gold = [], []
    groups = w.units(rng.randint(2, 3))
    for g, unit in enumerate(groups):
        label = "ABCDE"[g]
        name = w.written([unit])
        rows.append(TableRow([Cell(label), Cell(name), Cell(""), Cell("")], group=True))
        gold.append(_task(label, "", name, w.gold([unit]), [], _none()))
        for i in range(rng.randint(1, 4)):
            own = w.units(1, {u.written for u in groups}) if rng.random() < 0.2 else []
            dl = w.deadline()
            content = w.content()
            rows.append(TableRow([Cell(str(i + 1)), Cell(content), Cell(w.written(own)), Cell(dl.phrase)]))
            gold.append(_task(f"{label}.{i + 1}", label, content, w.gold(own or [unit]), [], dl))
    return TaskTable(roles, header, rows), gold


def amendment_table(w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    """TT | Văn bản cần sửa đổi | Điều, khoản | Cơ quan chủ trì soạn thảo: each document is one task, its
    articles merged rows of their own; the content is 'document: article; article'."""
    rng, h, phrases = w.rng, w.vocab.headers, w.vocab.phrases
    roles = ["stt", "content", "clause", "lead"]
    header = [[rng.choice(h["stt"]), rng.choice(h["amend_document"]), rng.choice(h["amend_clause"]),
               rng.choice(h["amend_lead"])]]
    rows, gold = [], []
    seen: set[str] = set()
    for i in range(rng.randint(2, 6)):
        doc = ""
        while not doc or doc in seen:
            doc = rng.choice(phrases["document"]).format(n=rng.randint(1, 199), y=rng.randint(2015, w.year))
        seen.add(doc)
        lead = w.units(1)
        clauses: list[str] = []
        while len(clauses) < rng.randint(1, 3):
            c = rng.choice(phrases["clause"]).format(a=rng.randint(1, 40), b=rng.randint(1, 9))
            if c not in clauses:
                clauses.append(c)
        for k, c in enumerate(clauses):
            rows.append(TableRow([Cell(str(i + 1), merged_up=k > 0), Cell(doc, merged_up=k > 0), Cell(c),
                                  Cell(w.written(lead), merged_up=k > 0)]))
        gold.append(_task(str(i + 1), "", f"{doc}: {'; '.join(clauses)}", w.gold(lead), [], _none()))
    return TaskTable(roles, header, rows), gold
