"""Reading a written dataset back: the tables of an output folder, and tables as flat frames for people."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import DatasetNotFoundError
from pipeline.schema import SCHEMAS, TABLES

LIST_SEP = "; "


def read_dataset(out_dir: Path) -> dict[str, pa.Table]:
    """Every table of the folder as written; a table not written yet is empty."""
    if not out_dir.is_dir() or not any((out_dir / f"{n}.parquet").exists() for n in TABLES):
        raise DatasetNotFoundError(out_dir, "no dataset here (no tasks.parquet, documents.parquet…)")
    tables = {}
    for name in TABLES:
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            tables[name] = SCHEMAS[name].empty_table()
            continue
        tables[name] = pq.read_table(path)
    return tables


def read_frames(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: t.to_pandas() for name, t in read_dataset(out_dir).items()}


def table_to_flat_frame(table: pa.Table) -> pd.DataFrame:
    """List columns joined with '; ', dates as `datetime.date`, nulls as empty cells: one value per cell."""
    df = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type):
            df[field.name] = [LIST_SEP.join(str(v) for v in x) if x is not None else "" for x in df[field.name]]
    return df
