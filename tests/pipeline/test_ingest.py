"""End to end on the committed renderings, against the hand-made gold for seeds 000 and 002."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.batch import ingest_paths
from pipeline.settings import Settings
from tests.conftest import RENDER, expected_tasks


@pytest.fixture(scope="module", params=["txt", "docx", "pdf", "pdf_alt"])
def dataset(request, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(request.param)
    ingest_paths([RENDER / request.param], Settings(out_dir=out, workers=1))
    return request.param, out


def _units(v) -> set[str]:
    return {u.strip() for u in (v.split(";") if isinstance(v, str) else v) if u and u.strip()}


@pytest.mark.parametrize("stem", ["000_d3e6754d1f77fa1f", "002_7f6332463eda1f90"])
def test_tasks_match_gold(dataset, stem):
    _, out = dataset
    tasks = pd.read_parquet(out / "tasks.parquet")
    got = tasks[tasks["source_file"].map(lambda s: Path(s).stem) == stem].set_index("task_no")
    gold = expected_tasks(stem)
    assert sorted(got.index) == sorted(g["task_no"] for g in gold)
    for g in gold:
        row = got.loc[g["task_no"]]
        assert row["parent_no"] == g["parent_no"], g["task_no"]
        assert _units(row["lead_units"]) == _units(g["lead_units"]), g["task_no"]
        assert _units(row["coordinating_units"]) == _units(g["coordinating_units"]), g["task_no"]
        assert row["deadline_kind"] == g["deadline_kind"], g["task_no"]
        assert str(row["deadline_end"] or "")[:10] == (g["deadline_end"] or ""), g["task_no"]


def test_status_report_has_metadata_and_no_tasks(dataset):
    _, out = dataset
    docs = pd.read_parquet(out / "documents.parquet")
    report = docs[docs["source_file"].str.contains("003_")].iloc[0]
    assert report["doc_type"] == "Công văn" and report["n_tasks"] == 0
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert not tasks["source_file"].str.contains("003_").any()


def test_every_table_is_written_and_readable(dataset):
    _, out = dataset
    for name in ("tasks", "documents", "task_units", "references", "ingest_log"):
        assert (out / f"{name}.parquet").is_file()
    log = pd.read_parquet(out / "ingest_log.parquet")
    assert len(log) == 5 and set(log["status"]) == {"ok"}
    units = pd.read_parquet(out / "task_units.parquet")
    assert set(units["role"]) == {"lead", "coordinating"}
    registered = units[units["unit_id"] != ""]
    assert len(registered) and set(registered["level"]) <= {"central", "province", "district", "commune"}
    # the seeds are the chart owner's own plans: names relative to the issuer stay as the chart has them
    assert units.loc[units["level"] == "issuer", "unit"].str.endswith(" Sở").all()


HEADER = "ỦY BAN NHÂN DÂN TỈNH AN GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: {no}\n\n"
DIRECTIVE_UNREAD = "CHỈ THỊ\n\nVề việc tăng cường kỷ luật hành chính\n\n" \
    "Thời gian qua, kỷ luật hành chính có lúc chưa nghiêm, Chủ tịch Ủy ban nhân dân tỉnh chỉ thị các sở thực hiện " \
    "nghiêm các quy định hiện hành và báo cáo kết quả.\n"
CIRCULAR = "THÔNG TƯ\n\nQuy định về quy trình kiểm tra chuyên ngành\n\nĐiều 1. Phạm vi điều chỉnh\n\n" \
    "Thông tư này quy định về quy trình kiểm tra chuyên ngành.\n"


@pytest.fixture(scope="module")
def promised(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("promised")
    (src / "chi_thi.txt").write_text(HEADER.format(no="05/CT-UBND") + DIRECTIVE_UNREAD, encoding="utf-8")
    (src / "thong_tu.txt").write_text(HEADER.format(no="12/2025/TT-BCT") + CIRCULAR, encoding="utf-8")
    out = src / "out"
    ingest_paths([src / "chi_thi.txt", src / "thong_tu.txt"], Settings(out_dir=out, workers=1))
    return out


def test_a_document_that_promised_tasks_and_gave_none_is_ok_with_a_warning(promised: Path):
    log = pd.read_parquet(promised / "ingest_log.parquet")
    log.index = log["source_file"].map(lambda s: Path(s).name)
    assert log.loc["chi_thi.txt", "status"] == "ok" and list(log.loc["chi_thi.txt", "warnings"]) == ["no_tasks_found"]
    assert "no_tasks_found" in log.loc["chi_thi.txt", "message"]
    assert log.loc["thong_tu.txt", "status"] == "ok" and list(log.loc["thong_tu.txt", "warnings"]) == []


def test_the_warning_shows_in_status_and_in_the_review(promised: Path):
    from pipeline.cli import _status_text, status_of
    from pipeline.dataset import read_frames
    from pipeline.report import review_rows

    text = _status_text(status_of(promised))
    warned = text.split("warnings:", 1)[1].splitlines()
    assert any("[no_tasks_found]" in ln and "chi_thi.txt" in ln for ln in warned)
    assert not any("thong_tu.txt" in ln for ln in warned)
    kinds = {(Path(r.file).name, r.kind) for r in review_rows(read_frames(promised))}
    assert ("chi_thi.txt", "no tasks found") in kinds and ("thong_tu.txt", "document without tasks") in kinds
