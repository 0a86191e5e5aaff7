"""Upserting runs, pruning and removal, atomic publishing under kill -9, the writer lock, partitioned output,
parallel runs giving the same rows."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from normalizers.errors import NotInDatasetError, OutputLockedError
from pipeline.batch import ingest_paths, remove_entries
from pipeline.lock import current_writer
from pipeline.settings import Settings
from pipeline.store import MANIFEST, read_dataset, traceback_path
from tests.conftest import RENDER

ROOT = Path(__file__).resolve().parents[2]
TABLE_NAMES = ("tasks", "documents", "task_units", "references", "pages", "ingest_log")
RUN_COLUMNS = {"seconds", "ingested_at", "run_id"}  # when and how fast, not what


def corpus(tmp: Path) -> Path:
    src = tmp / "in"
    src.mkdir()
    for p in sorted((RENDER / "txt").glob("*.txt")) + [RENDER / "docx" / "000_d3e6754d1f77fa1f.docx"]:
        shutil.copy(p, src / p.name)
    return src


def frames(out: Path) -> dict[str, pd.DataFrame]:
    return {n: pd.read_parquet(out / f"{n}.parquet") for n in TABLE_NAMES}


def test_unchanged_inputs_are_kept_changed_replaced_and_absent_ones_stay(tmp_path):
    src, out = corpus(tmp_path), tmp_path / "out"
    first = ingest_paths([src], Settings(out_dir=out))
    assert len(first.added) == len(first.log) and set(frames(out)["ingest_log"]["status"]) == {"ok"}
    before = frames(out)
    second = ingest_paths([src], Settings(out_dir=out))
    assert not second.results and len(second.unchanged) == len(first.log)
    after = frames(out)
    assert after["tasks"].equals(before["tasks"]) and after["ingest_log"].equals(before["ingest_log"])

    (src / "000_d3e6754d1f77fa1f.txt").write_text("KẾ HOẠCH\nII. NHIỆM VỤ\n1. Văn phòng Sở rà soát TTHC.\n",
                                                  encoding="utf-8")
    (src / "003_f343f67766c95c4b.txt").unlink()
    third = ingest_paths([src], Settings(out_dir=out))
    assert [Path(r.source_file).name for r in third.results] == ["000_d3e6754d1f77fa1f.txt"]
    assert [Path(s).name for s in third.updated] == ["000_d3e6754d1f77fa1f.txt"] and not third.removed
    tasks = frames(out)["tasks"]
    changed = tasks[tasks["source_file"].str.endswith("000_d3e6754d1f77fa1f.txt")]
    assert list(changed["content"]) == ["Văn phòng Sở rà soát TTHC."]
    pages = frames(out)["pages"]  # the changed file's pages are replaced, the others' kept
    assert list(pages.loc[pages["source_file"].str.endswith("000_d3e6754d1f77fa1f.txt"), "text"]) == [
        "KẾ HOẠCH\nII. NHIỆM VỤ\n1. Văn phòng Sở rà soát TTHC."]
    assert (pages.groupby("source_file").size() == 1).all()
    assert set(pages["source_file"]) == set(frames(out)["documents"]["source_file"])
    # an input not given again is not removed unasked: its rows stay
    assert frames(out)["ingest_log"]["source_file"].str.contains("003_").any()
    assert list(frames(out)["ingest_log"]["source_file"]) == list(before["ingest_log"]["source_file"])
    assert len(tasks[tasks["source_file"].str.endswith(".docx")]) == len(
        before["tasks"][before["tasks"]["source_file"].str.endswith(".docx")])
    forced = ingest_paths([src], Settings(out_dir=out, force=True))
    assert len(forced.results) == len(forced.log) == len(first.log) - 1


def day_folders(tmp: Path) -> tuple[Path, Path]:
    day1, day2 = tmp / "inbox" / "day1", tmp / "inbox" / "day2"
    day1.mkdir(parents=True)
    day2.mkdir(parents=True)
    shutil.copy(RENDER / "txt" / "000_d3e6754d1f77fa1f.txt", day1)
    shutil.copy(RENDER / "txt" / "003_f343f67766c95c4b.txt", day1)
    shutil.copy(RENDER / "txt" / "004_dfacc229dc85edef.txt", day2)
    return day1, day2


def test_day_by_day_ingestion_keeps_every_earlier_document(tmp_path):
    day1, day2 = day_folders(tmp_path)
    out = tmp_path / "out"
    one = ingest_paths([day1], Settings(out_dir=out))
    tasks1 = frames(out)["tasks"]
    two = ingest_paths([day2], Settings(out_dir=out))
    assert len(two.added) == 1 and not two.removed and two.documents == 3
    got = frames(out)
    assert set(got["documents"]["source_file"]) == {str(p) for p in sorted(day1.iterdir()) + sorted(day2.iterdir())}
    day1_rows = got["tasks"][got["tasks"]["source_file"].str.contains("day1")].reset_index(drop=True)
    pd.testing.assert_frame_equal(day1_rows, tasks1)
    assert two.dataset_tasks == len(got["tasks"]) == one.n_tasks + two.n_tasks
    log = got["ingest_log"]
    assert log["run_id"].nunique() == 2 and log["ingested_at"].notna().all()


def test_prune_makes_the_dataset_exactly_the_inputs(tmp_path):
    day1, day2 = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1], Settings(out_dir=out))
    ingest_paths([day2], Settings(out_dir=out))
    pruned = ingest_paths([day2], Settings(out_dir=out), prune=True)
    assert sorted(Path(s).name for s in pruned.removed) == ["000_d3e6754d1f77fa1f.txt", "003_f343f67766c95c4b.txt"]
    for name, df in frames(out).items():
        assert set(df["source_file"]) <= {str(day2 / "004_dfacc229dc85edef.txt")}, name
    assert len(frames(out)["documents"]) == 1


def test_remove_by_path_folder_and_doc_id(tmp_path):
    day1, day2 = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1, day2], Settings(out_dir=out))
    docs = frames(out)["documents"].set_index("source_file")
    doc_id = docs.loc[str(day1 / "003_f343f67766c95c4b.txt"), "doc_id"]
    with pytest.raises(NotInDatasetError):
        remove_entries(out, [doc_id, "no/such/file.txt"])
    assert len(frames(out)["documents"]) == 3  # one unknown key: nothing removed
    assert remove_entries(out, [doc_id]) == [str(day1 / "003_f343f67766c95c4b.txt")]
    assert remove_entries(out, [str(day2 / "004_dfacc229dc85edef.txt")]) == [str(day2 / "004_dfacc229dc85edef.txt")]
    assert set(frames(out)["tasks"]["source_file"]) == {str(day1 / "000_d3e6754d1f77fa1f.txt")}
    assert remove_entries(out, [str(day1)]) == [str(day1 / "000_d3e6754d1f77fa1f.txt")]
    assert all(df.empty for df in frames(out).values())
    again = ingest_paths([day1], Settings(out_dir=out))
    assert len(again.added) == 2


def test_an_unreadable_previous_table_has_its_documents_ingested_again_not_lost(tmp_path):
    day1, day2 = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1], Settings(out_dir=out))
    before = frames(out)["tasks"]
    (out / "tasks.parquet").write_bytes(b"not parquet")
    heard: list[str] = []
    summary = ingest_paths([day2], Settings(out_dir=out), notify=heard.append)
    assert any("ingested again" in m for m in heard)
    assert sorted(Path(s).name for s in summary.updated) == ["000_d3e6754d1f77fa1f.txt", "003_f343f67766c95c4b.txt"]
    tasks = frames(out)["tasks"]
    day1_rows = tasks[tasks["source_file"].str.contains("day1")].reset_index(drop=True)
    pd.testing.assert_frame_equal(day1_rows, before)
    assert tasks["source_file"].str.contains("day2").any()


def test_documents_written_before_pages_existed_get_their_pages_on_the_next_run(tmp_path):
    day1, _ = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1], Settings(out_dir=out))
    before = frames(out)
    (out / "pages.parquet").unlink()  # a dataset as an earlier version wrote it
    heard: list[str] = []
    summary = ingest_paths([day1], Settings(out_dir=out), notify=heard.append)
    assert len(summary.updated) == 2 and any("lack pages rows" in m for m in heard)
    after = frames(out)
    pd.testing.assert_frame_equal(after["pages"], before["pages"])
    pd.testing.assert_frame_equal(after["tasks"], before["tasks"])
    assert not ingest_paths([day1], Settings(out_dir=out)).results  # now complete: unchanged


def test_a_failed_update_takes_the_old_pages_away(tmp_path):
    day1, _ = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1], Settings(out_dir=out))
    (day1 / "003_f343f67766c95c4b.txt").write_bytes(b"")
    ingest_paths([day1], Settings(out_dir=out))
    pages = frames(out)["pages"]
    assert [Path(s).name for s in pages["source_file"]] == ["000_d3e6754d1f77fa1f.txt"]


def test_every_commit_reads_back_as_one_run(tmp_path):
    day1, day2 = day_folders(tmp_path)
    out = tmp_path / "out"
    ingest_paths([day1], Settings(out_dir=out))
    second = ingest_paths([day2], Settings(out_dir=out))
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["run_id"] == second.run_id and manifest["inputs"] == [str(day2)]
    assert [Path(s).name for s in manifest["added"]] == ["004_dfacc229dc85edef.txt"]
    tables = read_dataset(out)
    assert {t.schema.metadata[b"kehoach.run_id"].decode() for t in tables.values()} == {second.run_id}
    ingest_paths([day2], Settings(out_dir=out))  # nothing changed: nothing rewritten, the manifest still agrees
    assert read_dataset(out)["tasks"].num_rows == tables["tasks"].num_rows


def test_an_unexpected_error_keeps_its_traceback_beside_the_dataset(tmp_path, monkeypatch):
    day1, _ = day_folders(tmp_path)
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the metadata reader")

    monkeypatch.setattr("pipeline.ingest.lines_to_meta", broken)
    summary = ingest_paths([day1], Settings(out_dir=out))
    assert {r["error_code"] for r in summary.failed} == {"internal_error"}
    for r in summary.results:
        path = traceback_path(out, r.doc_id)
        assert str(path) in r.message and "\n" not in r.message
        text = path.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" in text and "in broken" in text and r.source_file in text
    monkeypatch.undo()
    kept = ingest_paths([day1], Settings(out_dir=out))  # an unchanged input is not retried unasked
    assert not kept.results and len(kept.failed) == 2
    fixed = ingest_paths([day1], Settings(out_dir=out, force=True))
    assert not fixed.failed and len(fixed.updated) == 2
    assert not list((out / "errors").glob("*.txt"))  # fixed inputs leave no stale tracebacks


def test_a_held_lock_makes_a_no_wait_run_refuse(tmp_path):
    day1, _ = day_folders(tmp_path)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        heard: list[str] = []
        with pytest.raises(OutputLockedError) as e:
            ingest_paths([day1], Settings(out_dir=out), wait=0.3, notify=heard.append)
        assert "holder-run" in str(e.value) and "waiting" in heard[0]
        assert "holder-run" in current_writer(out)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    assert current_writer(out) == ""
    assert ingest_paths([day1], Settings(out_dir=out), wait=0).added


HOLD_LOCK = """
import sys
from pathlib import Path
from pipeline.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "holder-run"):
    print("held", flush=True)
    sys.stdin.read()
"""

def test_parallel_runs_give_identical_tables(tmp_path):
    src = corpus(tmp_path)
    ingest_paths([src], Settings(out_dir=tmp_path / "serial", workers=1))
    ingest_paths([src], Settings(out_dir=tmp_path / "pool", workers=2))
    a, b = frames(tmp_path / "serial"), frames(tmp_path / "pool")
    for name in TABLE_NAMES:
        cols = [c for c in a[name].columns if c not in RUN_COLUMNS]
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
        cols = [c for c in a[name].columns if c not in RUN_COLUMNS]
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
    ingest_paths([src], Settings(out_dir=out), wait=0)  # the killed runs left no lock behind
    assert not list(out.glob(".staging-*"))
    assert {n: len(df) for n, df in frames(out).items() if n != "ingest_log"} == reference
