"""The one writer of the output folder.

A run's tables are written into a staging folder inside the output folder, fsynced, and marked complete with a
manifest; only then are they renamed over the published files, one `os.replace` each, and the staging folder
removed. A run killed before the manifest leaves the previous dataset untouched; one killed during the renames
leaves every file readable, and the next run finishes the renames from the complete staging folder first.

Each parquet file carries the id of the run that wrote it in its metadata (`kehoach.run_id`), and the manifest
names, per table, the run whose file is published (`table_runs`): a reader that finds them equal has a set of
tables from one commit (`read_dataset` retries until it does). Writers hold the folder's lock (pipeline.lock).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from normalizers.errors import NoDatasetError
from pipeline.schema import SCHEMAS, TABLES
from pipeline.validate import validate_tables

STAGING_PREFIX = ".staging-"
MANIFEST = "_manifest.json"
RUN_KEY = b"kehoach.run_id"
ERRORS_DIR = "errors"


def traceback_path(out_dir: Path, doc_id: str) -> Path:
    """Where the full traceback of an input's unexpected error is kept."""
    return out_dir / ERRORS_DIR / f"{doc_id}.txt"


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


def read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest


def commit(out_dir: Path, tables: dict[str, pa.Table], run: dict[str, Any] | None = None) -> None:
    """Publish these tables together; tables not given stay as they are. `run` (run_id, times, inputs, what
    changed) goes into the manifest; every table written is stamped with its run_id."""
    validate_tables(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    run = dict(run or {})
    run_id = str(run.setdefault("run_id", uuid.uuid4().hex[:12]))
    table_runs = dict(read_manifest(out_dir).get("table_runs", {}))
    staging = out_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    for name, table in tables.items():
        path = staging / f"{name}.parquet"
        meta = {**(table.schema.metadata or {}), RUN_KEY: run_id.encode()}
        pq.write_table(table.replace_schema_metadata(meta), path)
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        table_runs[name] = run_id
    manifest = {**run, "tables": list(tables), "rows": {n: t.num_rows for n, t in tables.items()},
                "table_runs": table_runs}
    tmp = staging / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, staging / MANIFEST)  # from here on the run counts as done
    _fsync_dir(staging)
    _publish(out_dir, staging)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table written by an older version: columns it lacks come back null, columns no longer defined go."""
    cols = [table.column(f.name) if f.name in table.schema.names else pa.nulls(table.num_rows, f.type)
            for f in schema]
    return pa.Table.from_arrays(cols, names=schema.names)  # cast to the schema's types by the caller


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
        table = _conform(table, schema)
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None  # a column changed type: rebuilt, not trusted


def _read_once(path: Path) -> pa.Table:
    """Read through one open handle: opened by path, parquet may reopen it and meet a newer file."""
    with open(path, "rb") as fh:
        return pq.read_table(fh)


def read_dataset(out_dir: Path, names: tuple[str, ...] = TABLES, attempts: int = 50) -> dict[str, pa.Table]:
    """The tables of one commit, never a mix of two: retried while a publication is under way."""
    for _ in range(attempts):
        before = read_manifest(out_dir)
        try:
            tables = {n: _read_once(out_dir / f"{n}.parquet") for n in names}
        except FileNotFoundError:
            if not before:
                raise NoDatasetError(out_dir, "no tables found") from None
            tables = {}
        except (pa.ArrowInvalid, OSError):  # a file replaced while it was read: try again
            tables = {}
        runs = before.get("table_runs", {})
        same = bool(tables) and all(runs.get(n, "") == (t.schema.metadata or {}).get(RUN_KEY, b"").decode()
                                    for n, t in tables.items())
        if same and read_manifest(out_dir) == before:
            return tables
        time.sleep(0.1)
    raise NoDatasetError(out_dir, "no complete set of tables could be read (a run may still be publishing)")


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


__all__ = ["TABLES", "commit", "read_dataset", "read_manifest", "read_previous", "recover", "empty",
           "traceback_path"]
