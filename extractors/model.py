"""The common shape every extractor produces, so one parser serves text, PDF, Word and OCR input."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Line:
    """One line (PDF, OCR, text) or one paragraph (Word) of running text, NFC."""

    text: str
    page: int = 1
    bold: bool = False
    new_para: bool = False  # the extractor knows a paragraph starts here
    raw: str = ""  # the text as extracted or OCR'd, when `text` was converted, corrected or restored
    font: str = ""  # the dominant font name (PDF), which can say the text is in a legacy encoding
    footnote: bool = False  # a page's footnote (OCR: the small print under the body): text, not a task


@dataclass
class TableBlock:
    rows: list[list[str]]
    page: int = 1
    at_page_top: bool = False  # nothing but headers/page numbers above it: may continue a table
    confidence: float | None = None
    page_breaks: list[int] = field(default_factory=list)  # row indices where a later page's part begins
    ruled: bool = False  # rows come from drawn cell borders (PDF, Word, scan), not from guessed text lines
    raw_rows: list[list[str]] | None = None  # the cells as extracted, when `rows` were restored


Item = Line | TableBlock


@dataclass
class ExtractedDoc:
    path: Path
    items: list[Item]
    pages: int
    method: str = "text"  # text · ocr
    confidence: float = 1.0
    warnings: list[str] = field(default_factory=list)
    ocr_confidence: dict[int, float] = field(default_factory=dict)  # page → mean word confidence, OCR'd pages

    def lines(self) -> list[Line]:
        return [i for i in self.items if isinstance(i, Line)]

    def tables(self) -> list[TableBlock]:
        return [i for i in self.items if isinstance(i, TableBlock)]
