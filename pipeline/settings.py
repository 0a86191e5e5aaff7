"""The one settings object, validated once and passed explicitly to every stage."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from normalizers.errors import InvalidSettingsError

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "normalizers" / "data" / "units.csv"


@dataclass(frozen=True)
class Settings:
    out_dir: Path = Path("data/processed")
    gazetteer: Path = DEFAULT_GAZETTEER
    unit_match_threshold: float = 85.0
    workers: int = 1
    ocr_workers: int = 1  # processes for the pages of one scanned file (the batch sets it)
    force: bool = False
    strict: bool = False
    dpi: int = 300
    page_timeout: float = 120.0
    convert_timeout: float = 120.0  # seconds LibreOffice may take to turn a .doc/.odt/.rtf into .docx
    max_pages: int = 2000
    max_file_mb: float = 512.0
    restore_text: bool = True
    extra_gazetteers: tuple[Path, ...] = field(default_factory=tuple)
    scheduler: str = ""  # a Dask scheduler address, or "local" for a local Dask cluster; "" runs here
    partition_by: tuple[str, ...] = ()  # also write hive-partitioned datasets by these document columns

    def __post_init__(self) -> None:
        if not 0 < self.unit_match_threshold <= 100:
            raise InvalidSettingsError(None, "unit_match_threshold must be in (0, 100]")
        if self.workers < 1:
            raise InvalidSettingsError(None, "--workers must be at least 1")
        if not 72 <= self.dpi <= 1200:
            raise InvalidSettingsError(None, "--dpi must be between 72 and 1200")
        if self.page_timeout <= 0:
            raise InvalidSettingsError(None, "--page-timeout must be positive")
        if self.convert_timeout <= 0:
            raise InvalidSettingsError(None, "--convert-timeout must be positive")
        if set(self.partition_by) - {"province", "year", "doc_type"}:
            raise InvalidSettingsError(None, "--partition-by takes province, year and/or doc_type")
        if not self.gazetteer.is_file():
            raise InvalidSettingsError(self.gazetteer, "unit gazetteer not found")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
