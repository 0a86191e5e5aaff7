import pytest

from normalizers.fields import fields_in, header_field, inline_labels, line_label, open_label, vocabulary


def test_every_wording_has_a_known_field_and_match():
    vocab = vocabulary()
    assert vocab and all(w.match in ("head", "word") and w.label in ("", ":", "any") for w in vocab)
    assert [len(w.key) for w in vocab] == sorted((len(w.key) for w in vocab), reverse=True)


@pytest.mark.parametrize(("text", "field"), [
    ("Sở, ngành chủ trì tham mưu", "lead"),
    ("Cơ quan chủ trì soạn thảo", "lead"),
    ("Cơ quan soạn thảo", "lead"),
    ("Người thực hiện", "person"),
    ("Người phụ trách", "person"),
    ("Đơn vị thực hiện", "unit"),
    ("Cơ quan thực hiện", "unit"),
    ("Chủ trì", "lead"),
    ("Ban, ngành chủ trì", "lead"),  # a wording inside a short cell
    ("Các địa phương phối hợp", "coord"),
    ("Văn bản cần sửa đổi", "content"),
    ("Điều, khoản", "clause"),
    ("THỜI HẠN HOÀN THÀNH", "deadline"),
    ("**Thời gian**", "deadline"),
])
def test_header_cells_name_their_field(text, field):
    assert header_field(text)[0] == field


def test_a_cell_naming_both_unit_fields_is_a_unit_column():
    assert header_field("Đơn vị, địa phương chủ trì, phối hợp")[0] == "unit"


def test_running_text_names_no_field():
    assert header_field("Phối hợp với các sở tổ chức kiểm tra việc thực hiện hằng năm tại địa phương")[0] == ""
    assert header_field("")[0] == ""


def test_line_labels_carry_their_field_and_value():
    lab = line_label("- Cơ quan chủ trì: Sở Tài chính.")
    assert lab is not None and (lab.field, lab.value, lab.marker) == ("lead", "Sở Tài chính", "-")
    lab = line_label("b) Đơn vị thực hiện: Phòng Kinh tế")
    assert lab is not None and (lab.field, lab.value, lab.marker) == ("lead", "Phòng Kinh tế", "b)")
    lab = line_label("Thời gian thực hiện Quý II/2026")  # a deadline label needs no colon
    assert lab is not None and (lab.field, lab.value) == ("deadline", "Quý II/2026")
    lab = line_label("Người phụ trách: Trần Văn Bình")
    assert lab is not None and lab.field == "person"


def test_a_colon_label_needs_its_colon():
    assert line_label("Phối hợp chặt chẽ với các địa phương") is None
    assert line_label("Kết quả đạt được trong năm qua rất khả quan") is None


def test_a_bare_label_opens_its_field():
    lab = open_label("b) Cơ quan thực hiện:")
    assert lab is not None and lab.field == "lead"
    assert open_label("Cơ quan thực hiện: Sở Y tế") is None


def test_inline_labels_split_the_line():
    head, labels = inline_labels("Rà soát quy định về phí; chủ trì: Sở Tư pháp; phối hợp: Sở Tài chính, Sở Nội vụ")
    assert head == "Rà soát quy định về phí"
    assert [(lab.field, lab.value) for lab in labels] == [("lead", "Sở Tư pháp"),
                                                          ("coord", "Sở Tài chính, Sở Nội vụ")]
    assert inline_labels("Không có nhãn nào ở đây") == ("Không có nhãn nào ở đây", [])


def test_fields_in_a_header_line():
    found, covered = fields_in("TT Nội dung Cơ quan chủ trì Cơ quan phối hợp Thời gian")
    assert {"no", "content", "lead", "coord", "deadline"} <= found and covered == 13
