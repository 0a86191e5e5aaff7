from extractors.model import Line
from pipeline.layout import lines_to_paras
from pipeline.prose import ProseParser


def parse(gaz, mentions, text):
    lines = [Line(text=t, new_para=True) for t in text.strip().split("\n") if t.strip()]
    return ProseParser(gaz, mentions).parse(lines_to_paras(lines))


PLAN = """
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của công chức.
II. NHIỆM VỤ
1. Rà soát, công bố thủ tục hành chính.
Thời gian hoàn thành: Quý III/2022.
2. Kiểm tra việc giải quyết hồ sơ.
- Kiểm tra hồ sơ trễ hạn;
- Phòng Người có công phối hợp với Văn phòng Sở báo cáo kết quả.
Thời gian thực hiện: từ tháng 7/2022 đến hết tháng 12/2022.
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Sở
- Theo dõi, đôn đốc việc thực hiện kế hoạch này.
- Thường xuyên báo cáo Giám đốc Sở.
Trên đây là Kế hoạch của Sở./.
"""


def test_tasks_only_from_task_sections(gaz, mentions):
    tasks = parse(gaz, mentions, PLAN)
    assert [t.task_no for t in tasks] == ["II.1", "II.2", "II.2.-1", "II.2.-2", "III.1.-1", "III.1.-2"]


def test_deadline_line_closing_an_item_covers_its_children(gaz, mentions):
    by_no = {t.task_no: t for t in parse(gaz, mentions, PLAN)}
    assert by_no["II.1"].deadline_raw == "Quý III/2022"
    assert {by_no[n].deadline_raw for n in ("II.2", "II.2.-1", "II.2.-2")} == {
        "từ tháng 7/2022 đến hết tháng 12/2022"}
    assert by_no["III.1.-2"].deadline_raw == "Thường xuyên"


def test_units_from_heading_subject_and_cooperation(gaz, mentions):
    by_no = {t.task_no: t for t in parse(gaz, mentions, PLAN)}
    assert [u.unit for u in by_no["III.1.-1"].lead] == ["Văn phòng Sở"]
    assert [u.unit for u in by_no["II.2.-2"].lead] == ["Phòng Người có công"]
    assert [u.unit for u in by_no["II.2.-2"].coord] == ["Văn phòng Sở"]
    assert by_no["II.1"].lead == []


def test_plus_items_after_a_colon_join_their_bullet(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NỘI DUNG TRIỂN KHAI
1. Hướng dẫn rà soát hộ nghèo.
- Xây dựng quy trình như sau:
- + Lập danh sách;
+ Họp dân.
""")
    assert [t.content for t in tasks] == ["Hướng dẫn rà soát hộ nghèo.",
                                          "Xây dựng quy trình như sau: Lập danh sách; Họp dân."]


def test_explicit_role_lines_assign_the_section(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
a) Nâng cao Chỉ số PAR INDEX
- Công khai 100% TTHC trên Trang TTĐT của Sở;
- Phân công thực hiện:
+ Đơn vị chủ trì: Văn phòng Sở
+ Đơn vị phối hợp: Các phòng chuyên môn thuộc Sở
""")
    bullet = next(t for t in tasks if t.content.startswith("Công khai"))
    assert [u.unit for u in bullet.lead] == ["Văn phòng Sở"]
    assert [u.unit for u in bullet.coord] == ["Các phòng chuyên môn thuộc Sở"]
    assert len(tasks) == 2


def test_labelled_lines_are_fields_of_the_task_above(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Xây dựng quy chế phối hợp giữa các sở.
- Cơ quan chủ trì: Sở Tư pháp
- Cơ quan phối hợp: Sở Nội vụ
- Thời gian hoàn thành: Quý II/2025
- Sản phẩm: Quyết định của Ủy ban nhân dân tỉnh
2. Rà soát văn bản quy phạm pháp luật.
""")
    assert [t.task_no for t in tasks] == ["II.1", "II.2"]
    first = tasks[0]
    assert first.lead_raw == "Sở Tư pháp" and first.coord_raw == "Sở Nội vụ"
    assert first.deadline_raw == "Quý II/2025"
    assert first.output == "Quyết định của Ủy ban nhân dân tỉnh"
    assert tasks[1].lead_raw == "" and tasks[1].output == ""


def test_inline_fields_are_cut_from_the_content(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Tổ chức tập huấn cho công chức; chủ trì: Sở Nội vụ; thời gian: tháng 9/2025.
""")
    assert len(tasks) == 1
    assert tasks[0].content == "Tổ chức tập huấn cho công chức."
    assert tasks[0].lead_raw == "Sở Nội vụ" and tasks[0].deadline_raw == "tháng 9/2025"


def test_letter_fields_make_one_task(gaz, mentions):
    tasks = parse(gaz, mentions, """
III. NHIỆM VỤ CỤ THỂ
1. Số hóa hồ sơ
a) Số hóa toàn bộ hồ sơ cấp phép xây dựng.
b) Cơ quan thực hiện: Sở Xây dựng
c) Thời gian thực hiện: năm 2026
""")
    assert [t.task_no for t in tasks] == ["III.1", "III.1.a"]
    assert tasks[1].lead_raw == "Sở Xây dựng" and tasks[1].deadline_raw == "năm 2026"


def test_a_unit_field_of_role_clauses_gives_each_clauses_subject(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Phổ biến Luật Việc làm
- Nội dung thực hiện: Tổ chức phổ biến Luật Việc làm.
- Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu Ủy ban nhân dân Thành phố ban hành Kế hoạch; Sở Tư pháp, Đài Phát thanh và Truyền hình Thành phố, cơ quan thông tấn báo chí và Ủy ban nhân dân xã, phường chủ động tổ chức triển khai Luật Việc làm.
""")
    assert [u.unit for u in tasks[0].lead] == ["Sở Nội vụ", "Sở Tư pháp", "Đài Phát thanh và Truyền hình Thành phố",
                                              "Cơ quan thông tấn báo chí", "Ủy ban nhân dân xã, phường"]


def test_unit_headings_lead_their_items(gaz, mentions):
    tasks = parse(gaz, mentions, """
III. PHÂN CÔNG NHIỆM VỤ
1. Sở Tài chính
- Bố trí kinh phí thực hiện kế hoạch.
2. Đề nghị Liên đoàn Lao động tỉnh
Tuyên truyền cho công nhân các khu công nghiệp.
3. Các sở, ban, ngành:
- Xây dựng kế hoạch của ngành.
4. Phòng ngừa tội phạm trong khu dân cư.
""")
    by_no = {t.task_no: t for t in tasks}
    assert sorted(by_no) == ["III.1.-1", "III.2", "III.3.-1", "III.4"]
    assert by_no["III.1.-1"].lead_raw == "Sở Tài chính"
    # a lone paragraph under a unit heading is that heading's task
    assert by_no["III.2"].content == "Tuyên truyền cho công nhân các khu công nghiệp."
    assert "Liên đoàn Lao động tỉnh" in by_no["III.2"].lead_raw
    assert by_no["III.3.-1"].lead_raw.startswith("Các sở")
    assert by_no["III.4"].lead_raw == ""  # 'Phòng ngừa' is a verb here, not a Phòng


def test_a_unit_heading_with_its_role_leads_its_items(gaz, mentions):
    """'2. Sở Công Thương chủ trì, phối hợp thực hiện' (its colon lost by the OCR, or not printed): a unit
    heading whose tail names the role, not a task of its own."""
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Sở Công Thương chủ trì, phối hợp thực hiện
a) Theo dõi thị trường hàng hóa.
b) Kiểm tra giá cả.
2. Sở Y tế chủ trì, phối hợp với các cơ quan liên quan thực hiện:
a) Bảo đảm khám chữa bệnh.
""")
    by_no = {t.task_no: t for t in tasks}
    assert sorted(by_no) == ["II.1.a", "II.1.b", "II.2.a"]
    assert by_no["II.1.b"].lead_raw == "Sở Công Thương"
    assert by_no["II.2.a"].lead_raw == "Sở Y tế"


def test_plus_bullets_nest_under_their_dash(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Nâng cao chất lượng phục vụ.
- Tiếp tục nâng cao công tác chỉ đạo, điều hành:
+ Triển khai các nội dung theo yêu cầu.
+ Tăng cường phổ biến, quán triệt nội dung.
- Công khai thủ tục hành chính.
""")
    assert [(t.task_no, t.parent_no) for t in tasks] == [
        ("II.1", ""), ("II.1.-1", "II.1"), ("II.1.-1.+1", "II.1.-1"), ("II.1.-1.+2", "II.1.-1"),
        ("II.1.-2", "II.1")]


def test_indicator_lists_are_not_tasks(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Cải thiện Chỉ số năng lực cạnh tranh.
- Phòng Giáo dục nghề nghiệp tham mưu thực hiện các tiêu chí thành phần.
- Thủ tục để được miễn, giảm chi phí đào tạo nghề (%).
+ Tỷ lệ chi phí đào tạo lao động trong tổng chi phí kinh doanh (%).
+ Tỷ lệ doanh nghiệp đánh giá việc tuyển dụng dễ dàng (%).
+ Giáo dục dạy nghề tại tỉnh có chất lượng tốt.
""")
    assert [t.task_no for t in tasks] == ["II.1", "II.1.-1"]


def test_target_and_purpose_sections_give_no_tasks(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ, GIẢI PHÁP
1. Tổ chức tuyên truyền phòng, chống ma túy.
2. Các chỉ tiêu chủ yếu đến năm 2030
2.1. Hằng năm, giảm số người nghiện ma túy.
2.2. Trên 80% trạm y tế xã đủ điều kiện xác định tình trạng nghiện.
V. KINH PHÍ THỰC HIỆN
1. Kinh phí thực hiện được bố trí từ ngân sách nhà nước.
2. Các sở, ngành có liên quan có trách nhiệm cân đối nguồn ngân sách được giao.
""")
    assert [t.task_no for t in tasks] == ["II.1", "V.2"]


def test_a_sentence_item_keeps_its_following_paragraphs(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Tăng cường sự lãnh đạo của cấp ủy.
Nâng cao ý thức toàn dân trong phòng, chống ma túy.
2. Công tác tham mưu
Đề nghị các sở, ban, ngành tổ chức quán triệt Chương trình.
""")
    assert [t.task_no for t in tasks] == ["II.1", "II.2"]
    assert tasks[0].content.endswith("Nâng cao ý thức toàn dân trong phòng, chống ma túy.")
    assert tasks[1].content == "Đề nghị các sở, ban, ngành tổ chức quán triệt Chương trình."


def test_a_role_heading_gives_its_items_both_roles(gaz, mentions):
    tasks = parse(gaz, mentions, """
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính:
- Rà soát biên chế các cơ quan hành chính.
- Tổng hợp báo cáo Ủy ban nhân dân tỉnh.
""")
    assert [t.task_no for t in tasks] == ["III.1.-1", "III.1.-2"]
    assert all(t.lead_raw == "Sở Nội vụ" and t.coord_raw == "Sở Tài chính" for t in tasks)


def test_items_under_a_dangling_cooperation_name_the_partners(gaz, mentions):
    tasks = parse(gaz, mentions, """
III. PHÂN CÔNG NHIỆM VỤ
1. Công an tỉnh
a) Chủ trì, phối hợp
- Sở Tài chính và các đơn vị có liên quan tham mưu bố trí ngân sách.
- Sở Xây dựng rà soát cơ sở vật chất của các cơ sở cai nghiện.
""")
    items = [t for t in tasks if t.parent_no == "III.1.a"]
    assert [u.raw for u in items[0].lead] == ["Công an tỉnh"]
    assert [u.raw for u in items[0].coord] == ["Sở Tài chính", "các đơn vị có liên quan"]
    assert [u.raw for u in items[1].coord] == ["Sở Xây dựng"]


def test_lettered_labels_are_fields_of_their_item(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Về dữ liệu
1.1. Xây dựng kho dữ liệu dùng chung:
a) Nhiệm vụ: Rà soát, chuẩn hóa dữ liệu của các ngành.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Tài chính.
- Đơn vị phối hợp: Sở Nội vụ, Sở Y tế.
c) Thời gian thực hiện: Hoàn thành trong năm 2025.
1.2. Kết nối các hệ thống thông tin:
a) Nhiệm vụ:
- Kết nối hệ thống một cửa điện tử.
- Đồng bộ dữ liệu hộ tịch.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Tư pháp.
c) Thời gian thực hiện: Quý II/2026.
""")
    by_no = {t.task_no: t for t in tasks}
    assert sorted(by_no) == ["II.1", "II.1.1", "II.1.2", "II.1.2.-1", "II.1.2.-2"]
    first = by_no["II.1.1"]
    assert first.content == "Rà soát, chuẩn hóa dữ liệu của các ngành."
    assert first.lead_raw == "Sở Tài chính" and [u.raw for u in first.coord] == ["Sở Nội vụ", "Sở Y tế"]
    assert first.deadline_raw == "Hoàn thành trong năm 2025"
    for no in ("II.1.2", "II.1.2.-1", "II.1.2.-2"):  # the group row and each of its items
        assert by_no[no].lead_raw == "Sở Tư pháp" and by_no[no].deadline_raw == "Quý II/2026"
    assert by_no["II.1.2.-1"].parent_no == "II.1.2"
    assert by_no["II.1"].lead_raw == ""


def test_a_heading_named_as_a_section_is_an_item_when_a_content_label_follows(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Về nguồn lực
1.1. Kinh phí thực hiện
a) Nhiệm vụ: Các đơn vị lập dự toán kinh phí thực hiện Kế hoạch.
b) Thời gian thực hiện: Năm 2026.
""")
    assert [t.task_no for t in tasks] == ["II.1", "II.1.1"]
    assert tasks[1].content.startswith("Các đơn vị lập dự toán") and tasks[1].deadline_raw == "Năm 2026"


def test_a_closing_field_block_covers_the_group_and_its_items(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Đẩy mạnh chuyển đổi số
- Triển khai chữ ký số cho công chức.
- Phối hợp với Sở Nội vụ đào tạo kỹ năng số.
Lãnh đạo phụ trách: Phó Giám đốc Sở
Đơn vị chủ trì: Văn phòng Sở
Đơn vị phối hợp: Phòng Kế hoạch
Thời gian: Quý IV/2025
2. Kiện toàn tổ chức bộ máy
""")
    by_no = {t.task_no: t for t in tasks}
    assert sorted(by_no) == ["II.1", "II.1.-1", "II.1.-2", "II.2"]  # the leader line is no task
    for no in ("II.1", "II.1.-1", "II.1.-2"):
        assert by_no[no].lead_raw == "Văn phòng Sở" and by_no[no].coord_raw == "Phòng Kế hoạch"
        assert by_no[no].deadline_raw == "Quý IV/2025"
    assert by_no["II.2"].lead_raw == "" and by_no["II.2"].deadline_raw == ""


def test_field_blocks_between_items_belong_to_the_item_before_them(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Cải cách thủ tục hành chính
- Rà soát thủ tục hành chính nội bộ.
+ Cơ quan chủ trì: Sở Tư pháp
+ Thời hạn: Tháng 6/2025
- Công khai thủ tục hành chính.
+ Cơ quan chủ trì: Văn phòng Sở
""")
    by_no = {t.task_no: t for t in tasks}
    assert by_no["II.1.-1"].lead_raw == "Sở Tư pháp" and by_no["II.1.-1"].deadline_raw == "Tháng 6/2025"
    assert by_no["II.1.-2"].lead_raw == "Văn phòng Sở" and by_no["II.1.-2"].deadline_raw == ""
    assert by_no["II.1"].lead_raw == ""


def test_an_item_saying_otherwise_keeps_its_own_fields(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NHIỆM VỤ
1. Phát triển hạ tầng số
- Nâng cấp mạng diện rộng; chủ trì: Sở Xây dựng.
- Mở rộng trung tâm dữ liệu.
Đơn vị chủ trì: Sở Tài chính
""")
    by_no = {t.task_no: t for t in tasks}
    assert by_no["II.1.-1"].lead_raw == "Sở Xây dựng"
    assert by_no["II.1.-2"].lead_raw == "Sở Tài chính"


def test_people_named_as_leads_are_one_lead_each(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NỘI DUNG THỰC HIỆN
1. Xây dựng bộ câu hỏi kiểm tra.
- Người thực hiện: Nguyễn Văn An, Trần Thị Bình
2. Tổ chức chấm bài.
- Cán bộ thực hiện: Đ/c Lê Hoàng Nam
""")
    assert [(u.unit, u.level) for u in tasks[0].lead] == [("Nguyễn Văn An", "person"), ("Trần Thị Bình", "person")]
    assert [u.unit for u in tasks[1].lead] == ["Lê Hoàng Nam"]


def test_a_lead_in_subject_leads_the_items_below_it(gaz, mentions):
    tasks = parse(gaz, mentions, """
II. NỘI DUNG
1. Các đơn vị, địa phương tổ chức thực hiện các mặt công tác, như:
- Cấp phép cho các tổ chức đúng quy định.
- Kiểm tra việc chấp hành pháp luật.
2. Tăng cường ứng dụng công nghệ thông tin.
""")
    by_no = {t.task_no: t for t in tasks}
    assert by_no["II.1.-1"].lead_raw.lower() == "các đơn vị, địa phương"
    assert by_no["II.1.-2"].lead_raw == by_no["II.1.-1"].lead_raw
    assert by_no["II.2"].lead_raw == ""


def test_a_unit_heading_beats_a_unit_named_further_in_the_item(gaz, mentions):
    tasks = parse(gaz, mentions, """
III. PHÂN CÔNG NHIỆM VỤ
1. Bộ Chỉ huy Quân sự tỉnh
- Tăng cường quản lý thuộc phạm vi do Bộ Quốc phòng quản lý trên địa bàn.
- Phối hợp với Công an tỉnh kiểm tra an ninh thiết bị.
""")
    assert [t.lead_raw for t in tasks] == ["Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
    assert tasks[1].coord_raw == "Công an tỉnh"


UNIT_HEADINGS = """
I. NHIỆM VỤ
1. Các cơ quan tiếp nhận hồ sơ (Sở Tài chính, Ban Quản lý các Khu công nghiệp tỉnh):
a) Tiếp nhận hồ sơ dự án.
b) Tổ chức lấy ý kiến thẩm định.
2. Các sở, ngành: Là các đơn vị được lấy ý kiến, chịu trách nhiệm thực hiện các nội dung sau:
a) Thuế tỉnh Hà Tĩnh
- Đánh giá ưu đãi đầu tư;
3. Cơ quan chủ trì thẩm định hồ sơ dự án
a) Hướng dẫn giải quyết nhanh các thủ tục.
4. Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản.
5. Hướng dẫn thanh toán kinh phí
"""


def test_unit_headings_of_every_shape_lead_their_items(gaz, mentions):
    by_no = {t.task_no: t for t in parse(gaz, mentions, UNIT_HEADINGS)}
    assert "I.1" not in by_no and "I.2" not in by_no and "I.3" not in by_no  # headings, not rows
    assert [u.unit for u in by_no["I.1.a"].lead] == ["Sở Tài chính", "Ban Quản lý các khu công nghiệp tỉnh"]
    assert [u.unit for u in by_no["I.2.a.-1"].lead] == ["Thuế tỉnh Hà Tĩnh"]
    assert [u.unit for u in by_no["I.3.a"].lead] == ["Cơ quan chủ trì thẩm định hồ sơ dự án"]
    assert [u.unit for u in by_no["I.4"].lead] == ["Cơ quan phối hợp"]
    assert by_no["I.5"].content == "Hướng dẫn thanh toán kinh phí"  # names money, still an item
