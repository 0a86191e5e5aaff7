"""In-memory records the parsers produce before they become parquet rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from normalizers.units import UnitMatch
from pipeline.schema import distinct_task_numbers


@dataclass
class RawTask:
    task_no: str
    content: str
    parent_no: str = ""
    lead_raw: str = ""
    coord_raw: str = ""
    lead: list[UnitMatch] = field(default_factory=list)
    coord: list[UnitMatch] = field(default_factory=list)
    output: str = ""
    deadline_raw: str = ""
    source_section: str = ""
    page: int = 1
    method: str = "text"
    confidence: float = 1.0
    content_raw: str = ""
    goal: str = ""  # a phụ lục's separate Mục tiêu/Giải pháp column, appended to content after ': '

    def append_goal(self) -> None:
        """Content becomes 'Nội dung: Mục tiêu/giải pháp' (the goal alone when the row has no content)."""
        if self.goal:
            content = self.content.rstrip(" :")
            self.content = f"{content}: {self.goal}" if content else self.goal


@dataclass
class Reference:
    ref_type: str
    ref_number: str
    ref_date: date | None
    issuer: str
    context: str
    text: str


@dataclass
class DocMeta:
    doc_type: str = ""
    doc_number: str = ""
    issuing_body: str = ""
    parent_body: str = ""
    province: str = ""
    issue_date: date | None = None
    year: int | None = None
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    recipients: list[str] = field(default_factory=list)
    indices: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # where a field came from when not from the header


NO_TASKS_FOUND = "no_tasks_found"  # read ok, and its type, title or a task table promised tasks it did not give


@dataclass
class FileResult:
    source_file: str
    sha256: str
    status: str
    error_code: str = ""
    message: str = ""
    seconds: float = 0.0
    pages: int = 0
    method: str = ""
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    traceback: str = ""  # an unexpected error's full traceback; the batch keeps it in DIR/errors/<doc_id>.txt
    warnings: list[str] = field(default_factory=list)  # stable codes, e.g. no_tasks_found

    @property
    def doc_id(self) -> str:
        """The document's id (sha256 prefix); an input that could not even be hashed is named by its path."""
        return (self.sha256 or hashlib.sha256(self.source_file.encode()).hexdigest())[:16]

    def log_row(self) -> dict[str, Any]:
        return {"source_file": self.source_file, "sha256": self.sha256, "status": self.status,
                "error_code": self.error_code, "warnings": list(self.warnings), "message": self.message,
                "pages": self.pages,
                "method": self.method, "seconds": round(self.seconds, 3),
                "n_tasks": len(self.tables.get("tasks", []))}


def number_uniquely(tasks: list[RawTask]) -> list[RawTask]:
    """A number repeated in a document (a second table numbered from 1, numbering that restarts under a
    sub-heading) gets a '#n' suffix, as the tasks key requires, and its children name the renamed parent."""
    current: dict[str, str] = {}  # a number as renamed in the latest stretch of tasks that used it
    for t, new in zip(tasks, distinct_task_numbers([t.task_no for t in tasks]), strict=True):
        parent = current.get(t.parent_no, t.parent_no)
        current[t.task_no] = new
        t.task_no, t.parent_no = new, parent
    return tasks
