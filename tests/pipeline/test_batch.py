"""Incremental runs, atomic publishing under kill -9, partitioned output, parallel runs giving the same rows."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.batch import ingest_paths
from pipeline.settings import Settings
from tests.conftest import RENDER

ROOT = Path(__file__).resolve().parents[2]
TABLE_NAMES = ("tasks", "documents", "task_units", "references", "ingest_log")


def corpus(tmp: Path) -> Path:
    src = tmp / "in"
    src.mkdir()
    for p in sorted((RENDER / "txt").glob("*.txt")) + [RENDER / "docx" / "000_d3e6754d1f77fa1f.docx"]:
        shutil.copy(p, src / p.name)
    return src


def frames(out: Path) -> dict[str, pd.DataFrame]:
    return {n: pd.read_parquet(out / f"{n}.parquet") for n in TABLE_NAMES}


def test_unchanged_inputs_are_skipped_changed_replaced_removed_dropped(tmp_path):
    src, out = corpus(tmp_path), tmp_path / "out"
    first = ingest_paths([src], Settings(out_dir=out))
    before = frames(out)
    second = ingest_paths([src], Settings(out_dir=out))
    assert not second.results and second.count("skipped") == len(first.log)
    after = frames(out)
    assert after["tasks"].equals(before["tasks"]) and set(after["ingest_log"]["status"]) == {"skipped"}

    (src / "000_d3e6754d1f77fa1f.txt").write_text("KẾ HOẠCH\nII. NHIỆM VỤ\n1. Văn phòng Sở rà soát TTHC.\n",
                                                  encoding="utf-8")
    (src / "003_f343f67766c95c4b.txt").unlink()
    third = ingest_paths([src], Settings(out_dir=out))
    assert [Path(r.source_file).name for r in third.results] == ["000_d3e6754d1f77fa1f.txt"]
    tasks = frames(out)["tasks"]
    changed = tasks[tasks["source_file"].str.endswith("000_d3e6754d1f77fa1f.txt")]
    assert list(changed["content"]) == ["Văn phòng Sở rà soát TTHC."]
    assert not frames(out)["ingest_log"]["source_file"].str.contains("003_").any()
    assert len(tasks[tasks["source_file"].str.endswith(".docx")]) == len(
        before["tasks"][before["tasks"]["source_file"].str.endswith(".docx")])
    forced = ingest_paths([src], Settings(out_dir=out, force=True))
    assert len(forced.results) == len(forced.log)


def test_parallel_runs_give_identical_tables(tmp_path):
    src = corpus(tmp_path)
    ingest_paths([src], Settings(out_dir=tmp_path / "serial", workers=1))
    ingest_paths([src], Settings(out_dir=tmp_path / "pool", workers=2))
    a, b = frames(tmp_path / "serial"), frames(tmp_path / "pool")
    for name in TABLE_NAMES:
        cols = [c for c in a[name].columns if c != "seconds"]
        pd.testing.assert_frame_equal(a[name][cols], b[name][cols])


def test_dask_local_cluster_gives_the_serial_rows(tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    src = corpus(tmp_path)
    ingest_paths([src], Settings(out_dir=tmp_path / "serial", workers=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        ingest_paths([src], Settings(out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address))
    a, b = frames(tmp_path / "serial"), frames(tmp_path / "dask")
    for name in TABLE_NAMES:
        cols = [c for c in a[name].columns if c != "seconds"]
        pd.testing.assert_frame_equal(a[name][cols], b[name][cols])


def test_partitioned_datasets_read_back(tmp_path):
    src, out = corpus(tmp_path), tmp_path / "out"
    ingest_paths([src], Settings(out_dir=out, partition_by=("province", "year")))
    part = pd.read_parquet(out / "partitioned" / "tasks")
    flat = pd.read_parquet(out / "tasks.parquet")
    assert len(part) == len(flat) and {"province", "year"} <= set(part.columns)
    assert "Bình Thuận" in set(part["province"].astype(str))  # folder names are URI-encoded, read back decoded
    assert len(list((out / "partitioned" / "tasks").glob("province=*/year=*"))) >= 3


def test_kill_9_never_leaves_a_broken_dataset(tmp_path):
    src, out = corpus(tmp_path), tmp_path / "out"
    ingest_paths([src], Settings(out_dir=out))
    reference = {n: len(df) for n, df in frames(out).items() if n != "ingest_log"}
    for delay in (0.5, 1.5, 2.5, 3.5, 5.0):
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "--force",
                                 "--quiet", "--workers", "1"], cwd=ROOT, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        got = frames(out)  # every table is readable at every moment
        assert {n: len(df) for n, df in got.items() if n != "ingest_log"} == reference
    ingest_paths([src], Settings(out_dir=out))
    assert not list(out.glob(".staging-*"))
    assert {n: len(df) for n, df in frames(out).items() if n != "ingest_log"} == reference
