import re

import pytest

from normalizers.subjects import find_subject, opens_unit

_VERBS = re.compile(r"(?<!\w)(?:tổ chức|triển khai|hướng dẫn|thực hiện|rà soát|báo cáo)(?!\w)", re.I)


def _verb_at(text: str) -> int | None:
    m = _VERBS.search(text)
    return m.start() if m else None


def _chunks(text: str) -> list[str] | None:
    s = find_subject(text, _verb_at, [])
    return None if s is None else [c.text for c in s.chunks]


def test_request_word_and_responsibility_frame():
    assert _chunks("Giao Sở Công Thương chủ trì, phối hợp với Sở Y tế rà soát hồ sơ") == ["Sở Công Thương"]


def test_title_keeps_its_body_and_a_bare_title_shares_the_next():
    assert _chunks("Giám đốc Sở Y tế chỉ đạo các bệnh viện báo cáo") == ["Giám đốc Sở Y tế"]
    got = _chunks("Giám đốc, Thủ trưởng các sở, ngành; Chủ tịch Ủy ban nhân dân cấp xã tổ chức thực hiện")
    assert got == ["Giám đốc, Thủ trưởng các sở, ngành", "Chủ tịch Ủy ban nhân dân cấp xã"]


def test_subject_after_an_opening_clause():
    assert _chunks("Sau khi kế hoạch được duyệt, các sở, ngành, địa phương triển khai ngay") \
        == ["các sở, ngành, địa phương"]


def test_modifier_between_subject_and_predicate_is_dropped():
    assert _chunks("Các sở, ngành theo chức năng, nhiệm vụ được giao có trách nhiệm báo cáo") == ["Các sở, ngành"]


def test_list_of_named_units_splits_at_each_head_noun():
    assert _chunks("Sở Nội vụ, Sở Văn hóa, Thể thao và Du lịch và Công an tỉnh hướng dẫn") \
        == ["Sở Nội vụ", "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"]
    assert _chunks("Sở Tư pháp, cơ quan thông tấn báo chí và Ủy ban nhân dân xã triển khai") \
        == ["Sở Tư pháp", "cơ quan thông tấn báo chí", "Ủy ban nhân dân xã"]
    assert _chunks("Cơ quan ngang bộ, cơ quan thuộc Chính phủ triển khai") == ["Cơ quan ngang bộ, cơ quan thuộc Chính phủ"]


@pytest.mark.parametrize("text", ["Tổ chức hội nghị triển khai kế hoạch.", "Trường hợp có vướng mắc, báo cáo kịp thời.",
                                  "Tiếp tục rà soát, chủ trì hướng dẫn các đơn vị."])
def test_no_subject_when_the_item_opens_with_its_action(text):
    assert _chunks(text) is None


def test_opens_unit():
    assert opens_unit("Sở Tài chính")
    assert opens_unit("các đơn vị liên quan")
    assert not opens_unit("Trường hợp cần thiết")
    assert not opens_unit("Cơ quan")


def test_a_name_written_from_the_smallest_body_up_is_one_unit():
    assert _chunks("Giao Phòng 2, Cục Cảnh sát giao thông, Bộ Công an - đơn vị thường trực chủ trì, tổ chức") \
        == ["Phòng 2, Cục Cảnh sát giao thông, Bộ Công an"]
    assert _chunks("Sở Nội vụ, Sở Tài chính hướng dẫn") == ["Sở Nội vụ", "Sở Tài chính"]  # same rank: a list


def test_a_predicate_word_inside_a_generic_name_before_a_responsibility_frame():
    assert _chunks("Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản") == ["Cơ quan phối hợp"]
    assert _chunks("Sở Y tế phối hợp với Sở Tài chính có trách nhiệm báo cáo") == ["Sở Y tế"]


def test_a_title_in_lower_case_after_a_request_word():
    assert _chunks("Đề nghị lãnh đạo các đơn vị, địa phương quan tâm chỉ đạo thực hiện") \
        == ["lãnh đạo các đơn vị, địa phương"]
    assert _chunks("Lãnh đạo, chỉ đạo các cấp triển khai thực hiện") is None  # the verb, not a title
