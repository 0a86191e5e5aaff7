"""A batch: the inputs under the given paths → upserted into one dataset, one writer at a time.

The dataset is the union of every run's inputs. A run adds the inputs it has not seen, re-ingests the ones
whose sha256 changed (their earlier rows are replaced) and leaves unchanged ones alone (`force` re-ingests
them). Nothing leaves the dataset unless asked: `prune` makes the dataset exactly this run's inputs, and
`remove_entries` takes documents out by path or doc_id. The folder's writer lock is held from reading the
previous dataset to publishing the new one, so a run that waited for another merges on top of its result.
The work runs serially, in a local process pool, or on a Dask cluster; results are assembled in input order,
so all give the same rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from normalizers.errors import KehoachError, NoDatasetError, NotInDatasetError
from pipeline.inputs import iter_inputs, sha256_of
from pipeline.lock import writer_lock
from pipeline.records import FileResult
from pipeline.schema import TABLE_DEFS, TABLES, rows_to_table
from pipeline.settings import Settings
from pipeline.store import (
    ERRORS_DIR,
    commit,
    empty,
    read_manifest,
    read_previous,
    recover,
    traceback_path,
    write_partitioned,
)

CONTENT_TABLES = tuple(t for t in TABLES if t != "ingest_log")
EVERY_DOCUMENT = tuple(t for t in CONTENT_TABLES if TABLE_DEFS[t].every_document)
Notify = Callable[[str], None]


@dataclass
class BatchSummary:
    run_id: str
    out_dir: Path
    results: list[FileResult]  # the inputs ingested in this run
    log: list[dict[str, Any]]  # the ingest_log rows of this run's inputs
    added: list[str] = field(default_factory=list)  # source files, by what happened to them
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents: int = 0  # in the whole dataset after the run
    dataset_tasks: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.log if r["status"] == status)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.log if r["status"] == "failed"]

    @property
    def n_tasks(self) -> int:
        return sum(int(r["n_tasks"] or 0) for r in self.log)

    def line(self) -> str:
        """What the run did, each input counted once: added/updated/unchanged count the ones now ingested."""
        failed = {r["source_file"] for r in self.failed}
        n = {k: len([s for s in v if s not in failed]) for k, v in
             (("added", self.added), ("updated", self.updated), ("unchanged", self.unchanged))}
        return (f"{len(self.log)} inputs: {n['added']} added, {n['updated']} updated, {n['unchanged']} unchanged, "
                f"{len(failed)} failed, {len(self.removed)} removed; dataset: {self.documents} documents, "
                f"{self.dataset_tasks} tasks → {self.out_dir}")


@dataclass
class Dataset:
    """The published dataset, grouped by source file, in the order its inputs were first ingested."""

    log: dict[str, dict[str, Any]]
    rows: dict[str, dict[str, pa.Table]]  # table → source file → its rows
    trusted: bool = True  # False when a content table could not be read back: its documents need re-ingesting

    def drop(self, source: str) -> None:
        self.log.pop(source, None)
        for by_source in self.rows.values():
            by_source.pop(source, None)


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def _run_local(files: list[tuple[Path, str]], settings: Settings) -> Iterator[FileResult]:
    from pipeline.ingest import ingest_file  # the parsers load only when there is work

    if settings.workers <= 1 or len(files) <= 1:
        for f, sha in files:
            yield ingest_file(f, settings, sha)
        return
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.ingest import preload

    preload(settings)  # loaded once here, shared by the forked workers
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        yield from pool.map(ingest_file, [f for f, _ in files], [settings] * len(files), [s for _, s in files])


def _run_dask(files: list[tuple[Path, str]], settings: Settings) -> Iterator[FileResult]:
    from dask.distributed import Client, LocalCluster

    from pipeline.ingest import ingest_file

    cluster = None
    if settings.scheduler == "local":
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(cluster if cluster is not None else settings.scheduler)
    try:
        futures = client.map(ingest_file, [f for f, _ in files], [settings] * len(files), [s for _, s in files],
                             pure=False)
        for fut in futures:
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_files(files: list[tuple[Path, str]], settings: Settings) -> Iterator[FileResult]:
    return _run_dask(files, settings) if settings.scheduler else _run_local(files, settings)


def _group_by_source(table: pa.Table) -> dict[str, pa.Table]:
    groups: dict[str, list[int]] = {}
    for i, sf in enumerate(table.column("source_file").to_pylist()):
        groups.setdefault(sf, []).append(i)
    return {sf: table.take(pa.array(ix)) for sf, ix in groups.items()}


def read_dataset_state(out: Path) -> Dataset:
    log_table = read_previous(out, "ingest_log")
    log = {} if log_table is None else {r["source_file"]: _current(r) for r in log_table.to_pylist()}
    rows, trusted = {}, True
    for name in CONTENT_TABLES:
        table = read_previous(out, name)
        newer = name in EVERY_DOCUMENT and not (out / f"{name}.parquet").exists()
        if table is None and not newer:  # a table newer than the dataset leaves its documents stale, see _plan
            trusted = trusted and not any(r["status"] == "ok" for r in log.values())
        if table is None:
            table = empty(name)
        rows[name] = _group_by_source(table)
    return Dataset(log, rows, trusted)


def _current(row: dict[str, Any]) -> dict[str, Any]:
    """A log row as kept now: datasets written before runs were upserts marked unchanged inputs 'skipped'."""
    return {**row, "status": "ok"} if row["status"] == "skipped" else row


def stale(state: Dataset, source: str) -> bool:
    """An ingested document lacking rows in a table every document has rows in (one written before the table
    existed): an unchanged input is ingested again to fill them."""
    entry = state.log.get(source)
    return entry is not None and entry["status"] == "ok" and any(source not in state.rows[t] for t in EVERY_DOCUMENT)


def _plan(files: list[Path], state: Dataset, force: bool) -> tuple[list[tuple[Path, str]], list[str]]:
    """(the inputs to ingest with their sha256, the unchanged ones) — an input whose hash fails is ingested so
    that the ingest step reports why."""
    todo, unchanged = [], []
    for f in files:
        try:
            sha = sha256_of(f)
        except KehoachError:
            sha = ""
        prev = state.log.get(str(f))
        if not force and state.trusted and prev is not None and sha and prev["sha256"] == sha \
                and not stale(state, str(f)):
            unchanged.append(str(f))
        else:
            todo.append((f, sha))
    return todo, unchanged


def _untrusted_leftovers(state: Dataset, files: list[Path]) -> list[Path]:
    """When the previous tables could not be read back, earlier documents still on disk are ingested again
    rather than silently lost."""
    given = {str(f) for f in files}
    return [Path(s) for s, r in state.log.items() if s not in given and r["status"] == "ok" and Path(s).is_file()]


def _upsert(state: Dataset, result: FileResult, run_id: str, now: datetime) -> None:
    for by_source in state.rows.values():  # the log entry is replaced in place: the dataset keeps its order
        by_source.pop(result.source_file, None)
    state.log[result.source_file] = {**result.log_row(), "ingested_at": now, "run_id": run_id}
    for name in CONTENT_TABLES:
        if result.tables.get(name):
            state.rows[name][result.source_file] = rows_to_table(name, result.tables[name])


def _tables_of(state: Dataset) -> dict[str, pa.Table]:
    order = list(state.log)
    tables = {"ingest_log": rows_to_table("ingest_log", [state.log[s] for s in order])}
    for name in CONTENT_TABLES:
        pieces = [state.rows[name][s] for s in order if s in state.rows[name]]
        tables[name] = pa.concat_tables(pieces) if pieces else empty(name)
    return tables


def _write_tracebacks(out: Path, results: list[FileResult], log: dict[str, dict[str, Any]]) -> None:
    """Each unexpected error's traceback beside the dataset; files of inputs no longer failing that way go."""
    for r in results:
        if r.traceback:
            path = traceback_path(out, r.doc_id)
            path.parent.mkdir(exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(f"{r.source_file}\n{r.message}\n\n{r.traceback}", encoding="utf-8")
            os.replace(tmp, path)
    keep = {FileResult(s, r["sha256"], r["status"]).doc_id for s, r in log.items()
            if r["error_code"] == "internal_error"}
    for path in (out / ERRORS_DIR).glob("*.txt") if (out / ERRORS_DIR).is_dir() else ():
        if path.stem not in keep:
            path.unlink(missing_ok=True)


def _publish(out: Path, state: Dataset, run: dict[str, Any], partition_by: tuple[str, ...]) -> None:
    tables = _tables_of(state)  # the one place the tables of a commit are built
    commit(out, tables, run)
    if partition_by:
        write_partitioned(out, tables, partition_by)


def ingest_paths(paths: list[Path], settings: Settings, on_done: Callable[[FileResult], None] = lambda r: None,
                 *, prune: bool = False, wait: float | None = None, notify: Notify = lambda m: None
                 ) -> BatchSummary:
    """Upsert the inputs under `paths` into settings.out_dir; with `prune`, also drop every document that is
    not among them. `wait`: seconds to wait for another run writing the folder (None: until it ends);
    `notify` hears what the operator should know (waiting for the lock, an unreadable previous dataset)."""
    out = settings.out_dir
    files = list(dict.fromkeys(iter_inputs(paths)))  # a file named twice is one input
    # cores go to files when there are several, to the pages of a scan when there is one
    settings = replace(settings, ocr_workers=settings.workers if len(files) == 1 else 1)
    run_id = new_run_id()
    started = datetime.now(timezone.utc)
    with writer_lock(out, run_id, wait, notify):
        recover(out)
        state = read_dataset_state(out)
        if not state.trusted:
            notify(f"{out}: the previous tables could not be read back; their documents are ingested again")
            files += _untrusted_leftovers(state, files)
        todo, unchanged = _plan(files, state, settings.force)
        n_stale = sum(1 for f, sha in todo if stale(state, str(f)) and state.log[str(f)]["sha256"] == sha)
        if n_stale and state.trusted and not settings.force:
            notify(f"{out}: {n_stale} unchanged documents lack {', '.join(EVERY_DOCUMENT)} rows (written by an "
                   f"earlier version); they are ingested again")
        given = {str(f) for f in files}
        removed = [s for s in state.log if s not in given] if prune or not state.trusted else []
        partition_by = settings.partition_by or tuple(read_manifest(out).get("partition_by", ()))
        results: list[FileResult] = []
        for r in run_files(todo, settings) if todo else ():  # with nothing to do, the parsers are not even loaded
            on_done(r)
            results.append(r)
        added = [r.source_file for r in results if r.source_file not in state.log]
        updated = [r.source_file for r in results if r.source_file in state.log]
        now = datetime.now(timezone.utc).replace(microsecond=0)
        for s in removed:
            state.drop(s)
        for r in results:
            _upsert(state, r, run_id, now)
        _write_tracebacks(out, results, state.log)
        if results or removed or not (out / "ingest_log.parquet").exists():
            run = {"run_id": run_id, "command": "ingest", "started": started.isoformat(timespec="seconds"),
                   "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "inputs": [str(p) for p in paths], "prune": prune, "added": added, "updated": updated,
                   "unchanged": len(unchanged), "removed": removed, "partition_by": list(partition_by)}
            _publish(out, state, run, partition_by)
    log = [state.log[str(f)] for f in files if str(f) in state.log]
    ok = [r for r in state.log.values() if r["status"] == "ok"]
    return BatchSummary(run_id, out, results, log, added, updated, unchanged, removed, documents=len(ok),
                        dataset_tasks=sum(int(r["n_tasks"] or 0) for r in ok))


def _matches(key: str, source: str, sha: str) -> bool:
    if not key:
        return False
    if key == sha or key == sha[:16]:
        return True
    k, s = os.path.normpath(os.path.abspath(key)), os.path.normpath(os.path.abspath(source))
    return key == source or k == s or s.startswith(k.rstrip(os.sep) + os.sep)


def remove_entries(out: Path, keys: list[str], *, wait: float | None = None,
                   notify: Notify = lambda m: None) -> list[str]:
    """Take documents (and failed inputs) out of the dataset by source path, a folder of sources, doc_id or
    sha256. Any key that matches nothing → NotInDatasetError, and nothing is removed."""
    if not (out / "ingest_log.parquet").exists():  # checked before locking, so that no folder is made
        raise NoDatasetError(out, "no ingest_log.parquet here")
    run_id = new_run_id()
    with writer_lock(out, run_id, wait, notify):
        recover(out)
        state = read_dataset_state(out)
        hits = {k: [s for s, r in state.log.items() if _matches(k, s, r["sha256"] or "")] for k in keys}
        missing = [k for k, found in hits.items() if not found]
        if missing:
            raise NotInDatasetError(out, "not in the dataset: " + ", ".join(missing))
        removed = list(dict.fromkeys(s for found in hits.values() for s in found))
        for s in removed:
            state.drop(s)
        _write_tracebacks(out, [], state.log)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        run = {"run_id": run_id, "command": "remove", "started": now, "finished": now, "inputs": keys,
               "added": [], "updated": [], "unchanged": 0, "removed": removed}
        partition_by = tuple(read_manifest(out).get("partition_by", ()))
        run["partition_by"] = list(partition_by)
        _publish(out, state, run, partition_by)
    return removed
