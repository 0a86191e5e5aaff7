"""Tables checked against their definition (pipeline/schema.py) before the store writes them.

Arrow types and column order are compared directly; the value rules (required, allowed values, bounds,
patterns, unique keys) run as a pandera schema built from the same definition, so there is one place to
change a rule. Every broken rule is reported at once: table, column, rule and the rows that break it.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa

from pipeline.errors import SchemaViolationError
from pipeline.schema import SCHEMAS, TABLE_DEFS, Column, TableDef

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pandera warns about its own import layout on some versions
    import pandera.pandas as pdv


def _is_text(c: Column) -> bool:
    return pa.types.is_string(c.type)


def _checks(c: Column) -> list[pdv.Check]:
    checks: list[pdv.Check] = []
    if c.required and _is_text(c):
        checks.append(pdv.Check(lambda s: s.str.len() > 0, error="required: empty text"))
    if c.values:
        allowed = set(c.values) | ({""} if not c.required else set())
        checks.append(pdv.Check(lambda s, a=allowed: s.isin(a), error=f"not one of {', '.join(c.values)}"))
    if c.low is not None:
        checks.append(pdv.Check(lambda s, lo=c.low: s >= lo, error=f"below {c.low:g}"))
    if c.high is not None:
        checks.append(pdv.Check(lambda s, hi=c.high: s <= hi, error=f"above {c.high:g}"))
    if c.pattern:
        checks.append(pdv.Check(lambda s, p=c.pattern: s.eq("") | s.str.match(p), error=f"does not match {c.pattern}"))
    return checks


@cache
def _pandera_schema(name: str) -> pdv.DataFrameSchema:
    t: TableDef = TABLE_DEFS[name]
    cols = {c.name: pdv.Column(None, checks=_checks(c), nullable=not c.required) for c in t.columns}
    return pdv.DataFrameSchema(cols, unique=list(t.key) or None, strict=True, name=name,
                               report_duplicates="all")


def _type_problems(name: str, table: pa.Table) -> list[tuple[str, str, list[int]]]:
    want = SCHEMAS[name]
    if table.schema.names != want.names:
        missing = [n for n in want.names if n not in table.schema.names]
        extra = [n for n in table.schema.names if n not in want.names]
        col = ", ".join(missing + extra) or "(order)"
        rule = f"columns differ: missing {missing}, unexpected {extra}" if missing or extra else "columns out of order"
        return [(col, rule, [])]
    return [(f.name, f"type {f.type}, expected {w.type}", []) for f, w in zip(table.schema, want, strict=True)
            if not f.type.equals(w.type)]


def _rule(row: Any) -> str:
    check = str(row.get("check") or "")
    if "uniqueness" in check:
        return "duplicate key"
    if check == "not_nullable":
        return "required: null"
    return check


def _case_column(row: Any, key: tuple[str, ...]) -> str:
    col = row.get("column")
    if _rule(row) == "duplicate key" or not (isinstance(col, str) and col):
        return ", ".join(key)  # the key's columns together, not each one alone
    return col


def table_problems(name: str, table: pa.Table) -> list[tuple[str, str, list[int]]]:
    """Every rule `table` breaks, as (column, rule, row numbers counted from 0); [] when it is valid."""
    problems = _type_problems(name, table)
    if problems:
        return problems
    df = table.to_pandas(types_mapper=None)
    try:
        _pandera_schema(name).validate(df, lazy=True)
    except pdv.errors.SchemaErrors as e:
        groups: dict[tuple[str, str], set[int]] = {}
        for row in e.failure_cases.to_dict("records"):
            key = (_case_column(row, TABLE_DEFS[name].key), _rule(row))
            idx = row.get("index")
            rows = groups.setdefault(key, set())
            if isinstance(idx, int | float) and not pd.isna(idx):
                rows.add(int(idx))
        problems = [(col, rule, sorted(rows)) for (col, rule), rows in groups.items()]
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
