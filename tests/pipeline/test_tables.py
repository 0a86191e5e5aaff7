from extractors.model import TableBlock
from pipeline.tables import align_cells, find_header, lead_notes, resolve_units, rows_to_tasks

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


def test_a_unit_group_row_leads_its_items(gaz):
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
            ["A", "Bộ Tài chính", "", ""],
            ["1", "Sửa đổi quy định về phí", "", "Quý II/2026"],
            ["2", "Rà soát thủ tục", "Bộ Tư pháp", "Năm 2026"],
            ["B", "Bộ Y tế", "", ""],
            ["1", "Ban hành hướng dẫn", "", "Tháng 5/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True), find_header(rows), gaz)
    leads = {t.task_no: t.lead_raw for t in tasks}
    assert leads == {"A": "Bộ Tài chính", "A.1": "Bộ Tài chính", "A.2": "Bộ Tư pháp",
                     "B": "Bộ Y tế", "B.1": "Bộ Y tế"}


def test_an_amendment_table_gives_one_task_per_document(gaz):
    rows = [["TT", "Văn bản cần sửa đổi", "Điều, khoản", "Cơ quan chủ trì soạn thảo"],
            ["1", "Nghị định số 10/2020/NĐ-CP", "Điều 5", "Bộ Công Thương"],
            ["1", "Nghị định số 10/2020/NĐ-CP", "Khoản 2 Điều 7", "Bộ Công Thương"],
            ["2", "Thông tư số 3/2021/TT-BCT", "Điều 2", "Bộ Công Thương"]]
    h = find_header(rows)
    assert h is not None and h.roles == ["no", "content", "clause", "lead"]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True), h, gaz)
    assert [(t.task_no, t.content, t.lead_raw) for t in tasks] == [
        ("1", "Nghị định số 10/2020/NĐ-CP: Điều 5; Khoản 2 Điều 7", "Bộ Công Thương"),
        ("2", "Thông tư số 3/2021/TT-BCT: Điều 2", "Bộ Công Thương")]


def test_a_people_column_gives_one_lead_per_person(gaz):
    rows = [["TT", "Nhiệm vụ", "Người thực hiện"],
            ["1", "Chấm bài", "Trần Văn Bình\nLê Thị Hoa"],
            ["2", "In chứng chỉ", "Phạm Minh Đức Hoàng Thu Trang"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True), find_header(rows), gaz)
    assert [[(u.unit, u.level) for u in t.lead] for t in tasks] == [
        [("Trần Văn Bình", "person"), ("Lê Thị Hoa", "person")],
        [("Phạm Minh Đức", "person"), ("Hoàng Thu Trang", "person")]]


def test_a_schedule_with_the_time_first_and_group_numbers_in_it(gaz):
    rows = [["Thời gian", "Nội dung", "Thực hiện"],
            ["", "", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["I", "Giai đoạn chuẩn bị"],
            ["Tháng 3/2026", "Khảo sát hiện trạng", "Sở Xây dựng", "Sở Tài chính"],
            ["", "Lập đề cương", "Sở Xây dựng", ""],
            ["II", "Giai đoạn triển khai"],
            ["Quý III/2026", "Tổ chức thực hiện", "Sở Nội vụ", ""]]
    tasks = rows_to_tasks(TableBlock(rows=rows), find_header(rows), gaz)
    assert [(t.task_no, t.parent_no, t.deadline_raw, t.lead_raw) for t in tasks] == [
        ("I", "", "", ""), ("I.-1", "I", "Tháng 3/2026", "Sở Xây dựng"), ("I.-2", "I", "Tháng 3/2026", "Sở Xây dựng"),
        ("II", "", "", ""), ("II.-1", "II", "Quý III/2026", "Sở Nội vụ")]


def test_lead_cell_notes_name_helpers_or_are_dropped():
    assert lead_notes("Ban Dân tộc [2] (Văn phòng Đoàn phối hợp chuẩn bị)") == ("Ban Dân tộc", ["Văn phòng Đoàn"])
    assert lead_notes("Tổ biên tập (Sở Tư pháp là cơ quan thường trực của Tổ biên tập)") == ("Tổ biên tập", [])
    assert lead_notes("Ủy ban nhân dân các huyện (Phòng Nội vụ)") == ("Ủy ban nhân dân các huyện (Phòng Nội vụ)", [])


def test_a_row_cut_short_by_the_export_keeps_its_leading_cells(gaz):
    roles = ["no", "content", "note", "lead", "", "deadline", "", ""]
    cells = ["", "Quy chế phối hợp liên ngành", "Ban Kinh tế", "Ban Kinh tế (Văn phòng Đoàn phối hợp)"]
    assert align_cells(cells, roles, gaz)[:4] == cells


def test_the_rest_of_a_broken_row_joins_the_row_above(gaz):
    rows = [HEADER, ["1", "Rà soát quy chế", "Văn phòng Sở", "", ""], ["", "", "", "", "Trước 30/6/2026"]]
    header = find_header(rows)
    header.roles[4] = "deadline"
    tasks = rows_to_tasks(TableBlock(rows=rows), header, gaz)
    assert [(t.task_no, t.deadline_raw) for t in tasks] == [("1", "Trước 30/6/2026")]


def test_a_lead_cell_one_unit_a_line_gives_two_leads_and_a_scan_takes_the_documents_spelling():
    from extractors.model import TableBlock
    from normalizers.ocr_units import Speller
    from normalizers.units import Gazetteer
    from pipeline.tables import find_header, resolve_units, rows_to_tasks

    gaz = Gazetteer.from_csv()
    rows = [["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Rà soát đội ngũ", "Sở Nội vụ\nThanh tra tỉnh", "Hàng năm"],
            ["2", "Giải đáp vướng mắc của UBND xã Đức Trọng", "Lãnh đạo\nUBND xã ĐứcTrọng", "Quý II"]]
    table = TableBlock(rows=rows, ruled=True)
    header = find_header(rows)
    assert header is not None
    tasks = rows_to_tasks(table, header, gaz)
    resolve_units(tasks, gaz, 85, speller=Speller(gaz, [rows[2][1]]))
    assert [u.unit for u in tasks[0].lead] == ["Sở Nội vụ", "Thanh tra tỉnh"]
    assert [u.unit for u in tasks[1].lead] == ["Lãnh đạo Ủy ban nhân dân xã Đức Trọng"]


SCHEDULE = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian thực hiện"]


def test_a_scanned_row_whose_number_was_lost_takes_its_place_in_the_sequence(gaz):
    rows = [SCHEDULE, ["4", "Rà soát thủ tục", "Sở Tư pháp", "Năm 2026"],
            ["", "Kiểm tra việc thực hiện", "Sở Nội vụ", "Quý II/2026"],
            ["6", "Tổng kết", "Sở Nội vụ", "Tháng 12/2026"]]
    scanned = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9), find_header(rows), gaz)
    assert [(t.task_no, t.parent_no) for t in scanned] == [("4", ""), ("5", ""), ("6", "")]
    word = rows_to_tasks(TableBlock(rows=[list(r) for r in rows], ruled=True), find_header(rows), gaz)
    assert [t.task_no for t in word] == ["4", "4.-1", "6"]  # a digital table's empty cell stays as printed


def test_a_scanned_number_misread_out_of_its_sequence_is_the_one_between(gaz):
    rows = [SCHEDULE, ["4", "Rà soát thủ tục", "Sở Tư pháp", "Năm 2026"],
            ["8", "Kiểm tra việc thực hiện", "Sở Nội vụ", "Quý II/2026"],
            ["6", "Tổng kết", "Sở Nội vụ", "Tháng 12/2026"],
            ["7", "Báo cáo kết quả", "Sở Nội vụ", "Tháng 12/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9), find_header(rows), gaz)
    assert [t.task_no for t in tasks] == ["4", "5", "6", "7"]


def test_a_page_opening_with_a_task_whose_number_was_lost_is_a_new_row(gaz):
    rows = [SCHEDULE, ["8", "Rà soát đội ngũ cán bộ", "Sở Nội vụ", "Hằng năm"],
            ["", "Xây dựng kế hoạch thanh tra", "Thanh tra tỉnh", "Hằng năm"],
            ["10", "Kiểm tra khối lượng", "Sở Tài chính", "Hằng năm"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9, page_breaks=[2]), find_header(rows),
                          gaz)
    assert [(t.task_no, t.content) for t in tasks] == [("8", "Rà soát đội ngũ cán bộ"),
                                                       ("9", "Xây dựng kế hoạch thanh tra"),
                                                       ("10", "Kiểm tra khối lượng")]


def test_the_rest_of_a_cell_at_a_page_top_still_joins_the_row_above(gaz):
    rows = [SCHEDULE, ["3", "Giải đáp vướng mắc của người dân,", "Lãnh đạo", "Từ 20 giờ"],
            ["", "doanh nghiệp thuộc thẩm quyền", "Công an tỉnh", "ngày 10 tháng 4"],
            ["4", "Giải đáp vướng mắc", "Sở Y tế", "Tháng 5/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9, page_breaks=[2]), find_header(rows),
                          gaz)
    assert [t.task_no for t in tasks] == ["3", "4"]
    assert tasks[0].content == "Giải đáp vướng mắc của người dân, doanh nghiệp thuộc thẩm quyền"


def test_a_column_number_row_with_one_misread_cell_is_no_task(gaz):
    rows = [SCHEDULE, ["Œ)", "(2)", "(3)", "(4)"], ["1", "Rà soát thủ tục", "Sở Tư pháp", "Năm 2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9), find_header(rows), gaz)
    assert [t.task_no for t in tasks] == ["1"]


def test_a_scanned_first_row_with_specks_for_its_number_is_row_one(gaz):
    rows = [SCHEDULE, ["' :", "Rà soát thủ tục", "Sở Tư pháp", "Năm 2026"],
            ["2", "Tổng kết", "Sở Nội vụ", "Tháng 12/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9), find_header(rows), gaz)
    assert [(t.task_no, t.content) for t in tasks] == [("1", "Rà soát thủ tục"), ("2", "Tổng kết")]


def test_letter_group_rows_with_their_own_lead_hold_the_rows_numbered_under_them(gaz):
    rows = [SCHEDULE, ["a", "Chương trình đối thoại với các sở", "Báo tỉnh", ""],
            ["1", "Giải đáp vướng mắc", "Lãnh đạo Sở Y tế", "Tháng 3/2026"],
            ["2", "Giải đáp kiến nghị", "Lãnh đạo Sở Tư pháp", "Tháng 4/2026"],
            ["b", "Chương trình đối thoại với các xã", "Báo tỉnh", ""],
            ["1", "Giải đáp vướng mắc", "Lãnh đạo UBND xã A", "Tháng 5/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True), find_header(rows), gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("a", ""), ("a.1", "a"), ("a.2", "a"), ("b", ""),
                                                         ("b.1", "b")]
    assert tasks[0].lead_raw == "Báo tỉnh"


def test_a_scanned_letter_group_row_spanning_the_number_and_content_cells(gaz):
    rows = [SCHEDULE, ["a) Chương trình đối thoại với các sở", "", "Báo tỉnh", ""],
            ["1", "Giải đáp vướng mắc", "Lãnh đạo Sở Y tế", "Tháng 3/2026"],
            ["2", "Giải đáp kiến nghị", "Lãnh đạo Sở Tư pháp", "Tháng 4/2026"],
            ["b) Chương trình đối thoại với các xã", "", "Báo tỉnh", ""],
            ["1", "Giải đáp vướng mắc", "Lãnh đạo UBND xã A", "Tháng 5/2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True, confidence=0.9), find_header(rows), gaz)
    assert [(t.task_no, t.parent_no, t.content) for t in tasks][:2] == [
        ("a", "", "Chương trình đối thoại với các sở"), ("a.1", "a", "Giải đáp vướng mắc")]
    assert [t.task_no for t in tasks][3:] == ["b", "b.1"]


def test_letter_items_under_a_numbered_row_stay_its_items(gaz):
    rows = [SCHEDULE, ["1", "Cải cách thể chế", "Sở Tư pháp", "Năm 2026"],
            ["a", "Rà soát văn bản", "Sở Tư pháp", "Quý I/2026"],
            ["b", "Kiểm tra văn bản", "Sở Tư pháp", "Quý II/2026"],
            ["2", "Cải cách thủ tục", "Sở Nội vụ", "Năm 2026"]]
    tasks = rows_to_tasks(TableBlock(rows=rows, ruled=True), find_header(rows), gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("1", ""), ("a", "1"), ("b", "1"), ("2", "")]
