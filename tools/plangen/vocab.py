"""The generator's vocabulary, read from the TSV files in data/ (each names its public source). Kept apart
from the parser's unit register on purpose: a generator that shared the parser's data would prove nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of data/NAME as dicts; lines starting with # are the source notes."""
    with open(DATA / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class UnitName:
    written: str
    gold: str  # may hold {issuer}
    collective: bool


@dataclass(frozen=True)
class Vocabulary:
    provinces: dict[str, list[tuple[str, str]]]  # era → (kind, name)
    ministries: dict[str, list[str]]  # era → names (era "any" merged into both)
    departments: list[tuple[str, str]]
    sectors: dict[str, list[str]]
    communes: list[tuple[str, str]]
    units: dict[tuple[str, str], list[UnitName]]  # (level, era) → units ("any" merged)
    headers: dict[str, list[str]]
    phrases: dict[str, list[str]]
    abbrev: list[tuple[str, str]] = field(default_factory=list)
    people: dict[str, list[str]] = field(default_factory=dict)  # family · middle · given → name parts


def _by_era(rows: list[dict[str, str]], value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"2025": [], "old": []}
    for r in rows:
        for era in (("2025", "old") if r["era"] == "any" else (r["era"],)):
            out[era].append(r[value])
    return out


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    units: dict[tuple[str, str], list[UnitName]] = {}
    for r in read_tsv("units.tsv"):
        for era in (("2025", "old") if r["era"] == "any" else (r["era"],)):
            units.setdefault((r["level"], era), []).append(UnitName(r["written"], r["gold"], r["collective"] == "1"))
    provinces: dict[str, list[tuple[str, str]]] = {}
    for r in read_tsv("provinces.tsv"):
        provinces.setdefault(r["era"], []).append((r["kind"], r["name"]))
    headers: dict[str, list[str]] = {}
    for r in read_tsv("headers.tsv"):
        headers.setdefault(r["role"], []).append(r["wording"])
    phrases: dict[str, list[str]] = {}
    for r in read_tsv("phrases.tsv"):
        phrases.setdefault(r["kind"], []).append(r["text"])
    return Vocabulary(
        provinces=provinces, ministries=_by_era(read_tsv("ministries.tsv"), "name"),
        departments=[(r["name"], r["ministry"]) for r in read_tsv("departments.tsv")],
        sectors=_by_era(read_tsv("sectors.tsv"), "name"),
        communes=[(r["kind"], r["name"]) for r in read_tsv("communes.tsv")],
        units=units, headers=headers, phrases=phrases,
        abbrev=[(r["full"], r["short"]) for r in read_tsv("abbrev.tsv")], people=_people())


def _people() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in read_tsv("people.tsv"):
        out.setdefault(r["part"], []).append(r["text"])
    return out
