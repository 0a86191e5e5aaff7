"""The Đồng Tháp plan as an English-model OCR text dump: restored, and its phụ lục rows recovered."""

import csv
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from rapidfuzz import fuzz

from pipeline.batch import ingest_paths
from pipeline.settings import Settings
from tests.conftest import DATA, RENDER


@pytest.fixture(scope="module")
def dong_thap(tmp_path_factory):
    out = tmp_path_factory.mktemp("dt")
    ingest_paths([RENDER / "txt" / "004_dfacc229dc85edef.txt"], Settings(out_dir=out))
    return pd.read_parquet(out / "tasks.parquet"), pd.read_parquet(out / "documents.parquet").iloc[0]


def test_appendix_rows_are_found_by_their_numbers(dong_thap):
    tasks, _ = dong_thap
    numbers = list(tasks["task_no"])
    assert numbers[:3] == ["1", "1.1", "1.2"] and {"2", "2.1", "2.2", "3.1", "3.3", "7.5"} <= set(numbers)
    assert len(tasks) >= 35
    parents = dict(zip(tasks["task_no"], tasks["parent_no"], strict=True))
    assert parents["2.1"] == "2" and parents["1"] == ""


def test_misread_numbers_are_repaired_from_the_sequence(dong_thap):
    tasks, _ = dong_thap
    numbers = list(tasks["task_no"])
    # read as '2.3' after 4.2, as 'g 1 |' after group 5 and as '59' before 5.3
    assert {"4.3", "5.1", "5.2"} <= set(numbers) and not {"2.3", "5.9"} & set(numbers)
    assert numbers.index("4.3") == numbers.index("4.2") + 1


def test_rows_match_the_hand_transcription(dong_thap):
    """Every row of the transcribed phụ lục is found, and its content (Nội dung: Mục tiêu/giải pháp) is close
    to the transcription although the OCR interleaved the columns line by line."""
    tasks, _ = dong_thap
    gold = list(csv.DictReader(open(DATA / "expected" / "004_dfacc229dc85edef.phuluc.csv", encoding="utf-8")))
    pred = dict(zip(tasks["task_no"], tasks["content"], strict=True))
    assert len(pred) == len(gold) and set(pred) == {g["task_no"] for g in gold}
    sims = [fuzz.ratio(_norm(f"{g['content']}: {g['goal']}" if g["goal"] else g["content"]), _norm(pred[g["task_no"]]))
            for g in gold]
    assert sum(sims) / len(sims) >= 80  # 88.2 when written; the interleaved text itself scores 68
    assert min(sims) >= 45


def test_a_row_read_column_by_column_keeps_its_cells_apart(dong_thap):
    tasks, _ = dong_thap
    row = tasks[tasks["task_no"] == "7.4"].iloc[0]
    content, _, goal = row["content"].partition(": ")
    assert content.startswith("Thực hiện tiếp nhận hồ sơ") and content.endswith("công ích")
    assert goal.startswith("Tích cực tuyên truyền")
    assert "Văn phòng Sở" in list(row["coordinating_units"])


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().replace("–", "-").split())


def test_group_rows_that_lost_their_numbers_are_recovered(dong_thap):
    tasks, _ = dong_thap
    by_no = dict(zip(tasks["task_no"], tasks["content"], strict=True))
    assert by_no["6"] == "Cải cách tài chính công" and by_no["7"] == "Hiện đại hóa nền hành chính"


def test_content_is_restored_and_raw_is_kept(dong_thap):
    tasks, _ = dong_thap
    row = tasks[tasks["task_no"] == "2"].iloc[0]
    assert row["content"].startswith("Hoàn thiện và tổ ch")
    assert row["content_raw"] != row["content"]


def test_header_of_the_ocr_text(dong_thap):
    _, doc = dong_thap
    assert (doc["doc_type"], doc["province"], str(doc["issue_date"])) == ("Kế hoạch", "Đồng Tháp", "2021-04-09")
    assert doc["doc_number"].startswith("39/KH-")


def test_raw_text_of_a_restored_task(tmp_path: Path):
    f = tmp_path / "plan.txt"
    f.write_text("KE HOACH\n\nII. NHIEM VU\n\n1. Van phong So to chuc ra soat thu tuc hanh chinh.\n",
                 encoding="utf-8")
    ingest_paths([f], Settings(out_dir=tmp_path / "out"))
    t = pd.read_parquet(tmp_path / "out" / "tasks.parquet").iloc[0]
    assert t["content"] == "Văn phòng Sở tổ chức rà soát thủ tục hành chính."
    assert t["content_raw"] == "Van phong So to chuc ra soat thu tuc hanh chinh."
    assert list(t["lead_units"]) == ["Văn phòng Sở"]


def test_the_right_column_goes_where_the_header_says(tmp_path: Path):
    """Without a goal column, the text right of the content is what the header names: here the deadline."""
    f = tmp_path / "phu_luc.txt"
    f.write_text("KE HOACH\n\nPhu luc\n\nTT NOI DUNG CONG VIEC THOI GIAN HOAN THANH\n"
                 "1 Cong tac chi dao dieu hanh\n"
                 "1.1 Xay dung ke hoach kiem tra cong tac Truoc ngay 30/9/2021\n"
                 "cai cach hanh chinh tai co quan\n"
                 "1.2 To chuc tap huan nghiep vu cho cong Quy IV nam 2021\n"
                 "chuc, vien chuc\n", encoding="utf-8")
    ingest_paths([f], Settings(out_dir=tmp_path / "out"))
    t = pd.read_parquet(tmp_path / "out" / "tasks.parquet").set_index("task_no")
    assert t.loc["1.1", "content"] == "Xây dựng kế hoạch kiểm tra công tác cải cách hành chính tại cơ quan"
    assert str(t.loc["1.1", "deadline_end"])[:10] == "2021-09-30"
    assert t.loc["1.2", "content"] == "Tổ chức tập huấn nghiệp vụ cho công chức, viên chức"
    assert t.loc["1.2", "deadline_kind"] != "unspecified"


def test_header_line_without_a_number_column_is_found():
    from pipeline.loose import _is_header

    assert _is_header("Nội dung công việc Đơn vị chủ trì Đơn vị phối hợp Thời gian hoàn thành")
    assert _is_header("Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn")
    assert not _is_header("NỘI DUNG, THỜI GIAN, ĐƠN VỊ THỰC HIỆN")
    assert not _is_header("Sở Nội vụ chủ trì, phối hợp với các sở xây dựng nội dung, thời gian thực hiện")
