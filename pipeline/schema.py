"""Every output table defined once: columns, Arrow types, meanings, allowed values and keys.

The pyarrow schemas the store writes, the validation that runs before anything is written, and the data
dictionary docs/schema.md (`make docs`, or `python -m pipeline.schema docs/schema.md`) all come from TABLE_DEFS.
A new column is one more `Column(...)` line in its table; a new allowed value, one more item in its tuple.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

_S = pa.string()
_LS = pa.list_(pa.string())
_I = pa.int32()
_F = pa.float64()
_D = pa.date32()
_B = pa.bool_()

DEADLINE_KINDS = ("before", "month", "quarter", "year", "range", "recurring", "conditional", "unspecified")
TASK_METHODS = ("text", "table", "ocr")
DOC_METHODS = ("text", "ocr")
ROLES = ("lead", "coordinating")
STATUSES = ("ok", "failed", "skipped")
HEX16 = r"^[0-9a-f]{16}$"
HEX64 = r"^[0-9a-f]{64}$"


@dataclass(frozen=True)
class Column:
    """One column. `required`: never null or empty; `values`: the only values allowed (null and "" aside);
    `low`/`high`: inclusive bounds of a number; `pattern`: a regex every non-empty string matches."""

    name: str
    type: pa.DataType
    doc: str
    required: bool = False
    values: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    pattern: str = ""

    def rules(self) -> str:
        """The constraints in words, for the data dictionary."""
        out = ["required"] if self.required else []
        if self.values:
            out.append("one of " + " · ".join(f"`{v}`" for v in self.values))
        if self.low is not None or self.high is not None:
            lo = "" if self.low is None else f"{self.low:g} ≤ "
            hi = "" if self.high is None else f" ≤ {self.high:g}"
            out.append(f"{lo}value{hi}")
        if self.pattern:
            out.append(f"matches `{self.pattern}`")
        return "; ".join(out)


@dataclass(frozen=True)
class TableDef:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # these columns together are unique
    every_document: bool = False  # every ingested document has rows here (a dataset lacking them is stale)

    def arrow(self) -> pa.Schema:
        return pa.schema([(c.name, c.type) for c in self.columns])

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_DOC_ID = Column("doc_id", _S, "first 16 hex digits of the input's sha256", required=True, pattern=HEX16)
_SOURCE = Column("source_file", _S, "the input's path as given to `ingest`", required=True)
_TASK_NO = Column("task_no", _S, "the task's number within its document (see tasks)", required=True)

TABLE_DEFS: dict[str, TableDef] = {t.name: t for t in (
    TableDef("tasks", "one row per task a plan assigns", (
        _DOC_ID, _SOURCE,
        Column("task_no", _S, "the task's number: printed (`2.1`) or, in prose, its section path "
                              "(`II.4.-2` = 2nd bullet under II.4); a number repeated in the document gets `#2`, `#3`…",
               required=True),
        Column("parent_no", _S, "task_no of the group task it belongs to, or empty"),
        Column("content", _S, "what is to be done; a table's separate goal/solution column is appended after `: `"),
        Column("content_raw", _S, "the content as read, before any text restoration"),
        Column("lead_units", _LS, "canonical names of the leading units (unknown units kept as cleaned text)"),
        Column("coordinating_units", _LS, "canonical names of the coordinating units"),
        Column("lead_units_raw", _S, "the lead unit text as written"),
        Column("coordinating_units_raw", _S, "the coordinating unit text as written"),
        Column("output", _S, "expected result / product (Kết quả, Sản phẩm)"),
        Column("deadline_raw", _S, "the deadline as written"),
        Column("deadline_kind", _S, "before (end only: `Trước 30/6/2025`, `Đến năm 2030`) · month · quarter · "
                                   "year (`Năm 2025`) · range (`2024 - 2025`, `Giai đoạn 2026-2030`, `Quý III, "
                                   "IV/2026`, `Tháng 10-11/2019`; `Từ 01/7/2025` has a start only) · recurring "
                                   "(`Thường xuyên`, `Hằng năm`; `Năm 2025 và các năm tiếp theo` starts 2025-01-01, "
                                   "no end) · conditional (`Theo tiến độ …`, `Khi …`, `Trong "
                                   "vòng 30 ngày kể từ …`) · unspecified (none understood)",
               required=True, values=DEADLINE_KINDS),
        Column("deadline_start", _D, "first day of the period the deadline covers (`Quý I/2022` → 2022-01-01)"),
        Column("deadline_end", _D, "last day of that period (`Trước 25/9/2021` → 2021-09-25); a date without "
                                   "a year takes the plan's year"),
        Column("source_section", _S, "`Phụ lục` for table tasks, the section path for prose tasks"),
        Column("page", _I, "page the task starts on", low=1),
        Column("method", _S, "how the task was read", required=True, values=TASK_METHODS),
        Column("confidence", _F, "1.0 for text layers; OCR word confidence for scans", low=0, high=1),
    ), key=("doc_id", "source_file", "task_no")),  # the same file under two paths is kept once per path
    TableDef("task_units", "one row per (task, unit, role)", (
        _DOC_ID, _SOURCE, _TASK_NO,
        Column("unit", _S, "canonical unit name (or the cleaned text when unknown)", required=True),
        Column("role", _S, "the unit's part in the task", required=True, values=ROLES),
        Column("unit_raw", _S, "the unit as written"),
        Column("match_score", _F, "fuzzy match score against the gazetteer", low=0, high=100),
        Column("known", _B, "false when the unit is neither in the register nor in the gazetteer"),
        Column("unit_id", _S, "the register id (`so.tc`, `bo.nnmt`, `ubnd_xa`…); empty for a name the register "
                              "lacks or one qualified by the issuer"),
        Column("level", _S, "central · province · district · commune · issuer (a name relative to the issuer) · "
                            "person (a person named as lead)",
               values=("central", "province", "district", "commune", "issuer", "person")),
    )),
    TableDef("documents", "one row per ingested document", (
        _DOC_ID, _SOURCE,
        Column("sha256", _S, "sha256 of the input file", required=True, pattern=HEX64),
        Column("file_type", _S, "the input's extension without the dot (pdf, docx, doc, odt, rtf, txt, md, png…)"),
        Column("pages", _I, "pages (1 for text files)", low=0),
        Column("method", _S, "text layer or OCR", values=DOC_METHODS),
        Column("doc_type", _S, "Kế hoạch, Công văn, Báo cáo, Quyết định…"),
        Column("doc_number", _S, "the document's number and code (39/KH-SLĐTBXH)"),
        Column("issuing_body", _S, "the issuing body"),
        Column("parent_body", _S, "the body above the issuing one (cơ quan chủ quản)"),
        Column("province", _S, "province of the issuing body"),
        Column("issue_date", _D, "date of issue"),
        Column("year", _I, "year of the plan", low=1945, high=2100),
        Column("title", _S, "the document's title (trích yếu)"),
        Column("signer", _S, "who signed"),
        Column("signer_title", _S, "the signer's title"),
        Column("recipients", _LS, "recipients, from Nơi nhận / Kính gửi"),
        Column("indices", _LS, "indices the plan mentions: PAR INDEX, SIPAS, PAPI, DDCI, PCI"),
        Column("n_tasks", _I, "tasks extracted from the document", low=0),
    ), key=("source_file",)),
    TableDef("references", "documents a plan cites", (
        _DOC_ID, _SOURCE,
        Column("ref_type", _S, "Quyết định, Kế hoạch, Thông báo…"),
        Column("ref_number", _S, "the cited document's number"),
        Column("ref_date", _D, "the cited document's date"),
        Column("issuer", _S, "who issued the cited document"),
        Column("context", _S, "where the citation stands: `căn cứ`, `thực hiện` or `body`"),
        Column("text", _S, "the citation as written"),
    )),
    TableDef("pages", "one row per page of every ingested document (a text or Word file without page breaks "
                      "is page 1); a failed input has none", (
        _DOC_ID, _SOURCE,
        Column("page", _I, "the page number, from 1", required=True, low=1),
        Column("method", _S, "how the page was read: its text layer (or a text or Word file) or OCR",
               required=True, values=DOC_METHODS),
        Column("text", _S, "the page as the parsers read it: legacy encodings converted, OCR output corrected, "
                           "lost marks restored; one line per extracted line (a Word paragraph is one), a blank "
                           "line where a paragraph starts; a table as its rows in reading order, one line each, "
                           "the cells separated by a vertical bar with a space either side; empty for a blank page"),
        Column("text_raw", _S, "the page as extracted or OCR'd, before conversion, correction or restoration "
                               "(laid out as `text`)"),
        Column("confidence", _F, "mean Tesseract word confidence of an OCR'd page; null for a text layer",
               low=0, high=1),
    ), key=("doc_id", "source_file", "page"), every_document=True),
    TableDef("ingest_log", "one row per input in the dataset, from the run that last ingested it", (
        _SOURCE,
        Column("sha256", _S, "sha256 of the input (empty when it could not be read)", pattern=HEX64),
        Column("status", _S, "what happened to the input", required=True, values=STATUSES),
        Column("error_code", _S, "stable failure code (see the README's error codes), empty when ok"),
        Column("warnings", _LS, "stable codes of what to look at in an input read ok: `no_tasks_found` (its type, "
                                "its title or a task table says it assigns work, and no task was found)"),
        Column("message", _S, "what happened, naming the file; for failures, what to do"),
        Column("pages", _I, "pages read", low=0),
        Column("method", _S, "text layer or OCR"),
        Column("seconds", _F, "time spent on the input", low=0),
        Column("n_tasks", _I, "tasks extracted", low=0),
        Column("ingested_at", pa.timestamp("ms", tz="UTC"), "when the run that last ingested the input ran"),
        Column("run_id", _S, "the run that last ingested the input (see _manifest.json)"),
    ), key=("source_file",)),
)}

SCHEMAS: dict[str, pa.Schema] = {name: t.arrow() for name, t in TABLE_DEFS.items()}
TABLES = tuple(SCHEMAS)


REPEAT_MARK = "#"


def distinct_task_numbers(task_nos: list[str]) -> list[str]:
    """The numbers made unique within a document, as the tasks key (doc_id, source_file, task_no) requires:
    the second and later task printed with a number already taken get `#2`, `#3`… (numbering that restarts
    under a sub-heading repeats `a)`, `b)`…). Unique numbers are left as they are."""
    seen: dict[str, int] = {}
    taken = set(task_nos)
    out = []
    for no in task_nos:
        n = seen.get(no, 0) + 1
        seen[no] = n
        if n == 1:
            out.append(no)
            continue
        while f"{no}{REPEAT_MARK}{n}" in taken:
            n += 1
        seen[no] = n
        taken.add(f"{no}{REPEAT_MARK}{n}")
        out.append(f"{no}{REPEAT_MARK}{n}")
    return out


def rows_to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{t.value_type}>"
    return "date32" if pa.types.is_date32(t) else str(t)


def schema_markdown() -> str:
    """The data dictionary: every table with its columns, types, meanings and rules."""
    out = ["# Data dictionary", "",
           "Generated from `pipeline/schema.py` by `make docs`; do not edit by hand. Every table is checked "
           "against these rules before it is written: a dataset that breaks them is not written, and the "
           "error (`schema_violation`) names the table, the column and the rows.", "",
           "All text is Unicode NFC. `date32` columns load as `datetime.date` in pandas and `DATE` in DuckDB; "
           "list columns as arrays of strings. Empty text is `\"\"`; a missing date or number is null.", ""]
    for t in TABLE_DEFS.values():
        out += [f"## {t.name}.parquet — {t.doc}", ""]
        if t.key:
            out += ["Unique key: " + ", ".join(f"`{k}`" for k in t.key), ""]
        if t.every_document:
            out += ["Every ingested document has its rows here; a dataset written before the table existed has "
                    "its documents ingested again by the next `ingest` of them.", ""]
        out += ["| column | type | meaning | rules |", "| --- | --- | --- | --- |"]
        out += [f"| {c.name} | {_type_name(c.type)} | {c.doc} | {c.rules()} |" for c in t.columns]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = schema_markdown()
    if args:
        Path(args[0]).parent.mkdir(parents=True, exist_ok=True)
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
