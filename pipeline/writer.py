"""The one writer of the output directory. Every table is written to a temporary file in the same
directory, fsynced, then renamed over the old one, so a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.schema import TABLES, rows_to_table


def write_table(out_dir: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.parquet"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        pq.write_table(rows_to_table(name, rows), tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_dataset(out_dir: Path, tables: dict[str, list[dict[str, Any]]]) -> list[Path]:
    return [write_table(out_dir, name, tables.get(name, [])) for name in TABLES]
