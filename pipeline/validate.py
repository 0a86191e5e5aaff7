"""Tables checked against their definition (pipeline/schema.py) before the store writes them.

The checks run on the Arrow tables themselves with pyarrow.compute — the form the store writes, so no
conversion to pandas and nothing else to import: an unchanged re-run, which writes only ingest_log, stays
as fast as hashing the inputs. Every broken rule is reported at once: table, column, rule and the rows
(counted from 0) that break it.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from normalizers.errors import SchemaViolationError
from pipeline.schema import SCHEMAS, TABLE_DEFS, Column

Problem = tuple[str, str, list[int]]  # column, rule broken, rows


def _rows(mask: pa.Array) -> list[int]:
    """Where a boolean mask is true (null counts as false)."""
    return [int(i) for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()]


def _type_problems(name: str, table: pa.Table) -> list[Problem]:
    want = SCHEMAS[name]
    if table.schema.names != want.names:
        missing = [n for n in want.names if n not in table.schema.names]
        extra = [n for n in table.schema.names if n not in want.names]
        col = ", ".join(missing + extra) or "(order)"
        rule = f"columns differ: missing {missing}, unexpected {extra}" if missing or extra else "columns out of order"
        return [(col, rule, [])]
    return [(f.name, f"type {f.type}, expected {w.type}", []) for f, w in zip(table.schema, want, strict=True)
            if not f.type.equals(w.type)]


def _column_problems(c: Column, arr: pa.Array) -> list[Problem]:
    text = pa.types.is_string(c.type)
    filled = pc.is_valid(arr)
    if text:
        filled = pc.and_(filled, pc.greater(pc.utf8_length(arr), 0))
    checks: list[tuple[str, pa.Array]] = []
    if c.required:
        checks.append(("required: null", pc.is_null(arr)))
        if text:
            checks.append(("required: empty text", pc.equal(pc.utf8_length(arr), 0)))
    if c.values:
        checks.append((f"not one of {', '.join(c.values)}",
                       pc.and_(filled, pc.invert(pc.is_in(arr, value_set=pa.array(c.values, c.type))))))
    if c.low is not None:
        checks.append((f"below {c.low:g}", pc.less(arr, c.low)))
    if c.high is not None:
        checks.append((f"above {c.high:g}", pc.greater(arr, c.high)))
    if c.pattern:
        matches = pc.match_substring_regex(arr, c.pattern)
        checks.append((f"does not match {c.pattern}", pc.and_(filled, pc.invert(matches))))
    out = []
    for rule, mask in checks:
        rows = _rows(mask)
        if rows:
            out.append((c.name, rule, rows))
    return out


def _key_problems(table: pa.Table, key: tuple[str, ...]) -> list[Problem]:
    if not key or table.num_rows == 0:
        return []
    indexed = table.select(list(key)).append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    groups = indexed.group_by(list(key), use_threads=False).aggregate([("_row", "list")])
    rows = sorted(int(r) for rs in groups.column("_row_list").to_pylist() if len(rs) > 1 for r in rs)
    return [(", ".join(key), "duplicate key", rows)] if rows else []


def table_problems(name: str, table: pa.Table) -> list[Problem]:
    """Every rule `table` breaks, as (column, rule, row numbers counted from 0); [] when it is valid."""
    problems = _type_problems(name, table)
    if problems:
        return problems
    t = TABLE_DEFS[name]
    problems = _key_problems(table, t.key)
    for c in t.columns:
        problems += _column_problems(c, table.column(c.name).combine_chunks())
    return problems


def _first_file(table: pa.Table, rows: list[int]) -> str:
    if not rows or "source_file" not in table.schema.names:
        return ""
    return str(table.column("source_file")[rows[0]].as_py() or "")


def validate_table(name: str, table: pa.Table) -> None:
    """Raise SchemaViolationError naming the table, the columns and the rows when `table` breaks its schema."""
    problems = table_problems(name, table)
    if problems:
        raise SchemaViolationError(name, problems, [_first_file(table, rows) for _, _, rows in problems])


def validate_tables(tables: dict[str, pa.Table]) -> None:
    for name, table in tables.items():
        validate_table(name, table)
