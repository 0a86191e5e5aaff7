from pathlib import Path

import docx
import pytest

from extractors.docx import docx_to_doc
from normalizers.errors import CorruptFileError
from tests.conftest import RENDER


def test_word_bullets_are_rendered_as_dashes():
    lines = docx_to_doc(RENDER / "docx" / "000_d3e6754d1f77fa1f.docx").lines()
    bullet = next(ln for ln in lines if "Đăng tải các nội dung" in ln.text and ln.text.startswith("-"))
    assert bullet.text.startswith("- Đăng tải")


def test_vertically_merged_cells_repeat(tmp_path: Path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for r, (no, content) in enumerate([("TT", "Nội dung"), ("1.1", "Xây dựng kế hoạch"), ("1.2", "Báo cáo")]):
        t.cell(r, 0).text, t.cell(r, 1).text = no, content
    t.cell(0, 2).text = "Đơn vị chủ trì"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "Văn phòng Sở"
    f = tmp_path / "m.docx"
    d.save(str(f))
    rows = docx_to_doc(f).tables()[0].rows
    assert [r[2] for r in rows] == ["Đơn vị chủ trì", "Văn phòng Sở", "Văn phòng Sở"]


def test_decimal_numbering_is_rendered(tmp_path: Path):
    d = docx.Document()
    d.add_paragraph("Rà soát thủ tục", style="List Number")
    d.add_paragraph("Công khai thủ tục", style="List Number")
    f = tmp_path / "n.docx"
    d.save(str(f))
    assert [ln.text for ln in docx_to_doc(f).lines()] == ["1. Rà soát thủ tục", "2. Công khai thủ tục"]


def test_not_a_docx_is_reported(tmp_path: Path):
    f = tmp_path / "x.docx"
    f.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptFileError, match="x.docx"):
        docx_to_doc(f)


def test_table_inside_a_content_control_and_rows_starting_right_of_the_grid(tmp_path: Path):
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["TT", "Nội dung", "Chủ trì"]):
        t.cell(0, c).text = text
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = "1", "Rà soát", "Văn phòng"
    tbl = t._tbl
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    tbl.addprevious(sdt)
    content.append(deepcopy(tbl))
    sdt.append(content)
    tbl.getparent().remove(tbl)
    tr = content.find(qn("w:tbl")).findall(qn("w:tr"))[1]
    tr.remove(tr.findall(qn("w:tc"))[0])  # the row now starts one grid column to the right
    tr_pr = OxmlElement("w:trPr")
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.append(before)
    tr.insert(0, tr_pr)
    f = tmp_path / "s.docx"
    d.save(str(f))
    rows = docx_to_doc(f).tables()[0].rows
    assert rows == [["TT", "Nội dung", "Chủ trì"], ["", "Rà soát", "Văn phòng"]]


def test_automatic_numbers_of_a_row_number_column_are_read(tmp_path: Path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "STT", "Nội dung"
    for r, content in ((1, "Rà soát"), (2, "Công khai")):
        t.cell(r, 0).paragraphs[0].style = "List Number"
        t.cell(r, 1).text = content
    f = tmp_path / "n.docx"
    d.save(str(f))
    rows = docx_to_doc(f).tables()[0].rows
    assert [r[0] for r in rows] == ["STT", "1.", "2."]
