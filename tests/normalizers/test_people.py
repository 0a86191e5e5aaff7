from normalizers.people import PERSON, people_units, split_people


def test_separators_split_first():
    assert split_people("Trần Văn Bình / Lê Thị Hoa") == ["Trần Văn Bình", "Lê Thị Hoa"]
    assert split_people("Trần Văn Bình\nLê Thị Hoa; Phạm Đức Anh") == ["Trần Văn Bình", "Lê Thị Hoa", "Phạm Đức Anh"]


def test_titles_and_posts_are_not_part_of_the_name():
    assert split_people("Đ/c Trần Văn Bình (Phó Giám đốc) và bà Hà Thị Mai") == ["Trần Văn Bình", "Hà Thị Mai"]


def test_names_run_together_are_cut_at_family_names():
    assert split_people("Phạm Minh Đức Hoàng Thu Trang Ngô An") == ["Phạm Minh Đức", "Hoàng Thu Trang", "Ngô An"]
    # a given name that is also a family name ends a four-word name, it opens no name of its own
    assert split_people("Nguyễn Thị Thanh Mai Vũ Việt Linh") == ["Nguyễn Thị Thanh Mai", "Vũ Việt Linh"]


def test_one_lead_per_person():
    units = people_units("Trần Văn Bình, Lê Thị Hoa")
    assert [(u.unit, u.level, u.known) for u in units] == [("Trần Văn Bình", PERSON, False),
                                                           ("Lê Thị Hoa", PERSON, False)]
