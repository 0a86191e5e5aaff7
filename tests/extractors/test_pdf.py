from pathlib import Path

import pytest

from extractors.pdf import layer_reads_as_vietnamese, pdf_to_doc
from normalizers.errors import CorruptFileError, EmptyFileError
from normalizers.text import strip_diacritics
from pipeline.layout import stitch_tables
from tests.conftest import RENDER

PLAN_TABLE = RENDER / "pdf" / "002_7f6332463eda1f90.pdf"


def test_ruled_table_over_pages_is_found_on_each_page():
    doc = pdf_to_doc(PLAN_TABLE)
    tables = doc.tables()
    assert [t.page for t in tables] == [1, 2, 3]
    assert all(t.at_page_top for t in tables[1:])
    stitched = [t for t in stitch_tables(doc.items) if hasattr(t, "rows")]
    assert len(stitched) == 1
    numbers = [r[0] for r in stitched[0].rows if r[0] not in ("STT", "ST T")]
    assert numbers[:4] == ["1", "2", "2.1", "2.2"] and numbers[-1] == "8.3"


def test_cell_merged_across_rows_repeats_in_each_row():
    rows = {r[0]: r for t in pdf_to_doc(PLAN_TABLE).tables() for r in t.rows}
    # 4.2 and 4.3 share one merged 'Văn phòng Sở' cell in the rendering
    assert rows["4.2"][2] == rows["4.3"][2] == "Văn phòng Sở"


def test_group_row_merged_across_columns_keeps_text_once():
    rows = {r[0]: r for t in pdf_to_doc(PLAN_TABLE).tables() for r in t.rows}
    assert rows["2"][1].startswith("100% các biểu mẫu") and rows["2"][2:] == ["", "", "", ""]


def test_prose_lines_keep_bold_headings():
    lines = pdf_to_doc(RENDER / "pdf" / "000_d3e6754d1f77fa1f.pdf").lines()
    heading = next(ln for ln in lines if ln.text.startswith("II. NỘI DUNG TRIỂN KHAI"))
    assert heading.bold and heading.new_para


def test_not_a_pdf_is_reported(tmp_path: Path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(CorruptFileError, match="scan.pdf"):
        pdf_to_doc(f)


def test_truncated_pdf_is_reported(tmp_path: Path):
    f = tmp_path / "cut.pdf"
    f.write_bytes(PLAN_TABLE.read_bytes()[:3000])
    with pytest.raises(CorruptFileError):
        pdf_to_doc(f)


def test_zero_byte_pdf(tmp_path: Path):
    f = tmp_path / "zero.pdf"
    f.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        pdf_to_doc(f)


MARKED = ("Sở Giáo dục và Đào tạo yêu cầu thủ trưởng các đơn vị, trường học thực hiện nghiêm túc các nội dung "
          "sau đây về bảo đảm trật tự an toàn giao thông cho học sinh, sinh viên trong dịp nghỉ hè năm nay.")


def test_layer_quality_tells_vietnamese_from_an_english_model_ocr_layer():
    stripped = strip_diacritics(MARKED).split()
    assert layer_reads_as_vietnamese(MARKED.split())
    assert not layer_reads_as_vietnamese(stripped)
    assert not layer_reads_as_vietnamese([w.encode().decode("latin-1") for w in MARKED.split()])  # mojibake
    assert layer_reads_as_vietnamese(stripped[:20])  # too few words to judge


def test_a_scan_whose_hidden_layer_lost_its_marks_is_read_by_ocr(tmp_path: Path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extractors.ocr import OcrOptions, render_pdf_page
    from tools.make_samples import register_fonts

    register_fonts()
    printed, scan = tmp_path / "printed.pdf", tmp_path / "scan.pdf"
    c = canvas.Canvas(str(printed), pagesize=A4)
    c.setFont("serif", 13)
    for i in range(0, len(MARKED), 70):
        c.drawString(60, 760 - i // 70 * 22, MARKED[i:i + 70])
    c.save()
    image = tmp_path / "page.png"
    render_pdf_page(printed, 0, 200).save(image)
    c = canvas.Canvas(str(scan), pagesize=A4)
    c.drawImage(str(image), 0, 0, *A4)
    text = c.beginText(60, 760)
    text.setTextRenderMode(3)  # invisible, as OCR software lays its text over the scan
    text.setFont("Helvetica", 13)
    for i in range(0, len(MARKED), 70):
        text.textLine(strip_diacritics(MARKED[i:i + 70]).replace("Đ", "D").replace("đ", "d"))
    c.drawText(text)
    c.save()
    doc = pdf_to_doc(scan, ocr=OcrOptions())
    assert doc.method == "ocr"
    assert "Giáo dục" in " ".join(ln.text for ln in doc.lines())
