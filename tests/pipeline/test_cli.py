import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import RENDER

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT)


def test_broken_inputs_are_logged_and_the_batch_goes_on(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RENDER / "pdf" / "002_7f6332463eda1f90.pdf", src / "kế hoạch tốt.pdf")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (src / "empty.docx").write_bytes(b"")
    (src / "notes.xyz").write_text("?", encoding="utf-8")
    out = tmp_path / "out"
    r = run("ingest", str(src), "--out", str(out), "--quiet", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    log = pd.read_parquet(out / "ingest_log.parquet").set_index("source_file")
    assert log.loc[str(src / "kế hoạch tốt.pdf"), "status"] == "ok"
    assert log.loc[str(src / "broken.pdf"), "error_code"] == "corrupt_file"
    assert log.loc[str(src / "empty.docx"), "error_code"] == "empty_file"
    assert log.loc[str(src / "notes.xyz"), "error_code"] == "unsupported_format"
    assert "broken.pdf" in log.loc[str(src / "broken.pdf"), "message"]
    assert len(pd.read_parquet(out / "tasks.parquet")) == 21
    strict = run("ingest", str(src), "--out", str(out), "--quiet", "--workers", "1", "--strict")
    assert strict.returncode == 3


def test_bad_option_is_a_usage_error(tmp_path: Path):
    r = run("ingest", str(RENDER / "txt"), "--out", str(tmp_path), "--workers", "0")
    assert r.returncode == 2 and "workers" in r.stderr and "Traceback" not in r.stderr


HOLD_LOCK = """
import os, sys
from pathlib import Path
from pipeline.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "holder-run"):
    child = os.fork() if len(sys.argv) > 2 else -1  # a forked worker outliving its killed parent
    if child == 0:
        sys.stdin.read()
        os._exit(0)
    print("held", child, flush=True)
    sys.stdin.read()
"""


def hold_lock(out: Path, fork: bool = False) -> tuple[subprocess.Popen[str], int]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out), *(["fork"] if fork else [])], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    word, child = holder.stdout.readline().split()
    assert word == "held"
    return holder, int(child)


def inputs(tmp: Path, name: str, *stems: str) -> Path:
    folder = tmp / name
    folder.mkdir(parents=True)
    for stem in stems:
        shutil.copy(RENDER / "txt" / f"{stem}.txt", folder)
    return folder


def sources(out: Path, table: str) -> set[str]:
    return {Path(s).name for s in pd.read_parquet(out / f"{table}.parquet")["source_file"]}


def test_the_second_run_waits_for_the_lock_then_merges(tmp_path: Path):
    day = inputs(tmp_path, "day", "004_dfacc229dc85edef")
    out = tmp_path / "out"
    holder, _ = hold_lock(out)
    assert holder.stdin is not None
    try:
        refused = run("ingest", str(day), "--out", str(out), "--quiet", "--no-wait")
        assert refused.returncode == 11 and "[output_locked]" in refused.stderr and "holder-run" in refused.stderr
        limited = run("ingest", str(day), "--out", str(out), "--quiet", "--wait", "0.5")
        assert limited.returncode == 11 and "waiting" in limited.stderr
        waiting = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(day), "--out", str(out),
                                    "--quiet", "--workers", "1"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        assert "waiting for run holder-run" in waiting.stderr.readline()
        holder.stdin.close()
        holder.wait()
        _, err = waiting.communicate()
        assert waiting.returncode == 0, err
        assert "1 added" in err
    finally:
        holder.kill()
    assert sources(out, "documents") == {"004_dfacc229dc85edef.txt"}


def test_a_killed_lock_holder_never_blocks_the_next_run(tmp_path: Path):
    day = inputs(tmp_path, "day", "004_dfacc229dc85edef")
    out = tmp_path / "out"
    holder, child = hold_lock(out, fork=True)
    try:
        holder.kill()  # SIGKILL; its forked child lives on
        holder.wait()
        r = run("ingest", str(day), "--out", str(out), "--quiet", "--no-wait")
        assert r.returncode == 0, r.stderr
    finally:
        os.kill(child, signal.SIGKILL)
    assert sources(out, "tasks") == {"004_dfacc229dc85edef.txt"}


@pytest.mark.parametrize("options, rounds", [(("--workers", "2"), 3), (("--scheduler", "local", "--workers", "1"), 2)])
def test_concurrent_runs_on_one_folder_keep_both_inputs(tmp_path: Path, options: tuple[str, ...], rounds: int):
    a = inputs(tmp_path, "a", "004_dfacc229dc85edef", "003_f343f67766c95c4b")
    b = inputs(tmp_path, "b", "001_b305fb2693e162d3", "000_d3e6754d1f77fa1f")
    for k in range(rounds):
        out = tmp_path / f"out{k}"
        procs = [subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "--quiet",
                                   *options], cwd=ROOT, stderr=subprocess.PIPE, text=True) for src in (a, b)]
        errs = [p.communicate()[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errs
        want = {p.name for p in [*a.iterdir(), *b.iterdir()]}
        assert sources(out, "ingest_log") == sources(out, "documents") == want
        assert sources(out, "tasks") == want - {"003_f343f67766c95c4b.txt"}  # 003 is a report: no tasks


def test_status_lists_documents_and_failed_inputs(tmp_path: Path):
    day = inputs(tmp_path, "day", "004_dfacc229dc85edef")
    (day / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out"
    assert run("ingest", str(day), "--out", str(out), "--quiet", "--workers", "1").returncode == 0
    text = run("status", str(out))
    assert text.returncode == 0, text.stderr
    assert "1 documents" in text.stdout and "1 failed inputs" in text.stdout
    assert "[corrupt_file]" in text.stdout and "004_dfacc229dc85edef.txt" in text.stdout
    st = json.loads(run("status", str(out), "--json").stdout)
    doc = st["documents"][0]
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert doc["tasks"] == len(tasks) and doc["sha256"].startswith(doc["doc_id"]) and doc["ingested_at"]
    assert [f["error_code"] for f in st["failed"]] == ["corrupt_file"]
    assert st["last_run"]["inputs"] == [str(day)]
    missing = run("status", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no_dataset" in missing.stderr


def test_remove_and_prune_from_the_command_line(tmp_path: Path):
    a = inputs(tmp_path, "a", "004_dfacc229dc85edef")
    b = inputs(tmp_path, "b", "003_f343f67766c95c4b")
    out = tmp_path / "out"
    for src in (a, b):
        assert run("ingest", str(src), "--out", str(out), "--quiet", "--workers", "1").returncode == 0
    assert sources(out, "documents") == {"004_dfacc229dc85edef.txt", "003_f343f67766c95c4b.txt"}
    assert sources(out, "pages") == sources(out, "documents")
    unknown = run("remove", "0123456789abcdef", "--out", str(out))
    assert unknown.returncode == 12 and "0123456789abcdef" in unknown.stderr
    gone = run("remove", str(b / "003_f343f67766c95c4b.txt"), "--out", str(out))
    assert gone.returncode == 0 and "1 removed" in gone.stderr
    assert sources(out, "documents") == sources(out, "pages") == {"004_dfacc229dc85edef.txt"}
    typo = run("ingest", str(tmp_path / "no-such-folder"), "--out", str(out), "--prune")
    assert typo.returncode == 2 and "--prune" in typo.stderr
    assert sources(out, "documents") == {"004_dfacc229dc85edef.txt"}
    pruned = run("ingest", str(b), "--out", str(out), "--quiet", "--workers", "1", "--prune")
    assert pruned.returncode == 0 and "1 added" in pruned.stderr and "1 removed" in pruned.stderr
    assert sources(out, "documents") == sources(out, "pages") == {"003_f343f67766c95c4b.txt"}


def test_debug_prints_the_traceback_of_an_unexpected_error(tmp_path: Path, monkeypatch, capsys):
    day = inputs(tmp_path, "day", "004_dfacc229dc85edef")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the metadata reader")

    monkeypatch.setattr("pipeline.ingest.lines_to_meta", broken)
    from pipeline.cli import main

    args = ["ingest", str(day), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]
    assert main(args) == 0
    quiet = capsys.readouterr().err
    assert "[internal_error]" in quiet and "Traceback" not in quiet and "errors/" in quiet
    assert main([*args, "--force", "--debug"]) == 0
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_text_prints_a_documents_pages_raw_or_as_markdown(tmp_path: Path):
    day = inputs(tmp_path, "day", "004_dfacc229dc85edef")
    out = tmp_path / "out"
    assert run("ingest", str(day), "--out", str(out), "--quiet", "--workers", "1").returncode == 0
    pages = pd.read_parquet(out / "pages.parquet")
    doc_id, source = pages["doc_id"].iloc[0], pages["source_file"].iloc[0]
    by_id = run("text", doc_id, "--out", str(out))
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout == "\n\f\n".join(pages["text"]) + "\n"
    assert run("text", source, "--out", str(out)).stdout == by_id.stdout
    raw = run("text", doc_id, "--out", str(out), "--raw").stdout
    assert raw == "\n\f\n".join(pages["text_raw"]) + "\n" and raw != by_id.stdout
    md = run("text", doc_id, "--out", str(out), "--markdown")
    assert md.returncode == 0 and "\n## I. MỤC TIÊU" in md.stdout and "\n- " in md.stdout
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    elsewhere = run("text", str(RENDER / "txt" / "002_7f6332463eda1f90.txt"), "--out", str(out), "--markdown")
    assert elsewhere.returncode == 0 and "| --- |" in elsewhere.stdout  # not in the dataset: read now
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before  # and nothing written
    missing = run("text", "ffffffffffff", "--out", str(out))
    assert missing.returncode == 2 and "document_not_found" in missing.stderr
