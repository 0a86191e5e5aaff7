"""OCR runs for real here: Tesseract with Vietnamese is installed by the Makefile."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.ocr import (
    _SPECK,
    OcrOptions,
    _as_text,
    _join_lines,
    clean_page,
    find_grids,
    image_to_doc,
    ocr_pages,
    render_pdf_page,
    upscaled,
    without_red_ink,
)
from extractors.pdf import pdf_to_doc
from normalizers.errors import CorruptFileError, OcrTimeoutError, TooLargeError
from tests.conftest import RENDER

SCAN = RENDER / "scan" / "002_7f6332463eda1f90.pdf"


@pytest.fixture(scope="module")
def scanned_tables():
    return pdf_to_doc(SCAN, ocr=OcrOptions(workers=2)).tables()


def test_scanned_phu_luc_gives_rows_like_the_digital_one(scanned_tables):
    rows = {r[0]: r for t in scanned_tables for r in t.rows}
    assert {"2.1", "4.2", "8.3"} <= set(rows)
    assert rows["2.1"][5].replace(" ", "").replace("\n", "") == "Trước25/9/2021"
    assert rows["8.3"][2] == "Văn phòng" and " ".join(rows["8.3"][3].split()).startswith("Các phòng chuyên môn")
    assert all(t.ruled and 0.8 < (t.confidence or 0) <= 1 for t in scanned_tables)


def test_cells_merged_across_rows_repeat_on_scans(scanned_tables):
    rows = {r[0]: r for t in scanned_tables for r in t.rows}
    assert rows["4.2"][2] == rows["4.3"][2] == "Văn phòng\nSở"  # the cell's two lines


def test_grid_finds_merged_cells():
    gray = clean_page(render_pdf_page(RENDER / "pdf" / "002_7f6332463eda1f90.pdf", 0, 150)).straight
    grids, _ = find_grids(gray)
    assert len(grids) == 1
    owners = set(grids[0].owner.values())
    assert len(owners) < len(grids[0].owner)  # some cells span several grid positions


def test_multi_page_tiff_is_read_page_by_page():
    doc = image_to_doc(RENDER / "scan_tiff" / "002_7f6332463eda1f90.tif", OcrOptions(workers=2))
    assert doc.pages == 3 and doc.method == "ocr" and len(doc.tables()) == 3
    assert set(doc.ocr_confidence) == {1, 2, 3} and all(0.5 < c <= 1 for c in doc.ocr_confidence.values())


def test_upside_down_page_is_turned(tmp_path: Path):
    page = render_pdf_page(SCAN, 0, 200).rotate(180)
    f = tmp_path / "upside.png"
    page.save(f)
    text = " ".join(ln.text for ln in image_to_doc(f, OcrOptions()).lines())
    assert "NỘI DUNG CÔNG VIỆC" in text


def test_a_page_that_times_out_fails_alone(tmp_path: Path):
    results = list(ocr_pages(SCAN, [(0, 1)], OcrOptions(timeout=0.01)))
    assert results[0].error and "page 1" in results[0].error
    with pytest.raises(OcrTimeoutError):
        pdf_to_doc(SCAN, ocr=OcrOptions(timeout=0.01))


def test_decompression_bomb_is_refused(tmp_path: Path):
    f = tmp_path / "bomb.png"
    Image.fromarray(np.zeros((12000, 11000), dtype=np.uint8)).save(f, optimize=True)
    with pytest.raises(TooLargeError, match="bomb.png"):
        image_to_doc(f, OcrOptions())


def test_not_an_image(tmp_path: Path):
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"%PDF-1.4 this is not a jpeg")
    with pytest.raises(CorruptFileError, match="photo.jpg"):
        image_to_doc(f, OcrOptions())


def test_red_ink_fades_and_black_and_blue_ink_stay():
    rgb = np.full((10, 30, 3), 250, np.uint8)
    rgb[:, :10] = (200, 30, 40)  # a seal's red
    rgb[:, 10:20] = (20, 20, 20)  # print
    rgb[:, 20:] = (30, 40, 160)  # a pen's blue
    gray = np.asarray(without_red_ink(Image.fromarray(rgb)))
    assert gray[0, 0] >= 190 and gray[0, 15] < 40 and gray[0, 25] < 80


def test_words_in_a_small_ruled_frame_are_left_out(tmp_path: Path):
    import cv2

    page = np.full((1754, 1240), 255, np.uint8)  # A4 at 150 dpi
    cv2.rectangle(page, (80, 300), (430, 420), 0, 3)  # a receipt stamp's frame
    cv2.putText(page, "DEN So 1614", (100, 370), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    for i, text in enumerate(["The plan assigns the tasks below", "to every office of the province"]):
        cv2.putText(page, text, (100, 600 + 60 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    f = tmp_path / "page.png"
    Image.fromarray(page).save(f)
    text = " ".join(ln.text for ln in image_to_doc(f, OcrOptions(lang="eng")).lines())
    assert "plan" in text and "1614" not in text


def test_page_marks_are_corrected_and_the_reading_kept():
    from extractors.model import Line, TableBlock
    from extractors.ocr import PageResult, correct_page

    line = Line(text="Ủy ban nhân dân tĩnh yêu cầu các sở, ngành tô chức thực hiện.")
    table = TableBlock(rows=[["1", "Tô chức thực hiện kế hoạch", "Sở Nội vụ"]])
    correct_page(PageResult(1, [line, table], 0.9))
    assert "nhân dân tỉnh" in line.text and "ngành tổ chức" in line.text
    assert line.raw == "Ủy ban nhân dân tĩnh yêu cầu các sở, ngành tô chức thực hiện."
    assert table.rows[0][1] == "Tổ chức thực hiện kế hoạch" and table.rows[0][2] == "Sở Nội vụ"
    assert table.raw_rows == [["1", "Tô chức thực hiện kế hoạch", "Sở Nội vụ"]]



def _box(text: str, x: int, top: int, bottom: int) -> dict:
    return {"text": text, "x0": x, "x1": x + 20 * len(text), "top": top, "bottom": bottom}


def test_a_cells_words_keep_their_lines_when_a_dash_sits_low():
    """'Từ 20 giờ - 20 giờ 45': the dash's box is a few pixels in the middle of its line, not a line."""
    words = [_box("Từ", 0, 100, 140), _box("20", 70, 104, 140), _box("giờ", 130, 100, 148), _box("-", 210, 118, 122),
             _box("20", 0, 160, 196), _box("giờ", 60, 156, 204), _box("45", 140, 160, 196)]
    assert _join_lines(words) == "Từ 20 giờ -\n20 giờ 45"


def test_a_cells_lines_are_parted_by_newlines():
    """Two units one a line stay apart for the unit splitter: 'Sở Công Thương' / 'Sở Xây dựng'."""
    words = [_box("Sở", 0, 100, 140), _box("Công", 60, 100, 140), _box("Thương", 160, 100, 140),
             _box("Sở", 0, 160, 200), _box("Xây", 60, 160, 200), _box("dựng", 140, 160, 204)]
    assert _join_lines(words) == "Sở Công Thương\nSở Xây dựng"


def test_specks_are_not_words():
    assert _SPECK.fullmatch("¬") and _SPECK.fullmatch("`~") and not _SPECK.fullmatch("-")
    assert not _SPECK.fullmatch("(*)") and not _SPECK.fullmatch("1")
def test_a_read_word_is_nfc_with_its_slash_and_without_a_rules_underscores():
    assert _as_text(" 2 3\u00d8\u2044TTr ") == "2 3Ø/TTr"
    assert _as_text("_2.") == "2." and _as_text("Hoa\u0300__") == "Hoà"
    assert _as_text("___") == "___"  # a blank to fill in stays what it is


def test_a_low_resolution_page_image_is_enlarged_and_a_scan_is_not():
    phone = Image.fromarray(np.full((960, 576), 255, np.uint8))  # an A4 page at some 80 dpi
    assert upscaled(phone).size == (1152, 1920)
    scan = Image.fromarray(np.full((3508, 2480), 255, np.uint8))  # the same page at 300 dpi
    assert upscaled(scan) is scan
