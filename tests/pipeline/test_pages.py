"""Page text from extracted documents, and its Markdown."""

from pathlib import Path

import pytest

from extractors.model import ExtractedDoc, Line, TableBlock
from normalizers.errors import NoTextError
from pipeline.pages import (
    CELL_SEP,
    doc_to_page_rows,
    items_to_text,
    pages_to_markdown,
    rows_to_text,
    text_to_items,
)

DOC_ID = "ab" * 8


def _doc(items, pages=1, **kw) -> ExtractedDoc:
    return ExtractedDoc(path=Path("in/kế hoạch.pdf"), items=items, pages=pages, **kw)


def test_a_table_is_its_rows_on_their_own_lines_cells_separated_in_reading_order():
    rows = [["TT", "Nội dung", "Chủ trì"], ["1", "Rà soát\nthủ tục", ""], ["", "", ""]]
    assert rows_to_text(rows) == ["TT | Nội dung | Chủ trì", "1 | Rà soát thủ tục | "]
    text = items_to_text([Line("KẾ HOẠCH", new_para=True), Line("Triển khai", new_para=True),
                          Line("năm 2026", new_para=False), TableBlock(rows=rows), Line("Nơi nhận:")])
    assert text == "KẾ HOẠCH\n\nTriển khai\nnăm 2026\n\nTT | Nội dung | Chủ trì\n1 | Rà soát thủ tục | \n\nNơi nhận:"


def test_text_is_what_the_parsers_read_and_text_raw_what_was_extracted():
    items = [Line("Sở Tài chính", raw="So Tai chinh"), Line("Kế hoạch"),
             TableBlock(rows=[["Sở Nội vụ", "2026"]], raw_rows=[["So Noi vu", "2026"]])]
    assert items_to_text(items) == "Sở Tài chính\nKế hoạch\n\nSở Nội vụ | 2026"
    assert items_to_text(items, raw=True) == "So Tai chinh\nKế hoạch\n\nSo Noi vu | 2026"


def test_every_page_has_a_row_with_its_method_and_ocr_confidence():
    items = [Line("Trang một", page=1), TableBlock(rows=[["a", "b"]], page=3), Line("Trang ba", page=3)]
    rows = doc_to_page_rows(_doc(items, pages=3, method="ocr", ocr_confidence={1: 0.91, 2: 0.0, 3: 0.876543}),
                            DOC_ID, "in/kế hoạch.pdf")
    assert [(r["page"], r["method"], r["confidence"]) for r in rows] == [(1, "ocr", 0.91), (2, "ocr", 0.0),
                                                                         (3, "ocr", 0.8765)]
    assert [r["text"] for r in rows] == ["Trang một", "", "a | b\n\nTrang ba"]
    assert {(r["doc_id"], r["source_file"]) for r in rows} == {(DOC_ID, "in/kế hoạch.pdf")}


def test_a_pdf_with_some_scanned_pages_says_which_were_read_by_ocr():
    items = [Line("lớp chữ", page=1), Line("ảnh quét", page=2)]
    rows = doc_to_page_rows(_doc(items, pages=2, ocr_confidence={2: 0.8}), DOC_ID, "x.pdf")
    assert [(r["method"], r["confidence"]) for r in rows] == [("text", None), ("ocr", 0.8)]


def test_a_file_without_page_breaks_is_page_one():
    rows = doc_to_page_rows(_doc([Line("Nội dung")], pages=1), DOC_ID, "x.txt")
    assert [(r["page"], r["method"], r["text"]) for r in rows] == [(1, "text", "Nội dung")]


def test_a_document_without_any_text_is_an_error_naming_the_file():
    with pytest.raises(NoTextError, match="kế hoạch.pdf"):
        doc_to_page_rows(_doc([Line("   ", page=1), TableBlock(rows=[["", ""]], page=2)], pages=2), DOC_ID, "x")


def test_page_text_reads_back_as_the_same_lines_and_tables():
    text = "Mở đầu\ntiếp theo\n\nTT | Nội dung\n1 | Việc | \n\nKết thúc"
    items = text_to_items(text, page=2)
    assert [type(i).__name__ for i in items] == ["Line", "Line", "TableBlock", "Line"]
    assert [i.new_para for i in items if isinstance(i, Line)] == [True, False, True]
    table = items[2]
    assert isinstance(table, TableBlock) and table.rows == [["TT", "Nội dung"], ["1", "Việc", ""]]
    assert items_to_text(items) == text


def test_markdown_has_headings_lists_and_a_pipe_table():
    page1 = "\n\n".join(["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. NHIỆM VỤ CHUNG", "1. Mục đích.",
                         "- Nâng cao chất lượng", "+ ý thức công chức", "- Rà soát thủ tục",
                         "a) Sở Tài chính chủ trì;", "b) Sở Nội vụ phối hợp.",
                         CELL_SEP.join(["TT", "Nội dung", "Chủ trì"]) + "\n"
                         + CELL_SEP.join(["1", "Lập/Báo cáo|Số liệu", ""]),
                         ">= 50% số hồ sơ", "2026. Năm bản lề"])
    md = pages_to_markdown([page1])
    blocks = md.split("\n\n")
    assert blocks[:3] == ["## KẾ HOẠCH", "## I. MỤC ĐÍCH, YÊU CẦU", "### 1. NHIỆM VỤ CHUNG"]
    assert blocks[3] == "1. Mục đích."
    assert blocks[4] == "- Nâng cao chất lượng\n  - ý thức công chức\n- Rà soát thủ tục"
    assert blocks[5] == "- a) Sở Tài chính chủ trì;\n- b) Sở Nội vụ phối hợp."
    assert blocks[6] == "| TT | Nội dung | Chủ trì |\n| --- | --- | --- |\n| 1 | Lập/Báo cáo\\|Số liệu |  |"
    assert blocks[7:] == ["\\>= 50% số hồ sơ", "2026\\. Năm bản lề\n"]


def test_a_table_going_on_over_the_next_page_is_one_markdown_table_without_its_repeated_header():
    head = CELL_SEP.join(["TT", "Nội dung"])
    md = pages_to_markdown([f"Phụ lục\n\n{head}\n1 | Việc một", f"{head}\n2 | Việc hai", "Nơi nhận:"])
    assert md == ("Phụ lục\n\n| TT | Nội dung |\n| --- | --- |\n| 1 | Việc một |\n| 2 | Việc hai |\n\n"
                  "Nơi nhận:\n")


def test_a_capitalised_long_paragraph_is_not_a_heading():
    long = "CĂN CỨ " + "QUYẾT ĐỊNH SỐ 12/QĐ-UBND " * 10
    assert not pages_to_markdown([long]).startswith("#")
