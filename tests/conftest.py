from __future__ import annotations

import csv
from pathlib import Path

import pytest

from normalizers.mentions import MentionFinder
from normalizers.units import Gazetteer
from pipeline.settings import DEFAULT_GAZETTEER

DATA = Path(__file__).parent / "data"
RENDER = DATA / "render"


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.from_csv(DEFAULT_GAZETTEER)


@pytest.fixture(scope="session")
def mentions(gaz: Gazetteer) -> MentionFinder:
    return MentionFinder(gaz)


def expected_tasks(stem: str) -> list[dict[str, str]]:
    with open(DATA / "expected" / f"{stem}.tasks.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
