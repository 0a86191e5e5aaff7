from normalizers.text import key
from normalizers.tones import normalize_tones


def test_open_oa_oe_uy_take_the_mark_on_the_first_vowel():
    assert normalize_tones("Khánh Hoà, khoẻ, thuỷ") == "Khánh Hòa, khỏe, thủy"


def test_closed_syllables_and_qu_are_unchanged():
    assert normalize_tones("hoàng toán quý HOÀ") == "hoàng toán quý HÒA"


def test_both_styles_compare_equal_as_keys():
    assert key(normalize_tones("Thanh Hoá")) == key("Thanh Hóa")
