from pathlib import Path

import pytest

from normalizers.units import Gazetteer
from pipeline.errors import GazetteerError


def units(gaz, cell):
    return [m.unit for m in gaz.split_cell(cell, 85)]


@pytest.mark.parametrize("cell, expected", [
    ("Văn phòng Sở", ["Văn phòng Sở"]),
    ("Văn phòng", ["Văn phòng Sở"]),
    ("Các phòng chuyên môn, ĐVTT", ["Các phòng chuyên môn thuộc Sở", "Các đơn vị trực thuộc Sở"]),
    ("Văn phòng Sở, Các phòng chuyên môn, ĐVTT Sở",
     ["Văn phòng Sở", "Các phòng chuyên môn thuộc Sở", "Các đơn vị trực thuộc Sở"]),
    (" Phòng BTXH&PCTNXH", ["Phòng Bảo trợ xã hội và Phòng, chống tệ nạn xã hội"]),
    ("Phòng BT XH&PCTN XH", ["Phòng Bảo trợ xã hội và Phòng, chống tệ nạn xã hội"]),
    ("Phòng Bảo trợ xã hội và Phòng, chống tệ nạn xã hội", ["Phòng Bảo trợ xã hội và Phòng, chống tệ nạn xã hội"]),
    ("Phòng Lao động - Thương binh và Xã hội các huyện, thị xã, thành phố",
     ["Phòng Lao động – Thương binh và Xã hội cấp huyện"]),
    ("UBND các xã, phường, thị trấn", ["Ủy ban nhân dân cấp xã"]),
    ("Phong Tai chinh – Ke toan So", ["Phòng Tài chính – Kế toán"]),
])
def test_split_cell(gaz, cell, expected):
    assert units(gaz, cell) == expected


def test_prefixed_list_names_each_room(gaz):
    cell = ("Các phòng chuyên môn: Giáo dục nghề nghiệp; Lao động – Việc làm – Bảo hiểm; Người có công, "
            "Bảo trợ và Phòng, chống tệ nạn xã hội; Trẻ em và Bình đẳng giới")
    assert units(gaz, cell) == ["Phòng Giáo dục nghề nghiệp", "Phòng Lao động – Việc làm – Bảo hiểm",
                                "Phòng Người có công", "Phòng Bảo trợ xã hội và Phòng, chống tệ nạn xã hội",
                                "Phòng Trẻ em và Bình đẳng giới"]


def test_unknown_unit_is_kept_and_flagged(gaz):
    got = gaz.split_cell("Sở Quy hoạch và Phát triển đô thị, Văn phòng Sở", 85)
    assert [(m.unit, m.known) for m in got] == [("Sở Quy hoạch và Phát triển đô thị", False), ("Văn phòng Sở", True)]
    assert got[0].score < 85


def test_analysts_extend_the_gazetteer_without_code(tmp_path: Path, gaz):
    extra = tmp_path / "extra.csv"
    extra.write_text("canonical,variant\nTrung tâm Kiểm soát bệnh tật,CDC tỉnh\n", encoding="utf-8")
    from pipeline.settings import DEFAULT_GAZETTEER
    bigger = Gazetteer.from_csv(DEFAULT_GAZETTEER, extra)
    assert [(m.unit, m.known) for m in bigger.split_cell("CDC tỉnh", 85)] == [("Trung tâm Kiểm soát bệnh tật", True)]


def test_bad_gazetteer_names_the_file(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nX\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="bad.csv"):
        Gazetteer.from_csv(bad)
