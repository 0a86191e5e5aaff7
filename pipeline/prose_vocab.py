"""The vocabularies prose plans are read with — agency head nouns, action verbs, section and list words,
loaded from pipeline/data; field labels from the vocabulary every reader shares (normalizers/fields.py) —
and the small text tests built on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers.fields import inline_labels, line_label, open_label
from normalizers.text import alternation, strip_diacritics

DATA = Path(__file__).resolve().parent / "data"
# the fields a prose line may label; the others of the shared vocabulary (funding, note…) are read and dropped
LINE_FIELDS = frozenset({"content", "lead", "coord", "person", "deadline", "output", "funding"})
_TAIL = re.compile(r"\s*(?:(?:có|chịu)\s+trách\s+nhiệm(?:\s+thực\s+hiện)?|chủ\s+trì(?:\s*,?\s*(?:và\s+)?phối\s+hợp"
                   r"(?:\s+với\s+các\s+(?:cơ\s+quan|đơn\s+vị)(?:\s+có)?\s+liên\s+quan)?)?(?:\s+thực\s+hiện)?|"
                   r"thực\s+hiện(?:\s+các\s+nhiệm\s+vụ\s+sau)?)?\s*[:.]?\s*$", re.I)
_RESPONSIBLE = re.compile(r"\b(?:(?:có|chịu)\s+trách\s+nhiệm|chủ\s+trì)\b", re.I)
# a letter item opening a line: 'a) Tổ chức …' (a heading over a table, or a group row inside one)
LETTER_ITEM = re.compile(r"^(?P<no>[a-zđ])\s*\)\s+(?=\S)")
_ROLE_SPLIT = re.compile(r"^(?P<lead>.+?)\s+chủ\s+trì\b[,;]?\s*(?:(?:và\s+)?phối\s+hợp(?:\s+với)?\s+(?P<coord>.+))?$",
                         re.I)
_NOUN_BEFORE = re.compile(r"\b(?:các|những|mọi)\s+$", re.I)  # 'các tổ chức chính trị - xã hội' names, not acts
_HEAD_NEXT = re.compile(r"^(?:và|các|[A-ZĐÀ-Ỹ])")
_SENTENCE_MARK = re.compile(r"[.;!?]")
_DUTY = re.compile(r"\b(?:có|chịu)\s+trách\s+nhiệm\b", re.I)


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class ProseVocab:
    task_words: re.Pattern[str]
    nontask_words: re.Pattern[str]
    nontask_start: re.Pattern[str]
    assigning: re.Pattern[str]
    procedure: re.Pattern[str]
    metric: re.Pattern[str]
    request: re.Pattern[str]
    agency: re.Pattern[str]
    multiword_heads: frozenset[str]
    verbs: re.Pattern[str]
    generic: re.Pattern[str]
    levels: re.Pattern[str]

    def field_line(self, text: str) -> tuple[str, str] | None:
        """(field, value) when the whole paragraph is a labelled field ('+ Đơn vị chủ trì: Văn phòng Sở'), in
        the vocabulary every reader shares (normalizers/fields.py)."""
        lab = line_label(text)
        if lab is None or lab.field not in LINE_FIELDS:
            return None
        if lab.field != "content":
            return None if len(text) > 400 else (lab.field, lab.value)  # a long sentence is no field line
        value = text.strip()[text.strip().find(lab.label) + len(lab.label):].strip(" :;")  # a task keeps its '.'
        return ("content", value) if value else None

    def open_label(self, text: str) -> str | None:
        """The field a bare label opens ('- Cơ quan thực hiện:' with its values in the lines below)."""
        lab = open_label(text) if text.rstrip().endswith(":") else None
        return lab.field if lab is not None and lab.field in LINE_FIELDS else None

    def split_fields(self, text: str) -> tuple[str, dict[str, str]]:
        """A task sentence with its fields written inline ('…; chủ trì: Sở A; thời gian: Quý II/2025' or
        '… (Thời gian hoàn thành: …)') → the sentence and the fields. Inside a sentence 'nội dung:',
        'nhiệm vụ:' introduce its own list, not a field."""
        _, labels = inline_labels(text)
        labels = [lab for lab in labels if lab.field in LINE_FIELDS and lab.field != "content"]
        if not labels:
            return text, {}
        head = text[:labels[0].start].rstrip(" ,;.(")
        if not head:
            return text, {}
        fields: dict[str, str] = {}
        for lab in labels:
            fields.setdefault(lab.field, lab.value)
        return head + ("." if head[-1:] not in ".;:!?" else ""), fields

    def strip_content_label(self, text: str) -> str:
        labelled = self.field_line(text)
        return labelled[1] if labelled is not None and labelled[0] == "content" else text

    def section_kind(self, title: str, is_roman: bool) -> str | None:
        """task · nontask · neutral for a heading's title; None when the title is not a section name."""
        k = strip_diacritics(title.lower())  # OCR often gets one mark wrong in a heading (THỤC HIỆN)
        k = re.sub(r"\s+", " ", k).strip(" .:;")
        # 'b) Hướng dẫn thanh quyết toán kinh phí' is an item that names money, not a funding section
        short = len(k.split()) <= 9 and (_title_only(k, self) or not self.opens_with_verb(title))
        if self.assigning.search(k) and (is_roman or short):
            return "assigning"
        if self.nontask_start.match(k):
            return "nontask"
        task, nontask = self.task_words.search(k), self.nontask_words.search(k)
        if not is_roman and (len(k.split()) > 9 or not _title_only(k, self)):
            return None
        if task and not re.search(r"muc dich|muc tieu|yeu cau", k):
            return "task"
        if nontask:
            return "nontask"
        if task:
            return "neutral"
        return "task" if is_roman else None

    def unit_title(self, text: str, need_tail: bool, opens_list: bool = False) -> str | None:
        """The unit a heading names ('Đề nghị Liên đoàn Lao động tỉnh', 'Các sở, ban, ngành:', 'Văn phòng
        UBND tỉnh có trách nhiệm:', 'Thuế tỉnh Đắk Lắk'), request word and tail dropped; None when the heading
        assigns work itself. need_tail: an unnumbered paragraph names a unit only with a closing ':' or 'có
        trách nhiệm'. opens_list: items follow the heading, so a generic head with a clause ('Cơ quan chủ trì
        giải quyết thủ tục …') names the body the items are for."""
        body = self.request.sub("", text.strip(), count=1)
        title = _TAIL.sub("", body)
        if not title or len(_unbracketed(title).split()) > 30 or (need_tail and title == body.strip()):
            return None
        m = self.agency.match(title)
        if m is None:
            return None
        rest = title[m.end():].lstrip()
        if _label_key(m.group(0)) not in self.multiword_heads and rest and not _HEAD_NEXT.match(rest) \
                and not self._level_then_name(rest):
            return None  # 'Phòng ngừa, đấu tranh…' opens with a verb, not with a Phòng
        if opens_list and self.generic.match(title) and self.generic_clause(title):
            return title
        if any(v.group(0).islower() and not _NOUN_BEFORE.search(title[:v.start()]) for v in self.verbs.finditer(title)):
            return None
        return title

    def _level_then_name(self, rest: str) -> bool:
        """'tỉnh Đắk Lắk', 'xã' after a one-word head: a level word, then a name or nothing."""
        m = self.levels.match(rest)
        after = rest[m.end():].split() if m is not None else []
        return m is not None and (not after or after[0][:1].isupper())

    def generic_clause(self, title: str) -> bool:
        """'Cơ quan chủ trì giải quyết thủ tục đầu tư dự án', 'Các cơ quan đăng ký đầu tư (…)': a short phrase,
        no sentence in it (a note in brackets aside), no responsibility stated."""
        bare = _unbracketed(title)
        return len(bare.split()) <= 12 and not _SENTENCE_MARK.search(bare) and not _DUTY.search(bare)

    def assigns_unit(self, text: str) -> bool:
        """'Các sở, ngành … có trách nhiệm chủ động cân đối …': a unit told to act, in any section."""
        body = self.request.sub("", text.strip(), count=1)
        return bool(self.agency.match(body)) and bool(_RESPONSIBLE.search(body))

    def role_split(self, text: str) -> tuple[str, str] | None:
        """'Sở A chủ trì, phối hợp với các sở, ngành B tổ chức …' → ('Sở A', 'các sở, ngành B'): the lead
        before 'chủ trì', the coordinators after 'phối hợp (với)' up to the verb that opens the action."""
        m = _ROLE_SPLIT.match(text.strip())
        if m is None:
            return None
        coord = m.group("coord") or ""
        for v in self.verbs.finditer(coord):
            if v.group(0).islower() and v.start() > 0 and not _NOUN_BEFORE.search(coord[:v.start()]):
                coord = coord[:v.start()]
                break
        return m.group("lead").strip(" ,;"), coord.strip(" ,;.")

    def names_action(self, text: str) -> bool:
        """A lower-case action verb past the first word ('… đăng tải …'), not a noun after 'các'."""
        return any(v.group(0).islower() and v.start() > 0 and not _NOUN_BEFORE.search(text[:v.start()])
                   for v in self.verbs.finditer(text))

    def role_heading(self, text: str) -> tuple[str, str] | None:
        """'Sở A chủ trì, phối hợp với B:' — roles and nothing else (no action after them), or None."""
        m = _ROLE_SPLIT.match(text.strip(" :"))
        split = self.role_split(text.strip(" :"))
        if m is None or split is None or self.names_action(split[0]):
            return None
        return split if split[1] == (m.group("coord") or "").strip(" ,;.") else None

    def subject(self, text: str) -> str:
        """The words before a sentence's first action verb ('Sở Tài chính và các đơn vị có liên quan tham
        mưu …' → 'Sở Tài chính và các đơn vị có liên quan'); empty when it opens with its verb."""
        for v in self.verbs.finditer(text):
            if v.group(0).islower() and not _NOUN_BEFORE.search(text[:v.start()]):
                return text[:v.start()].strip(" ,;")
        return ""

    def is_indicator(self, text: str) -> bool:
        t = text.strip()
        return bool(self.metric.match(t)) or bool(re.search(r"\(\s*%\s*\)\s*[.;]?$", t))

    def names_procedure(self, text: str) -> bool:
        return bool(self.procedure.search(text.lower()))

    def opens_with_verb(self, text: str) -> bool:
        return bool(self.verbs.match(text.strip()))


def _unbracketed(text: str) -> str:
    return re.sub(r"\([^()]*\)", " ", text)


def _label_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.lower())


def _title_only(k: str, vocab: ProseVocab) -> bool:
    """A heading that is only section words ('Nhiệm vụ, giải pháp', 'Tổ chức thực hiện') and no task."""
    rest = vocab.task_words.sub(" ", k)
    rest = vocab.nontask_words.sub(" ", rest)
    rest = re.sub(r"\b(?:cac|chung|cu the|trong tam|chu yeu|thuc hien|trien khai|va|giai phap|trach nhiem|"
                  r"tong the|chinh)\b|[,\-–;]", " ", rest)
    return not rest.strip()


@lru_cache(maxsize=1)
def load_vocab() -> ProseVocab:
    words = _rows("prose_words.tsv")[1:]
    by_kind: dict[str, list[str]] = {}
    for phrase, kind in words:
        by_kind.setdefault(kind, []).append(phrase)
    folded = {k: [strip_diacritics(p) for p in v] for k, v in by_kind.items()}
    agencies = [r[0] for r in _rows("prose_agencies.tsv")]
    heads = [a.lstrip("~") for a in agencies if a[:1] not in "!@"]
    verbs = [r[0] for r in _rows("prose_verbs.txt")]
    return ProseVocab(
        task_words=re.compile(rf"\b(?:{alternation(folded['task'])})\b"),
        nontask_words=re.compile(rf"\b(?:{alternation(folded['nontask'])})\b"),
        nontask_start=re.compile(rf"^(?:{alternation(folded['nontask_start'])})\b"),
        assigning=re.compile(rf"\b(?:{alternation(folded['assigning'])})\b"),
        procedure=re.compile(rf"\b(?:{alternation(by_kind['procedure'])})\b"),
        metric=re.compile(rf"^(?:{alternation(by_kind['metric'])})\b", re.I),
        request=re.compile(rf"^(?:{alternation([a[1:] for a in agencies if a.startswith('!')])})\s+", re.I),
        agency=re.compile(rf"^(?:{alternation(heads)})\b", re.I),
        multiword_heads=frozenset(h for h in heads if " " in h),
        verbs=re.compile(rf"(?<!\w)(?:{alternation(verbs)})\b", re.I),
        generic=re.compile(rf"^(?:{alternation([a[1:] for a in agencies if a.startswith('~')])})\b", re.I),
        levels=re.compile(rf"^(?:{alternation([a[1:] for a in agencies if a.startswith('@')])})\b", re.I),
    )
