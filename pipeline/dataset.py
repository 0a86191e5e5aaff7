"""Reading a written dataset back: the tables of an output folder, and tables as flat frames for people."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from normalizers.errors import NoDatasetError
from pipeline import store
from pipeline.schema import SCHEMAS, TABLES

LIST_SEP = "; "


def read_dataset(out_dir: Path) -> dict[str, pa.Table]:
    """Every table of the folder, all from one run (see store.read_dataset); a table not written yet is empty."""
    names = tuple(n for n in TABLES if (out_dir / f"{n}.parquet").exists())
    if not out_dir.is_dir() or not names:
        raise NoDatasetError(out_dir, "no dataset here (no tasks.parquet, documents.parquet…)")
    tables = store.read_dataset(out_dir, names)
    return {n: tables[n] if n in tables else SCHEMAS[n].empty_table() for n in TABLES}


def read_frames(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: t.to_pandas() for name, t in read_dataset(out_dir).items()}


def table_to_flat_frame(table: pa.Table) -> pd.DataFrame:
    """List columns joined with '; ', dates as `datetime.date`, nulls as empty cells: one value per cell."""
    df = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type):
            df[field.name] = [LIST_SEP.join(str(v) for v in x) if x is not None else "" for x in df[field.name]]
    return df
