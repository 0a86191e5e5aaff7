"""Deadline phrasings with the kind, start and end the gold conventions give them (CONVENTIONS.md: before,
month, quarter, year, range, recurring, conditional, unspecified). `deadline_phrases` is a plain list for
any test; `deadline_cases` is the same as a hypothesis strategy."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
RECURRING = ["Thường xuyên", "Hằng năm", "Hàng năm", "Định kỳ hằng quý", "Hằng tháng", "Thường xuyên, hằng năm"]
CONDITIONAL = ["Theo tiến độ dự án", "Theo tiến độ của Trung ương", "Khi có yêu cầu",
               "Theo chỉ đạo của cấp có thẩm quyền", "Theo tiến độ thực hiện Đề án"]


@dataclass(frozen=True)
class DeadlineCase:
    phrase: str
    kind: str
    start: date | None
    end: date | None

    def as_tuple(self) -> tuple[str, str, date | None, date | None]:
        return self.phrase, self.kind, self.start, self.end


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def quarter_span(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def random_deadline(rng: random.Random, kind: str | None = None,
                    years: tuple[int, int] = (2020, 2030)) -> DeadlineCase:
    """One phrasing of a random kind (or of KIND), in YEARS."""
    kind = kind or rng.choice(["before", "before", "month", "quarter", "quarter", "year", "range", "recurring",
                               "conditional", "unspecified"])
    y = rng.randint(*years)
    if kind == "before":
        if rng.random() < 0.15:
            return DeadlineCase(f"Đến năm {y}", "before", None, date(y, 12, 31))
        m = rng.randint(1, 12)
        d = rng.randint(1, month_end(y, m).day)
        dd, mm = (f"{d:02d}", f"{m:02d}") if rng.random() < 0.3 else (str(d), str(m))
        form = rng.choice(["Trước {d}/{m}/{y}", "Trước ngày {d}/{m}/{y}", "Chậm nhất ngày {d}/{m}/{y}",
                           "Trước ngày {d} tháng {m} năm {y}", "Hoàn thành trước ngày {d}/{m}/{y}"])
        return DeadlineCase(form.format(d=dd, m=mm, y=y), "before", None, date(y, m, d))
    if kind == "month":
        m = rng.randint(1, 12)
        form = rng.choice(["Tháng {m}/{y}", "Tháng {mm}/{y}", "Tháng {m} năm {y}", "Trong tháng {m}/{y}"])
        return DeadlineCase(form.format(m=m, mm=f"{m:02d}", y=y), "month", date(y, m, 1), month_end(y, m))
    if kind == "quarter":
        q = rng.randint(1, 4)
        if q < 4 and rng.random() < 0.25:  # two adjacent quarters: "Quý III, IV/2026"
            a, b = quarter_span(y, q)[0], quarter_span(y, q + 1)[1]
            return DeadlineCase(f"Quý {ROMAN[q]}, {ROMAN[q + 1]}/{y}", "quarter", a, b)
        form = rng.choice(["Quý {r}/{y}", "Quý {r} năm {y}", "Quý {q}/{y}", "Trong Quý {r}/{y}"])
        return DeadlineCase(form.format(r=ROMAN[q], q=q, y=y), "quarter", *quarter_span(y, q))
    if kind == "year":
        form = rng.choice(["Năm {y}", "Trong năm {y}", "{y}", "Cả năm {y}"])
        return DeadlineCase(form.format(y=y), "year", date(y, 1, 1), date(y, 12, 31))
    if kind == "range":
        a = rng.randint(years[0], max(years[0], years[1] - 3))
        b = a + rng.randint(1, 5)
        if rng.random() < 0.2:
            return DeadlineCase(f"6 tháng đầu năm {a}", "range", date(a, 1, 1), date(a, 6, 30))
        form = rng.choice(["{a} - {b}", "{a}-{b}", "Giai đoạn {a}-{b}", "Giai đoạn {a} - {b}",
                           "Từ năm {a} đến năm {b}", "Năm {a} - {b}"])
        return DeadlineCase(form.format(a=a, b=b), "range", date(a, 1, 1), date(b, 12, 31))
    if kind == "recurring":
        return DeadlineCase(rng.choice(RECURRING), "recurring", None, None)
    if kind == "conditional":
        return DeadlineCase(rng.choice(CONDITIONAL), "conditional", None, None)
    return DeadlineCase("", "unspecified", None, None)


def deadline_phrases(n: int = 200, seed: int = 0) -> list[tuple[str, str, date | None, date | None]]:
    """N (phrase, kind, start, end) cases covering every kind and phrasing, reproducible from SEED."""
    rng = random.Random(seed)
    kinds = ["before", "month", "quarter", "year", "range", "recurring", "conditional"]
    return [random_deadline(rng, kinds[i % len(kinds)]).as_tuple() for i in range(n)]


def deadline_cases():  # type: ignore[no-untyped-def]
    """A hypothesis strategy of DeadlineCase (hypothesis is a test dependency, imported only here)."""
    from hypothesis import strategies as st

    return st.builds(lambda s, k: random_deadline(random.Random(s), k), st.integers(0, 2**32 - 1),
                     st.sampled_from(["before", "month", "quarter", "year", "range", "recurring", "conditional"]))
