"""Seeded synthetic plans with exact gold: a phụ lục task table (random columns, wordings, two-row headers,
merged cells, group rows) or a prose plan (I. MỤC ĐÍCH, YÊU CẦU / II. NHIỆM VỤ / III. TỔ CHỨC THỰC HIỆN)."""

from __future__ import annotations

import random

from tools.plangen.deadlines import DeadlineCase, random_deadline
from tools.plangen.issuers import Issuer, abbreviate, gold_name, random_issuer, unit_pool
from tools.plangen.model import Cell, GoldTask, Para, Plan, TableRow, TaskTable
from tools.plangen.vocab import UnitName, Vocabulary, load_vocabulary

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LETTERS = "abcdđeghiklmn"
NONE = DeadlineCase("", "unspecified", None, None)


class _Writer:
    """Draws the pieces of one plan from one random stream."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, issuer: Issuer, year: int) -> None:
        self.rng, self.vocab, self.issuer, self.year = rng, vocab, issuer, year
        self.pool = unit_pool(issuer, vocab)
        self.used: set[str] = set()
        self.abbr_p = rng.choice([0.0, 0.0, 0.3, 0.7])

    def pick(self, kind: str) -> str:
        return self.rng.choice(self.vocab.phrases[kind])

    def content(self) -> str:
        """A task text not used before in this plan."""
        for _ in range(50):
            text = f"{self.pick('action')} {self.pick('object')} {self.pick('domain')}"
            if self.rng.random() < 0.3:
                text += f" giai đoạn {self.year}-{self.year + self.rng.randint(1, 5)}"
            if text not in self.used:
                break
        self.used.add(text)
        return text

    def units(self, n: int, exclude: set[str] = frozenset()) -> list[UnitName]:  # type: ignore[assignment]
        cands = [u for u in self.pool if u.written not in exclude]
        return self.rng.sample(cands, min(n, len(cands)))

    def written(self, units: list[UnitName]) -> str:
        sep = self.rng.choice([", ", ", ", "; "])
        return sep.join(abbreviate(u.written, self.vocab, self.rng, self.abbr_p) for u in units)

    def gold(self, units: list[UnitName]) -> list[str]:
        return [gold_name(u, self.issuer) for u in units]

    def people(self, n: int) -> list[str]:
        """N different people's full names (family, middle, given)."""
        p = self.vocab.people
        names: list[str] = []
        while len(names) < n:
            name = " ".join(self.rng.choice(p[part]) for part in ("family", "middle", "given"))
            if name not in names:
                names.append(name)
        return names

    def deadline(self) -> DeadlineCase:
        if self.rng.random() < 0.1:
            return NONE
        return random_deadline(self.rng, years=(self.year, self.year + 5))


def header_blocks(w: _Writer, number: int, title: str) -> list[Para]:
    iss = w.issuer
    day, month = w.rng.randint(1, 28), w.rng.randint(1, 12)
    out = [Para(line, "center", True) for line in iss.header]
    out += [Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "center", True),
            Para("Độc lập - Tự do - Hạnh phúc", "center", True),
            Para(f"Số: {number}/{iss.code}", "center"),
            Para(f"{iss.place}, ngày {day} tháng {month} năm {w.year}", "center"),
            Para("KẾ HOẠCH", "center", True), Para(title.upper(), "center", True),
            Para(f"Căn cứ tình hình thực tế, {iss.name} ban hành Kế hoạch {title} như sau:")]
    return out


def purpose_blocks(w: _Writer) -> list[Para]:
    out = [Para("I. MỤC ĐÍCH, YÊU CẦU", "heading", True), Para("1. Mục đích", "heading", True)]
    out += [Para(p, "bullet") for p in w.rng.sample(w.vocab.phrases["purpose"], 2)]
    out += [Para("2. Yêu cầu", "heading", True)]
    out += [Para(p, "bullet") for p in w.rng.sample(w.vocab.phrases["purpose"], 2)]
    return out


# ---------------------------------------------------------------- task tables

def table_roles(rng: random.Random) -> list[str]:
    roles = ["content", "lead"]
    for role, p in (("coord", 0.85), ("deadline", 0.9), ("output", 0.6), ("funding", 0.2), ("note", 0.3)):
        if rng.random() < p:
            roles.append(role)
    head, tail = roles[:1], roles[1:]
    if rng.random() < 0.4:  # another column order: the deadline or output before the units
        rng.shuffle(tail)
    if "lead" in tail and "coord" in tail and rng.random() < 0.7:  # coord usually right after lead
        tail.remove("coord")
        tail.insert(tail.index("lead") + 1, "coord")
    return (["stt"] if rng.random() < 0.9 else []) + head + tail


def table_header(rng: random.Random, vocab: Vocabulary,
                 roles: list[str]) -> tuple[list[list[str]], tuple[int, int] | None]:
    words = {r: rng.choice(vocab.headers[r]) for r in roles}
    if "lead" in roles and "coord" in roles and roles.index("coord") == roles.index("lead") + 1 \
            and rng.random() < 0.35:
        a = roles.index("lead")
        top = [words[r] if r not in ("lead", "coord") else "" for r in roles]
        top[a] = rng.choice(vocab.headers["group"])
        sub = ["" for _ in roles]
        sub[a], sub[a + 1] = vocab.headers["group_lead"][0], vocab.headers["group_coord"][0]
        return [top, sub], (a, a + 1)
    upper = rng.random() < 0.3
    return [[words[r].upper() if upper else words[r] for r in roles]], None


def task_cells(w: _Writer, roles: list[str], no: str, prev: dict[str, tuple[str, object]] | None,
               merge_ok: bool) -> tuple[list[Cell], GoldTask, dict[str, tuple[str, object]]]:
    """One task row; lead, coord and deadline may repeat the row above as a merged cell."""
    rng = w.rng
    content = w.content()
    vals: dict[str, tuple[str, object]] = {}
    lead = w.units(1 if rng.random() < 0.85 else 2)
    vals["lead"] = (w.written(lead), w.gold(lead))
    coord = w.units(rng.choice([0, 1, 2, 2, 3, 4]), {u.written for u in lead}) if "coord" in roles else []
    vals["coord"] = (w.written(coord), w.gold(coord))
    dl = w.deadline() if "deadline" in roles else NONE
    vals["deadline"] = (dl.phrase, dl)
    merged = set()
    if prev is not None and merge_ok:
        for col in ("lead", "coord", "deadline"):
            overlap = col == "coord" and set(prev[col][1]) & set(vals["lead"][1])  # type: ignore[arg-type]
            if col in roles and prev[col][0] and not overlap and rng.random() < 0.25:
                vals[col] = prev[col]
                merged.add(col)
    if "lead" in merged and set(vals["lead"][1]) & set(vals["coord"][1]):  # type: ignore[arg-type]
        vals["coord"] = ("", [])
    output = w.pick("output") if "output" in roles and rng.random() < 0.85 else ""
    text = {"stt": no, "content": content, "lead": vals["lead"][0], "coord": vals["coord"][0],
            "deadline": vals["deadline"][0], "output": output,
            "funding": w.pick("funding"), "note": w.pick("note") if rng.random() < 0.3 else ""}
    cells = [Cell(text[r], merged_up=r in merged) for r in roles]
    dl_case = vals["deadline"][1]
    assert isinstance(dl_case, DeadlineCase)
    task = GoldTask(no, "", content, list(vals["lead"][1]), list(vals["coord"][1]),  # type: ignore[call-overload]
                    output, dl_case, "Phụ lục")
    return cells, task, vals


def table_plan(rng: random.Random, vocab: Vocabulary, w: _Writer) -> tuple[TaskTable, list[GoldTask]]:
    roles = table_roles(rng)
    header, span = table_header(rng, vocab, roles)
    has_stt = "stt" in roles
    n_groups = rng.choice([0, 0, 2, 3, 4]) if has_stt else 0
    group_style = rng.choice(["roman", "roman", "letter", "dotted"])
    numbering = rng.choice(["restart", "continuous"]) if group_style != "dotted" else "dotted"
    rows: list[TableRow] = []
    gold: list[GoldTask] = []
    counter = 0
    for g in range(max(1, n_groups)):
        label = ""
        if n_groups:
            label = {"roman": ROMAN[g], "letter": "ABCDEFGH"[g], "dotted": str(g + 1)}[group_style]
            title = rng.choice(vocab.phrases["group"])
            if rng.random() < 0.4:
                title = title.upper()
            cells = [Cell(label if r == "stt" else title if r == "content" else "") for r in roles]
            rows.append(TableRow(cells, group=True))
            gold.append(GoldTask(label, "", title, [], [], "", NONE, "Phụ lục"))
        prev = None
        for i in range(rng.randint(2, 6) if n_groups else rng.randint(4, 14)):
            counter += 1
            if not n_groups:
                printed = gold_no = str(counter)
            elif numbering == "dotted":
                printed = gold_no = f"{label}.{i + 1}"
            elif numbering == "restart":
                printed, gold_no = str(i + 1), f"{label}.{i + 1}"
            else:
                printed = gold_no = str(counter)
            cells, task, prev = task_cells(w, roles, printed, prev, merge_ok=True)
            task.task_no, task.parent_no = gold_no, label
            if not has_stt:
                task.task_no = str(counter)
            rows.append(TableRow(cells))
            gold.append(task)
    table = TaskTable(roles, header, rows, span, repeat_every=rng.choice([0, 0, 8, 12]),
                      number_row=rng.random() < 0.25)
    return table, gold


# ---------------------------------------------------------------- prose

FIELD_LABELS = {"lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì"],
                "coord": ["Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp"],
                "deadline": ["Thời gian hoàn thành", "Thời gian thực hiện", "Thời hạn"],
                "output": ["Sản phẩm", "Kết quả"],
                "people": ["Người thực hiện", "Cán bộ thực hiện", "Người phụ trách"],
                "leader": ["Lãnh đạo phụ trách"],
                "units": ["Cơ quan thực hiện", "Đơn vị thực hiện"],
                "content": ["Nhiệm vụ", "Nội dung"]}
TASK_HEADINGS = ["NHIỆM VỤ VÀ GIẢI PHÁP", "NHIỆM VỤ CỤ THỂ", "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "NỘI DUNG THỰC HIỆN"]


def field_lines(w: _Writer, task: GoldTask) -> list[Para]:
    """Labelled field lines under an item; they set the task's units, deadline and output."""
    rng = w.rng
    out = []
    lead: list[UnitName] = []
    if rng.random() < 0.15:  # people named as the ones to do it: one lead each
        task.lead, task.shape = w.people(rng.randint(1, 3)), "people"
        out.append(Para(f"{rng.choice(FIELD_LABELS['people'])}: {', '.join(task.lead)}", "bullet"))
    else:
        lead = w.units(1)
        task.lead = w.gold(lead)
        out.append(Para(f"{rng.choice(FIELD_LABELS['lead'])}: {w.written(lead)}", "bullet"))
    if rng.random() < 0.7:
        coord = w.units(rng.randint(1, 3), {u.written for u in lead})
        task.coord = w.gold(coord)
        out.append(Para(f"{rng.choice(FIELD_LABELS['coord'])}: {w.written(coord)}", "bullet"))
    if rng.random() < 0.8:
        dl = w.deadline()
        if dl.phrase:
            task.deadline = dl
            out.append(Para(f"{rng.choice(FIELD_LABELS['deadline'])}: {dl.phrase}", "bullet"))
    if rng.random() < 0.4:
        task.output = w.pick("output")
        out.append(Para(f"{rng.choice(FIELD_LABELS['output'])}: {task.output}", "bullet"))
    return out


def prose_tasks(w: _Writer, sec_no: str, heading: str) -> tuple[list[Para], list[GoldTask]]:
    rng = w.rng
    paras: list[Para] = [Para(f"{sec_no}. {heading}", "heading", True)]
    gold: list[GoldTask] = []
    for i in range(1, rng.randint(2, 5) + 1):
        no = f"{sec_no}.{i}"
        title = rng.choice(w.vocab.phrases["group"]) if rng.random() < 0.5 else w.content()
        item = GoldTask(no, "", title, [], [], "", NONE, f"{sec_no}. {heading}")
        gold.append(item)
        paras.append(Para(f"{i}. {title}", "heading", True))
        shape = rng.choice(["fields", "letters", "dashes", "dashes", "lettered", "closing"])
        if shape == "lettered":
            paras.pop()
            more, sub = lettered_item(w, i, item)
            paras += more
            gold += sub
            continue
        if shape == "closing":
            paras += closing_block(w, item, gold)
            continue
        if shape == "fields":
            item.content = w.content()
            paras[-1] = Para(f"{i}. {item.content}", "heading", True)
            paras += field_lines(w, item)
            continue
        for j in range(rng.randint(2, 4)):
            text = w.content()
            if shape == "letters":
                sub = GoldTask(f"{no}.{LETTERS[j]}", no, text + ".", [], [], "", NONE, item.source_section)
                paras.append(Para(f"{LETTERS[j]}) {text}."))
                gold.append(sub)
                if rng.random() < 0.4:
                    paras += field_lines(w, sub)
                continue
            sub = GoldTask(f"{no}.-{j + 1}", no, text + ".", [], [], "", NONE, item.source_section)
            paras.append(Para(f"{text}.", "bullet"))
            gold.append(sub)
            if rng.random() < 0.3:
                for k in range(rng.randint(2, 3)):
                    plus = w.content()
                    gold.append(GoldTask(f"{sub.task_no}.+{k + 1}", sub.task_no, plus, [], [], "", NONE,
                                         item.source_section))
                    paras.append(Para(f"+ {plus};"))
    return paras, gold


def unit_fields(w: _Writer) -> tuple[list[str], list[str], list[str]]:
    """A lead unit and maybe coordinating ones: (lead as written, coord as written, gold of both joined)."""
    lead = w.units(1)
    coord = w.units(w.rng.randint(1, 2), {u.written for u in lead}) if w.rng.random() < 0.7 else []
    return [w.written(lead)], [w.written(coord)] if coord else [], [*w.gold(lead), "|", *w.gold(coord)]


def _apply(task: GoldTask, gold_units: list[str], deadline: DeadlineCase) -> None:
    cut = gold_units.index("|")
    task.lead, task.coord, task.deadline = gold_units[:cut], gold_units[cut + 1:], deadline


def lettered_item(w: _Writer, i: int, item: GoldTask) -> tuple[list[Para], list[GoldTask]]:
    """'1. Title:' whose lettered sub-items are its fields: a) Nhiệm vụ: … (or a bare 'a) Nhiệm vụ:' over
    '-' items), b) Cơ quan thực hiện: '- Đơn vị chủ trì: …' '- Đơn vị phối hợp: …', c) Thời gian thực hiện: …
    One task (or a group row and its items), all with those fields."""
    rng = w.rng
    lead, coord, units = unit_fields(w)
    dl = w.deadline()
    group = rng.random() < 0.5
    paras = [Para(f"{i}. {item.content}:", "heading", True)]
    subs: list[GoldTask] = []
    label = rng.choice(FIELD_LABELS["content"])
    if group:
        paras.append(Para(f"a) {label}:"))
        for j in range(rng.randint(2, 3)):
            text = w.content() + "."
            paras.append(Para(text, "bullet"))
            subs.append(GoldTask(f"{item.task_no}.-{j + 1}", item.task_no, text, [], [], "", NONE,
                                 item.source_section))
    else:
        item.content = w.content() + "."
        paras.append(Para(f"a) {label}: {item.content}"))
    lead_label, coord_label = rng.choice(list(zip(FIELD_LABELS["lead"][:2], FIELD_LABELS["coord"][:2], strict=True)))
    paras.append(Para(f"b) {rng.choice(FIELD_LABELS['units'])}:"))
    paras.append(Para(f"{lead_label}: {lead[0]}.", "bullet"))
    if coord:
        paras.append(Para(f"{coord_label}: {coord[0]}.", "bullet"))
    if dl.phrase:
        paras.append(Para(f"c) {rng.choice(FIELD_LABELS['deadline'][:2])}: {dl.phrase}."))
    for t in (item, *subs):
        _apply(t, units, dl)
        t.shape = "lettered"
    return paras, subs


def closing_block(w: _Writer, item: GoldTask, gold: list[GoldTask]) -> list[Para]:
    """A group's items, then the field lines that close it (Lãnh đạo phụ trách / Đơn vị chủ trì / Đơn vị
    phối hợp / Thời gian): they reach the group row and each item; the leader is no unit of theirs."""
    rng = w.rng
    lead, coord, units = unit_fields(w)
    dl = w.deadline()
    paras: list[Para] = []
    for j in range(rng.randint(2, 4)):
        text = w.content() + "."
        paras.append(Para(text, "bullet"))
        sub = GoldTask(f"{item.task_no}.-{j + 1}", item.task_no, text, [], [], "", NONE, item.source_section)
        gold.append(sub)
        _apply(sub, units, dl)
        sub.shape = "closing"
    _apply(item, units, dl)
    item.shape = "closing"
    if rng.random() < 0.5:
        paras.append(Para(f"{FIELD_LABELS['leader'][0]}: {w.people(1)[0]}"))
    paras.append(Para(f"{rng.choice(FIELD_LABELS['lead'][:2])}: {lead[0]}"))
    if coord:
        paras.append(Para(f"{rng.choice(FIELD_LABELS['coord'][:2])}: {coord[0]}"))
    if dl.phrase:
        paras.append(Para(f"{rng.choice(FIELD_LABELS['deadline'])}: {dl.phrase}"))
    return paras


def organization(w: _Writer, sec_no: str) -> tuple[list[Para], list[GoldTask]]:
    """III. TỔ CHỨC THỰC HIỆN: unit headings ("1. Sở Tài chính:") over the unit's tasks."""
    rng = w.rng
    heading = "TỔ CHỨC THỰC HIỆN"
    paras = [Para(f"{sec_no}. {heading}", "heading", True)]
    gold: list[GoldTask] = []
    for i, unit in enumerate(w.units(rng.randint(2, 4)), start=1):
        colon = ":" if rng.random() < 0.6 else ""
        paras.append(Para(f"{i}. {w.written([unit])}{colon}", "heading", True))
        for j in range(rng.randint(1, 3)):
            text = w.content()
            paras.append(Para(f"{text}.", "bullet"))
            gold.append(GoldTask(f"{sec_no}.{i}.-{j + 1}", "", text + ".", w.gold([unit]), [], "", NONE,
                                 f"{sec_no}. {heading}"))
    paras.append(Para("Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo "
                      f"{w.issuer.name} để xem xét, giải quyết."))
    return paras, gold


def generate_plan(seed: int, kind: str | None = None, shape: str | None = None) -> Plan:
    """The plan of SEED (kind: table or prose; drawn from the seed when None). A table plan's SHAPE is
    `standard` or one of tools.plangen.shapes.SHAPES; when None it is drawn from the seed on a stream of its
    own (so a seed's standard plan stays what it was)."""
    from tools.plangen.shapes import SHAPES, shaped_table

    if shape is None:
        shape = random.Random(seed * 7919 + 17).choice(["standard"] * 4 + list(SHAPES))
    rng = random.Random(seed)
    vocab = load_vocabulary()
    year = rng.randint(2021, 2027)
    issuer = random_issuer(rng, vocab, year)
    w = _Writer(rng, vocab, issuer, year)
    kind = kind or rng.choice(["table", "table", "prose"])
    title = rng.choice(vocab.phrases["title"]) + f" năm {year}"
    blocks: list[Para | TaskTable] = [*header_blocks(w, rng.randint(1, 999), title), *purpose_blocks(w)]
    if kind == "table":
        table, gold = table_plan(rng, vocab, w) if shape == "standard" else shaped_table(w, shape)
        blocks += [Para(f"II. {rng.choice(TASK_HEADINGS)}", "heading", True),
                   Para("Chi tiết nhiệm vụ tại Phụ lục kèm theo Kế hoạch này."),
                   Para("III. TỔ CHỨC THỰC HIỆN", "heading", True),
                   Para("Các cơ quan, đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện Kế hoạch này."),
                   Para("PHỤ LỤC", "center", True), Para("DANH MỤC NHIỆM VỤ", "center", True), table]
    else:
        paras, gold = prose_tasks(w, "II", rng.choice(TASK_HEADINGS))
        org, org_gold = organization(w, "III")
        blocks += [*paras, *org]
        gold += org_gold
    return Plan(f"synth_{seed:05d}_{kind}", kind, year, blocks, gold,
                {"issuer": issuer.name, "level": issuer.level, "word_bullets": rng.random() < 0.5,
                 "shape": shape if kind == "table" else ""})
