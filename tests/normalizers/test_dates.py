from datetime import date

import pytest

from normalizers.dates import inline_deadline, parse_deadline


@pytest.mark.parametrize("raw, kind, start, end", [
    ("Trước 25/9/2021", "before", None, date(2021, 9, 25)),
    ("trước ngày 15/7/2019", "before", None, date(2019, 7, 15)),
    ("Trước ngày 30 tháng 9 năm 2021", "before", None, date(2021, 9, 30)),
    ("01/2022", "month", date(2022, 1, 1), date(2022, 1, 31)),
    ("Tháng 9/2021", "month", date(2021, 9, 1), date(2021, 9, 30)),
    ("Tháng 02/2024", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("Quý I/2022", "quarter", date(2022, 1, 1), date(2022, 3, 31)),
    ("Quý IV năm 2023", "quarter", date(2023, 10, 1), date(2023, 12, 31)),
    ("từ tháng 9/2019 đến hết tháng 12/2019", "range", date(2019, 9, 1), date(2019, 12, 31)),
    ("Từ ngày 01/9/2021 đến 30/9/2021", "range", date(2021, 9, 1), date(2021, 9, 30)),
    ("6 tháng đầu năm 2022", "range", date(2022, 1, 1), date(2022, 6, 30)),
    ("Thường xuyên", "recurring", None, None),
    ("hằng quý", "recurring", None, None),
    ("Sau khi có vb triển khai của UBND tỉnh", "conditional", None, None),
    ("Theo kế hoạch", "unspecified", None, None),
    ("", "unspecified", None, None),
])
def test_parse_deadline(raw, kind, start, end):
    d = parse_deadline(raw, 2021)
    assert (d.kind, d.start, d.end) == (kind, start, end)


def test_date_without_year_takes_plan_year():
    assert parse_deadline("Trước 30/9", 2023).end == date(2023, 9, 30)
    assert parse_deadline("Trong quý III", 2020).start == date(2020, 7, 1)


def test_recurring_within_the_year_spans_the_plan_year():
    d = parse_deadline("thường xuyên trong năm", 2019)
    assert (d.kind, d.start, d.end) == ("recurring", date(2019, 1, 1), date(2019, 12, 31))


def test_invalid_date_is_not_invented():
    assert parse_deadline("Trước 31/2/2021", 2021).end is None


def test_inline_deadline_only_for_deadline_phrases():
    assert inline_deadline("gửi về Văn phòng Sở trước ngày 12/7/2019 để tổng hợp") == "trước ngày 12/7/2019"
    assert inline_deadline("Thường xuyên phối hợp với các phòng") == "Thường xuyên"
    assert inline_deadline("đăng tải Thông báo số 175/TB-UBND ngày 28/6/2019 của UBND tỉnh") == ""
    assert inline_deadline("thường xuyên tổ chức kiểm tra") == "thường xuyên"
    assert inline_deadline("đồng thời thường xuyên tổ chức kiểm tra") == ""


def test_quarter_written_without_its_mark():
    """'Quy IV' from text that lost its diacritics still names the quarter."""
    d = parse_deadline("Quy IV nam 2021", 2021)
    assert (d.kind, d.start, d.end) == ("quarter", date(2021, 10, 1), date(2021, 12, 31))
