"""A batch: every input under the given paths → one dataset, incrementally.

Inputs are named by sha256: unchanged ones are skipped and keep their rows, changed ones are re-ingested and
their rows replaced, removed ones leave the dataset (`force` re-ingests all). The work runs serially, in a
local process pool, or on a Dask cluster; results are assembled in input order, so all give the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.errors import KehoachError
from pipeline.inputs import iter_inputs, sha256_of
from pipeline.records import FileResult
from pipeline.schema import TABLES, rows_to_table
from pipeline.settings import Settings
from pipeline.store import commit, empty, read_previous, recover, write_partitioned

CONTENT_TABLES = tuple(t for t in TABLES if t != "ingest_log")


@dataclass
class BatchSummary:
    results: list[FileResult]  # the inputs ingested in this run
    log: list[dict[str, Any]]  # one row per input, as written to ingest_log.parquet
    removed: int
    out_dir: Path

    def count(self, status: str) -> int:
        return sum(1 for r in self.log if r["status"] == status)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.log if r["status"] == "failed"]

    @property
    def n_tasks(self) -> int:
        return sum(int(r["n_tasks"] or 0) for r in self.log)


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


def _previous_log(out_dir: Path) -> dict[str, dict[str, Any]]:
    table = read_previous(out_dir, "ingest_log")
    return {} if table is None else {r["source_file"]: r for r in table.to_pylist()}


def _rows_by_file(table: pa.Table | None) -> dict[str, pa.Table]:
    if table is None or table.num_rows == 0:
        return {}
    groups: dict[str, list[int]] = {}
    for i, sf in enumerate(table.column("source_file").to_pylist()):
        groups.setdefault(sf, []).append(i)
    return {sf: table.take(pa.array(ix)) for sf, ix in groups.items()}


def ingest_paths(paths: list[Path], settings: Settings,
                 on_done: Callable[[FileResult], None] = lambda r: None) -> BatchSummary:
    out = settings.out_dir
    recover(out)
    files = list(iter_inputs(paths))
    # cores go to files when there are several, to the pages of a scan when there is one
    settings = replace(settings, ocr_workers=settings.workers if len(files) == 1 else 1)
    previous = {} if settings.force else _previous_log(out)
    todo: list[tuple[Path, str]] = []
    kept: dict[str, dict[str, Any]] = {}
    for f in files:
        try:
            sha = sha256_of(f)
        except KehoachError:
            sha = ""  # the ingest step reports it
        prev = previous.get(str(f))
        if prev is not None and sha and prev["sha256"] == sha:
            kept[str(f)] = prev
        else:
            todo.append((f, sha))
    removed = set(_previous_log(out)) - {str(f) for f in files}
    results = []
    for r in run_files(todo, settings) if todo else ():  # with nothing to do, the parsers are not even loaded
        on_done(r)
        results.append(r)
    log = _write(out, files, kept, {r.source_file: r for r in results}, changed=bool(todo or removed),
                 partition_by=settings.partition_by)
    return BatchSummary(results, log, len(removed), out)


def _skipped_row(prev: dict[str, Any]) -> dict[str, Any]:
    if prev["status"] == "failed":
        return prev  # still the same broken file: its error stays on record
    return {**prev, "status": "skipped", "message": "unchanged since the last run", "seconds": 0.0}


def _write(out: Path, files: list[Path], kept: dict[str, dict[str, Any]], fresh: dict[str, FileResult],
           changed: bool, partition_by: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    log = [_skipped_row(kept[str(f)]) if str(f) in kept else fresh[str(f)].log_row() for f in files]
    tables = {"ingest_log": rows_to_table("ingest_log", log)}
    if changed or any(not (out / f"{n}.parquet").exists() for n in CONTENT_TABLES):
        for name in CONTENT_TABLES:
            old = _rows_by_file(read_previous(out, name)) if kept else {}
            pieces = []
            for f in files:
                key = str(f)
                if key in kept:
                    if key in old:
                        pieces.append(old[key])
                elif fresh[key].tables.get(name):
                    pieces.append(rows_to_table(name, fresh[key].tables[name]))
            tables[name] = pa.concat_tables(pieces) if pieces else empty(name)
    commit(out, tables)
    if partition_by and len(tables) > 1:
        write_partitioned(out, tables, partition_by)
    return log
