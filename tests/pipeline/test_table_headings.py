from extractors.model import Line, TableBlock
from pipeline.table_headings import group_by_headings, heading_of, lead_in_roles, table_headings
from pipeline.tables import find_header, rows_to_tasks

HEADER = ["TT", "Nội dung", "Trách nhiệm thực hiện", "Thời gian"]


def _table(*rows: list[str]) -> TableBlock:
    return TableBlock(rows=[HEADER, *rows], ruled=True)


def _tasks(items, gaz):
    tables = [it for it in items if isinstance(it, TableBlock)]
    by_table = [(t, rows_to_tasks(t, find_header(t.rows), gaz)) for t in tables]
    return group_by_headings(by_table, table_headings(items))


def test_letter_headings_over_tables_that_restart_are_their_group_rows(gaz):
    items = [Line("1. Xây dựng các chương trình truyền hình"),
             Line("a) Tổ chức chương trình đối thoại với các sở:"),
             Line("Đài Phát thanh tỉnh chủ trì, phối hợp với các sở, ngành liên quan tổ chức chương trình sau:"),
             _table(["1", "Giải đáp vướng mắc", "Lãnh đạo Sở Y tế", "Tháng 3/2026"],
                    ["2", "Giải đáp kiến nghị", "Lãnh đạo Sở Tư pháp", "Tháng 4/2026"]),
             Line("b) Tổ chức chương trình đối thoại với các xã:"),
             _table(["1", "Giải đáp vướng mắc", "Lãnh đạo UBND xã A", "Tháng 5/2026"])]
    tasks = _tasks(items, gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("a", ""), ("a.1", "a"), ("a.2", "a"), ("b", ""),
                                                         ("b.1", "b")]
    assert tasks[0].content == "Tổ chức chương trình đối thoại với các sở"
    assert (tasks[0].lead_raw, tasks[0].coord_raw) == ("Đài Phát thanh tỉnh", "Các sở, ngành liên quan")
    assert tasks[3].lead_raw == ""


def test_one_table_under_a_heading_keeps_its_numbers(gaz):
    items = [Line("a) Tổ chức chương trình đối thoại:"),
             _table(["1", "Giải đáp vướng mắc", "Lãnh đạo Sở Y tế", "Tháng 3/2026"])]
    assert [t.task_no for t in _tasks(items, gaz)] == ["1"]


def test_a_heading_of_another_kind_between_breaks_the_link():
    lines = [Line("a) Tổ chức chương trình đối thoại:"), Line("2. Tổ chức cuộc thi"), Line("Sở Nội vụ chủ trì.")]
    assert heading_of(lines) is None


def test_an_ocr_heading_wrapped_over_lines_is_one_title():
    lines = [Line("a) Tổ chức, thực hiện chương trình đối thoại"), Line("đối với các sở, ban, ngành:"),
             Line("Báo tỉnh chủ trì, phối hợp với UBND các xã, phường xây dựng nội dung:")]
    h = heading_of(lines)
    assert h is not None and h.no == "a"
    assert h.title == "Tổ chức, thực hiện chương trình đối thoại đối với các sở, ban, ngành"
    assert (h.lead, h.coord) == ("Báo tỉnh", "UBND các xã, phường")


def test_the_lead_in_sentence_that_names_roles_is_found_after_others():
    text = "Nội dung chương trình yêu cầu từng địa phương trả lời; Lãnh đạo các địa phương giới thiệu. " \
           "Sở A chủ trì tổ chức."
    assert lead_in_roles(text) == ("Sở A", "")
