"""Scanned pages → the same lines and table rows the text-layer path emits.

Per page: grayscale, deskew (projection profile, ±5°), light denoise; ruling lines found with OpenCV
morphology give each table's cell grid (cells spanning rows or columns included); the lines are erased and
the page is read by Tesseract (`vie`) once; words are put into cells by their boxes, the rest become
lines in reading order. One Tesseract run per page keeps the cost at that of bare `tesseract`.
"""

from __future__ import annotations

import os
import re
import statistics
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageSequence

from extractors.model import ExtractedDoc, Item, Line, TableBlock
from extractors.ocr_columns import foot_columns, foot_words, without_block
from extractors.ocr_lines import words_to_lines
from extractors.ocr_sign import shifted, signature_words
from extractors.tesseract import check_tesseract, orientation, tesseract_data
from normalizers.errors import CorruptFileError, EmptyFileError, OcrTimeoutError, TooLargeError
from normalizers.ocr_correct import OcrCorrector
from normalizers.text import SLASHES, nfc

_ROW_NUMBER = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
cv2.setNumThreads(1)  # one process per core: OpenCV's own threads would compete with the other pages' Tesseract
# a word of marks no Vietnamese text prints on their own: a stamp's edge, a signature's stroke, scanner dust
_SPECK = re.compile(r"[¬`~^_„¦|\\‚‹›°•·]+")
BLANK_INK = 0.002  # share of dark pixels below which a page is blank (a line of text is about 0.5%)
MAX_PIXELS = 80_000_000  # A3 at 600 dpi is about 70 MP; more is not a page scan
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
A4_LONG_INCHES = 11.69  # a page's long side: an image file's resolution is estimated from its pixels
LOW_DPI = 150  # below this, Tesseract's letters are a few pixels high: an image is enlarged before reading
UPSCALE_TO_DPI = 200  # the enlarged page's resolution, rounded to a whole factor (2 for a 75-100 dpi page)


@dataclass(frozen=True)
class OcrOptions:
    dpi: int = 300
    lang: str = "vie"
    timeout: float = 120.0
    workers: int = 1
    correct: bool = True  # tone and vowel marks corrected (normalizers.ocr_correct; Vietnamese model only)


@dataclass
class PageResult:
    page: int
    items: list[Item]
    confidence: float
    error: str = ""


# ---------------------------------------------------------------- page images
def image_file_pages(path: Path, index: int | None = None) -> list[Image.Image]:
    """The frames of an image file (only frame `index` when given), in gray; `[]` pixels are decoded for
    index=-1, which just checks the file and counts its frames."""
    if path.stat().st_size == 0:
        raise EmptyFileError(path, "the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)  # reads only the header: a bomb is refused before its pixels are decoded
        with im:
            if im.width * im.height > MAX_PIXELS:
                raise TooLargeError(path, f"{im.width}×{im.height} pixels is more than a page scan has "
                                          f"(decompression bomb?)")
            if index == -1:
                return [im] * getattr(im, "n_frames", 1)
            if index is not None:
                im.seek(index)
                return [without_red_ink(im)]
            return [without_red_ink(frame) for frame in ImageSequence.Iterator(im)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise TooLargeError(path, "the image has too many pixels (decompression bomb?)") from e
    except (OSError, ValueError, SyntaxError) as e:
        raise CorruptFileError(path, f"not a readable image ({type(e).__name__})") from e


def render_pdf_page(path: Path, index: int, dpi: int) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        w, h = page.get_size()
        if w * h * (dpi / 72) ** 2 > MAX_PIXELS:
            raise TooLargeError(path, f"page {index + 1} is too large to rasterize at {dpi} dpi")
        return without_red_ink(page.render(scale=dpi / 72).to_pil())
    finally:
        pdf.close()


def without_red_ink(img: Image.Image) -> Image.Image:
    """A page in gray with its red ink (the seal stamped over the signer's name, a red receipt stamp) taken
    out: where red dominates, the red channel, in which red ink is as light as the paper and black or blue
    ink stays dark. Gray and 1-bit scans are only converted."""
    if img.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return img.convert("L")
    img = img.convert("RGB")
    if not _reddish(np.asarray(img.reduce(4))).any():  # most colour scans have no red ink: a glance suffices
        return img.convert("L")
    rgb = np.asarray(img)
    r = rgb[..., 0]
    gray = np.asarray(img.convert("L")).copy()
    red = _reddish(rgb)
    gray[red] = r[red]
    return Image.fromarray(gray)


def upscaled(img: Image.Image) -> Image.Image:
    """A low-resolution page image (a phone photo, a web copy: some 70-150 dpi for an A4 page) enlarged
    by an integer factor with cubic interpolation: Tesseract's models are trained on letters of some 20-30
    pixels and drop or misread smaller ones. A page at LOW_DPI or more is left as it is."""
    dpi = max(img.size) / A4_LONG_INCHES
    if dpi >= LOW_DPI:
        return img
    factor = min(4, max(2, round(UPSCALE_TO_DPI / dpi)))
    if img.width * img.height * factor * factor > MAX_PIXELS:
        return img
    gray = np.asarray(img.convert("L"))
    return Image.fromarray(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC))


def _reddish(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0].astype(np.int16) - np.maximum(rgb[..., 1], rgb[..., 2]) > 50


# ---------------------------------------------------------------- clean-up
def skew_angle(gray: np.ndarray) -> float:
    """The rotation (±5°) that makes the rows of ink sharpest, measured on a small copy."""
    small = cv2.resize(gray, None, fx=600 / gray.shape[1], fy=600 / gray.shape[1], interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((ink.shape[1] / 2, ink.shape[0] / 2), angle, 1.0)
        rot = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(prof)).sum())

    best = max((float(a) for a in np.arange(-5, 5.01, 1.0)), key=sharpness)
    best = max((float(a) for a in np.arange(best - 0.8, best + 0.81, 0.2)), key=sharpness)
    return max((float(a) for a in np.arange(best - 0.15, best + 0.16, 0.05)), key=sharpness)


@dataclass
class CleanPage:
    """The page as scanned (what Tesseract reads: resampling or blurring it only slows Tesseract down) and a
    deskewed, lightly denoised copy for finding table structure; `matrix` maps scan → deskewed coordinates."""

    scan: np.ndarray
    straight: np.ndarray
    matrix: np.ndarray

    def to_straight(self, x: float, y: float) -> tuple[float, float]:
        px, py = self.matrix @ np.array([x, y, 1.0])
        return float(px), float(py)

    def mask_to_scan(self, mask: np.ndarray) -> np.ndarray:
        inv = cv2.invertAffineTransform(self.matrix)
        return cv2.warpAffine(mask, inv, (self.scan.shape[1], self.scan.shape[0]), flags=cv2.INTER_NEAREST)


def clean_page(img: Image.Image) -> CleanPage:
    scan = np.asarray(img.convert("L"))
    angle = skew_angle(scan)
    matrix = cv2.getRotationMatrix2D((scan.shape[1] / 2, scan.shape[0] / 2), angle, 1.0)
    denoised = cv2.medianBlur(scan, 3)
    straight = denoised if abs(angle) < 0.05 else cv2.warpAffine(
        denoised, matrix, (scan.shape[1], scan.shape[0]), flags=cv2.INTER_LINEAR, borderValue=(255,))
    return CleanPage(scan, straight, matrix)


# ---------------------------------------------------------------- table grids
@dataclass
class Grid:
    x0: int
    y0: int
    x1: int
    y1: int
    xs: list[int]
    ys: list[int]
    owner: dict[tuple[int, int], tuple[int, int]]  # grid position → top-left position of its (merged) cell


def _line_positions(profile: np.ndarray, min_len: float) -> list[int]:
    on = np.where(profile >= min_len)[0]
    groups: list[list[int]] = []
    for v in on:
        if groups and v - groups[-1][-1] <= 3:
            groups[-1].append(int(v))
        else:
            groups.append([int(v)])
    return [int(np.mean(g)) for g in groups]


Box = tuple[int, int, int, int]


def find_grids(gray: np.ndarray) -> tuple[list[Grid], np.ndarray]:
    """Table grids and a mask of their ruling lines, found at half resolution (lines survive it)."""
    grids, _, mask = find_layout(gray)
    return grids, mask


def find_layout(gray: np.ndarray) -> tuple[list[Grid], list[Box], np.ndarray]:
    """Table grids, small framed boxes (a receipt stamp, a 'Dự thảo' label: page furniture, not text of the
    document) and a mask of all ruling lines, found at half resolution (lines survive it)."""
    full_h, full_w = gray.shape
    scale = 2 if full_w > 1600 else 1
    small = cv2.resize(gray, (full_w // scale, full_h // scale), interpolation=cv2.INTER_AREA) if scale > 1 else gray
    grids, frames, mask = _find_grids(small)
    frames = [(x0 * scale, y0 * scale, x1 * scale, y1 * scale) for x0, y0, x1, y1 in frames]
    if scale == 1:
        return grids, frames, mask
    mask = cv2.resize(mask, (full_w, full_h), interpolation=cv2.INTER_LINEAR)
    mask = cv2.threshold(mask, 20, 255, cv2.THRESH_BINARY)[1]  # keep the soft edges of the lines too
    for g in grids:
        g.x0, g.y0, g.x1, g.y1 = g.x0 * scale, g.y0 * scale, g.x1 * scale, g.y1 * scale
        g.xs, g.ys = [v * scale for v in g.xs], [v * scale for v in g.ys]
    return grids, frames, mask


def _find_grids(gray: np.ndarray) -> tuple[list[Grid], list[Box], np.ndarray]:
    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 15)
    h, w = bw.shape
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 30), 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 50))))
    horiz = cv2.dilate(horiz, np.ones((3, 3), np.uint8))
    vert = cv2.dilate(vert, np.ones((3, 3), np.uint8))
    mask = cv2.bitwise_or(horiz, vert)
    grids, frames = [], []
    # only long rules are erased: on a low-resolution page touching letters make short runs as long as the
    # opening element, and erasing them cuts words apart
    rules = np.zeros_like(mask)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in contours:
        x, y, cw, ch = cv2.boundingRect(c)
        hz, vt = horiz[y:y + ch, x:x + cw] > 0, vert[y:y + ch, x:x + cw] > 0
        if _is_frame(hz, vt, cw / w, ch / h, y / h):
            frames.append((x, y, x + cw, y + ch))
        if cw >= w // 8 or ch >= h // 8:
            rules[y:y + ch, x:x + cw] = mask[y:y + ch, x:x + cw]
        if cw < w * 0.3 or ch < 20:
            continue
        ys = _line_positions(hz.sum(axis=1), cw * 0.15)
        xs = _line_positions(vt.sum(axis=0), ch * 0.15)
        if len(xs) >= 3 and len(ys) >= 2:
            grids.append(_grid(x, y, xs, ys, hz, vt))
    return grids, frames, rules


def _is_frame(hz: np.ndarray, vt: np.ndarray, width: float, height: float, top: float) -> bool:
    """A small box ruled on four sides and nothing inside, in the upper part of the page where offices put
    their receipt stamps and labels."""
    if not (0.06 <= width <= 0.45 and 0.015 <= height <= 0.2 and top < 0.45):
        return False
    rows, cols = hz.sum(axis=1), vt.sum(axis=0)
    edge_h, edge_w = max(3, hz.shape[0] // 8), max(3, hz.shape[1] // 8)
    # a rubber stamp's rules print broken: 40% of each side is enough
    sides = (rows[:edge_h].max() > 0.4 * hz.shape[1], rows[-edge_h:].max() > 0.4 * hz.shape[1],
             cols[:edge_w].max() > 0.4 * vt.shape[0], cols[-edge_w:].max() > 0.4 * vt.shape[0])
    inner = vt[:, edge_w:-edge_w].sum(axis=0)
    return all(sides) and (inner.size == 0 or inner.max() < 0.4 * vt.shape[0])


def _grid(x: int, y: int, xs: list[int], ys: list[int], hz: np.ndarray, vt: np.ndarray) -> Grid:
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent.get(p, p) != p:
            p = parent[p]
        return p

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    rows, cols = len(ys) - 1, len(xs) - 1
    for i in range(rows):
        for j in range(cols):
            pad_y = max(2, (ys[i + 1] - ys[i]) // 6)
            pad_x = max(2, (xs[j + 1] - xs[j]) // 6)
            if j + 1 < cols:  # is there a ruling between (i, j) and (i, j+1)?
                seg = vt[ys[i] + pad_y:ys[i + 1] - pad_y, max(0, xs[j + 1] - 3):xs[j + 1] + 4].any(axis=1)
                if seg.size and seg.mean() < 0.5:
                    union((i, j), (i, j + 1))
            if i + 1 < rows:  # between (i, j) and (i+1, j)?
                seg = hz[max(0, ys[i + 1] - 3):ys[i + 1] + 4, xs[j] + pad_x:xs[j + 1] - pad_x].any(axis=0)
                if seg.size and seg.mean() < 0.5:
                    union((i, j), (i + 1, j))
    owner = {(i, j): find((i, j)) for i in range(rows) for j in range(cols)}
    return Grid(x, y, x + int(xs[-1]), y + int(ys[-1]), [x + v for v in xs], [y + v for v in ys], owner)


# ---------------------------------------------------------------- reading
def _words(gray: np.ndarray, opts: OcrOptions, psm: int = 3) -> list[dict[str, Any]]:
    try:
        data = tesseract_data(gray, opts.lang, psm, opts.timeout)
    except TimeoutError as e:
        raise OcrTimeoutError(None, f"Tesseract took longer than {opts.timeout:g} s on a page") from e
    words = []
    for i, read in enumerate(data["text"]):
        text = _as_text(read)
        if text and float(data["conf"][i]) >= 0:
            words.append({"text": text, "x0": data["left"][i], "top": data["top"][i],
                          "x1": data["left"][i] + data["width"][i], "bottom": data["top"][i] + data["height"][i],
                          "conf": float(data["conf"][i]), "key": (data["block_num"][i], data["par_num"][i],
                                                                  data["line_num"][i])})
    return words


def _as_text(read: str) -> str:
    """A word as Tesseract read it, in NFC, its slash a '/', a rule's underscores it ran into cut off ('_2.')."""
    text = nfc(read.strip()).translate(SLASHES)
    return text.strip("_") if any(c.isalnum() for c in text) else text


def _straighten(w: dict[str, Any], page: CleanPage) -> dict[str, Any]:
    """Move a word's box from scan coordinates to the deskewed page the grids were found on."""
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    nx, ny = page.to_straight(cx, cy)
    return shifted(w, nx - cx, ny - cy)


def _join_lines(words: list[dict[str, Any]]) -> str:
    """A cell's words in reading order: lines by where each word's middle falls (a dash or a comma is a
    short box in the middle of its line, not a line of its own), left to right within a line; the lines
    parted by newlines, as a Word cell's paragraphs are."""
    words = [w for w in words if not _SPECK.fullmatch(w["text"])]  # in a cell a speck is never text
    if not words:
        return ""
    height = statistics.median(w["bottom"] - w["top"] for w in words)
    lines: list[tuple[float, float, list[dict[str, Any]]]] = []  # (band top, band bottom, words)
    for w in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        mid = (w["top"] + w["bottom"]) / 2
        if lines and lines[-1][0] - 0.2 * height <= mid <= lines[-1][1] + 0.2 * height:
            top, bottom, ws = lines[-1]
            ws.append(w)
            if w["bottom"] - w["top"] >= 0.5 * height:  # a full-height word widens the band; a speck does not
                lines[-1] = (min(top, w["top"]), max(bottom, w["bottom"]), ws)
            continue
        tall = w["bottom"] - w["top"] >= 0.5 * height
        band = (w["top"], w["bottom"]) if tall else (mid - height / 2, mid + height / 2)
        lines.append((band[0], band[1], [w]))
    # one line a line: a cell holding one unit a line ('Sở A' / 'Sở B') is told apart from one name wrapped
    return "\n".join(" ".join(x["text"] for x in sorted(ws, key=lambda w: w["x0"])) for _, _, ws in lines)


def grid_to_rows(grid: Grid, words: list[dict[str, Any]]) -> list[list[str]]:
    rows_n, cols_n = len(grid.ys) - 1, len(grid.xs) - 1
    by_cell: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        i = int(np.searchsorted(grid.ys, cy)) - 1
        j = int(np.searchsorted(grid.xs, cx)) - 1
        if 0 <= i < rows_n and 0 <= j < cols_n:
            by_cell.setdefault(grid.owner[(i, j)], []).append(w)
    rows = []
    for i in range(rows_n):
        row = []
        for j in range(cols_n):
            top_left = grid.owner[(i, j)]
            # a cell spanning columns keeps its text once; one spanning rows repeats in each row
            row.append("" if top_left[1] < j and top_left[0] == i or top_left[1] < j
                       else _join_lines(by_cell.get(top_left, [])))
        rows.append(row)
    return rows


def read_number_column(clean: np.ndarray, grid: Grid, rows: list[list[str]], opts: OcrOptions) -> None:
    """Row numbers in a narrow first column are often dropped by page OCR: read that strip once more,
    as a block of short lines limited to numbering characters, and fill each row's first cell."""
    x0, x1 = grid.xs[0] + 4, grid.xs[1] - 3
    if x1 - x0 > 0.12 * (grid.xs[-1] - grid.xs[0]) or x1 - x0 < 10:
        return
    body = [r for r in rows[1:] if any(r[1:])]
    if body and all(_ROW_NUMBER.match(r[0].rstrip(".)")) for r in body):
        return  # the page reading already has every number
    # a small strip needs its own threshold: Tesseract's page-wide one leaves its light noise in
    strip = cv2.threshold(clean[grid.ys[0]:grid.ys[-1], x0:x1], 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    strip = cv2.copyMakeBorder(strip, 40, 40, 60, 60, cv2.BORDER_CONSTANT, value=(255,))
    try:
        data = tesseract_data(strip, "eng", 6, opts.timeout)
    except (RuntimeError, TimeoutError):
        return
    for i, text in enumerate(data["text"]):
        t = text.strip().rstrip(".)")
        if not _ROW_NUMBER.match(t):
            continue
        cy = grid.ys[0] + data["top"][i] - 40 + data["height"][i] / 2
        r = int(np.searchsorted(grid.ys, cy)) - 1
        if 0 <= r < len(rows) and grid.owner[(r, 0)] == (r, 0):
            rows[r][0] = t


def page_to_result(page: CleanPage, page_no: int, opts: OcrOptions) -> PageResult:
    grids, frames, mask = find_layout(page.straight)
    scan = page.scan.copy()
    scan[page.mask_to_scan(mask) > 0] = 255  # erase ruling lines so Tesseract reads only the text
    tables_end = max([g.y1 + 10 for g in grids] + [f[3] + 10 for f in frames], default=0)
    foot = foot_columns(scan, tables_end)
    # a two-column foot is left out of the page reading and read column by column (extractors/ocr_columns)
    read = _words(scan if foot is None else without_block(scan, foot), opts)
    if foot is not None:
        read += foot_words(scan, foot, lambda crop: _words(crop, opts, 4), lambda crop: _words(crop, opts, 7),
                           lambda crop: _words(crop, opts))
    read += signature_words(scan, read, lambda crop: _words(crop, opts, 7))
    words = [_straighten(w, page) for w in read]
    clean = page.straight.copy()
    clean[mask > 0] = 255
    items: list[tuple[float, Item]] = []
    free = []
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        if not any(g.x0 <= cx <= g.x1 and g.y0 <= cy <= g.y1 for g in grids) \
                and not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in frames):
            free.append(w)
    for g in grids:
        inside = [w for w in words if g.x0 <= (w["x0"] + w["x1"]) / 2 <= g.x1 and g.y0 <= (w["top"] + w["bottom"]) / 2
                  <= g.y1]
        conf = float(np.mean([w["conf"] for w in inside])) / 100 if inside else 0.0
        rows = grid_to_rows(g, inside)
        read_number_column(clean, g, rows, opts)
        items.append((g.y0, TableBlock(rows=rows, page=page_no, confidence=conf, ruled=True)))
    items += words_to_lines([w for w in free if "column" not in w], page_no)
    foot_top = float(min((w["top"] for w in free if "column" in w), default=0))
    for side in ("left", "right"):  # a two-column foot's columns one after the other, where the foot begins
        items += [(foot_top, line) for _, line in words_to_lines([w for w in free if w.get("column") == side],
                                                                 page_no)]
    items.sort(key=lambda x: x[0])
    first = min((top for top, _ in items), default=0)
    for top, it in items:
        if isinstance(it, TableBlock) and top == first:
            it.at_page_top = True
    conf = float(np.mean([w["conf"] for w in words])) / 100 if words else 0.0
    return PageResult(page_no, [it for _, it in items], conf)


# ---------------------------------------------------------------- documents
def _ocr_job(args: tuple[str, int, int, OcrOptions]) -> PageResult:
    """One page in a worker: render (PDF) or load (image), clean up, read."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    path_s, index, page_no, opts = args
    path = Path(path_s)
    try:
        img = render_pdf_page(path, index, opts.dpi) if path.suffix.lower() == ".pdf" \
            else upscaled(image_file_pages(path, index)[0])
        result = page_to_result(clean_page(img), page_no, opts)
        if result.confidence < 0.5 and not _blank(img):  # maybe turned 90/180°: ask the orientation detector
            rotated = _reoriented(np.asarray(img.convert("L")))
            if rotated is not None:
                second = page_to_result(clean_page(Image.fromarray(rotated)), page_no, opts)
                result = second if second.confidence > result.confidence else result
        return result
    except OcrTimeoutError as e:
        return PageResult(page_no, [], 0.0, f"page {page_no}: {e.problem}")


def _blank(img: Image.Image) -> bool:
    """Next to no ink (a blank back page, a scanner's empty sheet): nothing to turn and read again."""
    small = np.asarray(img.convert("L").reduce(4))
    return float((small < 128).mean()) < BLANK_INK


def _reoriented(gray: np.ndarray) -> np.ndarray | None:
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    angle = orientation(gray)
    return cv2.rotate(gray, turns[angle]) if angle in turns else None


def ocr_pages(path: Path, pages: list[tuple[int, int]], opts: OcrOptions) -> Iterator[PageResult]:
    """(index, page number) pairs of one file, read in parallel when opts.workers > 1, in page order; the
    marks corrected in this process (one language model for all pages; a page takes milliseconds)."""
    check_tesseract(opts.lang)
    jobs = [(str(path), idx, no, opts) for idx, no in pages]
    fix = opts.correct and opts.lang == "vie"
    if opts.workers <= 1 or len(jobs) <= 1:
        results: Iterator[PageResult] = map(_ocr_job, jobs)
        yield from (correct_page(r) for r in results) if fix else results
        return
    with ProcessPoolExecutor(max_workers=min(opts.workers, len(jobs))) as pool:
        results = pool.map(_ocr_job, jobs)
        yield from (correct_page(r) for r in results) if fix else results


def correct_page(result: PageResult) -> PageResult:
    """A page's lines and cells with Tesseract's mark misreadings corrected; what it read stays in `raw` and
    `raw_rows`. Running lines follow each other (a sentence wraps); every cell is a text of its own."""
    corrector = OcrCorrector.load()
    before: str | None = None
    for k, item in enumerate(result.items):
        if isinstance(item, Line):
            nxt = result.items[k + 1] if k + 1 < len(result.items) else None
            after = nxt.text if isinstance(nxt, Line) and not nxt.new_para else None
            fixed = corrector.correct_line(item.text, before, after)
            before = item.text
            if fixed.changed:
                item.raw, item.text = item.raw or item.text, fixed.text
        else:
            before = None
            rows = [[corrector.correct_line(cell).text if cell else cell for cell in row] for row in item.rows]
            if rows != item.rows:
                item.raw_rows, item.rows = item.raw_rows or item.rows, rows
    return result


def image_to_doc(path: Path, opts: OcrOptions) -> ExtractedDoc:
    n = len(image_file_pages(path, -1))
    return results_to_doc(path, list(ocr_pages(path, [(i, i + 1) for i in range(n)], opts)), n)


def results_to_doc(path: Path, results: list[PageResult], n_pages: int) -> ExtractedDoc:
    items: list[Item] = [it for r in results for it in r.items]
    read = [r for r in results if not r.error]
    conf = float(np.mean([r.confidence for r in read])) if read else 0.0
    doc = ExtractedDoc(path=path, items=items, pages=n_pages, method="ocr", confidence=conf,
                       warnings=[r.error for r in results if r.error],
                       ocr_confidence={r.page: r.confidence for r in results})
    if not read:
        raise OcrTimeoutError(path, "; ".join(doc.warnings) or "no page could be read")
    return doc
