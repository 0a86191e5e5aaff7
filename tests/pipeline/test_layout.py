from extractors.model import Line
from pipeline.layout import lines_to_paras, marker_of


def paras(*texts: str, new_para: bool = True, bold: bool = False):
    return lines_to_paras([Line(text=t, new_para=new_para, bold=bold) for t in texts])


def test_markers_and_bullets():
    assert marker_of("II. NHIỆM VỤ")[:2] == ("roman", "II")
    assert marker_of("2.10. Đề nghị Viện kiểm sát")[:2] == ("num", "2.10")
    assert marker_of("đ) Tăng cường quản lý")[:2] == ("letter", "đ")
    assert marker_of("- + Tỷ lệ lao động")[0] == "plus"
    for bullet in ("- ", "– ", "• ", "* "):
        assert marker_of(f"{bullet}Rà soát hồ sơ")[0] == "dash", bullet
    assert marker_of("V/V HỖ TRỢ NHU YẾU PHẨM")[0] == "plain"  # về việc, not section V


def test_a_bare_marker_takes_the_next_line_as_its_title():
    got = paras("**III.", "NHIỆM VỤ VÀ GIẢI PHÁP**", "**1.**", "Công tác quán triệt")
    assert [(p.kind, p.marker, p.body) for p in got] == [("roman", "III", "NHIỆM VỤ VÀ GIẢI PHÁP"),
                                                         ("num", "1", "Công tác quán triệt")]


def test_single_star_emphasis_is_dropped():
    got = lines_to_paras([Line(text="*2.1. Sở", new_para=True), Line(text="Tài chính*", new_para=False)])
    assert (got[0].kind, got[0].marker, got[0].body) == ("num", "2.1", "Sở Tài chính")


def test_a_lower_case_line_after_a_bold_break_continues_the_paragraph():
    got = lines_to_paras([Line(text="phấn đấu đạt **20%", new_para=True),
                          Line(text="**xã, phường không ma túy.", new_para=False, bold=True)])
    assert len(got) == 1 and got[0].text == "phấn đấu đạt 20% xã, phường không ma túy."


def test_field_lines_open_a_paragraph_only_when_they_start_one():
    got = paras("Tổ chức tuyên truyền thông báo", "kết quả cho các cơ quan báo chí.", "Thời gian thực hiện: năm 2025",
                new_para=False)
    assert [p.text for p in got] == ["Tổ chức tuyên truyền thông báo kết quả cho các cơ quan báo chí.",
                                     "Thời gian thực hiện: năm 2025"]


def test_footnote_stars_stay():
    assert paras("Chỉ tiêu (*) đạt *100%*")[0].text == "Chỉ tiêu (*) đạt 100%"


def test_bracketed_numbers_are_items():
    assert marker_of("(2) Giao Sở Tài chính chủ trì")[:2] == ("paren", "2")
    assert marker_of("(*) Ghi chú")[0] == "plain"


def test_a_year_range_cut_at_its_dash_is_not_a_bullet():
    got = paras("chuyển nguồn kinh phí của giai đoạn 2021", "- 2025 sang giai đoạn sau.", "- Rà soát hồ sơ.",
                new_para=False)
    assert [p.text for p in got] == ["chuyển nguồn kinh phí của giai đoạn 2021 - 2025 sang giai đoạn sau.",
                                     "- Rà soát hồ sơ."]


def test_an_article_opens_a_paragraph_but_a_cited_one_does_not():
    got = paras("Quyết định này có hiệu lực.", "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành.",
                "theo quy định tại khoản 2", "Điều 18 Luật Lưu trữ.", new_para=False)
    assert [p.text for p in got] == ["Quyết định này có hiệu lực.",
                                     "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành. theo quy định tại khoản 2 "
                                     "Điều 18 Luật Lưu trữ."]


def test_numbers_an_ocr_misread_are_put_back_from_the_sequence():
    paras = lines_to_paras([Line(text=t, new_para=True) for t in [
        "II. NHIỆM VỤ", "4. Tăng cường ứng dụng.", "` Tiếp tục kiện toàn Tổ công tác.", "6. Tăng cường cán bộ.",
        "II. TỔ CHỨC THỰC HIỆN", "1. Giao Phòng 5 chủ trì."]])
    assert [(p.kind, p.marker) for p in paras] == [("roman", "II"), ("num", "4"), ("num", "5"), ("num", "6"),
                                                   ("roman", "III"), ("num", "1")]
    assert paras[2].body == "Tiếp tục kiện toàn Tổ công tác."


def test_a_mark_between_numbers_that_do_not_skip_one_stays_plain():
    paras = lines_to_paras([Line(text=t, new_para=True) for t in [
        "4. Tăng cường ứng dụng.", "` Tiếp tục kiện toàn.", "5. Tăng cường cán bộ.", "IV. KINH PHÍ", "IV. KINH PHÍ"]])
    assert paras[1].kind == "plain"
    assert paras[4].marker == "IV"  # V is not IV with a stroke lost


def test_the_closing_mark_ends_a_hard_wrapped_paragraph():
    """'./.' closes the body: the recipients' list below it is no part of the last item."""
    paras = lines_to_paras([Line(text=t) for t in [
        "4. Các đơn vị báo cáo kết quả", "trước ngày 20/6/2026.", "Mọi thông tin liên hệ Cục C04./.",
        "Nơi nhận:", "- Như trên;"]])
    assert [p.text for p in paras] == ["4. Các đơn vị báo cáo kết quả trước ngày 20/6/2026. Mọi thông tin liên hệ "
                                       "Cục C04./.", "Nơi nhận:", "- Như trên;"]
