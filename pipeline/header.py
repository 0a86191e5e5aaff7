"""The header block of an administrative document: issuer, number, type word, place and date, title.

The header is two columns (issuer left, national motto right; then the number left, place and date right),
laid out as table cells in Word and Markdown and as two column runs (or one line across both) by OCR. It is
read as fragments: lines cut at cell borders ('|') and at the motto, markdown emphasis dropped. The issuer is
the capitals just before the motto; the number, the place and date, the type word and the title (trích yếu)
follow it. An OCR'd header is read as leniently as it needs: the label `Số` as Tesseract misreads it
(`Só`, `S6`), a handwritten number that did not read as digits left out (the code after it kept), a type
word with a wrong mark (`KÉ HOẠCH`), bold capitals run together (`ANTỈNHLÂMĐỒNG`). The vocabulary is in
data/issuers.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from normalizers.text import clean, key, strip_diacritics
from normalizers.tones import normalize_tones
from normalizers.vn import is_syllable
from pipeline.records import DocMeta

_ISSUERS_FILE = Path(__file__).resolve().parent / "data" / "issuers.json"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*(?:\([A-Za-z0-9]+\))?"
_CODES = rf"/\s*(?:\d{{4}}\s*/\s*)?{_CODE}(?:\s*-\s*{_CODE})*"
_NUMBER = rf"\d*\s*{_CODES}"
# `Số:` as written and as OCR misreads it (Só, Sô, S6, S0), after at most a speck or two (`z) Số:`); a
# wrapped sentence of the body may begin with 'số 19/CT-TTg', so a lower-case label needs its colon
_NO_LABEL = r"^(?:\S{1,2}\s+)?(?:S[ốÓỐóôồỏõọộoO06]\s*[:.;,]?|số\s*:)\s*"
_DOC_NO = re.compile(rf"{_NO_LABEL}(?P<pre>.{{0,8}}?)\s*(?P<n>{_CODES})")
_NO_LINE = re.compile(rf"{_NO_LABEL}[^/]{{0,12}}/")  # the number line, even when its number is unreadable
_ATTACHED_TO = re.compile(rf"^\(?\s*(?:ban hành\s+)?kèm theo\s+(?P<t>[^\d(]{{2,20}}?)\s+số\s*:?\s*(?P<n>{_NUMBER})"
                          r"(?:\s+ngày\s+(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}))?"
                          r"(?:\s+(?:của|do)\s+(?P<i>[^)]{3,80})\))?", re.I)
# the day and month are often handwritten: whatever stands there is taken, and used only if it is a number
PLACE_DATE = re.compile(r"(?P<place>[A-ZĐđ][^\d,;:]{1,40}?)\s*,\s*ng[àa]y\s*(?P<d>[^\s,]{0,4}?)\s*th[áa]ng"
                        r"\s*(?P<m>[^\s,]{0,3}?)\s*[nm][ăa]m\s*(?P<y>\d{4})")
_TITLE_STOP = re.compile(r"(?i)^(căn cứ|thực hiện|triển khai thực hiện|để|kính gửi|xét)\b")
_TITLE_END = re.compile(r"(?i)^(\(?ban hành kèm|\(?kèm theo|[IVX]+\.\s|\d+\.\s|điều\s+\d)")
# 'V/v' as written and as OCR cuts it ('V/ bảo đảm …')
_SUBJECT = re.compile(r"(?i)^(?:v\s*/\s*v|v/|về việc)(?!\w)\s*:?\s*")
# the subject label misread as a short word ('MẠI', 'Ví') before the subject's lower-case words
_MISREAD_LABEL = re.compile(r"^(?:[A-ZĐÀ-Ỹ]{2,3}|V\w)\s+(?=[a-zđà-ỹ])")
# a numbered note beginning inside a line: the next column's handwritten or printed routing list
_NOTE_IN_LINE = re.compile(r"\s+\d{1,2}\.\s+[A-ZĐÀ-Ỹ].*$")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_ISSUERS_FILE.read_text(encoding="utf-8"))
    return data


def _heads(name: str) -> re.Pattern[str]:
    words = sorted(vocabulary()[name], key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    v = vocabulary()
    titles = "|".join(re.escape(t) for t in sorted(v["sign_titles"], key=len, reverse=True))
    return {"central": _heads("central_heads"), "local": _heads("local_heads"), "sub": _heads("subordinate_heads"),
            "authority": _heads("authority_lines"),
            "sign": re.compile(rf"^(?:{titles})(?!\w)"),
            "rank": re.compile(rf"^(?:{'|'.join(re.escape(r) for r in v['ranks'])})\s*", re.I),
            "motto": re.compile(r"(?i)(?:cộng\s+h(?:òa|oà)\s+xã|độc\s+lập\s*[-–—]\s*tự\s+do|cong\s+hoa\s+xa\b)")}


@lru_cache(maxsize=1)
def _types() -> dict[str, str]:
    """Type words by their key and, when no two share it, by their mark-less key (an OCR'd `KÉ HOẠCH`)."""
    words = vocabulary()["doc_types"]
    out = {t: t[:1].upper() + t[1:] for t in words}
    bare = [strip_diacritics(t) for t in words]
    out.update({b: out[t] for t, b in zip(words, bare, strict=True) if bare.count(b) == 1})
    return out


def date_from(text: str) -> date | None:
    m = re.match(r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.sub(r"\s+", " ", text.strip()))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def fragments(lines: list[str]) -> list[str]:
    """Header lines as fragments: markdown emphasis dropped, cut at cell borders and before the motto."""
    out: list[str] = []
    motto = patterns()["motto"]
    for ln in lines:
        text = re.sub(r"\*+|^#+\s*", " ", ln).replace("\u00d0", "Đ")  # OCR's eth for Đ
        for cell in text.split("|"):
            cell = clean(cell).strip()
            m = motto.search(cell)
            parts = [cell[:m.start()], cell[m.start():]] if m and m.start() > 0 else [cell]
            for part in parts:
                part = re.sub(r"\s*-{3,}\s*", " ", part).strip(" -–—_")
                if re.search(r"\w", part):
                    out.append(part)
    return out


def is_number_line(fragment: str) -> bool:
    return bool(_NO_LINE.match(fragment))


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def names_a_body(text: str, kinds: tuple[str, ...] = ("central", "local", "sub")) -> bool:
    """The text begins with a body's head word, as written or with the marks an OCR got wrong ('TỎ CÔNG TÁC')."""
    pats, bare = patterns(), _bare_heads()
    k = normalize_tones(expand(key(text)))
    return any(pats[p].match(k) or bare[p].match(strip_diacritics(k)) for p in kinds)


@lru_cache(maxsize=1)
def _bare_heads() -> dict[str, re.Pattern[str]]:
    v = vocabulary()
    out = {}
    for kind, name in (("central", "central_heads"), ("local", "local_heads"), ("sub", "subordinate_heads")):
        words = sorted({strip_diacritics(w) for w in v[name]}, key=len, reverse=True)
        out[kind] = re.compile(rf"^(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")
    return out


def expand(text: str) -> str:
    abbr: dict[str, str] = vocabulary()["abbreviations"]
    out = []
    for w in text.split():
        core = w.strip(",;:()")
        hit = abbr.get(core) or abbr.get(core.upper())
        out.append(w.replace(core, hit.lower() if hit else core) if hit else w)
    return " ".join(out)


def split_run_together(text: str) -> str:
    """Capitals a bold, letter-spaced header line made OCR run together → syllables: 'ANTỈNHLÂMĐỒNG' →
    'AN TỈNH LÂM ĐỒNG'. A word is cut only when it is no syllable and all of it cuts into syllables."""
    out = []
    for w in text.split():
        if len(w) < 6 or not w.isalpha() or not w.isupper() or is_syllable(w):
            out.append(w)
            continue
        low = w.lower()
        best: list[list[int] | None] = [[]] + [None] * len(low)  # fewest syllables covering low[:i]
        for i in range(1, len(low) + 1):
            for j in range(max(0, i - 7), i):
                prev, here = best[j], best[i]
                if prev is not None and is_syllable(low[j:i]) and (here is None or len(prev) + 1 < len(here)):
                    best[i] = [*prev, i]
        cuts = best[len(low)]
        out.append(" ".join(w[a:b] for a, b in zip([0, *cuts], cuts, strict=False)) if cuts else w)
    return " ".join(out)


@dataclass
class Header:
    issuer: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def header_of(frags: list[str]) -> Header:
    """The issuer fragments (the capitals before the motto) and the fragments after the motto."""
    motto = patterns()["motto"]
    at = next((i for i, f in enumerate(frags[:150]) if motto.match(f)), None)
    if at is None:
        lead = []
        for f in frags[:8]:
            if not is_caps(f) or key(f) in vocabulary()["doc_types"] or _NO_LINE.match(f):
                break
            lead.append(f)
        return Header(lead, frags[len(lead):])
    window = frags[max(0, at - 8):at]
    # a left cell that also holds the number, or a letter's subject ('V/v …') read before the motto
    number_at = next((i for i, f in enumerate(window) if _NO_LINE.match(f) or _SUBJECT.match(f)), len(window))
    window, before_motto = window[:number_at], window[number_at:]
    issuer: list[str] = []
    for f in reversed(window):
        if not is_caps(f):
            if not issuer and len(f.split()) <= 4:
                # a scan's debris between the issuer and the number ('các lũ XỬ': a stamp, a note), or the
                # number line with its label misread ('sẽ2 6 ŸBCT-ATMT'): the fields after the motto may use it
                before_motto.insert(0, f)
                continue
            break
        issuer.insert(0, f)
    # the motto's second half on a line of its own ('CHỦ NGHĨA VIỆT NAM', an OCR'd 'NGHĨA VIỆTN')
    # after a speck or two a stamp or the rule under the motto left ('T \ A NGHĨA VIỆT N')
    half = re.compile(r"(?i)^(?:(?:xã\s+)?hội\s+)?(?:chủ\s+)?nghĩa\b|^(hoi\s+)?chu nghia"
                      r"|^(?:\S{1,2}\s+){1,3}(?:chủ\s+)?nghĩa\s+việt")
    rest = [f for f in frags[at:] if not half.match(f)]
    last_motto = max((i for i, f in enumerate(rest[:4]) if motto.match(f)), default=0)
    # an OCR'd header alternates the columns line by line: issuer lines between the motto's two lines
    issuer += [f for f in rest[:last_motto] if is_caps(f) and not motto.match(f) and not _NO_LINE.match(f)]
    before_motto += [f for f in rest[:last_motto] if _NO_LINE.match(f)]
    # the motto's first line read on the issuer's first line: the issuer's next line follows the motto
    taken = 0
    for f in rest[last_motto:last_motto + 3]:
        # a name cut short ('ỦY BAN NHÂN DÂN') goes on after the motto as well as a subordinate body does
        unfinished = bool(issuer) and _only_a_head(" ".join(issuer))
        if _NO_LINE.match(f) or not (motto.match(f) or is_caps(f) and (unfinished or names_a_body(f, ("sub",)))):
            break
        if not motto.match(f):
            issuer.append(f)
        taken += 1
    after = [f for f in rest[last_motto:last_motto + taken] if motto.match(f)] + rest[last_motto + taken:]
    issuer = [split_run_together(f) for f in issuer]
    first = next((i for i, f in enumerate(issuer) if names_a_body(f)), 0)  # a speck or a note above it
    return Header(issuer[first:], before_motto + [f for f in after if not motto.match(f)])


def _only_a_head(text: str) -> bool:
    """'ỦY BAN NHÂN DÂN', 'BỘ': a head word without the name it heads."""
    pats = patterns()
    k = normalize_tones(expand(key(text)))
    return any(pats[p].fullmatch(k) for p in ("central", "local", "sub"))


def is_debris(fragment: str) -> bool:
    """OCR debris (a stamp's handwriting, a signature): most of its words spell no syllable."""
    words = re.findall(r"[^\W\d_]+", fragment)
    return not words or sum(map(is_syllable, words)) < 0.5 * len(words)


def _type_of(fragment: str) -> tuple[str, str]:
    """(type, the rest of the fragment) when the fragment is a type word, or capitals that begin with one
    ('QUYẾT ĐỊNH CHẤP THUẬN …'); ('', '') otherwise."""
    types = _types()
    words = fragment.split()
    if len(words) >= 2 and (is_debris(words[0]) or re.search(r"\d", words[0])):  # a stamp's speck before it
        fragment = " ".join(words[1:])
    k = re.sub(r"[^\w\s]", "", key(fragment)).strip()
    hit = types.get(k) or types.get(strip_diacritics(k))
    if hit:
        return hit, ""
    if not is_caps(fragment):
        return "", ""
    words = fragment.split()
    for n in (3, 2):
        head = re.sub(r"[^\w\s]", "", key(" ".join(words[:n]))).strip()
        hit = types.get(head) or types.get(strip_diacritics(head))
        if hit and len(words) > n:
            return hit, " ".join(words[n:])
    return "", ""


def number_and_type(meta: DocMeta, head: list[str]) -> None:
    v = vocabulary()
    for f in head:
        m = _DOC_NO.match(f)
        if m and not meta.doc_number:
            # digits a handwritten number did not read as are left out: the code still says what it is
            pre = m.group("pre").strip()
            meta.doc_number = (pre if pre.isdigit() else "") + re.sub(r"\s+", "", m.group("n"))
        if not meta.doc_type:
            meta.doc_type = _type_of(f)[0]
    if not meta.doc_number:
        meta.doc_number = _code_without_label(head[:2])
    attached = _attached_to(head)
    if attached and not meta.doc_number:
        meta.doc_number = re.sub(r"\s+", "", attached.group("n"))
        meta.issue_date = date_from(attached.group("d") or "")
    code = re.search(r"/(?:\d{4}/)?([A-ZĐ][A-Za-zĐ]*)-", meta.doc_number)
    codes: dict[str, str] = v["code_types"]
    if not meta.doc_type and code and code.group(1) in codes:
        meta.doc_type = codes[code.group(1)]
    if not meta.doc_type and any(re.match(r"(?i)^(v/v|kính gửi)", f) for f in head):
        meta.doc_type = "Công văn"
    if meta.doc_type == "Phụ lục" and code and code.group(1) in codes:
        meta.doc_type = codes[code.group(1)]


def _code_without_label(head: list[str]) -> str:
    """'/BCT-ATMT' from the first line after the motto when the hand that wrote the number covered the label
    and the slash ('sẽ2 6 ŸBCT-ATMT'): a code of capitals joined by hyphens among specks, nothing else."""
    for f in head:
        m = _BARE_CODE.search(f)
        rest = re.findall(r"[^\W\d_]+", f[:m.start()] + " " + f[m.end():]) if m else []
        if m and len(rest) <= 4 and all(len(w) <= 2 for w in rest):  # specks and strokes, no word
            return "/" + m.group(0)
    return ""


_BARE_CODE = re.compile(rf"(?<![A-Za-zĐđ]){_CODE}(?:-{_CODE})+(?![\w-])")


def attached_issuer(head: list[str]) -> str:
    """The issuer an appendix names in its '(Kèm theo … số … của X)' line."""
    m = _attached_to(head)
    return m.group("i") if m and m.group("i") else ""


def _attached_to(head: list[str]) -> re.Match[str] | None:
    """An appendix's '(Ban hành kèm theo Kế hoạch số … của …)' line, which may wrap; a 'kèm theo' inside a
    sentence of the body is not it."""
    for i, f in enumerate(head):
        if re.match(r"(?i)^\(?\s*(?:ban hành\s+)?kèm theo\b", f):
            m = _ATTACHED_TO.search(" ".join(head[i:i + 3]))
            if m:
                return m
    return None


def date_and_place(meta: DocMeta, head: list[str], text: str) -> str:
    """Issue date and year; returns the place written before the date (not the province of a central body)."""
    joined = " ".join(head[:12])
    m = PLACE_DATE.search(joined)
    place = ""
    if m:
        meta.year = int(m.group("y"))
        if m.group("d").isdigit() and m.group("m").isdigit():
            meta.issue_date = date_from(f"{m.group('d')}/{m.group('m')}/{m.group('y')}") or meta.issue_date
        place = m.group("place").strip()
    if meta.issue_date:
        meta.year = meta.issue_date.year
    if meta.year is None:
        years = re.findall(r"\bnăm\s+(20\d\d|19\d\d)\b", text)
        if years:
            meta.year = int(max(set(years), key=years.count))
    return place


def title_of(head: list[str]) -> str:
    """The trích yếu: the fragments after the type word (or the V/v line of a công văn)."""
    authority = patterns()["authority"]
    for i, f in enumerate(head):
        doc_type, rest = _type_of(f)
        if doc_type or _SUBJECT.match(f):
            first = rest if doc_type else _SUBJECT.sub("", f)
            if re.match(r"(?i)^của\b", first):
                first = ""  # 'QUYẾT ĐỊNH CỦA ỦY BAN …': the authority, not the subject
            parts = [first] if first else []
            caps = is_caps(first) if first else None
            for nxt in head[i + 1:i + 9]:
                if is_debris(nxt):
                    continue
                if (_TITLE_STOP.match(nxt) and not is_caps(nxt)) or _TITLE_END.match(nxt) or PLACE_DATE.search(nxt) \
                        or _NO_LINE.match(nxt) or authority.match(key(nxt)) and is_caps(nxt):
                    break
                if caps is None:
                    caps = is_caps(nxt)
                elif caps and not is_caps(nxt):
                    break
                elif not caps and len(parts) >= 3:
                    break
                parts.append(nxt)
            if parts:
                return clean(" ".join(_NOTE_IN_LINE.sub("", p) for p in parts))
    subject = _misread_subject(head)
    if subject:
        return subject
    caps_lines = [f for f in head[:15] if f.isupper() and len(f) > 25]
    return clean(" ".join(caps_lines[:3]))


def _misread_subject(head: list[str]) -> str:
    """A letter's subject whose 'V/v' OCR misread ('MẠI thông báo …'): the lower-case lines right after the
    number and date lines, up to 'Kính gửi'."""
    at = next((i + 1 for i, f in enumerate(head[:6]) if PLACE_DATE.search(f) or _NO_LINE.match(f)), None)
    while at is not None and at < len(head) and (PLACE_DATE.search(head[at]) or _NO_LINE.match(head[at])):
        at += 1
    if at is None or at >= len(head) or not _MISREAD_LABEL.match(head[at]):
        return ""
    parts = [_MISREAD_LABEL.sub("", head[at])]
    for nxt in head[at + 1:at + 4]:
        if _TITLE_STOP.match(nxt) or _TITLE_END.match(nxt) or re.search(r"(?i)kính gửi", nxt):
            break
        words = [w for w in nxt.split() if not _SPECK.search(w)]  # a stamp's or a note's specks
        if is_debris(nxt) or is_caps(nxt) or sum(len(w) > 1 and is_syllable(w) for w in words) < 2:
            break  # the subject has ended where the column's debris begins
        parts.append(" ".join(words))
    return clean(" ".join(_NOTE_IN_LINE.sub("", p) for p in parts))


_SPECK = re.compile(r"[^\w.,;:()/-]|[^\x00-\x7fà-ỹÀ-Ỹ\u0300-\u036f]|\d[^\W\d]|[^\W\d]\d")
