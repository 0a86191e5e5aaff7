"""Word 97, OpenDocument and RTF files read like .docx. The fixtures are made here: a .docx written with
python-docx, converted by LibreOffice into each format (`make test` installs LibreOffice)."""

import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest

from extractors import convert
from extractors.convert import convert_to_docx, office_to_doc
from normalizers.errors import ConversionFailedError, ConverterUnavailableError, EmptyFileError
from pipeline.batch import ingest_paths
from pipeline.settings import Settings

TASK = "Rà soát, đánh giá hiện trạng hạ tầng số của các cơ quan nhà nước"


def _plan_docx(path: Path) -> Path:
    d = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "Số: 12/KH-UBND", "KẾ HOẠCH",
                 "Chuyển đổi số trong cơ quan nhà nước năm 2026", "I. MỤC ĐÍCH, YÊU CẦU",
                 "Đẩy mạnh ứng dụng công nghệ thông tin.", "II. NHIỆM VỤ CỤ THỂ"):
        d.add_paragraph(text)
    t = d.add_table(rows=3, cols=4)
    rows = [("STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"),
            ("1", TASK, "Sở Khoa học và Công nghệ", "Quý II năm 2026"),
            ("2", "Xây dựng cơ sở dữ liệu dùng chung của tỉnh", "Văn phòng UBND tỉnh", "Năm 2026")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.save(str(path))
    return path


def _lo_convert(src: Path, fmt: str, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(out), str(src)], check=True, capture_output=True,
                   timeout=180)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> dict[str, Path]:
    assert shutil.which("soffice"), "LibreOffice is needed (make test installs it)"
    tmp = tmp_path_factory.mktemp("office")
    src = _plan_docx(tmp / "plan.docx")
    made = {fmt: _lo_convert(src, fmt, tmp / fmt) for fmt in ("odt", "rtf")}
    # the Word 97 writer drops a table python-docx wrote; from the OpenDocument copy it keeps it
    made["doc"] = _lo_convert(made["odt"], "doc:MS Word 97", tmp / "doc")
    return made


@pytest.mark.parametrize("fmt", ["doc", "odt", "rtf"])
def test_each_format_reads_like_the_docx(fixtures, fmt):
    doc = office_to_doc(fixtures[fmt], timeout=120)
    assert doc.path == fixtures[fmt]
    assert any(ln.text == "KẾ HOẠCH" for ln in doc.lines())
    rows = doc.tables()[0].rows
    assert rows[1][1:3] == [TASK, "Sở Khoa học và Công nghệ"]


def test_a_batch_gives_tasks_for_doc_and_goes_on_past_a_broken_one(fixtures, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fixtures["doc"], inbox / "plan.doc")
    shutil.copy(fixtures["odt"], inbox / "plan.odt")
    (inbox / "broken.doc").write_bytes(fixtures["doc"].read_bytes()[:2000])  # cut short: no longer loads
    out = tmp_path / "out"
    ingest_paths([inbox], Settings(out_dir=out, workers=1))
    log = pd.read_parquet(out / "ingest_log.parquet").set_index("source_file")
    assert log.loc[str(inbox / "broken.doc"), "error_code"] == "conversion_failed"
    assert str(inbox / "broken.doc") in log.loc[str(inbox / "broken.doc"), "message"]
    docs = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert docs.loc[str(inbox / "plan.doc"), "file_type"] == "doc"
    assert docs.loc[str(inbox / "plan.odt"), "file_type"] == "odt"
    tasks = pd.read_parquet(out / "tasks.parquet")
    from_doc = tasks[tasks["source_file"] == str(inbox / "plan.doc")]
    assert TASK in set(from_doc["content"])
    assert len(from_doc) == len(tasks[tasks["source_file"] == str(inbox / "plan.odt")]) == 2


def test_missing_libreoffice_is_reported(fixtures, monkeypatch):
    monkeypatch.setattr(convert, "soffice_binary", lambda: None)
    with pytest.raises(ConverterUnavailableError) as e:
        office_to_doc(fixtures["rtf"], timeout=120)
    assert e.value.code == "converter_unavailable" and "apt-get install" in str(e.value)


def test_a_conversion_over_its_time_is_given_up(fixtures, tmp_path, monkeypatch):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(convert, "soffice_binary", lambda: str(slow))
    with pytest.raises(ConversionFailedError, match="longer than 0.5 s"):
        convert_to_docx(fixtures["rtf"], tmp_path, timeout=0.5)


def test_an_empty_file_is_reported(tmp_path):
    f = tmp_path / "empty.rtf"
    f.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        office_to_doc(f, timeout=120)
