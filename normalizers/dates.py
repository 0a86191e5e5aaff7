"""Deadlines: raw Vietnamese phrases → (kind, start, end).

kind ∈ before · month · quarter · year · range · recurring · conditional · unspecified.
The phrase is read without its diacritics (OCR'd or stripped text reads the same as marked text) against the
vocabulary in data/deadlines.json: points in time (a day, a month, a quarter, a half-year, a year, and spans of
them: "Tháng 10-11/2019", "Quý III, IV/2026", "2024 - 2025"), then the words around them (trước, đến, từ,
trong năm, hằng năm, khi …). A date without a year takes the year of the next dated point, else the plan's year.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from normalizers.text import clean, strip_diacritics

_DATA = Path(__file__).resolve().parent / "data" / "deadlines.json"


@dataclass(frozen=True)
class Deadline:
    raw: str
    kind: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class _Point:
    """One point of time found in a phrase; `year` is None when the phrase did not write it."""
    kind: str  # day · month · quarter · half · year · span (months/quarters/years)
    pos: int
    stop: int
    year: int | None
    first: tuple[int, int, int]  # (year offset, month, day) of the first day, relative to `year`
    last: tuple[int, int, int]

    def span(self, year: int) -> tuple[date, date] | None:
        try:
            a = date(year + self.first[0], self.first[1], self.first[2] or 1)
            ly, lm, ld = year + self.last[0], self.last[1], self.last[2]
            b = date(ly, lm, ld or calendar.monthrange(ly, lm)[1])
        except ValueError:
            return None
        return (a, b) if a <= b else None


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _grammar() -> dict[str, re.Pattern[str]]:
    v = _vocab()
    roman = f"(?:{_alt(list(v['roman']))})"
    q = rf"(?:{_alt([r for r, n in v['roman'].items() if n <= 4])}|[1-4])(?![a-z0-9])"
    qw, yw = _alt(v["quarter_words"]), _alt(v["year_words"])
    # a one-letter abbreviation (T6/2025) is a month word only before digits
    mw = "|".join(re.escape(w) + (r"(?=\s*\d)" if len(w) == 1 else "")
                  for w in sorted(v["month_words"], key=len, reverse=True))
    ysep = rf"\s*(?:/|-|,|\.)?\s*(?:(?:{yw})\s*)?"
    y = r"(?:19|20)\d\d(?!\d)"
    m = rf"(?:\d{{1,2}}(?!\d)|{roman}(?![a-z]))"
    sep = r"\s*(?:,|-|–|—|&|va|den|toi)\s*"
    points = [  # longest first: "10-11/2019" is two months, not the 10th of November
        ("mmb", rf"(?<![\d/.])(?P<mmb_a>\d{{1,2}})\s*[-–]\s*(?P<mmb_b>\d{{1,2}})\s*/\s*(?P<mmb_y>{y})"),
        ("dmy", rf"(?:ngay\s*)?(?P<dmy_d>\d{{1,2}})\s*[/.-]\s*(?P<dmy_m>\d{{1,2}})\s*[/.-]\s*(?P<dmy_y>{y})"),
        ("dmw", rf"(?:ngay\s*)?(?P<dmw_d>\d{{1,2}})\s*(?:{mw})\s*(?P<dmw_m>\d{{1,2}})"
                rf"(?:\s*,?\s*(?:{yw})\s*(?P<dmw_y>{y}))?"),
        ("mm", rf"(?:{mw})\s*(?P<mm_a>{m}){sep}(?:(?:{mw})\s*)?(?P<mm_b>{m})(?:{ysep}(?P<mm_y>{y}))?"),
        ("mq", rf"(?:{qw})\s*(?P<mq_a>{q}){sep}(?:(?:{qw})\s*)?(?P<mq_b>{q})(?:{sep}(?:(?:{qw})\s*)?(?P<mq_c>{q}))?"
               rf"(?:{ysep}(?P<mq_y>{y}))?"),
        ("dm", r"(?:ngay\s*)?(?<![\d/.])(?P<dm_d>\d{1,2})\s*/\s*(?P<dm_m>\d{1,2})(?![\d/])"),
        ("q", rf"(?:{qw})\s*(?P<q_q>{q})(?:{ysep}(?P<q_y>{y}))?"),
        ("h", rf"(?:(?:6|sau)\s*(?:{mw})|nua)\s*(?P<h_w>{_alt(list(v['half_year']))})\s*(?:{yw})(?:\s*(?P<h_y>{y}))?"),
        ("m", rf"(?:{mw})\s*(?P<m_m>{m})(?:{ysep}(?P<m_y>{y}))?"),
        ("mb", rf"(?<![\d/.])(?P<mb_m>\d{{1,2}})\s*[/.-]\s*(?P<mb_y>{y})"),
        ("yy", rf"(?<![\d/.])(?P<yy_a>{y})\s*(?:-|–|—|den|toi)\s*(?:het\s*)?(?:(?:{yw})\s*)?(?P<yy_b>{y})"),
        ("y", rf"(?<![\d/.])(?P<y_y>{y})"),
    ]
    pats = {"point": re.compile("|".join(rf"(?P<{n}>\b{p})" for n, p in points))}
    for name in ("before", "until", "since", "onward", "recurring", "period", "in_year"):
        pats[name] = re.compile(rf"(?<![a-z])(?:{_alt(v[name])})(?![a-z])")
    pats["conditional"] = re.compile(
        rf"^(?:(?:{_alt(v['condition_preambles'])})\s*,?\s*)?(?:(?:{_alt(v['conditional_verbs'])})\s+)*"
        rf"(?:(?:{_alt(v['conditional_leads'])})(?![a-z])|theo\s+(?:{_alt(v['conditional_theo_objects'])})(?![a-z]))")
    pats["relative"] = re.compile(rf"\b\d+\s*(?:{_alt(v['relative_units'])})\s*(?:{_alt(v['relative_anchors'])})\b")
    pats["connector"] = re.compile(rf"^\s*(?:{_alt(v['range_connectors'])})\s*(?:ngay\s*)?$")
    pats["list"] = re.compile(rf"^\s*(?:{_alt(v['list_separators'])})\s*(?:(?:{_alt(v['year_words'])})\s*)?$")
    yw = _alt(v["year_words"])
    pats["before_start"] = re.compile(rf"(?<![a-z])(?:{_alt(v['before_is_start_of_period'])})\s*(?:(?:ngay|{yw})\s*)?$")
    return pats


def _num(text: str) -> int:
    roman: dict[str, int] = _vocab()["roman"]
    return roman[text] if text in roman else int(text)


def _to_point(mt: re.Match[str]) -> _Point | None:
    name = mt.lastgroup or ""
    g = {k[len(name) + 1:]: val for k, val in mt.groupdict().items() if val and k.startswith(name + "_")}
    year = int(g["y"]) if g.get("y") else None
    pos, stop = mt.start(), mt.end()
    if name in ("dmy", "dmw", "dm"):
        d, mo = int(g["d"]), int(g["m"])
        return _Point("day", pos, stop, year, (0, mo, d), (0, mo, d))
    if name in ("mm", "mmb"):
        a, b = _num(g["a"]), _num(g["b"])
        if not (1 <= a <= 12 and 1 <= b <= 12):
            return None
        return _Point("span", pos, stop, year, (-1 if b < a else 0, a, 0), (0, b, 0))
    if name == "mq":
        qs = [_num(g[k]) for k in ("a", "b", "c") if g.get(k)]
        a, b = min(qs), max(qs)
        return _Point("span", pos, stop, year, (0, 3 * a - 2, 0), (0, 3 * b, 0))
    if name == "q":
        qq = _num(g["q"])
        return _Point("quarter", pos, stop, year, (0, 3 * qq - 2, 0), (0, 3 * qq, 0))
    if name == "h":
        half: int = _vocab()["half_year"][g["w"]]
        return _Point("half", pos, stop, year, (0, 6 * half - 5, 0), (0, 6 * half, 0))
    if name in ("m", "mb"):
        mo = _num(g["m"])
        return _Point("month", pos, stop, year, (0, mo, 0), (0, mo, 0)) if 1 <= mo <= 12 else None
    if name == "yy":
        a, b = int(g["a"]), int(g["b"])
        return _Point("span", pos, stop, a, (0, 1, 0), (b - a, 12, 0)) if a <= b else None
    if name == "y":
        return _Point("year", pos, stop, year, (0, 1, 0), (0, 12, 0))
    return None


def _points(text: str) -> list[_Point]:
    return [p for p in map(_to_point, _grammar()["point"].finditer(text)) if p]


def _years(points: list[_Point], plan_year: int | None) -> list[int | None]:
    """Each point's year: its own, else the next written one (Từ 01/7 đến 31/12/2025), else the previous, else
    the plan's."""
    out: list[int | None] = []
    for i, p in enumerate(points):
        later = [q.year for q in points[i + 1:] if q.year]
        earlier = [q.year for q in points[:i] if q.year]
        out.append(p.year or (later[0] if later else earlier[-1] if earlier else plan_year))
    return out


_CLOCK = r"\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2}(?:\s*phut|')?)?"
_HOURS = re.compile(rf"(?:(?<!\w)(?:tu|luc|vao)\s+)?(?<![\d/])(?P<from>{_CLOCK})"
                    rf"(?:\s*(?:-|den)\s*(?P<to>{_CLOCK}))?(?:\s*(?:,|ngay))?(?=\s|$)")


def fold(raw: str) -> str:
    """The phrase as the grammar reads it: lower case, no diacritics, single spaces, no markdown."""
    text = strip_diacritics(clean(raw).lower()).replace("*", " ")
    return re.sub(r"\s+", " ", text).strip(" .;:")


def parse_deadline(raw: str | None, plan_year: int | None = None) -> Deadline:
    text = clean(raw or "").strip(" .;:")
    s = fold(text)
    if not s:
        return Deadline("", "unspecified", None, None)
    hours = _HOURS.search(s)
    if hours:  # 'Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23/1': hours within one day span that day
        day = parse_deadline(s[:hours.start()] + " " + s[hours.end():], plan_year)
        if day.kind == "before" and day.end is not None:
            return Deadline(text, "range" if hours.group("to") else "before",
                            day.end if hours.group("to") else None, day.end)
    g = _grammar()
    points = _points(s)
    years = _years(points, plan_year)
    spans = [p.span(y) if y else None for p, y in zip(points, years, strict=True)]
    dated = [(p, sp) for p, sp in zip(points, spans, strict=True) if sp]
    if g["recurring"].search(s):
        return _recurring(text, s, dated, plan_year)
    if g["conditional"].search(s) or (g["relative"].search(s) and not dated):
        return Deadline(text, "conditional", None, None)
    if not dated:
        if g["in_year"].search(s) and plan_year:
            return Deadline(text, "year", date(plan_year, 1, 1), date(plan_year, 12, 31))
        return Deadline(text, "unspecified", None, None)
    if len(points) == 1 and points[0].kind == "year" and _residue_words(s, points[0]) > 8:
        return Deadline(text, "unspecified", None, None)  # a sentence that names a year, not a deadline
    if g["onward"].search(s):
        # 'Năm 2025 và các năm tiếp theo': the work repeats from that year on, with no end
        return Deadline(text, "recurring", min(sp[0] for _, sp in dated), None)
    if len(dated) >= 2:
        return _several(text, s, dated)
    (p, (start, end)), = dated
    lead = s[:p.pos]
    # the word nearest the point governs: 'đầu tư ... xong trước ngày X' is a due date, not a start
    if _last(g["since"], lead) > max(_last(g["until"], lead), _last(g["before"], lead)) \
            and p.kind not in ("span", "half"):
        return Deadline(text, "range", start, None)
    if g["before"].search(lead) or g["until"].search(lead):
        start_of_period = p.kind != "day" and g["before_start"].search(lead) is not None
        return Deadline(text, "before", None, start if start_of_period else end)
    kind = {"day": "before", "month": "month", "quarter": "quarter", "year": "year"}.get(p.kind, "range")
    return Deadline(text, kind, None if kind == "before" else start, end)


def _last(pattern: re.Pattern[str], text: str) -> int:
    """Where the last match of a word class ends in the text, -1 when none."""
    return max((m.end() for m in pattern.finditer(text)), default=-1)


def _several(text: str, s: str, dated: list[tuple[_Point, tuple[date, date]]]) -> Deadline:
    """Two or more points: a range when a connector (đến, -) joins them or the phrase opens with từ/giai đoạn;
    a list (;, và) spans from its first to its last point, and a list of days is a list of due dates."""
    g = _grammar()
    joined = any(g["connector"].match(s[a[0].stop:b[0].pos]) for a, b in zip(dated, dated[1:], strict=False))
    first, last = dated[0], dated[-1]
    if joined and first[0].year is None and first[1][0] > last[1][1]:
        # "Từ 15/12 đến 15/1/2026": the unwritten first year is the one before
        y = first[1][0].year - 1
        shifted = first[0].span(y)
        if shifted:
            dated = [(first[0], shifted), *dated[1:]]
    start = min(sp[0] for _, sp in dated)
    end = max(sp[1] for _, sp in dated)
    if not joined and _milestones(s, dated) and last[0].kind in ("month", "quarter", "year", "half"):
        # '- Trình … (tháng 4/2025); - Trình … (tháng 5/2025)': steps each with its own time; the last one ends it
        kind = {"half": "range"}.get(last[0].kind, last[0].kind)
        return Deadline(text, kind, last[1][0], last[1][1])
    if not joined and all(p.kind == "day" for p, _ in dated):
        return Deadline(text, "before", None, end)
    return Deadline(text, "range", start, end)


def _milestones(s: str, dated: list[tuple[_Point, tuple[date, date]]]) -> bool:
    """Whether the points belong to separate steps: words stand between each pair, not only a list separator
    ('Tháng 3 và tháng 6/2025' is one list)."""
    g = _grammar()
    opening = s.lstrip("-+• ")
    if g["since"].match(opening) or g["period"].match(opening):
        return False  # 'Từ tháng 3/2025, …' opens a span
    gaps = [s[a[0].stop:b[0].pos] for a, b in zip(dated, dated[1:], strict=False)]
    return all(not g["list"].match(gap) and re.search(r"[a-z]{2,}", gap) for gap in gaps)


def _recurring(text: str, s: str, dated: list[tuple[_Point, tuple[date, date]]], plan_year: int | None) -> Deadline:
    """Hằng năm, định kỳ, thường xuyên …: dates written beside them are the day within each period, so only a
    year (or 'trong năm' of the plan's year) bounds the recurrence."""
    years = [sp for p, sp in dated if p.kind in ("year", "span") and sp[0].month == 1 and sp[1].month == 12]
    if years:
        return Deadline(text, "recurring", min(a for a, _ in years), max(b for _, b in years))
    if _grammar()["in_year"].search(s) and plan_year:
        return Deadline(text, "recurring", date(plan_year, 1, 1), date(plan_year, 12, 31))
    return Deadline(text, "recurring", None, None)


def _residue_words(s: str, p: _Point) -> int:
    rest = s[:p.pos] + " " + s[p.stop:]
    g = _grammar()
    for name in ("before", "until", "since", "onward", "period", "in_year"):
        rest = g[name].sub(" ", rest)
    return len(re.findall(r"[a-z]+", rest))


# 'trước 10 giờ 00 ngày 29/7/2020', 'chậm nhất 17h ngày 5/3': an hour of the day before the day itself
_HOUR = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s*,?\s*)?"
_INLINE = re.compile(
    rf"(?:(?:hoàn thành\s+)?(?:trước|chậm nhất)\s+{_HOUR}(?:ngày\s+)?\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{4}})?"
    rf"|(?:hoàn thành\s+)?(?:trước|chậm nhất)\s+{_HOUR}ngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}(?:\s+năm\s+\d{{4}})?"
    r"|(?:trong|trước)\s+qu[yý]\s+(?:iv|iii|ii|i|[1-4])(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"|(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?)",
    re.I,
)
_LEADING_RECURRING = re.compile(r"^(?:thường xuyên|định kỳ|(?:hằng|hàng)\s+(?:năm|quý|tháng))\b",
                                re.I)
_PERIODIC = re.compile(r"\b(?:trước|chậm nhất|vào)\s+(?:ngày\s+)?\d{1,2}\s+(?:hằng|hàng)\s+(?:tháng|quý|năm|tuần)\b"
                       r"|\bđịnh kỳ\s+(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần)\b|(?:^|[.;]\s+)(?:hằng|hàng)\s+"
                       r"(?:năm|quý|tháng)\b", re.I)
# "(khi Bộ Y tế có văn bản triển khai)", "; khi Bộ Quốc phòng có văn bản…", "ngay sau khi Luật … được thông qua":
# a condition on another body's act (a capitalised name or 'có …'), not on the task's own circumstances
_WHEN = re.compile(r"(?:\(|[;,]\s+|\b)((?:[Nn]gay\s+)?(?:[Ss]au\s+)?khi\s+(?P<w>\w+)[^.;()]{3,120})")
# "để kịp báo cáo Quốc hội tại Kỳ họp thứ 10": the time is the meeting's, whenever it sits
_MEETING = re.compile(r"\bkịp\s+(?:trình|báo cáo|phục vụ)\b[^.;()]{0,80}?\b(?:kỳ họp|phiên họp|hội nghị)\b[^.;()]*",
                      re.I)
# "Trong quá trình thực hiện, trường hợp có vướng mắc …, Sở A …": a case opening the sentence, up to its actor
_CASE = re.compile(r"^(?:trong quá trình (?:tổ chức )?(?:thực hiện|triển khai)[^,.;]{0,40},\s*)?"
                   r"(?:trong\s+)?(?:trường hợp|nếu)\s", re.I)
_UNTIL_YEAR = re.compile(r"\b(?:đến|tới)\s+(?:hết\s+)?năm\s+(?:19|20)\d\d\b|\bvào\s+năm\s+(?:19|20)\d\d\b", re.I)


def _names_a_document(content: str, start: int, end: int) -> bool:
    """Whether a year phrase belongs to a cited name ('Chiến lược … đến năm 2030', '…, tầm nhìn đến năm 2045')."""
    clause = re.split(r"[.;:]\s", content[max(0, start - 160):start])[-1]
    words = _vocab()["inline_name_words"]
    if any(re.search(rf"\b{re.escape(w)}\b", fold(clause)) for w in words):
        return True
    return bool(re.match(r"\s*,?\s*tầm nhìn", content[end:], re.I))


def inline_deadline(content: str) -> str:
    """The deadline phrase written inside a task's own sentence, or ''."""
    m = _PERIODIC.search(content)
    if m:
        return m.group(0).strip(" .;")
    m = _INLINE.search(content)
    if m:
        return m.group(0)
    m = _LEADING_RECURRING.match(content.strip())
    if m:
        return m.group(0)
    for m in _WHEN.finditer(content):
        if m.group("w")[0].isupper() or m.group("w").lower() == "có":
            return m.group(1).strip(" ,")
        after = m.group(1).split("được", 1)[-1].split()
        # 'Sau khi được Quốc hội thông qua, các Bộ …': a named body's act, the clause up to its comma
        if m.group("w").lower() == "được" and after and after[0][0].isupper():
            return m.group(1).split(",")[0].strip()
    m = _MEETING.search(content)
    if m:
        return m.group(0).strip(" ,")
    case = _opening_case(content.strip())
    if case:
        return case
    hits = [h for h in _UNTIL_YEAR.finditer(content) if not _names_a_document(content, h.start(), h.end())]
    return hits[-1].group(0) if hits else ""


def _opening_case(content: str) -> str:
    """The case clause a sentence opens with, up to the comma before its capitalised actor, or ''."""
    if not _CASE.match(content):
        return ""
    for m in re.finditer(r",\s+(?=\w)", content[:300]):
        if content[m.end()].isupper():
            return content[:m.start()]
        if content[m.start() - 1:m.start()] in ".;":
            break
    return ""
