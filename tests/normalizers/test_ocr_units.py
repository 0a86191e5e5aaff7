from normalizers.ocr_units import Speller, without_junk
from normalizers.register import UnitMatch
from normalizers.units import Gazetteer

GAZ = Gazetteer.from_csv()


def _unknown(text: str) -> UnitMatch:
    return UnitMatch(text, text, 0.0, False)


def test_a_misread_name_takes_the_spelling_the_document_gives_it():
    sp = Speller(GAZ, ["thuộc thẩm quyền giải quyết của UBND xã Đức Trọng"])
    assert sp.respell(_unknown("Lãnh đạo Ủy ban nhân dân xã ĐứcTrọng")).unit == \
        "Lãnh đạo Ủy ban nhân dân xã Đức Trọng"


def test_stray_symbols_and_words_inside_a_register_name_are_read_through():
    sp = Speller(GAZ, ["giải quyết của Sở Nông nghiệp và Môi trường"])
    assert sp.respell(_unknown("Lãnh đạo Sở 3» Nông NTA nghiệp la và Môi trường")).unit == \
        "Lãnh đạo Sở Nông nghiệp và Môi trường"
    assert sp.respell(_unknown("làn đạo Sở Công Thươn 6")).unit == "Lãnh đạo Sở Công Thương"


def test_a_name_of_its_own_is_never_made_another_one():
    sp = Speller(GAZ, ["UBND xã Hòa Bình", "UBND xã Bảo Lâm", "Sở Ngoại vụ"])
    assert sp.respell(_unknown("Ủy ban nhân dân xã Hòa Ninh")).unit == "Ủy ban nhân dân xã Hòa Ninh"
    assert sp.respell(_unknown("Ủy ban nhân dân xã Bảo Lâm 1")).unit == "Ủy ban nhân dân xã Bảo Lâm 1"
    assert sp.respell(_unknown("Sở Nội vụ")).unit == "Sở Nội vụ"


def test_a_garbled_name_a_comma_split_is_respelt_whole():
    sp = Speller(GAZ, ["của Sở Văn hóa, Thể thao và Du lịch"])
    units = sp.cell('Lãnh đạo SỞ "I1 hóa, THỂ - thao và Du lịch', lambda c: GAZ.split_cell(c, 85))
    assert [u.unit for u in units] == ["Lãnh đạo Sở Văn hóa, Thể thao và Du lịch"]


def test_a_semicolon_read_as_a_colon_still_parts_two_units():
    units = Speller(GAZ).cell("Sở Công Thương: Sở Xây dựng", lambda c: GAZ.split_cell(c, 85))
    assert [u.unit for u in units] == ["Sở Công Thương", "Sở Xây dựng"]


def test_junk_tokens_go_and_glued_abbreviations_part():
    assert without_junk("UBND phường Xuân 2_ Hương") == "UBND phường Xuân Hương"
    assert without_junk("Lãnh đạo UBNDxã Hòa Ninh") == "Lãnh đạo UBND xã Hòa Ninh"
