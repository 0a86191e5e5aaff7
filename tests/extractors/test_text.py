from pathlib import Path

import pytest

from extractors.model import Line, TableBlock
from extractors.text import bar_rows, lines_to_items, text_to_doc
from normalizers.errors import EmptyFileError
from tests.conftest import RENDER


def test_one_cell_per_line_table_keeps_rows_and_cells():
    doc = text_to_doc(RENDER / "txt" / "002_7f6332463eda1f90.txt")
    tables = doc.tables()
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0] == ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị thực hiện", "Kết quả",
                       "Thời gian thực hiện"]
    row_21 = next(r for r in rows if r[0] == "2.1")
    assert row_21[-1] == "Trước 25/9/2021"
    assert len(rows) == 22  # header + 21 task rows


def test_pipe_rows_become_a_table(tmp_path: Path):
    f = tmp_path / "plan.txt"
    f.write_text("PHỤ LỤC\n| TT | Nội dung | Đơn vị chủ trì |\n|---|---|---|\n| 1 | Rà soát TTHC | Văn phòng Sở |\n",
                 encoding="utf-8")
    items = text_to_doc(f).items
    assert isinstance(items[1], TableBlock)
    assert items[1].rows == [["TT", "Nội dung", "Đơn vị chủ trì"], ["1", "Rà soát TTHC", "Văn phòng Sở"]]


def test_windows_1258_text_is_decoded(tmp_path: Path):
    f = tmp_path / "cp.txt"
    f.write_bytes(b"K\xea\xec ho\x61\xf2ch s\xf4\xec 12")  # Windows-1258: base letters + combining tone marks
    assert "Kế hoạch" in text_to_doc(f).lines()[0].text


def test_empty_file_is_reported(tmp_path: Path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"  \n")
    with pytest.raises(EmptyFileError, match="empty.txt"):
        text_to_doc(f)


def _bar_dump(rows: list[list[str]]) -> list[str]:
    """A Markdown export with one cell per line: '|' before each cell and after each row's last cell."""
    out: list[str] = []
    for row in rows:
        for cell in row:
            out += ["|", *cell.split("\n")] if cell else ["|"]
        out.append("|")
    return out


def test_one_cell_per_line_bar_dump_becomes_a_table():
    rows = [["**TT**", "**Nội dung/nhiệm vụ**", "**Cơ quan chủ trì**", "**Thời gian thực hiện**"],
            ["**I**", "**NHÓM GIẢI\nPHÁP THỂ CHẾ**"],
            ["1", "Rà soát cơ chế,\nchính sách", "Sở Tài chính", "Thường xuyên"],
            ["2", "Đề xuất giải pháp", "", "2026"],
            ["", "Cải thiện *môi trường* đầu tư", "Sở Tài chính", "2027"]]
    items = lines_to_items(["Phụ lục", "", *_bar_dump(rows), "", "Văn bản tiếp theo"])
    tables = [i for i in items if isinstance(i, TableBlock)]
    assert len(tables) == 1
    assert tables[0].rows == [["TT", "Nội dung/nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"],
                              ["I", "NHÓM GIẢI PHÁP THỂ CHẾ"],
                              ["1", "Rà soát cơ chế, chính sách", "Sở Tài chính", "Thường xuyên"],
                              ["2", "Đề xuất giải pháp", "", "2026"],
                              ["", "Cải thiện môi trường đầu tư", "Sở Tài chính", "2027"]]
    assert isinstance(items[-1], Line) and items[-1].text == "Văn bản tiếp theo"


def test_bar_block_that_is_no_task_table_stays_text():
    rows = [["**ỦY BAN NHÂN DÂN TỈNH X**", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**"],
            ["Số: 12/KH-UBND", "X, ngày 1 tháng 2 năm 2026"]]
    items = lines_to_items(_bar_dump(rows))
    assert not any(isinstance(i, TableBlock) for i in items)
    assert any(isinstance(i, Line) and i.text == "Số: 12/KH-UBND" for i in items)


@pytest.mark.parametrize("width", [3, 4, 5])
def test_bar_rows_recover_rows_with_empty_cells(width):
    cells = [f"c{r}{c}" if (r + c) % 3 else "" for r in range(6) for c in range(width)]
    rows = [cells[i:i + width] for i in range(0, len(cells), width)]
    flat: list[str] = []
    for row in rows:
        flat += [*row, ""]
    got, _cost = bar_rows(flat[:-1], width)
    assert got == rows


def test_an_empty_cell_printed_as_a_blank_line_keeps_the_table_whole():
    rows = [["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian", "Ghi chú"],
            ["1", "Rà soát cơ chế", "Sở Tài chính", "Quý IV/2026", ""],
            ["2", "Đề xuất giải pháp", "Sở Nội vụ", "2027", "Nhiệm vụ chuyển tiếp"]]
    # as some exporters print it: the empty cell is a blank line between two bars
    dump = "\n".join(_bar_dump(rows)).replace("|\n|\n|", "|\n\n|\n|").split("\n")
    tables = [i for i in lines_to_items(["Phụ lục", "", *dump, "", "Văn bản tiếp theo"]) if isinstance(i, TableBlock)]
    assert len(tables) == 1
    assert [r[:4] for r in tables[0].rows[1:]] == [["1", "Rà soát cơ chế", "Sở Tài chính", "Quý IV/2026"],
                                                   ["2", "Đề xuất giải pháp", "Sở Nội vụ", "2027"]]


def test_a_bar_block_with_a_page_head_and_two_tables_is_cut_at_each_header():
    from extractors.model import Line, TableBlock
    from extractors.text import lines_to_items

    cells = ["Số: 12/KH-UBND", "Hà Nội, ngày 2 tháng 3 năm 2026", "",
             "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "",
             "1.", "Rà soát quy định", "Sở Tư pháp", "Quý I/2026", "",
             "2.", "Ban hành hướng dẫn", "Sở Nội vụ", "Quý II/2026", "2. Nhiệm vụ khác",
             "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "",
             "1.", "Tổng kết", "Sở Tài chính", "Năm 2026"]
    lines = ["|"]
    for c in cells:
        lines += ([c] if c else []) + ["|"] if c else ["", "|"]
    items = lines_to_items(lines)
    tables = [i for i in items if isinstance(i, TableBlock)]
    texts = [i.text for i in items if isinstance(i, Line)]
    assert [len(t.rows) for t in tables] == [3, 2]
    assert tables[0].rows[2] == ["2.", "Ban hành hướng dẫn", "Sở Nội vụ", "Quý II/2026"]
    assert "Số: 12/KH-UBND" in texts and "2. Nhiệm vụ khác" in texts


def test_column_names_repeated_under_each_group_row_do_not_cut_the_table():
    # a table continued in a second block: each group row is followed by the column names again, printed
    # without the number cell (an empty cell there reads as the end of the row)
    names = ["Nội dung", "Đơn vị thực hiện", "Đơn vị phối hợp", "Thời gian thực hiện", "Sản phẩm đầu ra"]
    rows = [["II", "Phát triển kinh tế số"], names,
            ["2.1", "Triển khai nền tảng", "Sở Nội vụ", "Các sở, ngành", "2026 - 2030", "Nền tảng"],
            ["III", "Phát triển xã hội số"], names,
            ["3.1", "Tổ chức tập huấn", "Sở Tư pháp", "Các huyện", "Năm 2027", "Kế hoạch"]]
    lines = ["|"]
    for row in rows:
        lines += [x for c in row for x in (c, "|")] + ["", "|"]
    items = lines_to_items(lines[:-2])
    tables = [i for i in items if isinstance(i, TableBlock)]
    assert len(tables) == 1 and tables[0].rows[0][0] != "Nội dung"
    assert ["3.1", "Tổ chức tập huấn", "Sở Tư pháp", "Các huyện", "Năm 2027", "Kế hoạch"] in tables[0].rows
