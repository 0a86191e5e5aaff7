from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizers.errors import GazetteerError
from normalizers.units import Gazetteer


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


@pytest.mark.parametrize("name", [
    "Bộ Tài nguyên và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Bộ Nông nghiệp và Môi trường",
    "Bộ Lao động – Thương binh và Xã hội", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Sở Khoa học và Công nghệ", "Văn phòng Ủy ban nhân dân tỉnh", "Công an tỉnh",
])
def test_register_names_come_back_whole_and_known(gaz, name):
    got = gaz.split_cell(name, 85)
    assert [(m.unit, m.known) for m in got] == [(name, True)]
    assert got[0].unit_id and got[0].level in ("central", "province")


@pytest.mark.parametrize("cell", [
    "Lao động – Thương binh và Xã hội", "Sở Quy hoạch và Phát triển đô thị", "Các bộ, ngành",
    "Các sở, ban, ngành có liên quan", "Ủy ban nhân dân các xã, phường", "Viện, Trường",
])
def test_unknown_or_collective_names_stay_whole(gaz, cell):
    got = gaz.split_cell(cell, 85)
    assert len(got) == 1 and got[0].unit == cell


@pytest.mark.parametrize("cell, expected", [
    ("Bộ Nội vụ", "Bộ Nội vụ"), ("Sở Ngoại vụ", "Sở Ngoại vụ"), ("Sở Nội vụ", "Sở Nội vụ"),
    ("Bộ Tài chính", "Bộ Tài chính"), ("Thanh tra Bộ", "Thanh tra Bộ"), ("Văn phòng Bộ", "Văn phòng Bộ"),
    ("Sở Sây dựng", "Sở Xây dựng"), ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"), ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
])
def test_fuzzy_matching_never_crosses_types_or_names(gaz, cell, expected):
    assert units(gaz, cell) == [expected]


def test_list_splits_only_where_a_new_name_begins(gaz):
    assert units(gaz, "Sở Tài chính, Sở Xây dựng và UBND các xã, phường") == [
        "Sở Tài chính", "Sở Xây dựng", "Ủy ban nhân dân các xã, phường"]
    assert units(gaz, "Sở KH&CN chủ trì hướng dẫn; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu") == [
        "Sở Khoa học và Công nghệ", "Các sở, ngành", "Ủy ban nhân dân cấp xã"]
    assert units(gaz, "Doanh nghiệp, Sở, ban, ngành có liên quan") == ["Doanh nghiệp", "Sở, ban, ngành có liên quan"]


def test_a_unit_in_lower_case_after_a_proper_name_is_a_unit_of_its_own(gaz):
    assert units(gaz, "Đài Phát thanh và Truyền hình Thành phố, cơ quan thông tấn báo chí") == [
        "Đài Phát thanh và Truyền hình Thành phố", "Cơ quan thông tấn báo chí"]
    # after a kind of body, a collective or a common word, the list goes on
    assert units(gaz, "Cơ quan ngang bộ, cơ quan thuộc Chính phủ") == ["Cơ quan ngang bộ, cơ quan thuộc Chính phủ"]
    assert units(gaz, "Sở Tư pháp, cơ quan có liên quan") == ["Sở Tư pháp, cơ quan có liên quan"]
    assert units(gaz, "Sở Khoa học và Công nghệ; báo cáo chỉ tiêu") == ["Sở Khoa học và Công nghệ"]


@pytest.mark.parametrize("issuing, parent, cell, expected", [
    ("Sở Công Thương", "Ủy ban nhân dân tỉnh", "Văn phòng Sở, Thanh tra, Các phòng chuyên môn",
     ["Văn phòng Sở Công Thương", "Thanh tra Sở Công Thương", "Các phòng chuyên môn thuộc Sở Công Thương"]),
    ("", "Bộ Tài chính", "Văn phòng Bộ, Các đơn vị thuộc Bộ",
     ["Văn phòng Bộ Tài chính", "Các đơn vị thuộc Bộ Tài chính"]),
    ("", "Ủy ban nhân dân tỉnh Đồng Tháp", "UBND tỉnh; Văn phòng; Thanh tra",
     ["Ủy ban nhân dân tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Thanh tra tỉnh"]),
    ("Sở Công Thương", "", "Văn phòng Bộ", ["Văn phòng Bộ"]),  # some Bộ's, not the issuer's
    ("Sở Lao động – Thương binh và Xã hội", "", "Văn phòng Sở, ĐVTT", ["Văn phòng Sở", "Các đơn vị trực thuộc Sở"]),
    ("", "", "Văn phòng Sở", ["Văn phòng Sở"]),
])
def test_names_relative_to_the_issuer_take_its_name(gaz, issuing, parent, cell, expected):
    issuer = gaz.issuer_of(issuing, parent)
    assert [u.unit for u in gaz.resolve(gaz.split_cell(cell, 85), issuer)] == expected


def _register_names() -> list[str]:
    from normalizers.register import DEFAULT_REGISTER, load_register
    return sorted({e.name for e in load_register(DEFAULT_REGISTER)
                   if e.level in ("central", "province") and not e.is_place})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(_register_names()), min_size=1, max_size=5, unique=True),
       sep=st.sampled_from([", ", " và ", "; ", "\n"]))
def test_a_list_of_register_names_splits_back_into_them(gaz, names, sep):
    assert units(gaz, sep.join(names)) == names


@pytest.mark.parametrize("title, covered", [
    ("Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh", True),
    ("Các Sở, ban, ngành khác", True),
    ("Ủy ban nhân dân xã, phường", True),
    ("Tổ chức thực hiện", False),
    ("Nhiệm vụ và giải pháp", False),
])
def test_unit_headings_are_recognised(gaz, title, covered):
    assert gaz._covers(title) is covered


def test_a_cell_with_an_unquoted_comma_names_the_line(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("canonical,variant\nSở A,Sở A, Sở B\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="line 2"):
        Gazetteer.from_csv(bad)


def test_a_named_commune_of_the_province_gets_its_register_id(gaz):
    issuer = gaz.issuer_of("", "Ủy ban nhân dân tỉnh Đồng Tháp", "Đồng Tháp")
    got = gaz.resolve(gaz.split_cell("UBND xã Gia Thuận; UBND xã Chưa Có Tên", 85), issuer)
    assert [(u.unit, u.level, u.unit_id.startswith("p34.dong_thap.")) for u in got] == [
        ("Ủy ban nhân dân xã Gia Thuận", "commune", True), ("Ủy ban nhân dân xã Chưa Có Tên", "", False)]


def test_a_cell_one_unit_a_line_splits_and_a_wrapped_name_does_not():
    from normalizers.units import Gazetteer, line_groups
    gaz = Gazetteer.from_csv()
    assert [u.unit for u in gaz.split_cell("Sở Nội vụ\nThanh tra tỉnh", 85)] == ["Sở Nội vụ", "Thanh tra tỉnh"]
    assert [u.unit for u in gaz.split_cell("Sở Công Thương\nSở Xây dựng", 85)] == ["Sở Công Thương", "Sở Xây dựng"]
    assert line_groups("Lãnh đạo\nSở Khoa học và\nCông nghệ") == ["Lãnh đạo Sở Khoa học và Công nghệ"]
    assert line_groups("Sở Nông nghiệp và\nMôi trường") == ["Sở Nông nghiệp và Môi trường"]
    assert line_groups("Văn phòng\nSở") == ["Văn phòng Sở"]
    assert line_groups("Lãnh đạo UBND phường Lâm\nViên - Đà Lạt") == ["Lãnh đạo UBND phường Lâm Viên - Đà Lạt"]
    assert line_groups("Các Sở, ban,\nngành và UBND\ncác xã, phường") == ["Các Sở, ban, ngành và UBND các xã, phường"]
