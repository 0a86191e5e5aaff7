import pytest

from pipeline.prose_vocab import load_vocab


@pytest.fixture(scope="module")
def vocab():
    return load_vocab()


@pytest.mark.parametrize("line, field", [
    ("+ Đơn vị chủ trì: Văn phòng Sở", ("lead", "Văn phòng Sở")),
    ("- Cơ quan phối hợp: Sở Nội vụ, Sở Tài chính", ("coord", "Sở Nội vụ, Sở Tài chính")),
    ("Thời gian hoàn thành trước ngày 15/7/2019.", ("deadline", "trước ngày 15/7/2019")),
    ("Tiến độ: Quý III/2025", ("deadline", "Quý III/2025")),
    ("- Sản phẩm: Báo cáo kết quả", ("output", "Báo cáo kết quả")),
    ("Phối hợp với Sở Nội vụ tổ chức tập huấn", None),  # an action, not a label
    ("Kết quả thực hiện được báo cáo hằng quý", None),
])
def test_field_lines(vocab, line, field):
    assert vocab.field_line(line) == field


def test_open_labels(vocab):
    assert vocab.open_label("- Cơ quan thực hiện:") == "lead"
    assert vocab.open_label("- Cơ quan thực hiện: Sở Y tế") is None


def test_split_fields(vocab):
    assert vocab.split_fields("Tổ chức rà soát (Thời gian hoàn thành: trước 30/6/2025).") == (
        "Tổ chức rà soát.", {"deadline": "trước 30/6/2025"})
    assert vocab.split_fields("Tiểu dự án 1: Truyền thông về phòng, chống ma túy") == (
        "Tiểu dự án 1: Truyền thông về phòng, chống ma túy", {})


@pytest.mark.parametrize("title, unit", [
    ("Sở Tài chính", "Sở Tài chính"),
    ("Đề nghị Liên đoàn Lao động tỉnh", "Liên đoàn Lao động tỉnh"),
    ("Văn phòng UBND tỉnh có trách nhiệm:", "Văn phòng UBND tỉnh"),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội",
     "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội"),
    ("Phòng ngừa, đấu tranh tội phạm về ma túy", None),
    ("Đề nghị Văn phòng Tỉnh ủy phối hợp thực hiện tốt công tác bảo mật", None),
    ("Thuế tỉnh Hà Tĩnh", "Thuế tỉnh Hà Tĩnh"),  # a level word in lower case after a one-word head
    ("Công an xã", "Công an xã"),
    ("Thuế tỉnh thu đúng hạn", None),
])
def test_unit_titles(vocab, title, unit):
    assert vocab.unit_title(title, need_tail=False) == unit


@pytest.mark.parametrize("title, opens_list, unit", [
    ("Cơ quan chủ trì thẩm định hồ sơ dự án", True, "Cơ quan chủ trì thẩm định hồ sơ dự án"),
    ("Cơ quan chủ trì thẩm định hồ sơ dự án", False, None),  # no items below: an item itself
    ("Các đơn vị tiếp nhận hồ sơ (Sở A, Ban B):", True, "Các đơn vị tiếp nhận hồ sơ (Sở A, Ban B)"),
    ("Các đơn vị có trách nhiệm tổ chức tập huấn", True, None),  # a duty stated: an item
    ("Các đơn vị tổ chức tập huấn. Báo cáo kết quả", True, None),
])
def test_generic_heads_with_a_clause_name_a_unit_over_items(vocab, title, opens_list, unit):
    assert vocab.unit_title(title, need_tail=False, opens_list=opens_list) == unit


def test_unnumbered_unit_lines_need_their_colon(vocab):
    assert vocab.unit_title("Các sở, ban, ngành:", need_tail=True) == "Các sở, ban, ngành"
    assert vocab.unit_title("Các sở, ban, ngành", need_tail=True) is None


@pytest.mark.parametrize("title, kind", [
    ("MỤC ĐÍCH, YÊU CẦU", "nontask"), ("NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU", "task"),
    ("Các chỉ tiêu cụ thể đến năm 2030", "nontask"), ("KINH PHÍ THỰC HIỆN", "assigning"),
    ("Phân công trách nhiệm", "task"), ("Tổ chức tuyên truyền sâu rộng trong nhân dân", None),
    ("Kinh phí", "assigning"), ("Hướng dẫn thanh toán kinh phí", None),  # an item that names money
    ("Bố trí kinh phí", None), ("Nguồn vốn thực hiện", "assigning"),
])
def test_section_kinds(vocab, title, kind):
    assert vocab.section_kind(title, title.isupper()) == kind


def test_roles_in_a_unit_sentence(vocab):
    assert vocab.role_split("Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành tổ chức tập huấn") == (
        "Sở Nội vụ", "các sở, ban, ngành")
    assert vocab.role_split("Sở Xây dựng đăng tải thông điệp") is None


def test_indicators(vocab):
    assert vocab.is_indicator("Tỷ lệ lao động đã qua đào tạo.")
    assert vocab.is_indicator("Thủ tục để được miễn, giảm chi phí đào tạo nghề (%).")
    assert not vocab.is_indicator("Tổ chức tập huấn cho 100% công chức.")


def test_role_headings_name_roles_only(vocab):
    assert vocab.role_heading("Sở Nội vụ chủ trì, phối hợp với Sở Tài chính:") == ("Sở Nội vụ", "Sở Tài chính")
    assert vocab.role_heading("Sở Y tế chủ trì, phối hợp với Sở Tài chính thực hiện các chương trình sau:") is None
