from extractors.model import Line
from extractors.ocr_lines import words_to_lines


def words(line_no: int, top: int, *runs: tuple[int, str], block: int = 1) -> list[dict]:
    """Tesseract-like word boxes, 40 px high: each run starts at x and spaces its words 20 px apart."""
    out = []
    for x, text in runs:
        for w in text.split():
            width = 25 * len(w)
            out.append({"text": w, "x0": x, "x1": x + width, "top": top, "bottom": top + 40, "conf": 90.0,
                        "key": (block, 1, line_no)})
            x += width + 20
    return out


def texts(ws: list[dict]) -> list[str]:
    return [it.text for _, it in words_to_lines(ws, 1) if isinstance(it, Line)]


def test_two_column_header_is_read_column_by_column():
    ws = (words(1, 100, (200, "BỘ CÔNG AN"), (1300, "CỘNG HÒA XÃ HỘI"))
          + words(2, 150, (150, "CỤC CẢNH SÁT"), (1350, "Độc lập - Tự do"))
          + words(3, 220, (180, "Số: 12/KH-C04"), (1250, "Hà Nội, ngày 2 tháng 3 năm 2026"))
          + words(4, 300, (700, "KẾ HOẠCH PHỐI HỢP KIỂM SOÁT CÁC HOẠT ĐỘNG NĂM 2026")))
    assert texts(ws) == ["BỘ CÔNG AN", "CỤC CẢNH SÁT", "Số: 12/KH-C04", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do",
                         "Hà Nội, ngày 2 tháng 3 năm 2026", "KẾ HOẠCH PHỐI HỢP KIỂM SOÁT CÁC HOẠT ĐỘNG NĂM 2026"]


def test_columns_tesseract_read_as_separate_blocks_are_paired_by_height():
    ws = (words(1, 100, (200, "Nơi nhận:")) + words(1, 102, (1400, "KT. GIÁM ĐỐC"), block=2)
          + words(2, 150, (200, "- Như trên;")) + words(2, 152, (1400, "PHÓ GIÁM ĐỐC"), block=2)
          + words(3, 200, (200, "- Lưu: VT.")) + words(3, 300, (1400, "Nguyễn Văn An"), block=2))
    assert texts(ws) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


def test_running_text_and_a_line_with_one_wide_gap_stay_as_read():
    ws = (words(1, 100, (200, "Các sở, ngành triển khai thực hiện kế hoạch này")) + words(2, 150, (200, "1"),
                                                                                     (900, "Sở Tài chính")))
    ws += words(3, 200, (200, "trước ngày 30 tháng 6 năm 2026 và báo cáo kết quả về Ủy ban nhân dân tỉnh"))
    assert texts(ws)[0] == "Các sở, ngành triển khai thực hiện kế hoạch này"
    assert texts(ws)[-1].startswith("trước ngày 30")


def test_page_number_and_specks_are_not_text():
    ws = words(1, 50, (1200, "2")) + words(2, 100, (200, "Nội dung chính của kế hoạch"), (1500, "|"))
    assert texts(ws) == ["Nội dung chính của kế hoạch |"]


def test_page_number_with_a_speck_at_the_top_is_not_text_but_a_numbered_line_inside_is():
    ws = words(1, 50, (1200, "2 `")) + words(2, 100, (200, "tiếp theo của mục trên")) + words(3, 150, (200, "1."))
    ws += words(4, 200, (200, "Nội dung thứ nhất của kế hoạch"))
    assert texts(ws) == ["tiếp theo của mục trên", "1.", "Nội dung thứ nhất của kế hoạch"]


def small(line_no: int, top: int, x: int, text: str) -> list[dict]:
    """A footnote's words: 28 px high under a 40 px body."""
    return [{**w, "bottom": w["top"] + 28} for w in words(line_no, top, (x, text), block=9)]


def notes(ws: list[dict]) -> list[tuple[str, bool]]:
    return [(it.text, it.footnote) for _, it in words_to_lines(ws, 1) if isinstance(it, Line)]


BODY = [w for i in range(10) for w in words(i + 1, 200 + 80 * i, (150, f"dòng thứ {i + 1} của thân văn bản"))]


def test_small_print_under_the_body_that_opens_with_its_number_is_a_footnote():
    ws = BODY + small(20, 1100, 150, "' Bảo đảm hoàn thành mục tiêu trên 70%") + small(21, 1145, 150, "các cơ sở")
    read = notes(ws)
    assert read[-2:] == [("' Bảo đảm hoàn thành mục tiêu trên 70%", True), ("các cơ sở", True)]
    assert not any(flag for _, flag in read[:-2])


def test_small_print_without_a_number_or_in_body_size_is_not_a_footnote():
    recipients = small(20, 1100, 150, "Nơi nhận:") + small(21, 1145, 150, "- Như trên;")
    assert not any(flag for _, flag in notes(BODY + recipients))
    same_size = words(20, 1100, (150, "' Bảo đảm hoàn thành mục tiêu"))
    assert not any(flag for _, flag in notes(BODY + same_size))
def test_a_speck_in_the_gap_does_not_join_the_columns():
    # the speck halves the gap: neither half is as wide as a column gap
    ws = (words(1, 100, (200, "BỘ CÔNG AN"), (490, "_"), (570, "CỘNG HÒA XÃ HỘI"))
          + words(2, 150, (150, "CỤC CẢNH SÁT"), (1350, "Độc lập - Tự do")))
    assert texts(ws) == ["BỘ CÔNG AN", "CỤC CẢNH SÁT", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do"]


def test_a_zone_top_line_with_close_columns_is_cut_over_the_gap_below():
    # the two columns of the first line stand 55 px apart (1.4 text heights): no column gap by itself
    ws = (words(1, 100, (100, "UBND THÀNH PHỐ ĐÀ NẴNG"), (685, "CỘNG HÒA XÃ HỘI"))
          + words(2, 150, (150, "SỞ GIÁO DỤC"), (900, "Độc lập - Tự do")))
    assert texts(ws) == ["UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do"]


def test_a_line_above_a_zone_with_even_gaps_stays_whole():
    ws = (words(1, 100, (100, "Các sở ngành thực hiện kế hoạch này"))
          + words(2, 150, (150, "SỞ GIÁO DỤC"), (900, "Độc lập - Tự do")))
    assert texts(ws)[0] == "Các sở ngành thực hiện kế hoạch này"


def test_a_one_sided_line_after_blank_space_ends_the_zone():
    ws = (words(1, 100, (200, "BỘ CÔNG AN"), (1300, "CỘNG HÒA XÃ HỘI"))
          + words(2, 150, (150, "CỤC CẢNH SÁT"), (1350, "Độc lập - Tự do"))
          + words(3, 260, (300, "Kính gửi:"))
          + words(4, 310, (500, "- Các sở, ngành của tỉnh;")))
    assert texts(ws) == ["BỘ CÔNG AN", "CỤC CẢNH SÁT", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do", "Kính gửi:",
                         "- Các sở, ngành của tỉnh;"]


def test_the_motto_cut_where_its_dash_was_lost_is_one_line():
    ws = words(1, 100, (1376, "Độc lập")) + words(1, 100, (1640, "Tự do - Hạnh phúc"))
    assert texts(ws) == ["Độc lập Tự do - Hạnh phúc"]
