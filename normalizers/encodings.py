"""Legacy Vietnamese encodings → Unicode: TCVN3 (ABC, the .VnTime fonts), VNI-Windows (VNI-* fonts) and VISCII.

Text in these encodings reaches us as Latin-1/Windows-1252 look-alikes ("Céng hßa X· héi"). The TCVN3 and
VISCII byte tables come from glibc's iconv at `make model` time (normalizers/data/legacy_tables.json); VNI is
a composition scheme (base letter + a mark character) built here. Which one a text uses is decided by how
many of its words become real Vietnamese syllables; PDF font names (.VnTime, .VnTimeH, VNI-Times) decide it
outright.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "data" / "legacy_tables.json"
ENCODINGS = ("tcvn3", "vni", "viscii")

# VNI-Windows: a vowel followed by a mark character. Lower-case marks; upper-case text uses their capitals.
_VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ỵ": "î"}


def _vni_of(ch: str) -> str | None:
    """The VNI-Windows spelling of one lower-case Vietnamese letter, or None when it is plain ASCII."""
    if ch in _VNI_SINGLE:
        return _VNI_SINGLE[ch]
    nfd = unicodedata.normalize("NFD", ch)
    base, marks = nfd[0], nfd[1:]
    tone = next((m for m in marks if m in _VNI_TONES), "")
    shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
    if base == "i" and tone:
        return _VNI_I[tone]
    if shape == "\u031b":  # ơ, ư with a tone: the horn letter, then the tone mark
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONES.get(tone, "")
    if shape == "\u0302":
        return base + _VNI_CIRCUMFLEX[tone]
    if shape == "\u0306":
        return base + _VNI_BREVE[tone]
    if tone:
        return base + _VNI_TONES[tone]
    return None


def _letters() -> list[str]:
    out = ["đ"]
    for base in "aeiouy":
        for shape in ("", "\u0302", "\u0306", "\u031b"):
            for tone in ("", *_VNI_TONES):
                ch = unicodedata.normalize("NFC", base + shape + tone)
                if len(ch) == 1 and ch not in out and (shape == "" or unicodedata.normalize("NFD", ch) != base):
                    out.append(ch)
    return [c for c in out if not c.isascii()]


@lru_cache(maxsize=1)
def vni_table() -> dict[str, str]:
    """VNI spelling → Unicode letter, upper and lower case."""
    table = {}
    for ch in _letters():
        v = _vni_of(ch)
        if v:
            table[v] = ch
            table[v.upper()] = ch.upper()
    return table


@lru_cache(maxsize=1)
def byte_tables() -> dict[str, dict[str, str]]:
    """tcvn3/viscii: the Latin-1 character that stands for a byte → its Unicode text."""
    raw = json.loads(TABLES.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for name, table in raw.items():
        out[name] = {}
        for b, uni in table.items():
            byte = int(b)
            cp = bytes([byte]).decode("cp1252", errors="ignore")  # a PDF may hand 0x80–0x9F as cp1252
            if name == "tcvn3" and 0x80 <= byte <= 0x9F and cp and not cp.isalpha():
                # the .VnTime fonts (TCVN3's VN3 form) keep … – “ ” ‘ ’ there, not the capitals of VN1
                out[name][chr(byte)] = cp
                continue
            if chr(byte) != uni:
                out[name][chr(byte)] = uni
                # … – “ ” in Unicode text are punctuation, not VISCII capitals read as Windows-1252
                if cp and cp != chr(byte) and cp.isalpha():
                    out[name].setdefault(cp, uni)
    return out


def to_unicode(text: str, encoding: str, upper_font: bool = False) -> str:
    """Legacy text → Unicode NFC. TCVN3 capitals in the upper-case fonts (.VnTimeH) sit on the lower-case
    codes: `upper_font` upper-cases everything; without it, words whose plain letters are all capitals
    ('HµNH', '§ÞNH') are upper-cased, since the ordinary fonts cannot write a marked capital."""
    if encoding == "vni":
        table = vni_table()
        return re.sub("|".join(sorted(map(re.escape, table), key=len, reverse=True)), lambda m: table[m.group(0)],
                      text)
    table = byte_tables()[encoding]
    out = unicodedata.normalize("NFC", "".join(table.get(c, c) for c in text))
    if upper_font:
        return out.upper()
    if encoding == "tcvn3" and out != text:
        return _upper_font_words(text, out)
    return out


def _upper_font_words(text: str, converted: str) -> str:
    """Upper-cases the converted words written in an upper-case font: their plain letters are capitals (two
    or more, or one on a line whose plain letters are all capitals: 'X·' alone stays 'Xã')."""
    src, out = text.split(" "), converted.split(" ")
    if len(src) != len(out):
        return converted
    letters = [c for c in text if c.isascii() and c.isalpha()]
    line_caps = len(letters) >= 3 and all(c.isupper() for c in letters)
    if line_caps:  # a whole line in capitals: the words without a plain letter too ('®ã' → 'ĐÓ')
        return converted.upper()

    def recased(a: str, b: str) -> str:
        plain = [c for c in a if c.isascii() and c.isalpha()]
        if a == b or len(plain) < 2 or not all(c.isupper() for c in plain):
            return b
        return b.upper()

    return " ".join(recased(a, b) for a, b in zip(src, out, strict=True))


def from_unicode(text: str, encoding: str) -> str:
    """Unicode → the legacy spelling (used by the round-trip tests and to make test inputs)."""
    if encoding == "vni":
        inverse = {v: k for k, v in vni_table().items()}
    else:
        inverse = {}
        for k, v in byte_tables()[encoding].items():
            if len(k) == 1 and ord(k) < 256:
                inverse.setdefault(v, k)
    return "".join(inverse.get(c, c) for c in unicodedata.normalize("NFC", text))


# Latin-1 characters that Unicode Vietnamese never uses (µ ¸ ø ï ñ ß Ð …): their presence hints at a legacy
# encoding; the Vietnamese letters of that range (à á â ã è é ê ì í ò ó ô õ ù ú ý) do not
_VN_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_LEGACY_HINT = re.compile("[" + "".join(c for c in map(chr, range(0xA1, 0x100)) if c not in _VN_LATIN1) + "]")


def has_legacy_letters(text: str, encoding: str = "") -> bool:
    """Whether a line may be in `encoding` once its text as a whole is: a Latin-1 letter Unicode Vietnamese
    never uses (for VNI, whose marks include â ê ô, any non-ASCII letter)."""
    if encoding == "vni":
        return not text.isascii()
    return bool(_LEGACY_HINT.search(text))


def detect(text: str, is_word: object) -> str | None:
    """The legacy encoding under which most of `text`'s words become Vietnamese words, if any does better
    than the text as it is. `is_word(lower-case word) -> bool` says what a Vietnamese word is."""
    if len(_LEGACY_HINT.findall(text)) < 2:
        return None
    check = is_word if callable(is_word) else (lambda w: False)

    def score(t: str) -> float:
        words = re.findall(r"[^\W\d_]+", t)
        return sum(1 for w in words if check(w.lower())) / max(1, len(words))

    base = score(text)
    best = max(ENCODINGS, key=lambda e: score(to_unicode(text, e)))
    return best if score(to_unicode(text, best)) > base + 0.2 else None


def encoding_of_font(fontname: str) -> tuple[str, bool] | None:
    """(encoding, upper-case font) from a PDF font name: .VnTime / .VnTimeH (TCVN3), VNI-Times (VNI)."""
    name = fontname.split("+", 1)[-1]
    if re.match(r"\.?Vn", name):
        return "tcvn3", bool(re.match(r"\.?Vn\w*?H(?:,|-|$)", name))
    if name.upper().startswith("VNI"):
        return "vni", False
    return None
