from datetime import date

from pipeline.header import fragments, header_of, split_run_together
from pipeline.metadata import lines_to_meta

# an OCR'd header read column by column: the issuer's lines, its number (handwritten, misread), then the
# motto's column with a mark lost, the place and date (the day handwritten), the type word with a wrong mark
OCR_HEADER = ["BỘ CÔNG AN", "TỎ CÔNG TÁC LIÊN NGÀNH TW", "Só:đÓ6 /KH-TCTLNTW-C04",
              "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lâp - Tư do - Hanh phúc", "Hà Nội, ngày44tháng 02 năm 2026",
              "KÉ HOẠCH", "Phối hợp kiểm tra các cơ sở", "năm 2026", "Thực hiện Nghị định số 105/2021/NĐ-CP;"]


def test_ocr_header_gives_issuer_type_title_and_the_readable_part_of_the_number(gaz):
    m = lines_to_meta(OCR_HEADER, gaz)
    assert (m.doc_type, m.doc_number, m.province) == ("Kế hoạch", "/KH-TCTLNTW-C04", "")
    assert m.issuing_body.lower().endswith("công tác liên ngành trung ương") and m.parent_body == "Bộ Công an"
    assert m.title == "Phối hợp kiểm tra các cơ sở năm 2026"
    assert m.issue_date is None and m.year == 2026  # a day that did not read as a number is no date


def test_number_read_as_digits_is_kept_and_a_wrapped_body_line_is_no_number(gaz):
    lines = ["ỦY BAN NHÂN DÂN", "TĨNH PHÚ THỌ", "Số: 4532 /UBND-KSTTHC", "Về việc rà soát thủ tục hành chính",
             "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Phú Thọ, ngày 07 tháng 12 năm 2011", "Kính gửi: Các sở, ban, ngành",
             "Thực hiện Chỉ thị", "số 19/CT-TTg của Thủ tướng Chính phủ"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.doc_number, m.issue_date) == ("Công văn", "4532/UBND-KSTTHC", date(2011, 12, 7))
    assert m.issuing_body == "Ủy ban nhân dân tỉnh Phú Thọ" and m.province == "Phú Thọ"
    assert m.title == "rà soát thủ tục hành chính"


def test_local_branch_of_a_ministry_has_its_province(gaz):
    lines = ["BỘ CÔNG AN", "CÔNG ANTỈNHLÂMĐỒNG", "Số: 416/TTr-CAT(PC04)", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày 28 tháng 11 năm 2025", "TỜ TRÌNH",
             "Về việc đề nghị ban hành báo cáo", "Kính gửi: Văn phòng Ủy ban nhân dân tỉnh"]
    m = lines_to_meta(lines, gaz)
    assert m.doc_number == "416/TTr-CAT(PC04)" and m.doc_type == "Tờ trình"
    assert m.province == "Lâm Đồng" and m.parent_body == "Bộ Công an"


def test_motto_line_between_the_issuers_lines_with_a_speck_before_its_second_half(gaz):
    # one reading across both columns, a stamp's specks before the motto's second half
    lines = ["BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ", "T \\ A NGHĨA VIỆT N", "CÔNG AN TỈNH LÂM ĐỒNG",
             "Số: 416/TTr-CAT(PC04)", "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày 28 tháng 11 năm 2025",
             "TỜ TRÌNH", "Về việc đề nghị ban hành báo cáo", "Kính gửi: Văn phòng Ủy ban nhân dân tỉnh"]
    m = lines_to_meta(lines, gaz)
    assert m.issuing_body == "Công an tỉnh Lâm Đồng" and m.province == "Lâm Đồng"
    assert m.parent_body == "Bộ Công an" and m.doc_number == "416/TTr-CAT(PC04)"


def test_type_word_and_title_on_one_line(gaz):
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 2336 /QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 02 tháng 7 năm 2026",
             "QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ", "ĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ",
             "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "Căn cứ Luật Đầu tư;"]
    m = lines_to_meta(lines, gaz)
    assert (m.doc_type, m.doc_number, m.issue_date) == ("Quyết định", "2336/QĐ-UBND", date(2026, 7, 2))
    assert m.title == "CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ ĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ"


def test_type_word_of_the_authority_leaves_the_title_to_the_next_line(gaz):
    lines = ["UỶ BAN NHÂN DÂN", "TỈNH CAO BẰNG", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Số: 157/QĐ-UB", "Cao Bằng, ngày 22 tháng 2 năm 1999", "QUYẾT ĐỊNH CỦA UỶ BAN NHÂN DÂN TỈNH",
             "Về việc giao đất ở", "UỶ BAN NHÂN DÂN TỈNH CAO BẰNG", "Căn cứ Luật Đất đai;"]
    m = lines_to_meta(lines, gaz)
    assert m.title == "Về việc giao đất ở" and m.issuing_body == "Ủy ban nhân dân tỉnh Cao Bằng"


def test_issuer_line_after_the_motto_when_ocr_joined_the_first_lines():
    frags = fragments(["UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ GIÁO DỤC VÀ ĐÀO TẠO.",
                       "Số: 1906 /SGDĐT-CTrTT", "Độc lập - Tự do - Hạnh phúc"])
    h = header_of(frags)
    assert h.issuer == ["UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO."]
    assert h.after[0].startswith("Số: 1906")


def test_capitals_run_together_are_cut_into_syllables():
    assert split_run_together("CÔNG ANTỈNHLÂMĐỒNG") == "CÔNG AN TỈNH LÂM ĐỒNG"
    assert split_run_together("UBND HĐND NGHỆ") == "UBND HĐND NGHỆ"  # codes and syllables stay


def test_subject_whose_label_ocr_cut_or_misread():
    from pipeline.header import title_of
    head = ["Số: 415 /CV-PA83 Đà Nẵng, ngày 26 tháng 4 năm 2018", "MẠI thông báo hoạt động của tà đạo",
            "I`šïš. Hội thánh Đức Chúa trời", "¡ý Mfấ ề À : `", "Kính gửi: - Sở Giáo dục và Đào tạo;"]
    assert title_of(head) == "thông báo hoạt động của tà đạo Hội thánh Đức Chúa trời"
    head = ["Số: 4/35 /SGDĐT-CTrTT", "Đà Nẵng, ngày 84 tháng 5 năm 2019",
            "V/ bảo đảm TTATGT cho HS, SV 1. Cô Hương gửi văn bản đến các đơn vị",
            "trong dịp nghỉ hè 2. Phòng CTSV phối hợp với Đoàn TN;", "Kính gửi:"]
    assert title_of(head) == "bảo đảm TTATGT cho HS, SV trong dịp nghỉ hè"
    # a body line after the date that opens with a short capital word is no subject
    assert title_of(["Số: 12/UBND-VX", "Huế, ngày 3 tháng 4 năm 2020", "Kính gửi: các sở"]) == ""


def test_number_whose_handwritten_digits_hold_a_slash_keeps_its_code():
    from pipeline.header import number_and_type
    from pipeline.records import DocMeta
    m = DocMeta()
    number_and_type(m, ["Số: 4/35 /SGDĐT-CTrTT"])
    assert m.doc_number == "/SGDĐT-CTrTT"


def test_code_whose_label_and_slash_the_hand_covered():
    from pipeline.header import number_and_type
    from pipeline.records import DocMeta
    m = DocMeta()
    number_and_type(m, ["sẽ2 6 ŸBCT-ATMT =-g- '", "V/v triển khai thực hiện thủ tục cấp"])
    assert m.doc_number == "/BCT-ATMT"
    m = DocMeta()
    number_and_type(m, ["Phối hợp với Sở KH-ĐT triển khai", "V/v triển khai"])  # words around it: no number
    assert m.doc_number == ""


def test_debris_between_the_issuer_and_the_number_does_not_hide_the_issuer(gaz):
    """A scan's stamp or note read as a short line in lower case under the issuer's capitals."""
    meta = lines_to_meta(["UỶ BAN NHÂN DÂN", "TỈNH CAO BẰNG", "các lũ XỬ", "Số: 157/QĐ-UB",
                          "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Cao Bằng, ngày 22 tháng 2 năm 1999", "QUYẾT ĐỊNH", "Về việc giao đất"], gaz)
    assert meta.issuing_body == "Ủy ban nhân dân tỉnh Cao Bằng"


def test_a_body_named_after_its_province_ends_there(gaz):
    meta = lines_to_meta(["BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG KG. nón. 7 TOÁN", "Độc lập - Tự do - Hạnh phúc",
                          "Số: 416/TTr-CAT", "Lâm Đồng, ngày 28 tháng 11 năm 2025", "TỜ TRÌNH",
                          "Về việc ban hành báo cáo"], gaz)
    assert meta.issuing_body == "Công an tỉnh Lâm Đồng"
    assert meta.province == "Lâm Đồng"
