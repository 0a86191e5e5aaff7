import unicodedata
from pathlib import Path

import pytest

from extractors.text import text_to_doc
from normalizers.encodings import ENCODINGS, detect, encoding_of_font, from_unicode, to_unicode, vni_table
from normalizers.restore import is_vietnamese_word

BASES = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
# every non-ASCII Vietnamese letter: 12 vowels × 6 tones, less the 6 plain ASCII ones, plus đ — 67 in all
ALL_LETTERS = sorted({unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES} - set("aeiouy") | {"đ"})


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_vietnamese_letter_round_trips(encoding):
    lower = ALL_LETTERS
    assert len(lower) == 67
    text = "".join(lower)
    if encoding == "tcvn3":  # the ABC fonts have upper case only for the unmarked base letters
        text += "ĂÂĐÊÔƠƯ"
    else:
        text += text.upper()
    assert to_unicode(from_unicode(text, encoding), encoding) == text


def test_tcvn3_as_seen_in_pdfs():
    assert to_unicode("Céng hßa X· héi chñ nghÜa ViÖt Nam", "tcvn3") == "Cộng hòa Xã hội chủ nghĩa Việt Nam"


def test_vni_as_typed():
    assert to_unicode("Xin chaøo caùc baïn, ngöôøi ñöôïc", "vni") == "Xin chào các bạn, người được"
    assert len(vni_table()) > 130


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_detection_picks_the_encoding(encoding):
    text = from_unicode("Kế hoạch nâng cao chỉ số cải cách hành chính của Sở Lao động", encoding)
    assert detect(text, is_vietnamese_word) == encoding
    assert detect("Kế hoạch nâng cao chỉ số", is_vietnamese_word) is None


def test_font_names_say_the_encoding():
    assert encoding_of_font("ABCDEE+.VnTimeH") == ("tcvn3", True)
    assert encoding_of_font(".VnTime") == ("tcvn3", False)
    assert encoding_of_font("VNI-Times") == ("vni", False)
    assert encoding_of_font("TimesNewRomanPSMT") is None


def test_tcvn3_text_file_is_converted(tmp_path: Path):
    f = tmp_path / "old.txt"
    f.write_bytes(from_unicode("Kế hoạch cải cách hành chính năm 2021 của Sở", "tcvn3").encode("latin-1"))
    assert text_to_doc(f).lines()[0].text == "Kế hoạch cải cách hành chính năm 2021 của Sở"


def _upper_font(text: str) -> str:
    """.VnTimeH storage: plain letters upper-case, marked letters on the lower-case TCVN3 codes."""
    return "".join(c.upper() if c.isascii() else c for c in from_unicode(text.lower(), "tcvn3"))


def test_capitals_of_the_upper_case_font_without_its_name():
    assert to_unicode(_upper_font("Ban hành quy định đó"), "tcvn3") == "BAN HÀNH QUY ĐỊNH ĐÓ"
    mixed = from_unicode("Xã hội ", "tcvn3") + _upper_font("quy định")
    assert to_unicode(mixed, "tcvn3") == "Xã hội QUY ĐỊNH"
    assert to_unicode(_upper_font("quy định"), "tcvn3", upper_font=True) == "QUY ĐỊNH"


def test_tcvn3_punctuation_stays_punctuation():
    assert to_unicode(from_unicode("Năm học 2021 – 2022, “Đoàn”…", "tcvn3"), "tcvn3") == "Năm học 2021 – 2022, “Đoàn”…"
