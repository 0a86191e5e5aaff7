import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.dates import inline_deadline, parse_deadline
from normalizers.text import strip_diacritics


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
    ("Triển khai đảm bảo theo lộ trình, hướng dẫn của Bộ", "conditional", None, None),
    ("Thực hiện khi có văn bản hướng dẫn", "conditional", None, None),
    ("Theo kế hoạch", "unspecified", None, None),
    ("Theo dõi", "unspecified", None, None),
    ("2024 - 2025", "range", date(2024, 1, 1), date(2025, 12, 31)),
    ("Năm 2022 - 2025", "range", date(2022, 1, 1), date(2025, 12, 31)),
    ("Giai đoạn 2026-2030", "range", date(2026, 1, 1), date(2030, 12, 31)),
    ("Từ năm 2025 đến hết năm 2030", "range", date(2025, 1, 1), date(2030, 12, 31)),
    ("Năm 2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
    ("Hoàn thành trong năm 2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    ("Đến năm 2030", "before", None, date(2030, 12, 31)),
    ("đến hết năm 2030", "before", None, date(2030, 12, 31)),
    ("Tháng 12, năm 2022", "month", date(2022, 12, 1), date(2022, 12, 31)),
    ("Quý III, IV/2026", "range", date(2026, 7, 1), date(2026, 12, 31)),
    ("Quý II-III/2025", "range", date(2025, 4, 1), date(2025, 9, 30)),
    ("Quý IV/2025- Quý II/2026", "range", date(2025, 10, 1), date(2026, 6, 30)),
    ("Năm 2025; Năm 2030", "range", date(2025, 1, 1), date(2030, 12, 31)),
    ("10-11/2019", "range", date(2019, 10, 1), date(2019, 11, 30)),
    ("Tháng 10-11/2019", "range", date(2019, 10, 1), date(2019, 11, 30)),
    ("Từ 01/7/2025", "range", date(2025, 7, 1), None),
    ("Từ 15/12 đến 15/1/2026", "range", date(2025, 12, 15), date(2026, 1, 15)),
    ("Thang 6/2025", "month", date(2025, 6, 1), date(2025, 6, 30)),
    ("chậm nhất tháng 6/2025", "before", None, date(2025, 6, 30)),
    ("Định kỳ hằng năm, trước ngày 15/12", "recurring", None, None),
    ("Trong vòng 30 ngày kể từ ngày ký", "conditional", None, None),
    ("khi Bộ Công an triển khai", "conditional", None, None),
    ("Theo kết quả kiểm tra, đề xuất của các Sở", "conditional", None, None),
    ("Trường hợp có vướng mắc phát sinh", "conditional", None, None),
    ("Trong quá trình triển khai, nếu có khó khăn", "conditional", None, None),
    ("kịp trình Hội đồng nhân dân tỉnh tại kỳ họp cuối năm", "conditional", None, None),
    # the word nearest the date governs: 'đầu tư' holds 'tư', which is no 'từ' once marks are folded
    ("Đầu tư, lắp đặt xong trước ngày 01/01/2028", "before", None, date(2028, 1, 1)),
    ("Nâng cấp hạ tầng từ ngày 01/3/2026", "range", date(2026, 3, 1), None),
    # steps each with their own time: the last one ends the task
    ("- Lấy ý kiến (tháng 3/2026); - Trình ký ban hành (tháng 6/2026)", "month",
     date(2026, 6, 1), date(2026, 6, 30)),
    ("- Báo cáo sơ kết (quý II/2026); - Trình phê duyệt (quý IV/2026)", "quarter",
     date(2026, 10, 1), date(2026, 12, 31)),
    ("Tháng 3 và tháng 6/2026", "range", date(2026, 3, 1), date(2026, 6, 30)),
    ("Từ tháng 3/2026, hoàn thành tháng 6/2026", "range", date(2026, 3, 1), date(2026, 6, 30)),
    ("trước ngày 10 hằng tháng", "recurring", None, None),
    ("Năm 2027 và các năm tiếp theo", "recurring", date(2027, 1, 1), None),
    ("Từ năm 2031 và những năm sau", "recurring", date(2031, 1, 1), None),
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


def test_an_hour_before_the_day_is_part_of_the_deadline():
    """'gửi trước 10 giờ 00 ngày 03/02/2022': the hour does not hide the day the report is due."""
    raw = inline_deadline("Báo cáo nhanh kết quả, gửi trước 10 giờ 00 ngày 03/02/2022 (nhằm ngày 03 tháng Giêng)")
    assert raw == "trước 10 giờ 00 ngày 03/02/2022"
    assert parse_deadline(raw, 2022).end == date(2022, 2, 3)
    raw = inline_deadline("hoàn thành chậm nhất 17h ngày 5 tháng 3 năm 2024.")
    assert parse_deadline(raw, 2024).end == date(2024, 3, 5)
    assert inline_deadline("họp lúc 10 giờ ngày 5/3 tại hội trường") == ""


def test_quarter_written_without_its_mark():
    """'Quy IV' from text that lost its diacritics still names the quarter."""
    d = parse_deadline("Quy IV nam 2021", 2021)
    assert (d.kind, d.start, d.end) == ("quarter", date(2021, 10, 1), date(2021, 12, 31))


def test_a_sentence_that_names_a_year_is_not_a_deadline():
    d = parse_deadline("Triển khai thực hiện các nhiệm vụ trong kế hoạch của tỉnh năm 2025 và các năm tiếp theo")
    assert d.kind == "unspecified"


# --- generated phrasings: each class of phrase, written as plans write it, parses to its kind and dates ---

YEARS = st.integers(min_value=2015, max_value=2035)
MONTHS = st.integers(min_value=1, max_value=12)
QUARTERS = st.integers(min_value=1, max_value=4)
ROMAN_Q = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _marks(text: str, keep: bool) -> str:
    """The phrase with its diacritics, or as OCR that lost them writes it."""
    return text if keep else strip_diacritics(text)


@st.composite
def day_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y, m = draw(YEARS), draw(MONTHS)
    d = draw(st.integers(1, calendar.monthrange(y, m)[1]))
    lead = draw(st.sampled_from(["Trước", "trước ngày", "Chậm nhất ngày", "Hoàn thành trước", "Hạn chót", ""]))
    body = draw(st.sampled_from([f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d} tháng {m} năm {y}",
                                 f"ngày {d} tháng {m} năm {y}", f"{d}.{m}.{y}"]))
    return f"{lead} {body}".strip(), "before", None, date(y, m, d)


@st.composite
def month_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y, m = draw(YEARS), draw(MONTHS)
    body = draw(st.sampled_from([f"Tháng {m}/{y}", f"tháng {m:02d}/{y}", f"Tháng {m} năm {y}",
                                 f"Tháng {m}, năm {y}", f"{m:02d}/{y}", f"T{m}/{y}", f"trong tháng {m}/{y}",
                                 f"Hoàn thành trong tháng {m} năm {y}"]))
    return body, "month", date(y, m, 1), _month_end(y, m)


@st.composite
def month_span_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y, a = draw(YEARS), draw(st.integers(1, 11))
    b = draw(st.integers(a + 1, 12))
    body = draw(st.sampled_from([f"Tháng {a}-{b}/{y}", f"{a}-{b}/{y}", f"tháng {a} - {b} năm {y}",
                                 f"Từ tháng {a} đến tháng {b}/{y}", f"Tháng {a}, {b}/{y}"]))
    return body, "range", date(y, a, 1), _month_end(y, b)


@st.composite
def quarter_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y, q = draw(YEARS), draw(QUARTERS)
    name = draw(st.sampled_from([ROMAN_Q[q], str(q)]))
    body = draw(st.sampled_from([f"Quý {name}/{y}", f"Quý {name} năm {y}", f"Trong quý {name}/{y}",
                                 f"quý {name} - {y}"]))
    return body, "quarter", date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


@st.composite
def quarter_span_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y, a = draw(YEARS), draw(st.integers(1, 3))
    b = draw(st.integers(a + 1, 4))
    sep = draw(st.sampled_from([", ", "-", " - ", " và "]))
    body = draw(st.sampled_from([f"Quý {ROMAN_Q[a]}{sep}{ROMAN_Q[b]}/{y}", f"Quý {a}{sep}{b} năm {y}",
                                 f"Quý {ROMAN_Q[a]}/{y} - Quý {ROMAN_Q[b]}/{y}"]))
    return body, "range", date(y, 3 * a - 2, 1), _month_end(y, 3 * b)


@st.composite
def year_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y = draw(YEARS)
    body = draw(st.sampled_from([f"Năm {y}", f"{y}", f"Trong năm {y}", f"Hoàn thành trong năm {y}",
                                 f"vào năm {y}", f"Cả năm {y}"]))
    return body, "year", date(y, 1, 1), date(y, 12, 31)


@st.composite
def until_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    y = draw(YEARS)
    body = draw(st.sampled_from([f"Đến năm {y}", f"đến hết năm {y}", f"Chậm nhất năm {y}"]))
    return body, "before", None, date(y, 12, 31)


@st.composite
def year_range_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    a = draw(YEARS)
    b = draw(st.integers(a + 1, 2040))
    body = draw(st.sampled_from([f"{a} - {b}", f"{a}-{b}", f"Năm {a} - {b}", f"Giai đoạn {a}-{b}",
                                 f"giai đoạn {a} - {b}", f"Từ năm {a} đến năm {b}", f"Từ năm {a} đến hết năm {b}",
                                 f"Năm {a}; Năm {b}", f"Thời kỳ {a} – {b}"]))
    return body, "range", date(a, 1, 1), date(b, 12, 31)


@st.composite
def recurring_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    word = draw(st.sampled_from(["Thường xuyên", "Hằng năm", "Hàng năm", "Hằng quý", "Hằng tháng", "Định kỳ",
                                 "Định kỳ hằng năm", "Hàng tuần"]))
    day = draw(st.sampled_from(["", ", trước ngày 15/12", " (trước ngày 20 tháng 6)", " chậm nhất ngày 17 tháng 12"]))
    return word + day, "recurring", None, None


@st.composite
def conditional_phrases(draw: st.DrawFn) -> tuple[str, str, date | None, date | None]:
    body = draw(st.sampled_from(["Theo tiến độ của Bộ", "Khi có yêu cầu",
                                 "Sau khi Kế hoạch được phê duyệt", "Ngay sau khi có văn bản hướng dẫn",
                                 "Trong vòng 30 ngày kể từ ngày ký", "Theo yêu cầu của cấp trên",
                                 "Khi Bộ Y tế có văn bản triển khai"]))
    return body, "conditional", None, None


PHRASES = st.one_of(day_phrases(), month_phrases(), month_span_phrases(), quarter_phrases(), quarter_span_phrases(),
                    year_phrases(), until_phrases(), year_range_phrases(), recurring_phrases(), conditional_phrases())


@settings(max_examples=300, deadline=None)
@given(PHRASES, st.booleans())
def test_generated_phrasings_parse_to_their_class(case, marked):
    raw, kind, start, end = case
    d = parse_deadline(_marks(raw, marked), 2020)
    assert (d.kind, d.start, d.end) == (kind, start, end), raw


@settings(max_examples=300, deadline=None)
@given(st.one_of(PHRASES.map(lambda c: c[0]), st.text(alphabet="0123456789/-–., quýthángnămđếntừ", max_size=30)),
       st.one_of(st.none(), YEARS))
def test_every_parsed_start_is_before_its_end(raw, plan_year):
    d = parse_deadline(raw, plan_year)
    assert d.start is None or d.end is None or d.start <= d.end
    assert d.kind in {"before", "month", "quarter", "year", "range", "recurring", "conditional", "unspecified"}


@pytest.mark.parametrize("content, phrase, kind", [
    ("Xây dựng lộ trình thực hiện đến năm 2030", "đến năm 2030", "before"),
    ("Tăng cường kiểm tra. Định kỳ hàng năm, tổng hợp báo cáo kết quả", "Định kỳ hàng năm", "recurring"),
    ("định kỳ hằng năm báo cáo về Sở chậm nhất ngày 17 tháng 12", "định kỳ hằng năm", "recurring"),
    ("Tổ chức thực hiện tiểu dự án trên địa bàn tỉnh (khi Bộ Y tế có văn bản triển khai)",
     "khi Bộ Y tế có văn bản triển khai", "conditional"),
    ("đạt mục tiêu 50% xã không có ma túy vào năm 2030", "vào năm 2030", "year"),
    ("gửi báo cáo chậm nhất ngày 15 tháng 12 năm 2025", "chậm nhất ngày 15 tháng 12 năm 2025", "before"),
    ("Cập nhật số liệu trước ngày 25 hằng tháng lên hệ thống", "trước ngày 25 hằng tháng", "recurring"),
    ("Sau khi được Hội đồng nhân dân tỉnh thông qua, các Sở tổ chức thực hiện",
     "Sau khi được Hội đồng nhân dân tỉnh thông qua", "conditional"),
    ("Sở Tài chính hoàn thiện hồ sơ để kịp trình Hội đồng nhân dân tỉnh tại Kỳ họp thứ 5.",
     "kịp trình Hội đồng nhân dân tỉnh tại Kỳ họp thứ 5", "conditional"),
    ("Trong quá trình thực hiện, nếu có vướng mắc, Sở Xây dựng tổng hợp báo cáo Ủy ban nhân dân tỉnh",
     "Trong quá trình thực hiện, nếu có vướng mắc", "conditional"),
])
def test_inline_deadline_phrases(content, phrase, kind):
    assert inline_deadline(content) == phrase
    assert parse_deadline(phrase, 2025).kind == kind


@pytest.mark.parametrize("content", [
    "Triển khai Chiến lược phát triển bền vững kinh tế biển Việt Nam đến năm 2030, tầm nhìn đến năm 2045",
    "Thực hiện Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050",
    "Hỗ trợ học viên (khi không được hỗ trợ từ ngân sách trung ương)",
    "Quản lý người sau khi hoàn thành chương trình cai nghiện",
    "Kiểm tra thiết bị khi đưa vào sử dụng",
    "Hoàn thiện dự thảo khi được cơ quan chủ trì lấy ý kiến",
    "Kịp thời báo cáo những khó khăn phát sinh",
    "Nếu có vướng mắc thì báo cáo.",
])
def test_a_cited_name_or_a_circumstance_is_not_a_deadline(content):
    assert inline_deadline(content) == ""


def test_hours_within_one_day_span_that_day():
    from datetime import date

    from normalizers.dates import parse_deadline
    d = parse_deadline("Từ 8 giờ 30 phút - 10 giờ ngày 5 tháng 6", 2027)
    assert (d.kind, d.start, d.end) == ("range", date(2027, 6, 5), date(2027, 6, 5))
    d = parse_deadline("Lúc 14h ngày 9/10/2026")
    assert (d.kind, d.end) == ("before", date(2026, 10, 9))
