"""Column names and Arrow types of every output table: the contract analysts load with pandas or DuckDB."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

_S = pa.string()
_LS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "tasks": pa.schema([
        ("doc_id", _S), ("source_file", _S), ("task_no", _S), ("parent_no", _S), ("content", _S),
        ("content_raw", _S), ("lead_units", _LS), ("coordinating_units", _LS), ("lead_units_raw", _S),
        ("coordinating_units_raw", _S), ("output", _S), ("deadline_raw", _S), ("deadline_kind", _S),
        ("deadline_start", pa.date32()), ("deadline_end", pa.date32()), ("source_section", _S),
        ("page", pa.int32()), ("method", _S), ("confidence", pa.float64()),
    ]),
    "task_units": pa.schema([
        ("doc_id", _S), ("source_file", _S), ("task_no", _S), ("unit", _S), ("role", _S), ("unit_raw", _S),
        ("match_score", pa.float64()), ("known", pa.bool_()), ("unit_id", _S), ("level", _S),
    ]),
    "documents": pa.schema([
        ("doc_id", _S), ("source_file", _S), ("sha256", _S), ("file_type", _S), ("pages", pa.int32()),
        ("method", _S), ("doc_type", _S), ("doc_number", _S), ("issuing_body", _S), ("parent_body", _S),
        ("province", _S), ("issue_date", pa.date32()), ("year", pa.int32()), ("title", _S), ("signer", _S),
        ("signer_title", _S), ("recipients", _LS), ("indices", _LS), ("n_tasks", pa.int32()),
    ]),
    "references": pa.schema([
        ("doc_id", _S), ("source_file", _S), ("ref_type", _S), ("ref_number", _S), ("ref_date", pa.date32()),
        ("issuer", _S), ("context", _S), ("text", _S),
    ]),
    "ingest_log": pa.schema([
        ("source_file", _S), ("sha256", _S), ("status", _S), ("error_code", _S), ("message", _S),
        ("pages", pa.int32()), ("method", _S), ("seconds", pa.float64()), ("n_tasks", pa.int32()),
    ]),
}
TABLES = tuple(SCHEMAS)


def rows_to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)
