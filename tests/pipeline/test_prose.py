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
