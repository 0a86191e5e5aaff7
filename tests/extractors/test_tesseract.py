"""The Tesseract engine: in-process and as the program, the same words in the same fields."""

import cv2
import numpy as np
import pytest

from extractors import tesseract
from extractors.tesseract import _program_data, tessdata_dir, tesseract_data, tsv_to_data
from normalizers.errors import OcrUnavailableError


def _line_image(text: str) -> np.ndarray:
    img = np.full((120, 900), 255, np.uint8)
    cv2.putText(img, text, (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0,), 3, cv2.LINE_AA)
    return img


def _words(data: dict[str, list]) -> list[str]:
    return [t for t in data["text"] if t.strip()]


def test_tsv_rows_become_fields_and_the_header_is_skipped() -> None:
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t900\t120\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t20\t40\t150\t45\t96.5\tPLAN\n")
    data = tsv_to_data(tsv)
    assert data["text"] == ["", "PLAN"]
    assert data["conf"] == [-1.0, 96.5]
    assert data["left"][1] == 20 and data["line_num"][1] == 1


def test_the_system_models_are_found() -> None:
    path = tessdata_dir()
    assert path is not None and path.endswith("/")


def test_in_process_and_program_read_the_same_words() -> None:
    img = _line_image("PLAN 2026 TASKS")
    inside = tesseract_data(img, "eng", 7, 30)
    program = _program_data(img, "eng", 7, 30)
    assert _words(inside) == _words(program) == ["PLAN", "2026", "TASKS"]
    k = inside["text"].index("PLAN")
    assert 10 <= inside["left"][k] <= 40 and inside["conf"][k] > 50


def test_without_tesserocr_the_program_is_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract, "_api", lambda lang: None)
    assert _words(tesseract_data(_line_image("PLAN 2026"), "eng", 7, 30)) == ["PLAN", "2026"]


def test_the_installed_languages_are_read_once_and_checked() -> None:
    tesseract.check_tesseract("vie")
    with pytest.raises(OcrUnavailableError, match="no 'xyz' language data"):
        tesseract.check_tesseract("xyz")


def test_a_missing_program_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    tesseract._installed.cache_clear()
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        with pytest.raises(OcrUnavailableError, match="not installed"):
            tesseract.check_tesseract("vie")
    finally:
        tesseract._installed.cache_clear()


@pytest.mark.parametrize("in_process", [True, False])
def test_a_page_over_its_time_is_a_timeout(monkeypatch: pytest.MonkeyPatch, in_process: bool) -> None:
    if not in_process:
        monkeypatch.setattr(tesseract, "_api", lambda lang: None)
    page = np.tile(_line_image("PLAN 2026 TASKS FOR THE YEAR"), (30, 3))
    with pytest.raises(TimeoutError):
        tesseract_data(page, "eng", 3, 0.001)
