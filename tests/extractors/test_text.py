from pathlib import Path

import pytest

from extractors.model import TableBlock
from extractors.text import text_to_doc
from pipeline.errors import EmptyFileError
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
