"""Document metadata from the header (pipeline/header.py), the body and the signature block; cited documents.

The issuer lines become the issuing body and the body above it in their canonical names; the province comes
from them, the place of the date or the text. Names of people and places are taken as the text wrote them: a
line that restoration changed is read in its extracted form when that form had its marks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from extractors.model import ExtractedDoc, Line, TableBlock
from normalizers.text import clean, key, strip_diacritics
from normalizers.tones import normalize_tones
from normalizers.units import Gazetteer
from normalizers.vn import is_syllable
from pipeline.header import (
    attached_issuer,
    date_and_place,
    date_from,
    expand,
    fragments,
    header_of,
    is_caps,
    is_number_line,
    names_a_body,
    number_and_type,
    patterns,
    title_of,
    vocabulary,
)
from pipeline.records import DocMeta, Reference

_PROVINCES_FILE = Path(__file__).resolve().parent.parent / "normalizers" / "data" / "provinces.txt"
INDICES = [("PAR INDEX", r"\bpar\s*-?\s*index\b|chỉ số cải cách hành chính"), ("SIPAS", r"\bsipas\b|chỉ số hài lòng"),
           ("PAPI", r"\bpapi\b"), ("DDCI", r"\bddci\b"), ("PCI", r"\bpci\b")]
NEWS_TYPE = "Tin bài"
_RECIPIENTS = re.compile(r"(?i)^[|\s]*nơi\s+nhận\b")
_MARKS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u0300-\u036f]|[à-ỹÀ-Ỹ]")
REF_TYPES = r"Quyết định|Kế hoạch|Thông báo|Công văn|Báo cáo|Nghị định|Thông tư|Chỉ thị|Nghị quyết|Luật|Hướng dẫn|" \
            r"Văn bản|Tờ trình|Chương trình|Đề án"
_REFERENCE = re.compile(
    rf"(?P<t>{REF_TYPES})\s+số\s*:?\s*(?P<n>\d+(?:/\d{{4}})?\s*/\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*)"
    r"(?:,?\s+ngày\s+(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    r"(?:\s+(?:của|do)\s+(?P<i>(?:(?!\s+(?:về|v/v|ban hành|quy định|phê duyệt|thông báo|nâng cao|thực hiện)\b)"
    r"[^,.;:()])+))?")


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    names = [ln.strip() for ln in _PROVINCES_FILE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out = {}
    for n in names:
        out[key(n)] = n
        out[strip_diacritics(key(n))] = n
    out["hồ chí minh"] = out["ho chi minh"] = "Thành phố Hồ Chí Minh"
    out["huế"] = out["hue"] = "Thừa Thiên Huế"
    return out


def canonical_province(text: str) -> str:
    k = key(text)
    k = re.sub(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|hđnd)?\s*(?:tỉnh|thành phố|tp\.?)\s*", "",
               k).strip()
    table = provinces()
    return table.get(k) or table.get(strip_diacritics(k), "")


def _province_at_end(text: str) -> str:
    """The province a place phrase ends with ('KH-SLĐTBXH Đồng Tháp' → Đồng Tháp)."""
    words = text.split()
    for n in range(min(4, len(words)), 0, -1):
        p = canonical_province(" ".join(words[-n:]))
        if p:
            return p
    return ""


def as_written(text: str, raw: str | None) -> str:
    """The extracted form of a line restoration changed, when that form already had its marks (and was not a
    legacy font): names must not be 'restored'."""
    if raw and raw != text and _MARKS.search(raw):
        words = re.findall(r"[^\W\d_]+", raw)
        if words and sum(map(is_syllable, words)) >= 0.8 * len(words):
            return raw
    return text


def doc_to_meta_lines(doc: ExtractedDoc) -> tuple[list[str], list[str]]:
    """The document's lines in reading order with its tables' cells among them (the header and the signature
    block are often two-column tables), one cell line per line and '|' after each cell, as Markdown converters
    lay them out; with the same lines as extracted, before restoration."""
    text: list[str] = []
    raw: list[str] = []
    for item in doc.items:
        if isinstance(item, Line):
            text.append(item.text)
            raw.append(item.raw or item.text)
        elif isinstance(item, TableBlock):
            for r, row in enumerate(item.rows):
                raw_row = item.raw_rows[r] if item.raw_rows and r < len(item.raw_rows) else row
                for c, cell in enumerate(row):
                    raw_cell = raw_row[c] if c < len(raw_row) else cell
                    lines, raw_lines = cell.split("\n"), raw_cell.split("\n")
                    same = len(lines) == len(raw_lines)
                    text += lines
                    raw += raw_lines if same else lines
                    text.append("|")
                    raw.append("|")
    return text, raw


def _mostly_clean(lines: list[str], raw: list[str]) -> bool:
    """Restoration changed few lines: the text was extracted with its marks, and what it changed were names."""
    changed = sum(1 for t, r in zip(lines, raw, strict=True) if r and r != t)
    return changed <= 0.1 * max(1, len(lines))


def lines_to_meta(lines: list[str], gaz: Gazetteer, paras: list[str] | None = None,
                  raw: list[str] | None = None, source_name: str = "") -> DocMeta:
    """Header fields from the lines as laid out (`raw`: the same lines before restoration); citations and
    indices from whole paragraphs; the input's file name (`source_name`) fills a number the header left
    unreadable, as the last resort."""
    if raw is not None and len(raw) == len(lines) and _mostly_clean(lines, raw):
        lines = [as_written(t, r) for t, r in zip(lines, raw, strict=True)]
    lines = [clean(x) for x in lines if clean(x)]
    paras = [clean(x) for x in paras] if paras is not None else lines
    frags = fragments(lines[:250])
    hdr = header_of(frags)
    head = hdr.after[:40]
    text = "\n".join(lines)
    meta = DocMeta()
    number_and_type(meta, head)
    if _is_news(frags, lines):
        meta.doc_type, meta.doc_number = NEWS_TYPE, ""  # a number in its text is the retold document's
    place = date_and_place(meta, head, text)
    meta.issuing_body, meta.parent_body, central = _issuing_body(hdr.issuer, head, lines, gaz)
    # a central body's local branch ('Công an tỉnh Lâm Đồng' under Bộ Công an) names its province
    meta.province = _province_in_text(meta.issuing_body)
    if not central and not meta.province:
        meta.province = canonical_province(meta.parent_body) or canonical_province(meta.issuing_body) \
            or _province_at_end(place) or _province_named_in(frags[:8]) or _province_in_text(text)
    meta.title = title_of(head)
    meta.signer_title, meta.signer = _signer(lines)
    meta.recipients = _recipients(lines)
    meta.indices = [name for name, pat in INDICES if re.search(pat, " ".join(paras), re.I)]
    if _digits_missing(meta.doc_number) and source_name:
        number = number_in_file_name(source_name, meta)
        if number:
            meta.doc_number = number + meta.doc_number
            meta.notes.append(f"doc_number {number} from the file name")
    _same_document_cited(meta, paras)
    meta.references = text_to_references(paras, meta.doc_number)
    if meta.issue_date is None:
        cited = [r.ref_date.year for r in meta.references if r.ref_date]
        meta.year = max(cited) if cited and (meta.year is None or max(cited) > meta.year) else meta.year
    return meta


def _digits_missing(number: str) -> bool:
    """A number line whose code was read but whose (handwritten) digits were not: '/QĐ-UBND'."""
    return number.startswith("/")


def number_in_file_name(name: str, meta: DocMeta) -> str:
    """The document's number as its file name gives it next to its type's abbreviation ('qd2336_2026.pdf',
    '996-KH-BCA.pdf'), when that abbreviation is the document's own type (from its code or its type word)
    and the number is not its year ('qd_1999.pdf' names the year); '' when the name gives none."""
    own = _own_type_codes(meta)
    if not own:
        return ""
    stem = strip_diacritics(Path(name).stem).lower()
    years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stem)}
    if meta.year and years and meta.year not in years:
        return ""  # the name is of another year's document
    found = set()
    for abbr in own:
        a = re.escape(abbr)
        found |= set(re.findall(rf"(?<![a-z]){a}(\d{{1,5}})(?!\d)", stem))
        found |= set(re.findall(rf"(?<![\d]|[a-z])(\d{{1,5}})[-_]{a}(?![a-z])", stem))
    found = {n.lstrip("0") for n in found if n.lstrip("0") and int(n) not in years and int(n) != meta.year}
    return found.pop() if len(found) == 1 else ""


def _own_type_codes(meta: DocMeta) -> set[str]:
    """The document's type abbreviations as a file name writes them (lower case, no marks): the code's
    type part and every code of its type word (data/issuers.json code_types)."""
    codes: dict[str, str] = vocabulary()["code_types"]
    out = {c for c, t in codes.items() if meta.doc_type and t == meta.doc_type}
    code = re.search(r"/(?:\d{4}/)?([A-ZĐ][A-Za-zĐ]*)-", meta.doc_number)
    if code and code.group(1) in codes and (not meta.doc_type or codes[code.group(1)] == meta.doc_type):
        out.add(code.group(1))
    return {strip_diacritics(c).lower() for c in out}


def _same_document_cited(meta: DocMeta, paras: list[str]) -> None:
    """A later part of the document (an appendix, a follow-up) that cites the document by its full number
    prints its date: it fills the date the handwritten header left out, when every such citation gives the
    same one. Digits are needed: citations of other documents with the same code are common."""
    if meta.issue_date or not meta.doc_number or _digits_missing(meta.doc_number):
        return
    dates = set()
    for ln in paras:
        for m in _REFERENCE.finditer(ln):
            when = date_from(m.group("d") or "")
            if when and re.sub(r"\s+", "", m.group("n")) == meta.doc_number \
                    and (meta.year is None or when.year == meta.year):
                dates.add(when)
    if len(dates) == 1:
        meta.issue_date = dates.pop()
        meta.notes.append(f"issue_date {meta.issue_date.isoformat()} from the text citing the document")


def _is_news(frags: list[str], lines: list[str]) -> bool:
    """A news item retelling a document: a line only news carries (its source, its posting time), and none of
    an issued document's parts — no national motto, no number line, no recipients."""
    motto = patterns()["motto"]
    if any(motto.search(f) for f in frags[:150]) or any(is_number_line(f) for f in frags[:60]):
        return False
    if any(_RECIPIENTS.match(ln) for ln in lines):
        return False
    marks = tuple(vocabulary()["news_marks"])
    return any(ln.lower().startswith(marks) for ln in lines)


def _issuing_body(issuer: list[str], head: list[str], lines: list[str], gaz: Gazetteer) -> tuple[str, str, bool]:
    """(issuing body, parent body, central?) from the header's issuer lines, else from the attached-to line of
    an appendix or the closing sentence of the body."""
    pats = patterns()
    parent_raw, body_raw = _issuer_lines(issuer)
    if not names_a_body(parent_raw or body_raw):
        parent_raw, body_raw = "", ""  # capitals at the top that name no body (a heading)
    if not body_raw:
        found = attached_issuer(head)
        if not found:
            hit = next((re.search(r"(?:của|do)\s+((?:Sở|Ban|Cục|Chi cục|Văn phòng)\s[^,.;()]{3,60}?)"
                                  r"(?:\s+(?:trong|năm|về|để|nhằm)\b|[,.;]|$)", ln)
                        for ln in lines if re.match(r"(?i)^trên đây là", ln)), None)
            hit = hit or re.search(r"(Sở [^,.;]{3,60}?)\s+(?:xây dựng|ban hành|triển khai|thực hiện)", "\n".join(lines))
            found = hit.group(1) if hit else ""
        body_raw = found
    body = _unit_name(_ends_at_province(body_raw), gaz) if body_raw else ""
    parent = _unit_name(_ends_at_province(parent_raw), gaz) if parent_raw else ""
    top = normalize_tones(key(parent or body))
    central = bool(pats["central"].match(top)) and not pats["local"].match(top)
    return body or parent, parent if body else "", central


def _ends_at_province(name: str) -> str:
    """'CÔNG AN TỈNH LÂM ĐỒNG KG. nón. 7 TOÁN' → 'CÔNG AN TỈNH LÂM ĐỒNG': a body named after its province
    ends there, and what a scan prints after it on the line (a stamp, a signature) is not its name."""
    words = name.split()
    for i, w in enumerate(words[:-1]):
        if strip_diacritics(key(w)) not in ("tinh", "thanh", "tp", "tp."):
            continue
        # canonical_province reads the level word itself ('tỉnh', 'thành phố'); the longest name first
        for end in range(min(len(words) - 1, i + 7), i + 1, -1):
            if canonical_province(" ".join(words[i:end])) and not names_a_body(" ".join(words[end:]), ("sub",)):
                return " ".join(words[:end])
    return name


def _issuer_lines(issuer: list[str]) -> tuple[str, str]:
    """(parent, body) from the issuer lines: a last line that begins with a body's head word under lines that
    name a body is the body ('CÔNG AN TP ĐÀ NẴNG' / 'PHÒNG AN NINH …'); else the lines are one name, split
    where a subordinate body begins."""
    lines = [clean(x).strip(" .;:,_-|") for x in issuer]
    lines = [_level_words(x) for x in lines if x]
    pats = patterns()
    if len(lines) >= 2:
        last = expand(key(lines[-1]))
        above = " ".join(lines[:-1])
        if names_a_body(last, ("sub",)) and not pats["sub"].fullmatch(last) and names_a_body(above):
            return above, lines[-1]
    return _split_issuer(" ".join(lines))


def _level_words(text: str) -> str:
    """'UBND TĨNH PHÚ THỌ' (an OCR'd mark) → 'UBND TỈNH PHÚ THỌ': a level word before a province's name is
    taken by its letters."""
    words = text.split()
    for i, w in enumerate(words[:-1]):
        level = _LEVELS.get(strip_diacritics(w.lower()))
        if level and key(w) != level and canonical_province(" ".join(words[i + 1:i + 4])):
            words[i] = level.upper() if w.isupper() else level
    return " ".join(words)


_LEVELS = {"tinh": "tỉnh", "huyen": "huyện", "phuong": "phường"}


def _split_issuer(text: str) -> tuple[str, str]:
    """'UBND TỈNH BÌNH ĐỊNH SỞ LAO ĐỘNG …' → ('UBND TỈNH BÌNH ĐỊNH', 'SỞ LAO ĐỘNG …'); a single body → ('', it)."""
    text = clean(text)
    if not text:
        return "", ""
    pats = patterns()
    words = text.split()
    for i in range(1, len(words)):
        prefix, rest = key(" ".join(words[:i])), key(" ".join(words[i:]))
        top = expand(prefix)
        body_ok = bool(pats["sub"].match(rest)) and not pats["sub"].fullmatch(rest)
        parent_ok = bool(pats["local"].match(top) or pats["central"].match(top)) \
            and not pats["local"].fullmatch(top) and not pats["central"].fullmatch(top)
        if body_ok and parent_ok and key(words[i - 1]) not in ("ủy", "uỷ", "tổng", "chi", "học"):
            return " ".join(words[:i]), " ".join(words[i:])
    return "", text


def _unit_name(text: str, gaz: Gazetteer) -> str:
    """A body's name in its canonical form: abbreviations expanded, capitals as in running text, the
    province as the register spells it ('ỦY BAN NHÂN DÂN TỈNH NGHỆ AN' → 'Ủy ban nhân dân tỉnh Nghệ An')."""
    text = clean(text).strip(" .;:,()")
    abbr: dict[str, str] = vocabulary()["abbreviations"]
    words = []
    for w in text.split():
        core = w.strip(",;:()")
        hit = abbr.get(core) or abbr.get(core.upper())
        words.append(w.replace(core, hit) if hit else (w.lower() if is_caps(text) else w))
    name = " ".join(words)
    name = name[:1].upper() + name[1:]
    m = re.match(r"(?i)^(ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|tỉnh ủy|thành ủy)\s+"
                 r"(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)?\s*(.*)$", name)
    if m:
        head = normalize_tones(m.group(1)[:1].upper() + m.group(1)[1:].lower())
        level, place = (m.group(2) or "").lower(), m.group(3)
        province = canonical_province(place) if level in ("", "tỉnh", "thành phố") else ""
        if province:
            if province.lower().startswith("thành phố"):
                return f"{head} {province}"
            return f"{head} {level or 'tỉnh'} {province}"
        return " ".join([head, level, " ".join(x[:1].upper() + x[1:] for x in place.split())]).replace("  ", " ")
    unit = gaz.match_one(name, 92)  # a body the register knows, spelled as it spells it
    if unit.known:
        return unit.unit
    if is_caps(text):
        name = _capitalize_fields(name)
    return _province_spelled(name)


def _province_spelled(name: str) -> str:
    """A body named after its province ends with the province as the register spells it ('Công an Tỉnh lâm
    đồng' → 'Công an tỉnh Lâm Đồng')."""
    m = re.search(r"(?i)\b(tỉnh|thành phố|tp\.?)\s+(\S+(?:\s+\S+){0,3})$", name)
    province = canonical_province(m.group(2)) if m else ""
    if not m or not province:
        return name
    level = m.group(1).lower()
    return f"{name[:m.start()]}{'' if province.lower().startswith('thành phố') else level + ' '}{province}"


def _capitalize_fields(name: str) -> str:
    """'Bộ văn hóa, thể thao và du lịch' → 'Bộ Văn hóa, Thể thao và Du lịch': each field after the head word."""
    m = patterns()["sub"].match(key(name)) or patterns()["central"].match(key(name))
    cut = len(m.group(0)) if m else 0
    head, rest = name[:cut], name[cut:]
    parts = re.split(r"(,\s*|\s+[-–—]\s+|\s+và\s+|\s+)", rest.strip())
    out, start = [], True
    for p in parts:
        if not p:
            continue
        if re.fullmatch(r",\s*|\s+[-–—]\s+|\s+và\s+", p):
            out.append(p)
            start = True
        elif p.isspace():
            out.append(p)
        else:
            out.append(p[:1].upper() + p[1:] if start else p)
            start = False
    return f"{head} {''.join(out)}".strip() if head else "".join(out)


def _province_named_in(lines: list[str]) -> str:
    """A province's name anywhere in the header lines (an OCR'd header runs its two columns together)."""
    names = {key(n): n for n in provinces().values()}
    for ln in lines:
        k = key(ln)
        for name_key, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"(?<!\w){re.escape(name_key)}(?!\w)", k):
                return name
    return ""


def _province_in_text(text: str) -> str:
    for m in re.finditer(r"\btỉnh\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹđ]*\s?){1,3})", text):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            p = canonical_province(" ".join(words[:n]))
            if p:
                return p
    return ""


def _title_then_name(line: str) -> tuple[str, str]:
    """'KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Phú Hiền' (a signature cell run together) → (title, name)."""
    words = line.split()
    for k in range(1, len(words)):
        upper_title = all(not any(c.islower() for c in w) for w in words[:k])
        if upper_title and any(c.islower() for c in words[k]):
            name = _person(" ".join(words[k:]))
            if name:
                return " ".join(words[:k]), name
    return "", ""


def _signer(lines: list[str]) -> tuple[str, str]:
    """(signer title, signer) from the last signature block of the body, before its appendix."""
    sign = patterns()["sign"]
    plain = [clean(re.sub(r"\*+", " ", ln)).strip("| ") for ln in lines]
    # the body ends at its appendix, or where a second document begins with its own national motto (a
    # report sent with the tờ trình that asks for it): the signer is the first document's
    motto = patterns()["motto"]
    mottos = [i for i, ln in enumerate(plain) if motto.match(ln)]
    end = next((i for i, ln in enumerate(plain) if i > 10 and re.match(r"(?i)^(phụ lục|\((ban hành )?kèm theo)\b",
                                                                        ln)), len(plain))
    end = min([end] + [i for i in mottos if i > mottos[0] + 20])
    body = plain[:end]
    for i in range(len(body) - 1, -1, -1):
        title, name = _title_then_name(body[i]) if sign.match(body[i]) else ("", "")
        if name:
            return title, name
        if sign.match(body[i]):
            for j in range(i + 1, min(len(body), i + 5)):
                name = _person(body[j])
                if name:
                    block = [x for x in body[max(0, i - 3):j] if is_caps(x) and x]
                    return clean(" ".join(block)), name
    for ln in reversed(body[-12:]):
        name = _person(ln)
        if name and not ln.startswith("-"):
            return "", name
    return "", ""


def _person(line: str) -> str:
    """A person's name on a line of its own, a rank or degree before it dropped ('Thượng tướng Võ Minh Lương')."""
    # a speck of the seal or the signature before the name is read as a quote or a dash
    text = patterns()["rank"].sub("", line.strip(" .|“”\"'`‘’_~-"))
    words = text.split()
    ok = 2 <= len(words) <= 6 and all(w.isalpha() and w[0].isupper() and (w[1:].islower() or len(w) == 1)
                                      for w in words)
    return text if ok else ""


def _recipients(lines: list[str]) -> list[str]:
    out: list[str] = []
    for i, ln in enumerate(lines):
        if re.match(r"(?i)^kính gửi\s*:", ln):
            out += [x for x in (clean(x).strip(" .;") for x in re.split(r"[;]", ln.split(":", 1)[1])) if x]
        if re.match(r"(?i)^nơi nhận\s*:?", ln):
            for nxt in lines[i + 1:i + 25]:
                if not nxt.startswith(("-", "–", "•", "+")):
                    break
                item = clean(nxt.lstrip("-–•+ ")).strip(" .;")
                if item:
                    out.append(item)
            break
    return out


def text_to_references(lines: list[str], own_number: str) -> list[Reference]:
    refs: list[Reference] = []
    seen: set[str] = set()
    for ln in lines:
        context = "căn cứ" if re.match(r"(?i)^căn cứ", ln) else "thực hiện" if re.match(r"(?i)^thực hiện", ln) \
            else "body"
        for m in _REFERENCE.finditer(ln):
            number = re.sub(r"\s+", "", m.group("n"))
            if number == own_number or number in seen:
                continue
            seen.add(number)
            issuer = re.split(r"\s+(?:đối với|trong|tại|nhằm|để|trên)\s+", clean(m.group("i") or ""))[0]
            issuer = " ".join(issuer.split()[:8])
            text = clean(m.group(0))
            text = text[:text.find(issuer) + len(issuer)] if issuer else text
            refs.append(Reference(ref_type=m.group("t"), ref_number=number, ref_date=date_from(m.group("d") or ""),
                                  issuer=issuer, context=context, text=text))
    return refs
