import numpy as np

from extractors.ocr_columns import (
    FootColumns,
    column_words,
    foot_columns,
    foot_words,
    ink_line_height,
    name_line,
    without_block,
)
from extractors.ocr_sign import dark_ink

H = 30  # text height in pixels


def word(x0, top, x1):
    return {"text": "chữ", "x0": x0, "top": top, "x1": x1, "bottom": top + H, "conf": 90.0, "key": (1, 1, 1)}


def page(foot_rows):
    """A page of prose (full-width rows of ink) over `foot_rows`: (top, x0, x1) bars of text height."""
    gray = np.full((2000, 2400), 235, np.uint8)
    rows = [(200 + 50 * i, 200, 2200) for i in range(10)] + foot_rows
    for top, x0, x1 in rows:
        gray[top:top + H, x0:x1] = 20
    return gray, [word(x0, top, x1) for top, x0, x1 in rows]


RECIPIENTS = [(800 + 40 * i, 200, 1100) for i in range(8)]  # small print, close together
SIGNER = [(790, 1400, 2100), (845, 1350, 2150), (1040, 1450, 2000)]  # title, then the name under the seal


def test_foot_in_two_columns_is_found_at_its_first_row_and_cut_in_the_channel():
    gray, _ = page(RECIPIENTS + SIGNER)
    gray[960:966, 900:1900] = 20  # a signature's stroke across the channel
    foot = foot_columns(gray)  # the text height measured from the ink
    assert foot is not None
    assert (foot.top, foot.bottom) == (790, 1110)
    assert 1100 < foot.cut < 1350
    assert ink_line_height(dark_ink(gray)) == H


def test_prose_to_the_foot_or_one_column_only_is_no_two_column_block():
    gray, _ = page([])
    assert foot_columns(gray) is None
    gray, _ = page(RECIPIENTS)  # the recipients alone, nothing beside them
    assert foot_columns(gray) is None
    gray, _ = page(RECIPIENTS + SIGNER)
    gray[900:930, 1000:1500] = 20  # a line of text across the channel: not two columns
    foot = foot_columns(gray)
    assert foot is None or foot.top > 930


def test_foot_starts_under_the_table_above_it():
    gray, _ = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray, below=830)
    assert foot is not None and foot.top >= 830


def test_columns_are_read_at_once_one_under_the_other_into_page_coordinates():
    gray = np.full((400, 1000), 255, np.uint8)
    stacks = []

    def read(stack):
        stacks.append(stack.shape)
        return [{"text": "x", "x0": 25, "top": y, "x1": 45, "bottom": y + 20, "conf": 90.0, "key": (1, 1, 1)}
                for y in (30, 300)]

    out = column_words(gray, FootColumns(top=100, bottom=300, cut=400), read)
    # rows 90-310 of each column, a 40-row gap between, 20 px of border round the stack
    assert stacks == [(20 + 220 + 40 + 220 + 20, 600 + 40)]
    assert [(w["column"], w["x0"], w["top"]) for w in out] == [("left", 5, 100), ("right", 405, 110)]


def test_a_column_read_as_too_little_takes_the_page_reading_of_the_block():
    gray, _ = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray)
    assert foot is not None

    def page_read(crop):  # the block read as a page: a word in each column, in the crop's coordinates
        return [{"text": "Nơi", "x0": 220, "top": 50, "x1": 300, "bottom": 80, "conf": 90.0, "key": (1, 1, 1)},
                {"text": "GIÁM", "x0": 1420, "top": 30, "x1": 1500, "bottom": 60, "conf": 90.0, "key": (1, 1, 1)}]

    out = foot_words(gray, foot, lambda stack: [], lambda crop: [], page_read)
    assert [(w["text"], w["column"]) for w in out] == [("Nơi", "left"), ("GIÁM", "right")]
    assert out[0]["x0"] == 200 and out[0]["top"] == foot.top - 10 - 20 + 50


def test_the_block_is_left_out_of_the_page_reading():
    gray, _ = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray)
    assert foot is not None
    blank = without_block(gray, foot)
    assert (blank[foot.top:foot.bottom] == 235).all() and (blank[:foot.top] == gray[:foot.top]).all()


def test_the_block_left_out_of_a_grey_scan_keeps_the_papers_shading():
    gray, _ = page(RECIPIENTS + SIGNER)
    # a scanner's paper that darkens from left to right: a flat band would stand out from it
    shade = np.linspace(0, 60, gray.shape[1]).astype(np.uint8)
    gray = np.where(gray > 100, gray - shade[None, :], gray).astype(np.uint8)
    foot = foot_columns(gray)
    assert foot is not None
    block = without_block(gray, foot)[foot.top:foot.bottom]
    assert block.min() > 100  # no ink left
    assert abs(int(block[:, 100].mean()) - 235) <= 5 and abs(int(block[:, -100].mean()) - 180) <= 5


def test_signers_name_is_read_again_as_one_line_when_that_is_surer():
    gray, words = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray)
    assert foot is not None
    # the column reading: the title, and the name (the lowest line right) misread, at the name's height
    columns = [{"text": t, "x0": foot.cut + 100, "top": top, "x1": foot.cut + 300, "bottom": top + H, "conf": c,
                "key": (1, 1, k), "column": "right"} for k, (t, top, c) in enumerate([("GIÁM", 790, 90.0),
                                                                                     ("TH", 1040, 40.0)])]

    def line(conf):
        return lambda crop: [{"text": "Trương", "x0": 30, "top": 25, "x1": 200, "bottom": 55, "conf": conf,
                              "key": (1, 1, 1)}]

    again = name_line(gray, foot, columns, line(85.0))
    assert [w["text"] for w in again] == ["GIÁM", "Trương"]
    assert again[-1]["key"] != columns[0]["key"]  # its own line, not merged into the column's first
    assert [w["text"] for w in name_line(gray, foot, columns, line(30.0))] == ["GIÁM", "TH"]
