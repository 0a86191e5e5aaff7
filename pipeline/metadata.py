"""Document metadata from the header, the body and the signature block; cited documents."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from normalizers.text import clean, key, sentence_case, strip_diacritics
from normalizers.units import Gazetteer
from pipeline.records import DocMeta, Reference

_PROVINCES_FILE = Path(__file__).resolve().parent.parent / "normalizers" / "data" / "provinces.txt"
DOC_TYPES = {"kế hoạch": "Kế hoạch", "báo cáo": "Báo cáo", "quyết định": "Quyết định", "thông báo": "Thông báo",
             "chỉ thị": "Chỉ thị", "tờ trình": "Tờ trình", "hướng dẫn": "Hướng dẫn", "chương trình": "Chương trình",
             "công văn": "Công văn", "đề án": "Đề án", "phụ lục": "Phụ lục", "nghị quyết": "Nghị quyết"}
CODE_TYPES = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "TB": "Thông báo", "CT": "Chỉ thị",
              "TTr": "Tờ trình", "HD": "Hướng dẫn", "CTr": "Chương trình", "ĐA": "Đề án", "NQ": "Nghị quyết"}
INDICES = [("PAR INDEX", r"\bpar\s*-?\s*index\b|chỉ số cải cách hành chính"), ("SIPAS", r"\bsipas\b|chỉ số hài lòng"),
           ("PAPI", r"\bpapi\b"), ("DDCI", r"\bddci\b"), ("PCI", r"\bpci\b")]
_NUMBER = r"\d*\s*/\s*\d{0,4}\s*/?\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*"
_DOC_NO = re.compile(rf"\b(?:Số|SỐ)\s*[:.]?\s*(?P<n>{_NUMBER})")
_ATTACHED_TO = re.compile(rf"kèm theo\s+(?P<t>[^\d(]{{2,20}}?)\s+số\s*:?\s*(?P<n>{_NUMBER})"
                          r"(?:\s+ngày\s+(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}))?", re.I)
_PLACE_DATE = re.compile(r"(?P<place>[A-ZĐđ][^\d,;:]{1,40}?)\s*,\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})"
                         r"\s*năm\s*(?P<y>\d{4})")
_SIGN_TITLE = re.compile(r"^(?:KT\.?\s*|TM\.?\s*|Q\.?\s*|TL\.?\s*)?(?:PHÓ\s+)?(?:GIÁM ĐỐC|CHỦ TỊCH|CHÁNH VĂN PHÒNG|"
                         r"TRƯỞNG PHÒNG|SỞ|ỦY BAN|UBND)\b")
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s+){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")
REF_TYPES = r"Quyết định|Kế hoạch|Thông báo|Công văn|Báo cáo|Nghị định|Thông tư|Chỉ thị|Nghị quyết|Luật|Hướng dẫn|" \
            r"Văn bản|Tờ trình|Chương trình|Đề án"
_REFERENCE = re.compile(
    rf"(?P<t>{REF_TYPES})\s+số\s*:?\s*(?P<n>\d+(?:/\d{{4}})?\s*/\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*)"
    r"(?:\s+ngày\s+(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
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
    k = re.sub(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)?\s*(?:tỉnh|thành phố|tp\.?)\s*", "", k).strip()
    table = provinces()
    return table.get(k) or table.get(strip_diacritics(k), "")


def _date_from(text: str) -> date | None:
    m = re.match(r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.sub(r"\s+", " ", text.strip()))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def lines_to_meta(lines: list[str], gaz: Gazetteer, paras: list[str] | None = None) -> DocMeta:
    """Header fields from the lines as laid out; citations and indices from whole paragraphs."""
    lines = [clean(x) for x in lines if clean(x)]
    paras = [clean(x) for x in paras] if paras is not None else lines
    head = lines[:40]
    text = "\n".join(lines)
    meta = DocMeta()
    _number_and_type(meta, head)
    _date_and_place(meta, head, text)
    meta.issuing_body, meta.parent_body = _issuing_body(head, text, gaz)
    if not meta.province:
        meta.province = canonical_province(meta.parent_body) or _province_named_in(head[:8]) \
            or _province_in_text(text)
    meta.title = _title(head)
    meta.signer_title, meta.signer = _signer(lines)
    meta.recipients = _recipients(lines)
    meta.indices = [name for name, pat in INDICES if re.search(pat, " ".join(paras), re.I)]
    meta.references = text_to_references(paras, meta.doc_number)
    if meta.issue_date is None:
        cited = [r.ref_date.year for r in meta.references if r.ref_date]
        meta.year = max(cited) if cited and (meta.year is None or max(cited) > meta.year) else meta.year
    return meta


def _number_and_type(meta: DocMeta, head: list[str]) -> None:
    for ln in head:
        m = _DOC_NO.search(ln)
        if m and not meta.doc_number:
            meta.doc_number = re.sub(r"\s+", "", m.group("n"))
        k = key(ln)
        if not meta.doc_type and k in DOC_TYPES:
            meta.doc_type = DOC_TYPES[k]
    attached = next((m for m in map(_ATTACHED_TO.search, head) if m), None)
    if attached and not meta.doc_number:
        meta.doc_number = re.sub(r"\s+", "", attached.group("n"))
        meta.issue_date = _date_from(attached.group("d") or "")
    code = re.search(r"/(?:\d{4}/)?([A-ZĐ][A-Za-zĐ]*)-", meta.doc_number)
    if not meta.doc_type and code and code.group(1) in CODE_TYPES:
        meta.doc_type = CODE_TYPES[code.group(1)]
    if not meta.doc_type and any(re.match(r"(?i)^(v/v|kính gửi)", ln) for ln in head):
        meta.doc_type = "Công văn"
    if meta.doc_type == "Phụ lục" and code and code.group(1) in CODE_TYPES:
        meta.doc_type = CODE_TYPES[code.group(1)]


def _date_and_place(meta: DocMeta, head: list[str], text: str) -> None:
    for ln in head:
        m = _PLACE_DATE.search(ln)
        if m:
            meta.year = int(m.group("y"))
            if m.group("d") and m.group("m"):
                meta.issue_date = _date_from(f"{m.group('d')}/{m.group('m')}/{m.group('y')}") or meta.issue_date
            meta.province = canonical_province(m.group("place").split("  ")[-1].strip())
            break
    if meta.issue_date:
        meta.year = meta.issue_date.year
    if meta.year is None:
        years = re.findall(r"\bnăm\s+(20\d\d|19\d\d)\b", text)
        if years:
            meta.year = int(max(set(years), key=years.count))


def _issuing_body(head: list[str], text: str, gaz: Gazetteer) -> tuple[str, str]:
    caps = []
    for ln in head[:12]:
        if re.match(r"(?i)^(cộng hòa|cộng hoà|độc lập|số\b)", ln):
            break
        letters = [c for c in ln if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
            caps.append(ln)
    parent, body = "", ""
    for ln in caps:
        if re.match(r"(?i)^(ubnd|ủy ban|uỷ ban|bộ)\b", ln) and not parent:
            parent = ln
        elif re.match(r"(?i)^(sở|ban|văn phòng|cục|chi cục|phòng|trung tâm)\b", ln):
            body = ln
        elif body and not re.match(r"(?i)^(kế hoạch|số)", ln):
            body = f"{body} {ln}"
    if not body:
        m = re.search(r"(Sở [^,.;]{3,60}?)\s+(?:xây dựng|ban hành|triển khai|thực hiện)", text)
        body = m.group(1) if m else ""
    if body:
        units = gaz.split_cell(body, 88)
        body = units[0].unit if units and units[0].known else sentence_case(body)
    province = canonical_province(parent)
    if province and re.match(r"(?i)^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+tỉnh", parent):
        parent = f"Ủy ban nhân dân tỉnh {province}"
    return body, sentence_case(parent)


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


def _title(head: list[str]) -> str:
    for i, ln in enumerate(head):
        k = key(ln)
        if k in DOC_TYPES or re.match(r"(?i)^v/v\b", ln):
            first = re.sub(r"(?i)^v/v\s*:?\s*", "", ln) if k not in DOC_TYPES else ""
            parts = [first] if first else []
            for nxt in head[i + 1:i + 6]:
                if re.match(r"(?i)^(căn cứ|thực hiện|để|kính gửi|\(ban hành|\(kèm theo|[IVX]+\.|\d+\.)", nxt) \
                        or _PLACE_DATE.search(nxt):
                    break
                parts.append(nxt)
            if parts:
                return clean(" ".join(parts))
    caps = [ln for ln in head[:15] if ln.isupper() and len(ln) > 25]
    return clean(" ".join(caps[:3]))


def _signer(lines: list[str]) -> tuple[str, str]:
    end = next((i for i, ln in enumerate(lines) if re.match(r"(?i)^phụ lục\b", ln) and i > 10), len(lines))
    body = lines[:end]
    for i in range(len(body) - 1, -1, -1):
        if _SIGN_TITLE.match(body[i]):
            for nxt in body[i + 1:i + 5]:
                if _NAME.match(nxt):
                    return clean(" ".join(x for x in body[max(0, i - 1):i + 1] if _SIGN_TITLE.match(x))), nxt
    for ln in reversed(body[-12:]):
        if _NAME.match(ln) and not ln.startswith("-"):
            return "", ln
    return "", ""


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
            refs.append(Reference(ref_type=m.group("t"), ref_number=number, ref_date=_date_from(m.group("d") or ""),
                                  issuer=issuer, context=context, text=text))
    return refs
