from pathlib import Path

from extractors.model import ExtractedDoc, Line, TableBlock
from normalizers.encodings import from_unicode
from pipeline.repair import legacy_lines_to_unicode, restore_doc

CORRECT = ["Ủy ban nhân dân huyện Si Ma Cai ban hành kế hoạch thực hiện nhiệm vụ năm 2025",
           "Giao Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức thực hiện"]


def _doc(lines: list[str], rows: list[list[str]]) -> ExtractedDoc:
    return ExtractedDoc(path=Path("x.txt"), items=[*(Line(text=t) for t in lines), TableBlock(rows=rows)], pages=1)


def test_a_correct_document_keeps_its_names_cells_and_signature():
    rows = [["1", "Nay Phi La", "Trạm Y tế xã"], ["2", "Giàng Seo Phử", "Si Ma Cai"]]
    doc = _doc([*CORRECT, "KT. CHỦ TỊCH", "Nguyễn Quý Thịnh"], [list(r) for r in rows])
    assert restore_doc(doc) == 0
    assert [ln.text for ln in doc.lines()] == [*CORRECT, "KT. CHỦ TỊCH", "Nguyễn Quý Thịnh"]
    assert doc.tables()[0].rows == rows and doc.tables()[0].raw_rows is None


def test_a_stripped_document_is_restored_cells_too():
    doc = _doc(["Ke hoach thuc hien nhiem vu nam 2025 cua Uy ban nhan dan tinh"],
               [["1", "So Noi vu chu tri thuc hien"]])
    assert restore_doc(doc) == 2
    assert doc.lines()[0].text == "Kế hoạch thực hiện nhiệm vụ năm 2025 của Ủy ban nhân dân tỉnh"
    assert doc.tables()[0].rows[0][1] == "Sở Nội vụ chủ trì thực hiện"
    assert doc.tables()[0].raw_rows == [["1", "So Noi vu chu tri thuc hien"]]


def test_legacy_cells_convert_with_the_documents_encoding():
    text = [from_unicode(t, "tcvn3") for t in CORRECT]
    doc = _doc(text, [["1", from_unicode("Sở Tài chính", "tcvn3")]])
    restore_doc(doc)
    assert [ln.text for ln in doc.lines()] == CORRECT and doc.lines()[0].raw == text[0]
    assert doc.tables()[0].rows[0][1] == "Sở Tài chính"


def test_one_encoding_for_a_whole_text():
    lines = [from_unicode(t, "vni") for t in [*CORRECT, "Trung tâm"]]
    assert legacy_lines_to_unicode(lines) == [*CORRECT, "Trung tâm"]
    assert legacy_lines_to_unicode(CORRECT) == CORRECT
