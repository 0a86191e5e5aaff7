from normalizers.headers import RESPONSIBLE, find_header, is_task_table


def test_a_two_level_header_printed_whole_in_a_text_dump():
    rows = [["Thời gian", "Nội dung", "Ghi chú", "Thực hiện"],
            ["", "", "", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["I", "Giai đoạn chuẩn bị"]]
    h = find_header(rows)
    assert h is not None and h.row_index == 1
    assert h.roles == ["deadline", "content", "note", "lead", "coord"]


def test_a_grid_two_level_header():
    rows = [["STT", "Nội dung", "Thực hiện", "Thực hiện", "Thời hạn"],
            ["", "", "Chủ trì", "Phối hợp", ""]]
    h = find_header(rows)
    assert h is not None and h.roles == ["no", "content", "lead", "coord", "deadline"]


def test_a_people_column_is_the_lead_unless_a_unit_column_is():
    h = find_header([["TT", "Nhiệm vụ", "Người thực hiện", "Ghi chú"]])
    assert h is not None and h.roles == ["no", "content", "person", "note"] and is_task_table(h)
    h = find_header([["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Người phụ trách"]])
    assert h is not None and h.roles == ["no", "content", "lead", "note"]


def test_a_responsible_column_beside_lead_and_coord_columns_stands_in_for_a_blank_lead():
    h = find_header([["TT", "Nội dung", "Cơ quan chịu trách nhiệm", "Đơn vị chủ trì", "Đơn vị phối hợp"]])
    assert h is not None and h.roles == ["no", "content", RESPONSIBLE, "lead", "coord"]


def test_an_indicator_table_is_no_task_table():
    h = find_header([["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025"]])
    assert h is None or not is_task_table(h)
