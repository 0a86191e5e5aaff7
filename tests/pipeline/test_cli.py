import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

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
