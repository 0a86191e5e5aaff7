from datetime import date

from extractors.text import text_to_doc
from pipeline.metadata import doc_to_meta_lines, lines_to_meta
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


def _md_header(issuer: list[str], number: str, place_date: list[str], doc_type: str, title: list[str]) -> list[str]:
    """A Markdown header as converters write it: one table cell per line between '|' lines."""
    return ["|", *issuer, "-------", "|", "**CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM**", "Độc lập - Tự do - Hạnh phúc",
            "---------------", "|", "|", f"Số: {number}", "|", *place_date, "|", f"**{doc_type}**", *title]


SIGNATURE = ["**TM. ỦY BAN NHÂN", "DÂN**", "KT. CHỦ TỊCH", "**PHÓ CHỦ TỊCH**", "**Lê Văn Hùng**", "|"]


def test_markdown_header_of_a_province(gaz):
    lines = _md_header(["**ỦY BAN NHÂN", "DÂN**", "**TỈNH QUẢNG NAM**"], "215/KH-UBND",
                       ["*Quảng Nam,", "ngày 3 tháng 10 năm 2025*"], "KẾ HOẠCH",
                       ["TRIỂN KHAI THỰC HIỆN CHUYỂN ĐỔI SỐ", "TRÊN ĐỊA BÀN TỈNH"]) \
        + ["Thực hiện Chỉ thị số 13/CT-TTg ngày 1/3/2025 của Thủ tướng Chính phủ;", "**I. MỤC ĐÍCH**", "Nội dung.",
           *SIGNATURE]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.doc_number, m.issue_date) == ("Kế hoạch", "215/KH-UBND", date(2025, 10, 3))
    assert (m.issuing_body, m.province) == ("Ủy ban nhân dân tỉnh Quảng Nam", "Quảng Nam")
    assert m.title == "TRIỂN KHAI THỰC HIỆN CHUYỂN ĐỔI SỐ TRÊN ĐỊA BÀN TỈNH"
    assert (m.signer, m.signer_title) == ("Lê Văn Hùng", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


def test_header_row_with_both_columns_on_one_line(gaz):
    lines = ["| **ỦY BAN NHÂN DÂN** TỈNH NGHỆ AN ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** "
             "Độc lập - Tự do - Hạnh phúc |", "| Số: 88/KH-UBND | Nghệ An, ngày 5 tháng 11 năm 2025 |",
             "**KẾ HOẠCH**", "PHÒNG, CHỐNG THIÊN TAI NĂM 2026", "Căn cứ Luật Phòng, chống thiên tai;"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_number, m.issue_date, m.issuing_body) == ("88/KH-UBND", date(2025, 11, 5),
                                                            "Ủy ban nhân dân tỉnh Nghệ An")
    assert m.title == "PHÒNG, CHỐNG THIÊN TAI NĂM 2026"


def test_a_ministry_in_ha_noi_has_no_province(gaz):
    lines = _md_header(["**BỘ NÔNG NGHIỆP VÀ", "MÔI TRƯỜNG**"], "12/2025/TT-BNNMT",
                       ["*Hà Nội, ngày 2", "tháng 6 năm 2025*"], "THÔNG TƯ", ["QUY ĐỊNH VỀ QUAN TRẮC MÔI TRƯỜNG"]) \
        + ["*Căn cứ Nghị định số 35/2025/NĐ-CP;*", "Điều 1. Phạm vi", "**KT. BỘ TRƯỞNG**", "**THỨ TRƯỞNG**",
           "Thiếu tướng Trần Văn An", "|"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.issuing_body, m.province) == ("Thông tư", "Bộ Nông nghiệp và Môi trường", "")
    assert m.signer == "Trần Văn An" and m.issue_date == date(2025, 6, 2)


def test_a_department_keeps_its_province_as_parent(gaz):
    lines = ["UBND TỈNH QUẢNG NGÃI", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: 40/KH-SNNMT", "Quảng Ngãi, ngày 9 tháng 4 năm 2025", "KẾ HOẠCH",
             "Kiểm tra an toàn đập năm 2025", "Căn cứ Luật Thủy lợi;"]
    m = lines_to_meta(lines, gaz)
    assert (m.issuing_body, m.parent_body, m.province) == (
        "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Quảng Ngãi")


def test_header_after_a_web_page_preamble(gaz):
    lines = ["**Số hiệu:**", "|", "7/2025/NQ-HĐND", "|", "**Nơi ban hành:**", "|", "Tỉnh An Giang", "|",
             *_md_header(["**HỘI ĐỒNG NHÂN DÂN**", "TỈNH AN GIANG"], "7/2025/NQ-HĐND",
                         ["*An Giang, ngày 1 tháng 12 năm 2025*"], "NGHỊ QUYẾT", ["QUY ĐỊNH MỨC CHI HỖ TRỢ"]),
             "*Căn cứ Luật Tổ chức chính quyền địa phương;*"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.doc_number, m.issuing_body) == ("Nghị quyết", "7/2025/NQ-HĐND",
                                                          "Hội đồng nhân dân tỉnh An Giang")
    assert m.title == "QUY ĐỊNH MỨC CHI HỖ TRỢ"


def test_signer_is_read_as_extracted_not_as_restored(gaz):
    lines = _md_header(["**ỦY BAN NHÂN DÂN**", "TỈNH ĐỒNG NAI"], "9/KH-UBND", ["*Đồng Nai, ngày 1 tháng 2 năm 2025*"],
                       "KẾ HOẠCH", ["TUYÊN TRUYỀN PHÁP LUẬT"]) + ["Căn cứ Luật;", "Nội dung.", *SIGNATURE]
    restored = [("**Lê Vân Hưng**" if ln == "**Lê Văn Hùng**" else ln) for ln in lines]
    m = lines_to_meta(restored, gaz, raw=lines)
    assert m.signer == "Lê Văn Hùng"
    assert lines_to_meta(restored, gaz).signer == "Lê Vân Hưng"


def _meta_of_doc(doc, gaz):
    lines, raw = doc_to_meta_lines(doc)
    return lines_to_meta(lines, gaz, raw=raw)


def test_markdown_header_written_as_table_rows(tmp_path, gaz):
    md = tmp_path / "plan.md"
    md.write_text("\n".join([
        "| **ỦY BAN NHÂN DÂN** TỈNH NGHỆ AN ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** "
        "Độc lập - Tự do - Hạnh phúc |",
        "|---|---|",
        "| Số: 1200/KH-UBND | *Nghệ An, ngày 5 tháng 11 năm 2025* |",
        "", "**KẾ HOẠCH**", "TRIỂN KHAI CÔNG TÁC DÂN TỘC NĂM 2026", "",
        "Thực hiện Kế hoạch số 13/KH-BDTTG ngày 2/1/2025 của Ban Dân tộc;", "",
        "| **Nơi nhận:** - Như trên; - Lưu: VT. | **KT. CHỦ TỊCH PHÓ CHỦ TỊCH** **Hoàng Phú Hiền** |",
    ]), encoding="utf-8")
    m = _meta_of_doc(text_to_doc(md), gaz)
    assert (m.doc_number, m.issue_date, m.issuing_body, m.province) == (
        "1200/KH-UBND", date(2025, 11, 5), "Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An")
    assert m.title == "TRIỂN KHAI CÔNG TÁC DÂN TỘC NĂM 2026"
    assert (m.signer, m.signer_title) == ("Hoàng Phú Hiền", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


def test_word_header_and_signature_tables(tmp_path, gaz):
    import docx

    from extractors.docx import docx_to_doc

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "BỘ TÀI CHÍNH\n-------"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    t.cell(1, 0).text = "Số: 77/QĐ-BTC"
    t.cell(1, 1).text = "Hà Nội, ngày 14 tháng 3 năm 2025"
    d.add_paragraph("QUYẾT ĐỊNH")
    d.add_paragraph("BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    d.add_paragraph("BỘ TRƯỞNG BỘ TÀI CHÍNH")
    d.add_paragraph("Căn cứ Nghị định số 29/2025/NĐ-CP;")
    s = d.add_table(rows=1, cols=2)
    s.cell(0, 0).text = "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT."
    s.cell(0, 1).text = "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nĐỗ Thành Trung"
    path = tmp_path / "qd.docx"
    d.save(path)
    m = _meta_of_doc(docx_to_doc(path), gaz)
    assert (m.doc_type, m.doc_number, m.issuing_body, m.province) == ("Quyết định", "77/QĐ-BTC", "Bộ Tài chính", "")
    assert m.title == "BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    assert (m.signer, m.signer_title) == ("Đỗ Thành Trung", "KT. BỘ TRƯỞNG THỨ TRƯỞNG")


def test_capitals_at_the_top_that_name_no_body_are_not_the_issuer(gaz):
    m = lines_to_meta(["BÁO CÁO TÓM TẮT", "Tình hình thực hiện nhiệm vụ năm 2025", "Nội dung."], gaz)
    assert m.issuing_body == ""


def test_a_news_item_retelling_a_resolution_is_a_news_item(gaz):
    lines = ["# Chính phủ ban hành kế hoạch sắp xếp đơn vị hành chính", "Nội dung chính",
             "Ngày 07/4/2025, Chính phủ ban hành Nghị quyết số 74/NQ-CP về Kế hoạch sắp xếp đơn vị hành chính.",
             "Bộ Nội vụ chủ trì, trình Chính phủ sửa đổi bảng phụ cấp ban hành kèm theo Nghị định số 204/2004/NĐ-CP.",
             "Theo Cổng thông tin điện tử Chính phủ"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.doc_number) == ("Tin bài", "")


def test_an_issued_document_quoting_its_source_stays_what_it_is(gaz):
    lines = ["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND",
             "KẾ HOẠCH", "Tuyên truyền cải cách hành chính", "Theo Cổng thông tin điện tử tỉnh, …", "Nơi nhận:"]
    assert lines_to_meta(lines, gaz).doc_type == "Kế hoạch"


SCANNED_HEAD = ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 4 5 46 /QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 0Â tháng + năm 2026", "QUYẾT ĐỊNH",
                "Về việc chấp thuận chủ trương đầu tư", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
                "Căn cứ Luật Đầu tư số 143/2025/QH15 ngày 11 tháng 12 năm 2025;"]


def test_unreadable_handwritten_number_comes_from_the_file_name_and_is_noted(gaz):
    m = lines_to_meta(SCANNED_HEAD, gaz, source_name="qd2336_2026_scan.pdf")
    assert m.doc_number == "2336/QĐ-UBND"
    assert m.notes == ["doc_number 2336 from the file name"]
    assert lines_to_meta(SCANNED_HEAD, gaz, source_name="996-QD-UBND.pdf").doc_number == "996/QĐ-UBND"


def test_file_name_number_needs_the_document_type_and_its_year(gaz):
    # another type's abbreviation, the year itself, another year, two numbers: the number stays unread
    for name in ("kh2336_2026.pdf", "qd_2026.pdf", "qd2336_2019.pdf", "qd12_qd34.pdf", "scan_2336.pdf"):
        m = lines_to_meta(SCANNED_HEAD, gaz, source_name=name)
        assert m.doc_number == "/QĐ-UBND" and not m.notes, name


def test_number_read_on_the_page_is_not_replaced_by_the_file_name(gaz):
    lines = [ln.replace("4 5 46 /", "2335/") for ln in SCANNED_HEAD]
    assert lines_to_meta(lines, gaz, source_name="qd2336_2026.pdf").doc_number == "2335/QĐ-UBND"


def test_date_left_out_of_the_header_comes_from_a_citation_of_the_full_number(gaz):
    lines = [ln.replace("4 5 46 /", "2336/") for ln in SCANNED_HEAD]
    cited = "Thực hiện Văn bản số 2336/QĐ-UBND, ngày 02/7/2026 của UBND tỉnh về việc chấp thuận."
    m = lines_to_meta(lines + [cited], gaz)
    assert m.issue_date == date(2026, 7, 2) and m.notes
    other = "Căn cứ Quyết định số 2001/QĐ-UBND ngày 02/6/2026 của UBND tỉnh về quy hoạch."
    assert lines_to_meta(lines + [other], gaz).issue_date is None
    assert lines_to_meta(SCANNED_HEAD + [cited], gaz).issue_date is None  # no digits: no citation is its own


def test_signer_of_a_covering_document_before_the_one_it_sends(gaz):
    covering = ["CÔNG AN TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Số: 239/TTr-CAT-PC06", "Lâm Đồng, ngày 01 tháng 4 năm 2026", "TỜ TRÌNH",
                "Đề nghị ban hành Báo cáo", "Kính gửi: Lãnh đạo UBND tỉnh.",
                *[f"Nội dung đoạn {i} của tờ trình." for i in range(12)],
                "Nơi nhận:", "- Như kính gửi;", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đại tá Nguyễn Tường Vũ"]
    report = ["UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "BÁO CÁO", "Kết quả tháng 3", "Nội dung báo cáo.", "TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN",
              "Nguyễn Ngọc Phúc"]
    assert lines_to_meta(covering + report, gaz).signer == "Nguyễn Tường Vũ"
    assert lines_to_meta(covering[:3] + covering[8:], gaz).signer == "Nguyễn Tường Vũ"  # one motto: no cut


def test_a_speck_before_the_signers_name_is_not_part_of_it(gaz):
    lines = ["CÔNG AN TỈNH LÂM ĐỒNG", "Số: 416/TTr-CAT", "TỜ TRÌNH", "Về việc ban hành báo cáo",
             "Kính đề nghị Văn phòng thẩm định./.", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "GIÁM ĐỐC",
             "“Thiếu tướng Trương Minh Đương"]
    assert lines_to_meta(lines, gaz).signer == "Trương Minh Đương"
