import csv
from collections import Counter
from datetime import date

from normalizers.register import DEFAULT_REGISTER, expand_abbreviations, head_of, load_register, starts_unit


def _by_level_type() -> Counter:
    return Counter((e.level, e.type) for e in load_register(DEFAULT_REGISTER))


def test_register_holds_provinces_before_and_after_the_2025_merger():
    entries = load_register(DEFAULT_REGISTER)
    before = [e for e in entries if e.level == "province" and e.id.startswith("p63.")]
    after = [e for e in entries if e.level == "province" and e.id.startswith("p34.")]
    assert len(before) == 63 and all(e.valid_to == "2025-06-30" for e in before)
    assert len(after) == 34 and all(e.valid_from == "2025-07-01" for e in after)
    levels = _by_level_type()
    assert sum(n for (lv, _), n in levels.items() if lv == "district") > 600
    assert sum(n for (lv, t), n in levels.items() if lv == "commune" and t in ("xa", "phuong", "dac_khu")) > 3000


def test_every_parent_and_successor_is_a_register_id():
    entries = load_register(DEFAULT_REGISTER)
    ids = {e.id for e in entries}
    assert len(ids) == len(entries)
    with open(DEFAULT_REGISTER, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["parent"] in ids for r in rows if r["parent"])
    assert all(r["successor"] in ids for r in rows if r["successor"])


def test_merged_ministries_are_closed_and_point_to_their_successor():
    rows = {r["name"]: r for r in csv.DictReader(open(DEFAULT_REGISTER, encoding="utf-8")) if r["level"] == "central"}
    merged = {"Bộ Tài nguyên và Môi trường": "Bộ Nông nghiệp và Môi trường",
              "Bộ Kế hoạch và Đầu tư": "Bộ Tài chính",
              "Bộ Giao thông vận tải": "Bộ Xây dựng",
              "Bộ Thông tin và Truyền thông": "Bộ Khoa học và Công nghệ",
              "Bộ Lao động – Thương binh và Xã hội": "Bộ Nội vụ"}
    by_id = {r["id"]: r for r in rows.values()}
    for old, new in merged.items():
        assert date.fromisoformat(rows[old]["valid_to"]) < date(2025, 7, 1)
        assert by_id[rows[old]["successor"]]["name"] == new
        assert not rows[new]["valid_to"]
    assert rows["Bộ Dân tộc và Tôn giáo"]["valid_from"].startswith("2025")


def test_abbreviations_expand_only_capitalised_forms():
    assert expand_abbreviations("Sở TN&MT") == "Sở Tài nguyên và Môi trường"
    assert expand_abbreviations("Sở VH,TT&DL") == "Sở Văn hóa, Thể thao và Du lịch"
    assert expand_abbreviations("UBND các xã") == "Ủy ban nhân dân các xã"
    assert expand_abbreviations("vp của sở") == "vp của sở"


def test_head_nouns_open_names():
    assert head_of("sở tài chính") == "so"
    assert head_of("ủy ban nhân dân tỉnh") == "uy ban nhan dan"
    assert head_of("tài chính") == ""
    assert starts_unit("Sở Xây dựng") and starts_unit("các đơn vị") and starts_unit("UBND cấp xã")
    assert not starts_unit("Môi trường") and not starts_unit("GIẢI PHÁP")
