import numpy as np

from extractors.ocr_sign import (
    SIGN_KEY,
    dark_ink,
    lowest_band,
    recipients_word,
    shifted,
    signature_words,
    true_runs,
)


def word(text, x0, top, x1=None, h=30, conf=90.0):
    return {"text": text, "x0": x0, "top": top, "x1": x1 or x0 + 20 * len(text), "bottom": top + h, "conf": conf,
            "key": (1, 1, 1)}


def page_with_signature():
    """A grey page: recipients left, a big seal-like blot right, the name's line of ink under it."""
    gray = np.full((1000, 800), 200, np.uint8)
    gray[500:530, 60:300] = 20  # 'Nơi nhận:' and its list, left
    gray[560:760, 450:700] = 40  # the seal and signature
    gray[800:830, 440:720] = 20  # the name
    words = [word("Nơi", 60, 500), word("nhận:", 130, 500), word("-", 60, 560), word("Lưu:", 80, 560)]
    return gray, words


def test_recipients_label_even_without_its_italic_n():
    words = [word("ơi", 60, 500), word("nhận:", 130, 500)]
    assert recipients_word(words, 800) is words[0]
    assert recipients_word([word("ơi", 60, 500), word("nhận", 130, 500)], 800) is None
    assert recipients_word([word("Nơi", 500, 500), word("nhận:", 560, 500)], 800) is None  # right half


def test_lowest_band_is_the_name_line_not_the_seal():
    gray, words = page_with_signature()
    ink = dark_ink(gray[500:, 400:])
    assert lowest_band(ink, 30.0) == (300, 330)
    ink[340:, :] = 255  # a signature running to the bottom: no clear name line
    assert lowest_band(ink, 30.0) is None


def test_name_line_is_read_and_placed_on_the_page():
    gray, words = page_with_signature()
    crops = []

    def read(crop):
        crops.append(crop.shape)
        return [word("_Thiếu", 25, 25), word("tướng", 160, 25), word("Trương", 290, 25), word("~", 420, 25)]

    got = signature_words(gray, words, read)
    assert [w["text"] for w in got] == ["Thiếu", "tướng", "Trương"]
    assert crops and crops[0][0] < 100  # one line, not the column
    assert got[0]["top"] == 500 + 25 - 20 + 300 - 9 and got[0]["key"][0] == SIGN_KEY


def test_column_already_read_is_left_alone():
    gray, words = page_with_signature()
    words.append(word("Nguyễn", 450, 800))
    assert signature_words(gray, words, lambda crop: [word("X", 0, 0)]) == []


def test_runs_of_true_and_a_word_moved_to_page_coordinates():
    assert true_runs(np.array([1, 1, 0, 1, 1, 1, 0], bool)) == [(0, 2), (3, 6)]
    assert true_runs(np.array([0, 0], bool)) == [] and true_runs(np.array([1], bool)) == [(0, 1)]
    w = word("Hưng", 10, 20)
    assert shifted(w, 5, -3, key=(SIGN_KEY, 1, 1)) == {**w, "x0": 15, "x1": w["x1"] + 5, "top": 17,
                                                      "bottom": w["bottom"] - 3, "key": (SIGN_KEY, 1, 1)}
