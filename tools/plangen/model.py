"""What a synthetic plan is: blocks to render (paragraphs and task tables) and the exact gold task list,
written in the CSV format of the gold conventions (11 columns, ` ; ` between units, ISO dates)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from tools.plangen.deadlines import DeadlineCase

GOLD_COLUMNS = ["task_no", "parent_no", "content", "lead_units", "coordinating_units", "output", "deadline_raw",
                "deadline_kind", "deadline_start", "deadline_end", "source_section"]


@dataclass
class GoldTask:
    task_no: str
    parent_no: str
    content: str
    lead: list[str]
    coord: list[str]
    output: str
    deadline: DeadlineCase
    source_section: str
    shape: str = ""  # how its fields are printed (lettered, closing, people): for the property tests

    def as_row(self) -> dict[str, str]:
        d = self.deadline
        return {"task_no": self.task_no, "parent_no": self.parent_no, "content": self.content,
                "lead_units": " ; ".join(self.lead), "coordinating_units": " ; ".join(self.coord),
                "output": self.output, "deadline_raw": d.phrase, "deadline_kind": d.kind,
                "deadline_start": d.start.isoformat() if d.start else "",
                "deadline_end": d.end.isoformat() if d.end else "", "source_section": self.source_section}


@dataclass
class Para:
    """One paragraph. style: center (header lines, titles), heading (I., 1. section heads), body, bullet
    (a "-" item a renderer may turn into a Word list bullet; its text has no dash)."""
    text: str
    style: str = "body"
    bold: bool = False


@dataclass
class Cell:
    text: str
    merged_up: bool = False  # continues the cell above (a vertical merge): renderers that merge leave it out


@dataclass
class TableRow:
    cells: list[Cell]
    group: bool = False  # a group row: number and title only, the title may span the remaining columns


@dataclass
class TaskTable:
    roles: list[str]
    header: list[list[str]]  # one row, or two with a group heading over the lead/coord columns
    rows: list[TableRow]
    group_span: tuple[int, int] | None = None  # header columns under the two-row group heading
    repeat_every: int = 0  # text renderings repeat the header every N rows, as a multi-page table does
    number_row: bool = False  # a "(1) (2) (3)" row under the header

    def merged_runs(self) -> list[tuple[int, int, int]]:
        """(column, first row, last row) of every cell merged down rows: a cell and the cells continuing it."""
        runs = []
        for c in range(len(self.roles)):
            i = 0
            while i < len(self.rows):
                j = i
                while j + 1 < len(self.rows) and self.rows[j + 1].cells[c].merged_up:
                    j += 1
                if j > i:
                    runs.append((c, i, j))
                i = j + 1
        return runs


@dataclass
class Plan:
    name: str
    kind: str  # table · prose
    year: int
    blocks: list[Para | TaskTable]
    gold: list[GoldTask]
    options: dict[str, object] = field(default_factory=dict)

    def gold_rows(self) -> list[dict[str, str]]:
        return [t.as_row() for t in self.gold]

    @property
    def scope(self) -> str:
        return "table" if self.kind == "table" else "all"


def write_gold(plan: Plan, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=GOLD_COLUMNS)
        w.writeheader()
        w.writerows(plan.gold_rows())
