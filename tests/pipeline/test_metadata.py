from datetime import date

from extractors.text import text_to_doc
from pipeline.metadata import lines_to_meta
from tests.conftest import RENDER


def meta_of(name, gaz):
    return lines_to_meta([ln.text for ln in text_to_doc(RENDER / "txt" / name).lines()], gaz)


def test_plan_header(gaz):
    m = meta_of("001_b305fb2693e162d3.txt", gaz)
    assert (m.doc_type, m.doc_number, m.issue_date, m.province) == (
        "Kế hoạch", "1565/KH-SLĐTBXH", date(2023, 6, 13), "Thừa Thiên Huế")
    assert m.issuing_body == "Sở Lao động – Thương binh và Xã hội"
    assert m.signer == "Nguyễn Hữu Phước"
    assert m.indices == ["PAR INDEX", "SIPAS", "DDCI"]
    assert "UBND tỉnh (để báo cáo)" in m.recipients
    assert [r.ref_number for r in m.references][:3] == ["205/KH-UBND", "206/KH-UBND", "211/KH-UBND"]
    assert m.references[0].ref_date == date(2023, 6, 1) and m.references[0].issuer == "Ủy ban nhân dân tỉnh"


def test_status_report_is_a_cong_van(gaz):
    m = meta_of("003_f343f67766c95c4b.txt", gaz)
    assert (m.doc_type, m.province, m.year) == ("Công văn", "Bình Định", 2021)
    assert m.recipients[0] == "Sở Nội vụ"


def test_year_of_a_plan_without_a_date_line_comes_from_what_it_cites(gaz):
    m = meta_of("000_d3e6754d1f77fa1f.txt", gaz)
    assert m.year == 2019 and m.province == "Bình Thuận"


def test_appendix_takes_the_number_of_its_plan(gaz):
    m = meta_of("002_7f6332463eda1f90.txt", gaz)
    assert (m.doc_number, m.issue_date) == ("56/KH-SLĐTBXH", date(2021, 9, 1))
