import pytest

from extractors.model import Line
from pipeline.doctypes import assigns_nothing, expects_tasks, frame, reading_of
from pipeline.layout import lines_to_paras
from pipeline.prose import ProseParser


def parse(gaz, mentions, doc_type, text):
    lines = [Line(text=t, new_para=True) for t in text.strip().split("\n") if t.strip()]
    framed = frame(lines_to_paras(lines), doc_type)
    return ProseParser(gaz, mentions).parse(framed.paras, framed.root)


TELEGRAM = """
CÔNG ĐIỆN
Về việc bảo đảm an toàn hồ chứa nước trong mùa mưa lũ
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:
- Giám đốc các sở, ban, ngành;
- Chủ tịch Ủy ban nhân dân các xã, phường.
Mưa lớn kéo dài, nhiều hồ chứa vượt mức báo động; Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:
1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các xã kiểm tra hồ chứa, báo cáo trước ngày 15/9/2025.
2. Sở Tài chính:
a) Tham mưu bố trí kinh phí khắc phục sự cố hồ chứa.
b) Hướng dẫn các xã lập hồ sơ đề nghị hỗ trợ khắc phục thiệt hại.
3. Chủ tịch Ủy ban nhân dân các xã, phường tổ chức trực ban 24/24 giờ trong thời gian mưa lũ./.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_a_telegram_gives_its_numbered_items_and_not_its_addressees(gaz, mentions):
    tasks = parse(gaz, mentions, "Công điện", TELEGRAM)
    assert [t.task_no for t in tasks] == ["1", "2.a", "2.b", "3"]
    assert tasks[-1].content.endswith("trong thời gian mưa lũ.")  # the closing mark and the recipients go
    assert tasks[0].deadline_raw and "15/9/2025" in tasks[0].deadline_raw


CONCLUSION = """
THÔNG BÁO
Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp về chuyển đổi số
Sau khi nghe báo cáo của các sở, Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:
1. Thời gian qua, công tác chuyển đổi số của tỉnh đạt nhiều kết quả, các sở đã hoàn thành nhiệm vụ được giao.
Tuy nhiên, việc kết nối dữ liệu còn chậm.
2. Về các nhiệm vụ trong thời gian tới:
(1) Giao Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu dùng chung của tỉnh.
(2) Đề nghị các sở, ngành rà soát, cập nhật dữ liệu chuyên ngành.
Văn phòng Ủy ban nhân dân tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.
"""


def test_a_conclusion_gives_the_items_that_assign_work(gaz, mentions):
    tasks = parse(gaz, mentions, "Thông báo", CONCLUSION)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("2", ""), ("2.1", "2"), ("2.2", "2")]
    assert not any("thông báo để" in t.content for t in tasks)


DECISION = """
QUYẾT ĐỊNH
Về việc ban hành Quy định chức năng, nhiệm vụ của Sở Văn hóa
Căn cứ Luật Tổ chức chính quyền địa phương;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy định chức năng, nhiệm vụ của Sở Văn hóa.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Văn hóa chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
QUY ĐỊNH
CHỨC NĂNG, NHIỆM VỤ CỦA SỞ VĂN HÓA
(Ban hành kèm theo Quyết định số 12/QĐ-UBND)
Điều 1. Nhiệm vụ và quyền hạn
1. Trình Ủy ban nhân dân tỉnh dự thảo quy hoạch ngành văn hóa.
2. Nhiệm vụ khác
a) Quản lý di tích trên địa bàn.
Điều 2. Tổ chức thực hiện
1. Giao Sở Văn hóa ban hành quy chế làm việc của Sở.
2. Sở Nội vụ phối hợp với Sở Văn hóa hướng dẫn sắp xếp biên chế./.
"""


def test_a_decision_gives_its_task_article_and_not_its_standing_duties(gaz, mentions):
    tasks = parse(gaz, mentions, "Quyết định", DECISION)
    assert [t.task_no for t in tasks] == ["2.1", "2.2"]
    assert tasks[0].content.startswith("Giao Sở Văn hóa ban hành quy chế")


PROCEDURES = """
QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính nội bộ
Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính nội bộ.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Lưu: VT.
PHỤ LỤC
DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ
I. THỦ TỤC CẤP TỈNH
1. Thủ tục phê duyệt kế hoạch đầu tư công
- Trình tự thực hiện: Sở Tài chính tiếp nhận hồ sơ.
- Thời hạn giải quyết: 10 ngày.
"""


def test_a_decision_listing_procedures_gives_none(gaz, mentions):
    assert parse(gaz, mentions, "Quyết định", PROCEDURES) == []


def test_a_decision_attaching_a_plan_gives_the_plan_tasks(gaz, mentions):
    plan = PROCEDURES.replace("PHỤ LỤC\nDANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ", "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026") \
        .replace("I. THỦ TỤC CẤP TỈNH", "I. TĂNG CƯỜNG HẠ TẦNG SỐ")
    assert [t.task_no for t in parse(gaz, mentions, "Quyết định", plan)][:1] == ["I.1"]


@pytest.mark.parametrize(("doc_type", "mode"), [
    ("Kế hoạch", "sections"), ("Chỉ thị", "directives"), ("Công điện", "directives"),
    ("Thông báo", "conclusions"), ("Quyết định", "articles"), ("Nghị quyết", "articles"),
    ("Thông tư", "none"), ("Tin bài", "none"), ("Báo cáo", "none"), ("", "sections"), ("Danh sách", "sections")])
def test_each_type_has_its_reading(doc_type, mode):
    assert reading_of(doc_type).mode == mode
    assert assigns_nothing(doc_type) == (mode == "none")


def test_which_documents_promise_tasks():
    assert expects_tasks("Chỉ thị", "về việc tăng cường kỷ luật")
    assert not expects_tasks("Thông tư", "hướng dẫn triển khai kế hoạch")
    assert expects_tasks("Quyết định", "Ban hành Kế hoạch chuyển đổi số năm 2026")
    assert not expects_tasks("Quyết định", "Về việc công bố danh mục thủ tục hành chính")
    assert expects_tasks("Thông báo", "Kết luận của Chủ tịch UBND tỉnh")
    assert not expects_tasks("Tin bài", "Chính phủ ban hành kế hoạch sắp xếp đơn vị hành chính")
