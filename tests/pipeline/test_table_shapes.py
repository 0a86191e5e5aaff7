"""Task tables as real plans print them: header wordings, column orders, two-row headers, merged cells,
restarting groups, tables without a number column, indicator tables."""

from pathlib import Path

import docx
import pytest

from extractors.docx import docx_to_doc
from extractors.model import ExtractedDoc, TableBlock
from pipeline.ingest import context_for, doc_to_tasks
from pipeline.layout import stitch_tables
from pipeline.records import DocMeta, number_uniquely
from pipeline.settings import Settings
from pipeline.tables import cell_role, find_header, is_task_table, rows_to_tasks


@pytest.mark.parametrize(("text", "role"), [
    ("Thời gian trình", "deadline"), ("Thời gian thực hiện/ hoàn thành", "deadline"),
    ("Tiến độ hoàn thành", "deadline"), ("Cơ quan chủ trì thực hiện", "lead"), ("Đơn vị chủ trì", "lead"),
    ("Cơ quan phối hợp thực hiện", "coord"), ("Nội dung hoạt động", "content"), ("Tên nhiệm vụ", "content"),
    ("**NHIỆM VỤ VÀ GIẢI PHÁP**", "content"), ("Sản phẩm dự kiến", "output"), ("Hình thức văn bản", "output"),
    ("Nguồn kinh phí", "funding"), ("Ghi chú", "note"), ("STT", "no"), ("T T", "no"),
    ("THOI GIAN HOAN THANH", "deadline"),
])
def test_header_wordings_name_their_role(text, role):
    assert cell_role(text)[0] == role


def test_running_text_is_no_header_cell():
    assert cell_role("Phối hợp với Sở Tài chính xây dựng dự toán kinh phí hằng năm")[0] == ""


def _tasks(rows, gaz, **kw):
    table = TableBlock(rows=rows, **kw)
    header = find_header(rows)
    assert header is not None
    return rows_to_tasks(table, header, gaz)


def test_any_column_order(gaz):
    rows = [["Thời hạn", "Cơ quan phối hợp", "Nhiệm vụ", "Cơ quan chủ trì", "TT"],
            ["Quý II/2026", "Sở Tài chính", "Xây dựng đề án", "Sở Nội vụ", "1"],
            ["Năm 2027", "Công an tỉnh", "Tổng kết đề án", "Sở Nội vụ", "2"]]
    tasks = _tasks(rows, gaz)
    assert [(t.task_no, t.content, t.lead_raw, t.coord_raw, t.deadline_raw) for t in tasks] == [
        ("1", "Xây dựng đề án", "Sở Nội vụ", "Sở Tài chính", "Quý II/2026"),
        ("2", "Tổng kết đề án", "Sở Nội vụ", "Công an tỉnh", "Năm 2027")]


def test_deadline_first_merged_down_its_group_applies_to_each_row(gaz):
    rows = [["Thời gian thực hiện", "STT", "Nội dung công việc", "Đơn vị chủ trì"],
            ["Quý I/2026", "1", "Rà soát thủ tục", "Văn phòng"],
            ["", "2", "Công khai thủ tục", "Sở Tư pháp"],
            ["Quý III/2026", "3", "Đánh giá kết quả", "Văn phòng"]]
    tasks = _tasks(rows, gaz)
    assert [t.deadline_raw for t in tasks] == ["Quý I/2026", "Quý I/2026", "Quý III/2026"]


def test_two_row_header_in_a_grid_keeps_the_coordinating_column(gaz):
    rows = [["STT", "Nội dung", "Đơn vị thực hiện", "", "Thời gian"],
            ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"],
            ["1", "Xây dựng kế hoạch", "Sở Nội vụ", "Sở Tài chính", "Tháng 3/2026"]]
    header = find_header(rows)
    assert header is not None and header.roles == ["no", "content", "lead", "coord", "deadline"]
    t = rows_to_tasks(TableBlock(rows=rows, ruled=True), header, gaz)[0]
    assert (t.lead_raw, t.coord_raw, t.deadline_raw) == ("Sở Nội vụ", "Sở Tài chính", "Tháng 3/2026")


def test_two_row_header_in_a_text_dump_spreads_the_group_cell(gaz):
    rows = [["STT", "Nội dung", "Đơn vị thực hiện", "Thời gian"], ["Chủ trì", "Phối hợp"],
            ["1", "Xây dựng kế hoạch", "Sở Nội vụ", "Sở Tài chính", "Tháng 3/2026"]]
    header = find_header(rows)
    assert header is not None and header.roles == ["no", "content", "lead", "coord", "deadline"]


def test_unit_column_beside_a_chu_tri_column_is_coordinating():
    header = find_header([["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan thực hiện", "Thời hạn"]])
    assert header is not None and header.roles == ["no", "content", "lead", "coord", "deadline"]


def test_groups_restarting_at_one_get_unique_numbers(gaz):
    rows = [["TT", "Nội dung", "Chủ trì"],
            ["I", "Kinh tế số", ""], ["1", "Phát triển doanh nghiệp số", "Sở Công Thương"],
            ["2", "Thương mại điện tử", "Sở Công Thương"],
            ["", "II. Xã hội số", ""], ["1", "Phủ sóng 5G", "Sở Khoa học và Công nghệ"]]
    tasks = _tasks(rows, gaz)
    assert [(t.task_no, t.parent_no, t.content) for t in tasks] == [
        ("I", "", "Kinh tế số"), ("I.1", "I", "Phát triển doanh nghiệp số"), ("I.2", "I", "Thương mại điện tử"),
        ("II", "", "Xã hội số"), ("II.1", "II", "Phủ sóng 5G")]


def test_numbers_that_do_not_restart_keep_their_printed_form(gaz):
    rows = [["TT", "Nội dung", "Chủ trì"], ["I", "Kinh tế số", ""], ["1", "Doanh nghiệp số", "Sở Công Thương"],
            ["II", "Xã hội số", ""], ["2", "Phủ sóng 5G", "Sở Khoa học và Công nghệ"]]
    assert [t.task_no for t in _tasks(rows, gaz)] == ["I", "1", "II", "2"]


def test_letter_groups_over_numbered_rows(gaz):
    rows = [["TT", "Nội dung", "Chủ trì"], ["A", "Cấp tỉnh", ""], ["1", "Ban hành kế hoạch", "Sở Nội vụ"],
            ["B", "Cấp xã", ""], ["1", "Ban hành kế hoạch", "UBND các xã"]]
    tasks = _tasks(rows, gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("A", ""), ("A.1", "A"), ("B", ""), ("B.1", "B")]


def test_table_without_a_number_column(gaz):
    rows = [["Nội dung công việc", "Đơn vị chủ trì", "Thời gian hoàn thành"],
            ["Xây dựng kế hoạch", "Sở Nội vụ", "Tháng 3/2026"],
            ["Tổ chức hội nghị", "Sở Nội vụ", "Tháng 6/2026"],
            ["Báo cáo kết quả", "Văn phòng", "Tháng 12/2026"]]
    tasks = _tasks(rows, gaz, ruled=True)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("-1", ""), ("-2", ""), ("-3", "")]


def test_unnumbered_rows_under_a_numbered_one(gaz):
    rows = [["TT", "Nội dung", "Chủ trì", "Thời gian"], ["1", "Tuyên truyền", "", ""],
            ["", "- Đăng tin trên cổng thông tin", "Văn phòng", "Quý I/2026"],
            ["", "- Tổ chức hội nghị", "Sở Nội vụ", "Quý II/2026"]]
    tasks = _tasks(rows, gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [("1", ""), ("1.-1", "1"), ("1.-2", "1")]


def test_a_number_repeated_across_tables_is_made_unique():
    from pipeline.records import RawTask

    tasks = [RawTask(task_no=n, parent_no=p, content=c) for n, p, c in
             [("1", "", "a"), ("1.1", "1", "b"), ("1", "", "c"), ("1.1", "1", "d")]]
    assert [(t.task_no, t.parent_no) for t in number_uniquely(tasks)] == [
        ("1", ""), ("1.1", "1"), ("1#2", ""), ("1.1#2", "1#2")]


def test_indicator_table_is_not_a_task_table():
    header = find_header([["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2030"]])
    assert header is None or not is_task_table(header)


def test_raw_rows_stay_aligned_when_a_restored_part_joins_a_plain_one(gaz):
    """The shape that lost whole documents: the first page's part restored, the next page's part not."""
    header = ["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian"]
    first = TableBlock(rows=[header, ["1", "Rà soát thủ tục", "Văn phòng", "Quý I/2026"]], page=1, ruled=True,
                       raw_rows=[header, ["1", "Ra soat thu tuc", "Van phong", "Quy I/2026"]])
    second = TableBlock(rows=[["2", "Công khai thủ tục", "Văn phòng", "Quý II/2026"],
                              ["3", "Báo cáo kết quả", "Văn phòng", "Quý IV/2026"]], page=2, at_page_top=True,
                        ruled=True)
    (table,) = stitch_tables([first, second])
    assert table.raw_rows is not None and len(table.raw_rows) == len(table.rows)
    tasks = rows_to_tasks(table, find_header(table.rows), gaz)
    assert [t.content_raw for t in tasks] == ["Ra soat thu tuc", "Công khai thủ tục", "Báo cáo kết quả"]


def test_a_failing_table_is_skipped_with_a_warning_and_the_rest_is_parsed(monkeypatch):
    import pipeline.ingest as ingest

    good = TableBlock(rows=[["TT", "Nội dung", "Đơn vị chủ trì"], ["1", "Rà soát thủ tục", "Văn phòng"]])
    bad = TableBlock(rows=[["STT", "Nhiệm vụ", "Cơ quan chủ trì"], ["1", "Công khai", "Văn phòng"]], page=3)
    real = ingest.rows_to_tasks

    def flaky(table, header, gaz, section="Phụ lục"):
        if table is bad:
            raise IndexError("list index out of range")
        return real(table, header, gaz, section)

    monkeypatch.setattr(ingest, "rows_to_tasks", flaky)
    settings = Settings()
    doc = ExtractedDoc(path=Path("x.txt"), items=[good, bad], pages=3)
    tasks = doc_to_tasks(doc, [], DocMeta(), context_for(settings), settings)
    assert [t.content for t in tasks] == ["Rà soát thủ tục"]
    assert any("table 2 (page 3) skipped" in w and "IndexError" in w for w in doc.warnings)


def test_word_table_with_spans_and_merges(tmp_path: Path, gaz):
    d = docx.Document()
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "STT"
    t.cell(0, 1).merge(t.cell(1, 1)).text = "Nội dung công việc"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "Đơn vị thực hiện"
    t.cell(1, 2).text, t.cell(1, 3).text = "Chủ trì", "Phối hợp"
    t.cell(0, 4).merge(t.cell(1, 4)).text = "Thời gian thực hiện/ hoàn thành"
    t.cell(2, 0).text, t.cell(2, 1).text = "1", "Rà soát thủ tục hành chính"
    t.cell(3, 0).text, t.cell(3, 1).text = "2", "Công khai thủ tục hành chính"
    t.cell(4, 0).text, t.cell(4, 1).text = "3", "Báo cáo kết quả"
    t.cell(2, 2).merge(t.cell(3, 2)).text = "Văn phòng"
    t.cell(2, 3).text, t.cell(3, 3).text = "Sở Tư pháp", "Sở Nội vụ"
    t.cell(4, 2).text, t.cell(4, 3).text = "Sở Nội vụ", ""
    t.cell(2, 4).merge(t.cell(4, 4)).text = "Năm 2026"
    f = tmp_path / "t.docx"
    d.save(str(f))
    table = docx_to_doc(f).tables()[0]
    tasks = rows_to_tasks(table, find_header(table.rows), gaz)
    assert [(t.task_no, t.lead_raw, t.coord_raw, t.deadline_raw) for t in tasks] == [
        ("1", "Văn phòng", "Sở Tư pháp", "Năm 2026"), ("2", "Văn phòng", "Sở Nội vụ", "Năm 2026"),
        ("3", "Sở Nội vụ", "", "Năm 2026")]


def test_indicator_table_does_not_hide_the_prose_tasks():
    from extractors.model import Line
    from pipeline.layout import lines_to_paras

    indicators = TableBlock(rows=[["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện năm 2025", "Kế hoạch 2026"],
                                  ["1", "Tỷ lệ hồ sơ trực tuyến", "%", "80", "90"],
                                  ["2", "Số thủ tục được rà soát", "thủ tục", "40", "50"]])
    lines = [Line(text="II. NHIỆM VỤ VÀ GIẢI PHÁP", new_para=True, bold=True),
             Line(text="1. Sở Nội vụ chủ trì rà soát quy trình nội bộ, hoàn thành trong quý II năm 2026.",
                  new_para=True),
             Line(text="2. Văn phòng tổ chức tập huấn cho cán bộ, công chức.", new_para=True)]
    settings = Settings()
    doc = ExtractedDoc(path=Path("x.txt"), items=[indicators, *lines], pages=1)
    tasks = doc_to_tasks(doc, lines_to_paras(lines), DocMeta(doc_type="Kế hoạch"), context_for(settings), settings)
    assert any("rà soát quy trình nội bộ" in t.content for t in tasks)
    assert not any(t.source_section.startswith("Phụ lục") for t in tasks)


def test_a_headerless_table_after_a_task_table_continues_it(gaz):
    from extractors.model import Line
    from pipeline.layout import join_headerless_parts

    head = TableBlock(rows=[["TT", "Nội dung", "Đơn vị chủ trì"], ["1", "Rà soát thủ tục", "Văn phòng"]])
    rest = TableBlock(rows=[["2", "Công khai thủ tục", "Sở Tư pháp"]], page=2)
    other = TableBlock(rows=[["a", "b"]])
    items = join_headerless_parts([head, Line(text="2"), rest, Line(text="x" * 200), other],
                                  lambda t: find_header(t.rows) is not None)
    assert [len(i.rows) for i in items if isinstance(i, TableBlock)] == [3, 1]
    assert [t.task_no for t in rows_to_tasks(items[0], find_header(items[0].rows), gaz)] == ["1", "2"]


def test_numbers_an_ocr_misread_are_put_back_in_sequence(gaz):
    rows = [["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
            ["I", "Nhóm cơ chế", "", ""], ["1", "Rà soát chính sách", "Sở Tài chính", "2026"],
            ["II", "Nhóm công nghệ", "", ""], ["1", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "2026"],
            ["", "Phát triển hệ sinh thái", "Sở Công Thương", "2027"],
            ["II", "Nhóm nhân lực", "", ""], ["1", "Đào tạo nhân lực", "Sở Nội vụ", "2026"],
            ["z", "Tập huấn", "Sở Nội vụ", "2027"], ["", "Nhóm thị trường", "", ""],
            ["1", "Kết nối cung cầu", "Sở Công Thương", "2028"]]
    tasks = _tasks(rows, gaz, ruled=True)
    assert [t.task_no for t in tasks] == ["I", "I.1", "II", "II.1", "II.2", "III", "III.1", "III.2", "IV", "IV.1"]


def test_text_dump_blank_lead_and_deadline_cells_share_the_merged_value(gaz):
    rows = [["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"],
            ["1", "Rà soát thủ tục", "Văn phòng", "Sở Tư pháp", "Năm 2026"],
            ["2", "Công khai thủ tục", "", "Sở Nội vụ", ""],
            ["3", "Báo cáo kết quả", "Sở Nội vụ", "", "Quý IV/2026"]]
    tasks = _tasks(rows, gaz)
    assert [(t.lead_raw, t.coord_raw, t.deadline_raw) for t in tasks] == [
        ("Văn phòng", "Sở Tư pháp", "Năm 2026"), ("Văn phòng", "Sở Nội vụ", "Năm 2026"),
        ("Sở Nội vụ", "", "Quý IV/2026")]


def test_a_part_repeating_the_header_continues_the_table_and_its_groups(gaz):
    from pipeline.layout import join_headerless_parts

    header = ["TT", "Nội dung", "Đơn vị chủ trì"]
    first = TableBlock(rows=[header, ["I", "Cơ chế", ""], ["1", "Rà soát", "Văn phòng"],
                             ["II", "Công nghệ", ""], ["1", "Hỗ trợ", "Sở Công Thương"]])
    second = TableBlock(rows=[list(header), ["2", "Kết nối", "Sở Công Thương"]], page=2)
    (table,) = join_headerless_parts([first, second], lambda t: find_header(t.rows) is not None)
    tasks = rows_to_tasks(table, find_header(table.rows), gaz)
    assert [(t.task_no, t.parent_no) for t in tasks] == [
        ("I", ""), ("I.1", "I"), ("II", ""), ("II.1", "II"), ("II.2", "II")]


def test_a_markdown_export_with_one_cell_per_line_gives_its_table_tasks(tmp_path: Path):
    from pipeline.ingest import ingest_file

    cells = [["**STT**", "**Nội dung công việc**", "**Cơ quan chủ trì thực hiện**", "**Thời gian trình**"],
             ["**I**", "**Nhóm thể chế**"], ["1", "Xây dựng quy chế", "Sở Nội vụ", "Quý I/2026"],
             ["2", "Sửa đổi quy định", "Sở Tư pháp", "Quý II/2026"], ["**II**", "**Nhóm tổ chức**"],
             ["1", "Tổ chức hội nghị", "Văn phòng", "Tháng 6/2026"]]
    lines = ["**KẾ HOẠCH**", "", "Triển khai nhiệm vụ năm 2026", "", "**PHỤ LỤC**", ""]
    for row in cells:
        for c in row:
            lines += ["|", c]
        lines.append("|")
    f = tmp_path / "plan.md"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(f, Settings())
    assert result.status == "ok", result.message
    tasks = result.tables["tasks"]
    assert [(t["task_no"], t["parent_no"]) for t in tasks] == [
        ("I", ""), ("I.1", "I"), ("I.2", "I"), ("II", ""), ("II.1", "II")]
    assert all(t["source_section"].startswith("Phụ lục") for t in tasks)
    assert [t["deadline_raw"] for t in tasks][1:3] == ["Quý I/2026", "Quý II/2026"]
    assert tasks[1]["lead_units_raw"] == "Sở Nội vụ"


def test_numbers_written_in_the_content_cell(gaz):
    rows = [["Nội dung công việc", "Đơn vị chủ trì", "Thời gian"], ["1. Nhóm thể chế", "", ""],
            ["1.1. Xây dựng quy chế", "Sở Nội vụ", "Quý I/2026"], ["1.2. Sửa đổi quy định", "Sở Tư pháp", "2026"]]
    tasks = _tasks(rows, gaz, ruled=True)
    assert [(t.task_no, t.parent_no, t.content) for t in tasks] == [
        ("1", "", "Nhóm thể chế"), ("1.1", "1", "Xây dựng quy chế"), ("1.2", "1", "Sửa đổi quy định")]


def test_raw_content_loses_the_number_the_content_lost(gaz):
    rows = [["Nội dung công việc", "Đơn vị chủ trì"], ["1. Xây dựng quy chế", "Sở Nội vụ"]]
    table = TableBlock(rows=rows, raw_rows=[list(rows[0]), ["1. Xay dung quy che", "So Noi vu"]])
    (task,) = rows_to_tasks(table, find_header(rows), gaz)
    assert (task.task_no, task.content, task.content_raw) == ("1", "Xây dựng quy chế", "Xay dung quy che")


def test_a_table_inside_a_cell_does_not_cut_the_task_table_from_its_next_page(gaz):
    from pipeline.layout import join_headerless_parts

    head = TableBlock(rows=[["TT", "Nội dung", "Đơn vị chủ trì"], ["1", "Hướng dẫn đăng ký", "Sở Xây dựng"]], page=5)
    nested = TableBlock(rows=[["Hướng dẫn đăng ký", ""], ["phương tiện thủy", ""]], page=5)
    rest = TableBlock(rows=[["2", "Xây dựng kế hoạch thanh tra", "Thanh tra tỉnh"]], page=6, at_page_top=True)
    items = join_headerless_parts([head, nested, rest], lambda t: find_header(t.rows) is not None)
    assert [len(i.rows) for i in items if isinstance(i, TableBlock)] == [3, 2]
    assert [t.task_no for t in rows_to_tasks(items[0], find_header(items[0].rows), gaz)] == ["1", "2"]
