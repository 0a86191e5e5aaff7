"""The one writer of the output folder.

A run's tables are written into a staging folder inside the output folder, fsynced, and marked complete with a
manifest; only then are they renamed over the published files, one `os.replace` each, and the staging folder
removed. A run killed before the manifest leaves the previous dataset untouched; one killed during the renames
leaves every file readable, and the next run finishes the renames from the complete staging folder first.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import SCHEMAS, TABLES
from pipeline.validate import validate_tables

STAGING_PREFIX = ".staging-"
MANIFEST = "_manifest.json"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(out_dir: Path, staging: Path) -> None:
    names = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))["tables"]
    for name in names:
        src = staging / f"{name}.parquet"
        if src.exists():
            os.replace(src, out_dir / f"{name}.parquet")
    _fsync_dir(out_dir)
    os.replace(staging / MANIFEST, out_dir / MANIFEST)
    shutil.rmtree(staging, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Finish a commit that a killed run left half-published; throw away incomplete staging folders."""
    if not out_dir.is_dir():
        return
    for staging in sorted(out_dir.glob(STAGING_PREFIX + "*")):
        if (staging / MANIFEST).exists():
            _publish(out_dir, staging)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def commit(out_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Publish these tables together; tables not given stay as they are. A table that breaks its schema
    (pipeline/schema.py) raises SchemaViolationError before anything is written."""
    validate_tables(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = out_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    for name, table in tables.items():
        path = staging / f"{name}.parquet"
        pq.write_table(table, path)
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    manifest = {"tables": list(tables), "rows": {n: t.num_rows for n, t in tables.items()}}
    tmp = staging / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, staging / MANIFEST)  # from here on the run counts as done
    _fsync_dir(staging)
    _publish(out_dir, staging)


def read_previous(out_dir: Path, name: str) -> pa.Table | None:
    path = out_dir / f"{name}.parquet"
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError):
        return None  # unreadable leftovers are rebuilt, not trusted
    schema = SCHEMAS[name]
    if table.schema.names != schema.names:
        return None
    return table.cast(schema)


def empty(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def write_partitioned(out_dir: Path, tables: dict[str, pa.Table], by: tuple[str, ...]) -> None:
    """Each content table also as a hive-partitioned parquet dataset (out/partitioned/<table>/province=…/year=…),
    with the document's partition columns joined on; pandas, DuckDB and Dask read these folders directly."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    docs = tables["documents"]
    root = out_dir / "partitioned"
    root.mkdir(exist_ok=True)
    for name, table in tables.items():
        if name == "ingest_log":
            continue
        if name != "documents":  # the document's columns, looked up by doc_id (join cannot carry list columns)
            at = pc.index_in(table.column("doc_id"), value_set=docs.column("doc_id"))
            for col in by:
                table = table.append_column(col, pc.take(docs.column(col), at))
        staging = root / f".{name}-{uuid.uuid4().hex[:8]}"
        ds.write_dataset(table, staging, format="parquet", partitioning=list(by), partitioning_flavor="hive")
        target, old = root / name, root / f".{name}-old-{uuid.uuid4().hex[:8]}"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["TABLES", "commit", "read_previous", "recover", "empty"]
