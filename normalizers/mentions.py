"""Unit mentions in running text with spaCy: who leads (the subject of the clause) and who coordinates
(after 'phối hợp (với)'). A blank Vietnamese pipeline with a punctuation-aware tokenizer, a sentencizer
and a PhraseMatcher built from the gazetteer's variants."""

from __future__ import annotations

import re
from dataclasses import dataclass

import spacy
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from normalizers.register import expand_abbreviations
from normalizers.shapes import shaped_mentions
from normalizers.subjects import Subject, find_subject
from normalizers.units import Gazetteer, UnitMatch, dedupe_units

_OF = re.compile(r"^\s*(?:của|thuộc|trực thuộc)\s")
_LIST_GLUE = {",", "và", "&", ";", "/", "cùng", "các"}
_SUBJECT_AFTER = {"thì", "giao", "nghị", "cầu", "thời", "do", "đó"}  # thì, giao, đề nghị, yêu cầu, đồng thời...
_NOT_A_VERB = {"thuộc", "của", "trên", "tại", "về", "và", "trong", "với", "cho", "đến", "để", "từ", "theo", "là",
               "các", "cấp", "tỉnh", "huyện", "xã", "sở", "nhằm", "hoặc", "hay", "khi", "đã", "ở"}
_VERB_AFTER_PREPOSITION = {"theo": "dõi"}  # 'Sở A theo dõi …': 'theo' opens a verb here
_REQUEST = {"giao", "nghị", "cầu"}  # giao, đề nghị, yêu cầu: whom they name is to act
_NOT_SUBJECT_BEFORE = {"của", "về", "với", "đến", "cho", "tại", "trên", "thuộc", "mưu", "dẫn", "gửi", "báo", "tới"}


def _continues_names(tok: Token) -> bool:
    """A capitalised word (not a code or a number) ends the name before a comma: a list of names goes on."""
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


@dataclass
class Roles:
    lead: list[UnitMatch]
    coord: list[UnitMatch]
    opens: bool = False  # the lead is the text's own subject, where it opens (after a request word or clause)


def make_nlp() -> spacy.language.Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
        suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search,
        infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer,
    )
    for dash in ("–", "—", "‑", "−"):
        nlp.vocab[dash].norm_ = "-"
    nlp.add_pipe("sentencizer")
    return nlp


class MentionFinder:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._canonicals = set(gaz.canonicals)
        self.nlp = make_nlp()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        by_canonical: dict[str, list[Doc]] = {}
        for v in gaz.prose_variants():
            by_canonical.setdefault(v.canonical, []).append(self.nlp.make_doc(v.key))
        for canonical, docs in by_canonical.items():
            self.matcher.add(canonical, docs)

    def unit_lists(self, doc: Doc) -> list[list[Span]]:
        """Known names and unit-shaped mentions, longest first, grouped into lists ('A, B và C')."""
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        for start, end, kind in shaped_mentions(doc.text):
            sp = doc.char_span(start, end, alignment_mode="expand")
            if sp is not None:
                label = self._label(sp.text)
                collective = kind == "collective" and label not in self.gaz.info
                spans.append(Span(doc, sp.start, sp.end, label=label, kb_id="collective" if collective else ""))
        spans = filter_spans(spans)
        groups: list[list[Span]] = []
        for sp in spans:
            if groups and all(t.lower_ in _LIST_GLUE for t in doc[groups[-1][-1].end:sp.start]) \
                    and sp.start - groups[-1][-1].end <= 2:
                groups[-1].append(sp)
            else:
                groups.append([sp])
        return groups

    def _label(self, text: str) -> str:
        """A shaped mention's name: its register name when it is one, else as written, abbreviations expanded."""
        return self.gaz.match_one(text, 100.0).unit or text

    def _unit(self, sp: Span) -> UnitMatch:
        if sp.label_ in self.gaz.info or sp.label_ in self._canonicals:
            return self.gaz.known(sp.label_, sp.text, 100.0)
        return UnitMatch(sp.label_, sp.text, 100.0, False)

    def subject(self, text: str, verbs: re.Pattern[str] | None = None) -> Subject | None:
        """The units-naming phrase that opens the text (normalizers/subjects.py); verbs: the action verbs
        that may end it besides the predicate words of the grammar."""
        doc = self.nlp(text)
        protected = [(g[0].start_char, g[-1].end_char) for g in self.unit_lists(doc)]

        def predicate_at(s: str) -> int | None:
            m = verbs.search(s) if verbs is not None else None
            return m.start() if m else None

        return find_subject(text, predicate_at, protected)

    def subject_units(self, subject: Subject) -> list[UnitMatch]:
        """Each chunk of a subject as a unit: a title with its body as written ('Bộ trưởng Bộ Nội vụ',
        'Chủ tịch Ủy ban nhân dân cấp xã'), a list of names through the gazetteer."""
        out: list[UnitMatch] = []
        for c in subject.chunks:
            written = expand_abbreviations(c.text)
            written = written[:1].upper() + written[1:]
            found = [] if c.titled else self.gaz.split_cell(c.text, 90)
            # the chunk is one unit: a known name stands (the words after it are the predicate the verbs missed)
            # unless it belongs to a body named after it ('Hội đồng Dân tộc của Quốc hội'); an unknown one is
            # kept as written when the gazetteer reads only part of it
            short = len(found) == 1 and len(found[0].raw) < 0.8 * len(c.text)
            if len(found) != 1 or short and (not found[0].known or _OF.search(c.text[len(found[0].raw):])):
                found = []
            out += found or [UnitMatch(written, c.text, 100.0, False)]
        return dedupe_units(out)

    def roles(self, text: str, verbs: re.Pattern[str] | None = None) -> Roles:
        """Who leads and who coordinates. With `verbs` (the action verbs of prose), the phrase that opens the
        text names the leads when it is a list of units."""
        doc = self.nlp(text)
        lead: list[UnitMatch] = []
        coord: list[UnitMatch] = []
        opening = self.subject(text, verbs) if verbs is not None else None
        if opening is not None:
            lead = self.subject_units(opening)
        for group in self.unit_lists(doc):
            start, end = group[0].start, group[-1].end
            prev = doc[start - 1] if start > 0 and not doc[start].is_sent_start else None
            prev2 = doc[start - 2].lower_ if start > 1 else ""
            nxt = doc[end] if end < len(doc) else None
            units = [self._unit(sp) for sp in group]
            after_cooperate = prev is not None and (
                (prev.lower_ == "hợp" and prev2 == "phối")
                or (prev.lower_ in ("với", "cùng") and prev2 == "hợp"))
            if after_cooperate:
                if not coord:
                    coord = units
                continue
            leads_here = nxt is not None and nxt.lower_ == "chủ" and end + 1 < len(doc) and doc[end + 1].lower_ == "trì"
            subject = prev is None or prev.text in ",;:.(" or prev.lower_ in _SUBJECT_AFTER
            # 'của Đảng, Chính phủ, …': after a comma that follows a name, a list goes on; no clause begins
            subject = subject and not (prev is not None and prev.text == "," and start > 1
                                       and _continues_names(doc[start - 2]))
            verb_next = nxt is not None and not nxt.is_punct and (
                nxt.lower_ not in _NOT_A_VERB
                or end + 1 < len(doc) and _VERB_AFTER_PREPOSITION.get(nxt.lower_) == doc[end + 1].lower_)
            # a collective mention ('các tổ chức') is as often the object as the subject: it leads only
            # when it opens the text, follows a request word or 'chủ trì' follows it
            collective = all(sp.kb_id_ == "collective" for sp in group)
            subject = subject and (not collective or prev is None or prev.lower_ in _REQUEST)
            if not lead and ((leads_here and (prev is None or prev.lower_ not in _NOT_SUBJECT_BEFORE))
                             or (subject and verb_next)):
                lead = units
        return Roles(dedupe_units(lead), dedupe_units([u for u in coord if u.unit not in {x.unit for x in lead}]),
                     opens=opening is not None)
