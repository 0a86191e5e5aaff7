"""Tesseract, run in this process through its C API (tesserocr) where that is installed, else as the
`tesseract` program (pytesseract). In-process, the model stays loaded from one page and one call to the next
(the program loads it again for each: some 0.1 s a call), and the image is handed over as pixels, not as a
file; the Tesseract that tesserocr's wheel carries also reads a page faster than the program Debian packages.
Both read the traineddata of the system's Tesseract (tesseract-ocr-vie), so the models are the same."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from functools import lru_cache
from typing import Any

import cv2
import numpy as np
import pytesseract

from normalizers.errors import OcrUnavailableError

TSV_FIELDS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width",
              "height", "conf", "text")
_INT_FIELDS = frozenset(TSV_FIELDS[:10])


@lru_cache(maxsize=1)
def _installed() -> tuple[str | None, frozenset[str]] | None:
    """What `tesseract --list-langs` says, asked once: the folder of the models and their languages (None
    when the program is missing)."""
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'"([^"]+)"', out)
    langs = frozenset(ln.strip() for ln in out.splitlines()[1:] if ln.strip())
    return (found.group(1).rstrip("/") + "/" if found else None), langs


def check_tesseract(lang: str = "vie") -> None:
    installed = _installed()
    if installed is None:
        raise OcrUnavailableError(None, "Tesseract is not installed")
    if lang not in installed[1]:
        raise OcrUnavailableError(None, f"Tesseract has no '{lang}' language data")


def tessdata_dir() -> str | None:
    """Where the system's Tesseract keeps its models: TESSDATA_PREFIX, else what `tesseract --list-langs`
    names (the wheel's own library would look in the path it was built with)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"].rstrip("/") + "/"
    installed = _installed()
    return installed[0] if installed else None


@lru_cache(maxsize=4)
def _api(lang: str) -> Any | None:
    """One engine per language and process (a worker builds its own on its first page); None when tesserocr
    is missing or cannot load the model, and the program is used instead."""
    try:
        import tesserocr
    except ImportError:
        return None
    path = tessdata_dir()
    if path is None:
        return None
    try:
        return tesserocr.PyTessBaseAPI(path=path, lang=lang)
    except RuntimeError:
        return None


def tesseract_data(gray: np.ndarray, lang: str, psm: int, timeout: float) -> dict[str, list[Any]]:
    """Tesseract's words of a gray image, as pytesseract's image_to_data dict (a list per TSV field);
    TimeoutError when it takes longer than `timeout` seconds, RuntimeError when it fails otherwise."""
    api = _api(lang)
    if api is None:
        return _program_data(gray, lang, psm, timeout)
    pixels = np.ascontiguousarray(gray, dtype=np.uint8)
    api.SetPageSegMode(psm)
    api.SetImageBytes(pixels.tobytes(), pixels.shape[1], pixels.shape[0], 1, pixels.shape[1])
    started = time.monotonic()
    if not api.Recognize(timeout=int(timeout * 1000)):
        if time.monotonic() - started >= timeout * 0.95:
            raise TimeoutError(f"Tesseract took longer than {timeout:g} s")
        raise RuntimeError("Tesseract could not recognise the page")
    return tsv_to_data(api.GetTSVText(0))


def _program_data(gray: np.ndarray, lang: str, psm: int, timeout: float) -> dict[str, list[Any]]:
    """image_to_data on an uncompressed temporary file: handing pytesseract an image makes it write a PNG,
    which on a noisy 300-dpi scan costs half as much as the recognition itself."""
    with tempfile.NamedTemporaryFile(suffix=".pgm") as tmp:
        cv2.imwrite(tmp.name, gray)
        try:
            return pytesseract.image_to_data(tmp.name, lang=lang, config=f"--psm {psm}",
                                             output_type=pytesseract.Output.DICT, timeout=timeout)
        except RuntimeError as e:  # pytesseract's only sign of its timeout is the message
            if "timeout" in str(e).lower():
                raise TimeoutError(f"Tesseract took longer than {timeout:g} s") from e
            raise


def tsv_to_data(tsv: str) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = {f: [] for f in TSV_FIELDS}
    for row in tsv.splitlines():
        cells = row.split("\t", len(TSV_FIELDS) - 1)
        if len(cells) < len(TSV_FIELDS) - 1 or not cells[0].isdigit():
            continue  # a header line
        cells += [""] * (len(TSV_FIELDS) - len(cells))
        for f, v in zip(TSV_FIELDS, cells, strict=True):
            data[f].append(int(v) if f in _INT_FIELDS else float(v) if f == "conf" else v)
    return data


def orientation(gray: np.ndarray) -> int:
    """The page's turn (0, 90, 180, 270) by Tesseract's orientation detector; 0 when it cannot tell."""
    try:
        with tempfile.NamedTemporaryFile(suffix=".pgm") as tmp:
            cv2.imwrite(tmp.name, gray)
            osd = pytesseract.image_to_osd(tmp.name, output_type=pytesseract.Output.DICT, timeout=30)
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    return int(osd.get("rotate", 0))
