"""Issuers of every level and the units their plans assign tasks to."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tools.plangen.vocab import UnitName, Vocabulary


@dataclass(frozen=True)
class Issuer:
    level: str  # gov · ministry · department · province · sở · commune (the unit level of units.tsv)
    era: str  # 2025 · old
    name: str  # the issuing body, as gold writes units named relative to it
    header: tuple[str, ...]  # the top-left header lines
    place: str  # the place in the date line
    code: str  # the number's suffix (KH-UBND, KH-BTC…)


def _initials(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w not in {"và", "-"}]
    return "".join(w[0].upper() for w in words)


def random_issuer(rng: random.Random, vocab: Vocabulary, year: int) -> Issuer:
    era = "2025" if year >= 2025 and rng.random() < 0.8 else "old"
    if year >= 2026:
        era = "2025"
    kind, prov = rng.choice(vocab.provinces[era])
    prov_full = f"{kind} {prov}"
    place = prov
    level = rng.choice(["gov", "ministry", "ministry", "department", "province", "province", "province", "sở",
                        "sở", "commune"])
    if level == "gov":
        tt = rng.random() < 0.5
        name = "Thủ tướng Chính phủ" if tt else "Chính phủ"
        return Issuer(level, era, name, (name.upper(),), "Hà Nội", "QĐ-TTg" if tt else "NQ-CP")
    if level == "ministry":
        name = rng.choice([m for m in vocab.ministries[era] if m.startswith("Bộ ")])  # Văn phòng Bộ, Thanh tra Bộ
        return Issuer(level, era, name, (name.upper(),), "Hà Nội", f"KH-{_initials(name)}")
    if level == "department":
        name, ministry = rng.choice(vocab.departments)
        return Issuer(level, era, name, (ministry.upper(), name.upper()), "Hà Nội", "KH-" + _initials(name))
    if level == "sở":
        name = rng.choice(vocab.sectors[era])
        return Issuer(level, era, name, (f"UBND {prov_full.upper()}", name.upper()), place,
                      "KH-" + _initials(name))
    if level == "commune":
        ckind, cname = rng.choice(vocab.communes)
        name = f"Ủy ban nhân dân {ckind} {cname}"
        return Issuer(level, "2025", name, (f"ỦY BAN NHÂN DÂN {ckind.upper()} {cname.upper()}",), cname, "KH-UBND")
    return Issuer("province", era, f"Ủy ban nhân dân {prov_full}", ("ỦY BAN NHÂN DÂN", prov_full.upper()), place,
                  "KH-UBND")


def unit_pool(issuer: Issuer, vocab: Vocabulary) -> list[UnitName]:
    pool = list(vocab.units.get((issuer.level, issuer.era), []))
    if issuer.level == "gov":  # the Government's plans assign tasks to ministries
        pool += [UnitName(m, m, False) for m in vocab.ministries[issuer.era]]
    if issuer.level == "sở":  # a Sở's plans also name the other Sở of the province
        pool += [u for u in vocab.units.get(("province", issuer.era), []) if not u.collective
                 and u.written != issuer.name]
    return pool


def abbreviate(text: str, vocab: Vocabulary, rng: random.Random, p: float) -> str:
    """The written form with the public abbreviations (UBND, TN&MT…) applied, each with probability P."""
    for full, short in vocab.abbrev:
        if full in text and rng.random() < p:
            text = text.replace(full, short)
    return text


def gold_name(unit: UnitName, issuer: Issuer) -> str:
    return unit.gold.replace("{issuer}", issuer.name)
