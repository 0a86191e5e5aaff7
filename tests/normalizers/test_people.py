from normalizers.people import person_name, person_names, person_units


def test_a_list_of_people_is_one_name_each() -> None:
    assert person_names("Nguyễn Văn An, Trần Thị Bình") == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert person_names("Đỗ Mạnh Cường / Vũ Việt Linh") == ["Đỗ Mạnh Cường", "Vũ Việt Linh"]
    assert person_names("Lê Văn Bình và Hà Thị Mai") == ["Lê Văn Bình", "Hà Thị Mai"]


def test_honorifics_and_notes_are_not_part_of_the_name() -> None:
    assert person_names("Đ/c Nguyễn Văn An (trưởng nhóm); Bà Lê Thị Hoa") == ["Nguyễn Văn An", "Lê Thị Hoa"]


def test_units_and_places_are_no_people() -> None:
    for text in ("Sở Tài chính", "Văn phòng Sở", "Hà Nội", "Phó Giám đốc Sở", "Lâm Đồng"):
        assert person_name(text) == "", text
    assert person_names("Nguyễn Văn An, Sở Tài chính") == []  # a mixed list is read as units


def test_person_units_have_the_person_level() -> None:
    assert [(u.unit, u.level, u.known) for u in person_units("Trần Thị Bình")] == [("Trần Thị Bình", "person", False)]
