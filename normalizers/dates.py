"""Deadlines: raw Vietnamese phrases → (kind, start, end).

kind ∈ before · month · quarter · range · recurring · conditional · unspecified.
A date without a year takes the plan's year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from normalizers.text import clean

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_D = r"(?P<{0}d>\d{{1,2}})\s*[/.-]\s*(?P<{0}m>\d{{1,2}})(?!\d)(?:\s*[/.-]\s*(?P<{0}y>\d{{4}}))?"
_DATE_WORDS = r"(?:ngày\s*)?(?P<{0}d>\d{{1,2}})\s+tháng\s+(?P<{0}m>\d{{1,2}})(?:\s+năm\s+(?P<{0}y>\d{{4}}))?"
_MONTH = r"(?:tháng|t)\s*(?P<{0}m>\d{{1,2}})(?:\s*(?:/|-|năm)\s*(?P<{0}y>\d{{4}}))?"
_BARE_MONTH = r"(?P<{0}m>\d{{1,2}})\s*/\s*(?P<{0}y>\d{{4}})"
_QUARTER = r"qu[yý]\s*(?P<{0}q>iv|iii|ii|i|[1-4])(?:\s*(?:/|-|năm)\s*(?P<{0}y>\d{{4}}))?"
_HALF = r"(?P<{0}h>6|sáu)\s+tháng\s+(?P<{0}w>đầu|cuối)\s+năm(?:\s+(?P<{0}y>\d{{4}}))?"


def _any_point(tag: str) -> str:
    parts = [_DATE_WORDS, _D, _QUARTER, _HALF, _MONTH, _BARE_MONTH]
    return "|".join(f"(?:{p.format(tag + str(i))})" for i, p in enumerate(parts))


_POINT_A = re.compile(_any_point("a"), re.I)
_RANGE = re.compile(rf"(?:từ\s+)?(?:ngày\s+)?(?P<a>{_any_point('a')})\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?"
                    rf"(?P<b>{_any_point('b')})", re.I)
_BEFORE = re.compile(r"\b(?:trước|chậm nhất|hạn chót|không quá|hoàn thành trước|xong trước)\b", re.I)
_RECURRING = re.compile(r"\b(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày)\b|\bthường xuyên\b|\bđịnh kỳ\b|\bliên tục\b",
                        re.I)
_CONDITIONAL = re.compile(r"^(?:ngay\s+)?(?:sau khi|khi có|khi|ngay khi|sau|căn cứ)\b", re.I)
_IN_YEAR = re.compile(r"trong\s+năm(?:\s+(?P<y>\d{4}))?|(?:cả\s+)?năm\s+(?P<y2>\d{4})", re.I)
_YEAR_ONLY = re.compile(r"^(?:trong\s+)?năm\s+(?P<y>\d{4})$", re.I)


@dataclass(frozen=True)
class Deadline:
    raw: str
    kind: str
    start: date | None
    end: date | None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _point(m: re.Match[str], tag: str, year: int | None) -> tuple[date, date] | None:
    """The first and last day the matched point covers (a day, a month, a quarter, a half-year)."""
    g = {k[len(tag):]: v for k, v in m.groupdict().items() if v and k.startswith(tag)}
    y = int(g["y"]) if g.get("y") else year
    if y is None:
        return None
    try:
        if "d" in g:
            d = date(y, int(g["m"]), int(g["d"]))
            return d, d
        if "q" in g:
            q = ROMAN.get(g["q"].lower()) or int(g["q"])
            return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        if "h" in g:
            first = g["w"].lower() == "đầu"
            return (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31))
        if "m" in g:
            mo = int(g["m"])
            return date(y, mo, 1), _month_end(y, mo)
    except ValueError:
        return None
    return None


def _point_kind(m: re.Match[str], tag: str) -> str:
    keys = {k[len(tag):] for k, v in m.groupdict().items() if v and k.startswith(tag)}
    if "d" in keys:
        return "before"
    if "q" in keys:
        return "quarter"
    if "h" in keys:
        return "range"
    return "month"


def _first_point(text: str, tag: str, year: int | None) -> tuple[str, date, date] | None:
    pat = _POINT_A if tag == "a" else re.compile(_any_point(tag), re.I)
    for m in pat.finditer(text):
        for i in range(6):
            sub = f"{tag}{i}"
            if any(v for k, v in m.groupdict().items() if k.startswith(sub)):
                span = _point(m, sub, year)
                if span:
                    return _point_kind(m, sub), span[0], span[1]
                break
    return None


def parse_deadline(raw: str | None, plan_year: int | None = None) -> Deadline:
    text = clean(raw or "").strip(" .;:")
    if not text:
        return Deadline("", "unspecified", None, None)
    low = text.lower()
    rng = _RANGE.search(low)
    if rng:
        a = _first_point(rng.group("a"), "a", None)
        b = _first_point(rng.group("b"), "a", plan_year)
        if b:
            y_a = a[1].year if a else b[1].year
            a = _first_point(rng.group("a"), "a", y_a if a else b[1].year)
            if a:
                return Deadline(text, "range", a[1], b[2])
    if _CONDITIONAL.search(low) and not _POINT_A.search(low):
        return Deadline(text, "conditional", None, None)
    point = _first_point(low, "a", plan_year)
    if _RECURRING.search(low) and not (point and _BEFORE.search(low)):
        y = _IN_YEAR.search(low)
        if y:
            yy = int(y.group("y") or y.group("y2") or 0) or plan_year
            if yy:
                return Deadline(text, "recurring", date(yy, 1, 1), date(yy, 12, 31))
        return Deadline(text, "recurring", None, None)
    if point:
        kind, start, end = point
        if kind == "before" or _BEFORE.search(low):
            return Deadline(text, "before", None, end if kind == "before" else start)
        return Deadline(text, kind, start, end)
    y = _YEAR_ONLY.match(low)
    if y:
        yy = int(y.group("y"))
        return Deadline(text, "range", date(yy, 1, 1), date(yy, 12, 31))
    if _CONDITIONAL.search(low):
        return Deadline(text, "conditional", None, None)
    return Deadline(text, "unspecified", None, None)


_INLINE = re.compile(
    r"(?:(?:hoàn thành\s+)?(?:trước|chậm nhất)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
    r"|(?:hoàn thành\s+)?trước\s+ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
    r"|(?:trong|trước)\s+qu[yý]\s+(?:iv|iii|ii|i|[1-4])(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"|(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?)",
    re.I,
)
_LEADING_RECURRING = re.compile(r"^(?:thường xuyên|định kỳ|(?:hằng|hàng)\s+(?:năm|quý|tháng))\b",
                                re.I)


def inline_deadline(content: str) -> str:
    """The deadline phrase written inside a task's own sentence, or ''."""
    m = _INLINE.search(content)
    if m:
        return m.group(0)
    m = _LEADING_RECURRING.match(content.strip())
    return m.group(0) if m else ""
