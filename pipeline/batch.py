"""A batch: every input under the given paths → one dataset. Inputs run serially or in a process pool;
results are gathered in input order so every run gives the same rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.ingest import FileResult, ingest_file, iter_inputs
from pipeline.schema import TABLES
from pipeline.settings import Settings
from pipeline.writer import write_dataset


@dataclass
class BatchSummary:
    results: list[FileResult]
    out_dir: Path

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def n_tasks(self) -> int:
        return sum(len(r.tables.get("tasks", [])) for r in self.results)


def run_files(files: list[Path], settings: Settings, on_done: Callable[[FileResult], None]) -> list[FileResult]:
    if settings.workers <= 1 or len(files) <= 1:
        out = []
        for f in files:
            out.append(ingest_file(f, settings))
            on_done(out[-1])
        return out
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        results = []
        for r in pool.map(ingest_file, files, [settings] * len(files), chunksize=1):
            on_done(r)
            results.append(r)
        return results


def merge_results(results: Iterable[FileResult]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for r in results:
        for name, rows in r.tables.items():
            tables[name] += rows
        tables["ingest_log"].append(r.log_row())
    return tables


def ingest_paths(paths: list[Path], settings: Settings,
                 on_done: Callable[[FileResult], None] = lambda r: None) -> BatchSummary:
    files = list(iter_inputs(paths))
    # cores go to files when there are several, to the pages of a scan when there is one
    settings = replace(settings, ocr_workers=settings.workers if len(files) == 1 else 1)
    results = run_files(files, settings, on_done)
    write_dataset(settings.out_dir, merge_results(results))
    return BatchSummary(results, settings.out_dir)
