import unicodedata

from normalizers.text import clean, key, nfc, strip_diacritics


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Kế hoạch Đồng Tháp")
    assert nfc(decomposed) == "Kế hoạch Đồng Tháp"
    assert len(nfc(decomposed)) < len(decomposed)


def test_clean_drops_markdown_and_spaces():
    assert clean("**II. NỘI DUNG**\u00a0 TRIỂN  KHAI") == "II. NỘI DUNG TRIỂN KHAI"


def test_key_unifies_dashes_and_case():
    assert key("Phòng Lao động – Việc làm") == key("phòng lao động - việc làm") == "phòng lao động-việc làm"


def test_strip_diacritics_keeps_length_and_maps_d():
    assert strip_diacritics("Đồng Tháp đạt") == "Dong Thap dat"
