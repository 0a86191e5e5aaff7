"""Where a document assigns work, by its type: a plan's task sections; a decision's task articles and the plan
or regulation attached after its signature; every item of a chỉ thị or công điện after its preamble; the items
of a meeting's conclusions that assign work. Regulations, reports, letters and news assign none. The prose
parser reads what this module frames; the vocabulary is in data/doc_types.tsv and data/doc_sections.tsv."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from normalizers.text import alternation, key, strip_diacritics
from pipeline.layout import ARTICLE, Para, marker_of
from pipeline.prose_vocab import load_vocab

DATA = Path(__file__).resolve().parent / "data"
_RECEIVERS = re.compile(r"^[|\s]*nơi\s+nhận\b", re.I)
_RECEIVERS_IN = re.compile(r"(?:^|[|.;]\s*)nơi\s+nhận\s*:", re.I)
_CLOSE_MARK = re.compile(r"\./\.")
_ATTACHED = re.compile(r"^\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.I)
_NUMERAL = r"(?:\s+(?:[IVX]{1,5}|\d{1,2}))?"
_GIVEN_TO = re.compile(r"(?<!được )(?<!\w)(?i:giao)\s+(?:cho\s+)?(\w)")


@dataclass(frozen=True)
class Reading:
    """How a type of document is read: mode (sections · articles · directives · conclusions · none), when
    finding no task deserves a warning (yes · title · no), and how it is read attached to a decision (plan ·
    strict)."""

    mode: str
    empty: str
    attached: str


@dataclass(frozen=True)
class Framed:
    """The paragraphs the prose parser reads and what the document's top level is (see ProseParser.parse)."""

    paras: list[Para]
    root: str


@dataclass(frozen=True)
class _Vocab:
    types: dict[str, Reading]
    task_article: re.Pattern[str]
    nontask_article: re.Pattern[str]
    assigns: re.Pattern[str]
    closing: re.Pattern[str]
    warn_title: re.Pattern[str]
    type_title: re.Pattern[str]


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")][1:]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", strip_diacritics(text.lower())).strip()


def _phrases(words: list[str], after: str = "", fold: bool = True) -> re.Pattern[str]:
    """Matched on folded text (no marks) when `fold`: a heading's marks are often wrong in OCR; cues in running
    text keep theirs ('giao' is not 'giáo')."""
    words = [_fold(w) if fold else w.lower() for w in words]
    return re.compile(rf"{after}(?<!\w)(?:{alternation(words)})(?!\w)")


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    types = {r[0].strip(): Reading(r[1], r[2], r[3]) for r in _rows("doc_types.tsv")}
    by_kind: dict[str, list[str]] = {}
    for phrase, kind in _rows("doc_sections.tsv"):
        by_kind.setdefault(kind, []).append(phrase)
    names = sorted((t for t in types if t), key=len, reverse=True)
    return _Vocab(
        types=types,
        task_article=_phrases(by_kind["task_article"], "^"),
        nontask_article=_phrases(by_kind["nontask_article"]),
        assigns=_phrases(by_kind["assigns"], r"(?<!được )(?<!theo )", fold=False),  # 'được giao', 'theo yêu cầu'
        closing=_phrases(by_kind["closing"], fold=False),
        warn_title=_phrases(by_kind["warn_title"], fold=False),
        type_title=re.compile(rf"^(?P<t>{'|'.join(re.escape(n) for n in names)}){_NUMERAL}(?!\w)"),
    )


def reading_of(doc_type: str) -> Reading:
    """A type the table does not name is read as a plan: its sections decide."""
    v = vocab()
    return v.types.get(doc_type.lower(), v.types[""])


def assigns_nothing(doc_type: str) -> bool:
    return reading_of(doc_type).mode == "none"


def expects_tasks(doc_type: str, title: str) -> bool:
    """True when a document of this type, or with this title, should have given tasks."""
    empty = reading_of(doc_type).empty
    return empty == "yes" or empty == "title" and bool(vocab().warn_title.search(title.lower()))


def frame(paras: list[Para], doc_type: str) -> Framed:
    mode = reading_of(doc_type).mode
    if mode == "articles":
        return Framed(_articles(paras), "assigning")
    if mode in ("directives", "conclusions"):
        body = _directives(paras)
        if body is not None:
            return Framed(_assigning_items(body) if mode == "conclusions" else body, "task")
    return Framed(paras, "nontask")


def _directives(paras: list[Para]) -> list[Para] | None:
    """The items from the first numbered one to the end of the body; the preamble (addressees, the reasons,
    '… yêu cầu:') goes. None when nothing is numbered: then the sections decide."""
    start = next((i for i, p in enumerate(paras) if p.kind in ("roman", "num")), None)
    if start is None:
        return None
    body = paras[start:]
    for i, p in enumerate(body):
        cut = _body_end(p.text, closing=p is not body[0])
        if cut is not None:
            return body[:i] + ([_cut(p, cut)] if p.text[:cut].strip(" |") else [])
    return body


def _body_end(text: str, closing: bool = True) -> int | None:
    """Where the body ends in this paragraph: at the closing mark './.' (its first '.' kept), before a closing
    formula ('Văn phòng Chính phủ thông báo để … biết, thực hiện') or the list of recipients. Web and text
    exports run these into the last item's paragraph."""
    ends = [m.start() + 1 for m in _CLOSE_MARK.finditer(text)][:1]
    ends += [m.start() for m in _RECEIVERS_IN.finditer(text)][:1]
    m = vocab().closing.search(text.lower()) if closing else None
    if m is not None:
        ends.append(max(text.rfind(". ", 0, m.start()) + 1, 0))
    return min(ends) if ends else None


def _cut(p: Para, at: int) -> Para:
    text = p.text[:at].rstrip(" |")
    raw = p.raw[:at].rstrip(" |") if p.raw.startswith(text) else text
    return replace(p, text=text, raw=raw, body=marker_of(text)[2] if p.kind != "plain" else text)


def _assigning_items(body: list[Para]) -> list[Para]:
    """The top-level items of a meeting's conclusions that assign no work (assessments, the meeting's views)
    are headings of nothing: their text, and what stands under them, is not a task."""
    first = body[0]
    top = [i for i, p in enumerate(body) if p.kind == first.kind and p.marker.count(".") == first.marker.count(".")]
    out = list(body)
    assigns = vocab().assigns
    for n, i in enumerate(top):
        end = top[n + 1] if n + 1 < len(top) else len(body)
        if not any(assigns.search(p.text.lower()) or _given_to_unit(p.text) for p in body[i:end]):
            out[i] = replace(body[i], section="nontask")
    return out


def _given_to_unit(text: str) -> bool:
    """'Giao Bộ Tài chính …' (a name follows), not 'giao thông', 'giao đất' or 'nhiệm vụ được giao'."""
    return any(m.group(1).isupper() for m in _GIVEN_TO.finditer(text))


def _articles(paras: list[Para]) -> list[Para]:
    """Articles become headings: one titled as assigning work opens a task section, one on entry into force,
    scope or standing competences opens a section without tasks (its numbered points included). The
    signature block between the decision and a plan or regulation attached to it goes, so the attachment is
    read too; with nothing attached the body ends there."""
    v = vocab()
    out: list[Para] = []
    quiet = False  # inside an article that assigns nothing
    strict = False  # inside an attachment that is not a plan: only sections titled as assigning work count
    sections = load_vocab()
    i = 0
    while i < len(paras):
        p = paras[i]
        end = _body_end(p.text, closing=False)
        if end is not None:
            p = _cut(p, end)
        m = ARTICLE.match(p.text) if p.kind == "plain" else None
        if m is not None:
            title = m.group("title").strip()
            folded = _fold(title)
            section = "task" if v.task_article.search(folded) else \
                "nontask" if v.nontask_article.search(folded) else ""
            quiet = section == "nontask"
            p = replace(p, kind="article", marker=m.group("n"), body=title, section=section)
        elif quiet and p.kind in ("num", "letter", "paren"):
            p = replace(p, section="nontask")
        elif p.kind == "roman":
            quiet = False
            if strict:
                kind = sections.section_kind(p.body.rstrip(" .:"), is_roman=False)
                p = replace(p, section="task" if kind == "task" else "nontask")
        if p.text.strip(" |"):
            out.append(p)
        if end is None:
            i += 1
            continue
        attached = _attachment_title(paras, i)
        if attached is None:
            break
        quiet, strict, i = False, attached[1] != "plan", attached[0] + 1
    return out


def _attachment_title(paras: list[Para], receivers: int) -> tuple[int, str] | None:
    """The last paragraph of the title block of a document attached after the signature ('QUY ĐỊNH' / its
    title / '(Ban hành kèm theo Quyết định số …)') and how the attachment is read, or None when nothing is
    attached."""
    type_title = vocab().type_title
    for j in range(receivers + 1, len(paras)):
        p = paras[j]
        if p.kind != "plain":
            continue
        m = type_title.match(key(p.text))
        if m is not None and _capitals(" ".join(p.text.split()[:2])):
            end = j
            for k in range(j + 1, min(j + 6, len(paras))):
                if paras[k].kind != "plain" or not (_capitals(paras[k].text) or _ATTACHED.match(paras[k].text)):
                    break
                end = k
            return end, reading_of(m.group("t")).attached
    return None


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
