"""A folder of hostile inputs beside good ones: every input gets its log row, good documents keep their tasks,
no traceback reaches the user."""

import builtins
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from pipeline.batch import ingest_paths
from pipeline.settings import Settings
from tests.conftest import RENDER

ROOT = Path(__file__).resolve().parents[2]


def pdf_with_text(path: Path, lines: list[str], pages: int = 1, encrypt: StandardEncryption | None = None) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for p in range(pages):
        for i, ln in enumerate(lines):
            c.drawString(72, 780 - 16 * i, ln if pages == 1 else f"{ln} {p + 1}")
        c.showPage()
    c.save()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    src = tmp_path_factory.mktemp("hostile")
    shutil.copy(RENDER / "pdf" / "002_7f6332463eda1f90.pdf", src / "phụ lục tốt.pdf")
    shutil.copy(RENDER / "docx" / "000_d3e6754d1f77fa1f.docx", src / "kế hoạch 000.docx")
    (src / "zero.pdf").write_bytes(b"")
    (src / "truncated.pdf").write_bytes((RENDER / "pdf" / "001_b305fb2693e162d3.pdf").read_bytes()[:5000])
    (src / "image.pdf").write_bytes((RENDER / "scan_tiff" / "002_7f6332463eda1f90.tif").read_bytes()[:4000])
    pdf_with_text(src / "locked.pdf", ["Ke hoach"], encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf_with_text(src / "owner-only.pdf", ["KE HOACH nang cao chi so cai cach hanh chinh nam 2021"],
                  encrypt=StandardEncryption("", ownerPassword="owner"))
    pdf_with_text(src / "english.pdf", ["Annual report of the harbour authority", "Nothing to do here."])
    pdf_with_text(src / "long.pdf", ["Noi dung"], pages=500)
    pdf_with_text(src / "page-numbers.pdf", ["Trang"], pages=3)  # nothing but page numbers: no text
    with zipfile.ZipFile(src / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (220 * 2**20))
    (src / "cp1258.txt").write_bytes(b"K\xea\xec ho\x61\xf2ch s\xf4\xec 1")
    (src / "notes.xyz").write_text("?", encoding="utf-8")
    out = src.parent / (src.name + "-out")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "--quiet",
                           "--workers", "2"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    log = pd.read_parquet(out / "ingest_log.parquet")
    log["name"] = log["source_file"].map(lambda s: Path(s).name)
    return src, log.set_index("name"), pd.read_parquet(out / "tasks.parquet")


@pytest.mark.parametrize("name, code", [
    ("zero.pdf", "empty_file"), ("truncated.pdf", "corrupt_file"), ("image.pdf", "corrupt_file"),
    ("locked.pdf", "encrypted_pdf"), ("bomb.docx", "too_large"), ("notes.xyz", "unsupported_format"),
    ("page-numbers.pdf", "no_text"),
])
def test_each_broken_input_has_its_code_and_names_the_file(hostile, name, code):
    _, log, _ = hostile
    assert log.loc[name, "status"] == "failed" and log.loc[name, "error_code"] == code
    assert name in log.loc[name, "message"]


def test_readable_oddities_are_ingested(hostile):
    _, log, _ = hostile
    for name in ("owner-only.pdf", "english.pdf", "long.pdf", "cp1258.txt"):
        assert log.loc[name, "status"] == "ok", log.loc[name, "message"]
    assert log.loc["long.pdf", "pages"] == 500
    assert log.loc["english.pdf", "n_tasks"] == 0


def test_good_documents_keep_all_their_tasks(hostile):
    src, log, tasks = hostile
    assert len(log) == len(list(src.iterdir()))
    by_file = tasks.groupby(tasks["source_file"].map(lambda s: Path(s).name)).size()
    assert by_file["phụ lục tốt.pdf"] == 21 and by_file["kế hoạch 000.docx"] == 20


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    locked = tmp_path / "in" / "secret.txt"
    locked.parent.mkdir()
    locked.write_text("Kế hoạch", encoding="utf-8")
    real_open = builtins.open

    def deny(file, *args, **kwargs):  # tests run as root, where chmod 000 does not stop reading
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    summary = ingest_paths([locked.parent], Settings(out_dir=tmp_path / "out"))
    assert summary.failed[0]["error_code"] == "unreadable" and "secret.txt" in summary.failed[0]["message"]
