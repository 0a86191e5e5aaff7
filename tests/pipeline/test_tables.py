from extractors.model import TableBlock
from pipeline.tables import align_cells, find_header, resolve_units, rows_to_tasks

HEADER = ["TT", "Nội dung", "Đơn vị thực hiện", "Mục tiêu/Giải pháp thực hiện", "Phối hợp thực hiện"]


def test_header_roles_by_fuzzy_names():
    h = find_header([["Phụ lục"], HEADER])
    assert h is not None and h.row_index == 1
    assert h.roles == ["no", "content", "lead", "goal", "coord"]


def test_second_unit_column_beside_chu_tri_is_coordinating():
    h = find_header([["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị thực hiện", "Kết quả",
                      "Thời gian thực hiện"]])
    assert h is not None and h.roles == ["no", "content", "lead", "coord", "output", "deadline"]


def test_cells_of_a_short_row_are_aligned_by_what_they_hold(gaz):
    roles = ["content", "lead", "coord", "output", "deadline"]
    cells = ["Hướng dẫn kê khai", "Các Phòng chuyên môn, ĐVTT Sở", "Các biểu mẫu có hướng dẫn", "Trước 25/9/2021"]
    assert align_cells(cells, roles, gaz) == ["Hướng dẫn kê khai", "Các Phòng chuyên môn, ĐVTT Sở", "",
                                              "Các biểu mẫu có hướng dẫn", "Trước 25/9/2021"]


def test_group_rows_goal_column_and_continuation(gaz):
    rows = [HEADER,
            ["1", "Công tác chỉ đạo điều hành CCHC", "", "", ""],
            ["1.1", "Kế hoạch CCHC", "Văn phòng Sở", "Xây dựng kế hoạch", "Các phòng chuyên môn"],
            ["", "năm 2021", "", "", ""],
            ["1.2", "Chế độ báo cáo", "Văn phòng Sở", "", ""]]
    table = TableBlock(rows=rows)
    tasks = rows_to_tasks(table, find_header(rows), gaz)
    resolve_units(tasks, gaz, 85)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("1", ""), ("1.1", "1"), ("1.2", "1")]
    assert tasks[1].content == "Kế hoạch CCHC năm 2021: Xây dựng kế hoạch"
    assert [u.unit for u in tasks[1].coord] == ["Các phòng chuyên môn thuộc Sở"]


def test_repeated_header_and_column_numbers_are_skipped(gaz):
    rows = [HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "Rà soát", "Văn phòng Sở", "", ""], HEADER,
            ["2", "Công khai", "Văn phòng Sở", "", ""]]
    tasks = rows_to_tasks(TableBlock(rows=rows), find_header(rows), gaz)
    assert [t.task_no for t in tasks] == ["1", "2"]


def test_row_broken_across_pages_is_joined(gaz):
    rows = [HEADER, ["1", "Thực hiện kiểm tra", "Văn phòng Sở", "", ""], ["", "định kỳ hằng năm", "", "", ""]]
    table = TableBlock(rows=rows, page_breaks=[2])
    tasks = rows_to_tasks(table, find_header(rows), gaz)
    assert [t.content for t in tasks] == ["Thực hiện kiểm tra định kỳ hằng năm"]
