"""Word runs typed in legacy Vietnamese fonts (.VnTime, .VnTimeH, VNI-Times, VISCII fonts): the run's font
name says the text is TCVN3/VNI and is converted to Unicode run by run, so a paragraph mixing a legacy font
with Unicode text comes out whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from normalizers.encodings import encoding_of_font, to_unicode

_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs")


@dataclass
class StyleCache:
    """The style lookups of one document, each done once: python-docx walks the document's styles on every
    lookup (all of them to find the default one), which made a long file quadratic."""

    paragraph: dict[str | None, ParagraphStyle | None] = field(default_factory=dict)  # by style id
    fonts: dict[tuple[str, str | None], str] = field(default_factory=dict)  # (kind, style id) → font name
    legacy: bool = True  # False when no run, style or default of the document names a legacy font


def uses_legacy_fonts(document: Any) -> bool:
    """Whether any run, style or the document default names a legacy font; when none does, no paragraph
    has a run to convert and its text is python-docx's."""
    try:
        roots = [document.element, document.part.styles.element]
    except (AttributeError, NotImplementedError, KeyError):
        return True
    return any(encoding_of_font(v) for root in roots for el in root.iter(qn("w:rFonts"))
               for a in _FONT_ATTRS if (v := el.get(qn(a))))


class CachedParagraph(Paragraph):
    """A paragraph whose style and style fonts come from its document's StyleCache."""

    def __init__(self, p: Any, parent: Any, cache: StyleCache) -> None:
        super().__init__(p, parent)
        self.cache = cache

    @property  # type: ignore[override,misc]
    def style(self) -> ParagraphStyle | None:
        style_id = self._p.style
        if style_id not in self.cache.paragraph:
            self.cache.paragraph[style_id] = self.part.get_style(  # type: ignore[assignment]
                style_id, WD_STYLE_TYPE.PARAGRAPH)
        return self.cache.paragraph[style_id]


def _rfonts_name(rpr: Any) -> str:
    if rpr is None:
        return ""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return ""
    return next((v for a in _FONT_ATTRS if (v := fonts.get(qn(a)))), "")


def _style_font(style: Any) -> str:
    """The font a paragraph or character style sets, following its base styles."""
    seen = 0
    while style is not None and seen < 20:
        name = _rfonts_name(style.element.find(qn("w:rPr")))
        if name:
            return name
        style, seen = style.base_style, seen + 1
    return ""


def _cached(cache: StyleCache, kind: str, style_id: str | None, font: Callable[[], str]) -> str:
    if (kind, style_id) not in cache.fonts:
        cache.fonts[(kind, style_id)] = font()
    return cache.fonts[(kind, style_id)]


def _run_style_font(run: Any) -> str:
    style = run.style
    return _style_font(style) if style is not None and style.type is not None else ""


def _default_font(para: Paragraph) -> str:
    try:
        part: Any = para.part
        styles = part.styles.element
    except (AttributeError, NotImplementedError):
        return ""
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return _rfonts_name(rpr)


def paragraph_text(para: Paragraph) -> str:
    """The paragraph's text, with runs in a legacy font converted to Unicode (as python-docx reads it
    otherwise)."""
    cache = para.cache if isinstance(para, CachedParagraph) else StyleCache()
    if not cache.legacy:
        return para.text
    runs = list(para.runs)
    base = ""
    fonts: list[str] = []
    for run in runs:
        name = _rfonts_name(run.element.find(qn("w:rPr")))
        r_style = run.element.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if not name and r_style is not None:  # a run without a character style of its own has none to read
            name = _cached(cache, "run", r_style.get(qn("w:val")), partial(_run_style_font, run))
        if not name:
            base = base or _cached(cache, "paragraph", para._p.style, lambda: _style_font(para.style)) \
                or _cached(cache, "default", None, lambda: _default_font(para))
            name = base
        fonts.append(name)
    hints = [encoding_of_font(f) if f else None for f in fonts]
    if not any(hints):
        return para.text
    out = []
    for run, hint in zip(runs, hints, strict=True):
        out.append(to_unicode(run.text, hint[0], upper_font=hint[1]) if hint else run.text)
    return "".join(out)
