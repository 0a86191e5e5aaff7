import numpy as np

from extractors.ocr_columns import FootColumns, column_words, foot_columns, foot_reread, name_line

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
    gray, words = page(RECIPIENTS + SIGNER)
    gray[960:966, 900:1900] = 20  # a signature's stroke across the channel
    foot = foot_columns(gray, words)
    assert foot is not None
    assert (foot.top, foot.bottom) == (790, 1110)
    assert 1100 < foot.cut < 1350


def test_prose_to_the_foot_or_one_column_only_is_no_two_column_block():
    gray, words = page([])
    assert foot_columns(gray, words) is None
    gray, words = page(RECIPIENTS)  # the recipients alone, nothing beside them
    assert foot_columns(gray, words) is None
    gray, words = page(RECIPIENTS + SIGNER)
    gray[900:930, 1000:1500] = 20  # a line of text across the channel: not two columns
    foot = foot_columns(gray, words)
    assert foot is None or foot.top > 930


def test_foot_starts_under_the_table_above_it():
    gray, words = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray, words, below=830)
    assert foot is not None and foot.top >= 830


def test_columns_are_read_one_by_one_into_page_coordinates():
    gray = np.full((400, 1000), 255, np.uint8)
    crops = []

    def read(crop):
        crops.append(crop.shape)
        return [{"text": "x", "x0": 25, "top": 30, "x1": 45, "bottom": 50, "conf": 90.0, "key": (1, 1, 1)}]

    out = column_words(gray, FootColumns(top=100, bottom=300, cut=400), read)
    assert [w["column"] for w in out] == ["left", "right"]
    assert [w["x0"] for w in out] == [5, 405]  # 20 px of border taken off, then the column's own x
    assert all(w["top"] == 100 - 10 - 20 + 30 for w in out)
    assert crops[0][1] == 400 + 40 and crops[1][1] == 600 + 40


def test_foot_is_reread_by_column_unless_a_column_reads_less():
    gray, words = page(RECIPIENTS + SIGNER)

    def legible(n):
        return lambda crop: [{"text": "Nơi", "x0": 30, "top": 30 + 40 * i, "x1": 80, "bottom": 60 + 40 * i,
                              "conf": 90.0, "key": (1, 1, i)} for i in range(n)]

    out = foot_reread(gray, words, legible(8), lambda crop: [])
    assert [w.get("column") for w in out if w.get("column")] == ["left"] * 8 + ["right"] * 8
    assert len(out) == 10 + 16  # the prose rows kept, the foot's 11 page-reading words replaced
    # 4 words where the page reading made out 8 recipients: the left column keeps the page reading
    out = foot_reread(gray, words, legible(4), lambda crop: [])
    left = [w for w in out if w.get("column") == "left"]
    assert len(left) == 8 and all(w["x0"] == 200 for w in left)
    assert len([w for w in out if w.get("column") == "right"]) == 4


def test_signers_name_is_read_again_as_one_line_when_that_is_surer():
    gray, words = page(RECIPIENTS + SIGNER)
    foot = foot_columns(gray, words)
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
