"""Word runs typed in legacy Vietnamese fonts (.VnTime, .VnTimeH, VNI-Times, VISCII fonts): the run's font
name says the text is TCVN3/VNI and is converted to Unicode run by run, so a paragraph mixing a legacy font
with Unicode text comes out whole."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from normalizers.encodings import encoding_of_font, to_unicode

_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs")


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
    runs = list(para.runs)
    base = ""
    fonts: list[str] = []
    for run in runs:
        name = _rfonts_name(run.element.find(qn("w:rPr")))
        # a run without its own character style has none to read (and `run.style` costs a walk of all styles)
        if not name and run.element.find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is not None:
            style = run.style
            name = _style_font(style) if style is not None and style.type is not None else ""
        if not name:
            base = base or _style_font(para.style) or _default_font(para)
            name = base
        fonts.append(name)
    hints = [encoding_of_font(f) if f else None for f in fonts]
    if not any(hints):
        return para.text
    out = []
    for run, hint in zip(runs, hints, strict=True):
        out.append(to_unicode(run.text, hint[0], upper_font=hint[1]) if hint else run.text)
    return "".join(out)
