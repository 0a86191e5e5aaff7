"""`make ocr-channel`: learn how Tesseract (`vie`) misreads Vietnamese marks, from pages made here.

Lines of ../shared/corpus are rendered as A4 pages (Times-like serif, 12–14 pt, at 150–300 dpi), degraded as
a scanner does (skew, blur, noise, JPEG or a 1-bit threshold, sometimes a red stamp over the text; a PDF's
page rendered back at 300 dpi), read by the project's OCR path, and the words aligned to the text by their
mark-less skeletons. Each aligned pair with the same skeleton counts one tone reading (per tone-bearing
vowel) and one reading per shaped letter (a/ă/â, e/ê, o/ô/ơ, u/ư, d/đ): the counts are the channel of
normalizers/ocr_correct.py (normalizers/data/ocr_channel.json, committed).

  build_ocr_channel.py [--shared DIR] [--pages N] [--heldout-pages N]

Held-out pages (from the held-out part of admin_documents.txt, never used for the channel nor the language
model) are kept in .eval/ocr_pairs/heldout.jsonl: tools/eval.py scores the correction on them.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from normalizers.ocr_correct import channel_counts_of  # noqa: E402
from normalizers.text import strip_diacritics  # noqa: E402

CHANNEL = ROOT / "normalizers" / "data" / "ocr_channel.json"
PAIRS = ROOT / ".eval" / "ocr_pairs"
FONTS = ("Liberation Serif", "Liberation Serif:style=Bold", "Liberation Serif:style=Italic", "DejaVu Serif")
FONT_WEIGHTS = (0.7, 0.12, 0.08, 0.1)
SCAN_DPI = (150, 200, 260, 300)


def font_file(pattern: str) -> str:
    out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def corpus_paragraphs(shared: Path, heldout: bool) -> list[str]:
    """Paragraphs of running text (15 words or more): the training part of the corpus for the channel, the
    held-out tail of admin_documents.txt (as tools/build_model.py splits it) for evaluation."""
    sys.path.insert(0, str(ROOT / "tools"))
    from build_model import held_out_text, recent_documents, unwrapped

    if heldout:
        lines = held_out_text(shared)
    else:
        legal = sorted((shared / "corpus" / "legal").glob("*.txt"))
        lines = [ln for p in legal[::4] for ln in p.read_text(encoding="utf-8", errors="replace").split("\n")]
        lines += [ln for p in recent_documents(shared)[0][::3] for ln in unwrapped(p.read_text(encoding="utf-8"))
                  .split("\n")]
    out = []
    for ln in lines:
        ln = unicodedata.normalize("NFC", ln).replace("\u00ad", "").strip(" #*|\t")
        if len(ln.split()) >= 15 and "|" not in ln and "http" not in ln:
            out.append(ln)
    return out


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    for w in text.split():
        trial = f"{cur} {w}" if cur else w
        if cur and font.getlength(trial) > width:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    return lines + ([cur] if cur else [])


def render_page(paras: Iterator[str], rng: random.Random) -> tuple[Image.Image, str, int]:
    """An A4 page of paragraphs at a scanner's resolution (RGB), its text, and the dpi."""
    dpi = rng.choice(SCAN_DPI)
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    size = int(rng.choice((12, 13, 13, 14, 14)) * dpi / 72)
    font = ImageFont.truetype(font_file(rng.choices(FONTS, FONT_WEIGHTS)[0]), size)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    left, right, y = int(1.2 * dpi), int(0.8 * dpi), int(0.8 * dpi)
    step = int(size * rng.uniform(1.2, 1.5))
    text_lines: list[str] = []
    while y + step < h - int(0.8 * dpi):
        para = next(paras)
        if rng.random() < 0.08:  # a heading in capitals
            para = " ".join(para.split()[:8]).upper()
        for ln in wrap(para, font, w - left - right):
            if y + step >= h - int(0.8 * dpi):
                break
            draw.text((left, y), ln, fill=(0, 0, 0), font=font)
            text_lines.append(ln)
            y += step
    if rng.random() < 0.3:
        stamp(draw, rng, w, h, dpi)
    return img, "\n".join(text_lines), dpi


def stamp(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, dpi: int) -> None:
    """A red seal (two rings and a star) over the text, as signed documents carry."""
    r = int(dpi * rng.uniform(0.7, 0.9))
    cx, cy = rng.randint(r, w - r), rng.randint(r, h - r)
    red = (rng.randint(170, 230), rng.randint(20, 70), rng.randint(30, 80))
    for k in (0, int(r * 0.25)):
        draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=red, width=max(2, dpi // 60))
    s = r // 4
    draw.polygon([(cx, cy - s), (cx + s // 3, cy), (cx, cy + s), (cx - s // 3, cy)], fill=red)


def degrade(img: Image.Image, dpi: int, rng: random.Random) -> np.ndarray:
    """Scanner damage, then what the OCR path reads: gray, and a PDF's page rendered back at 300 dpi."""
    rgb = np.asarray(img).astype(np.float32)
    angle = rng.uniform(-1.2, 1.2)
    m = cv2.getRotationMatrix2D((rgb.shape[1] / 2, rgb.shape[0] / 2), angle, 1.0)
    rgb = cv2.warpAffine(rgb, m, (rgb.shape[1], rgb.shape[0]), borderValue=(255, 255, 255))
    rgb = cv2.GaussianBlur(rgb, (0, 0), rng.uniform(0.3, 1.1) * dpi / 200)
    rgb += np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(3, 14), rgb.shape[:2])[..., None]
    gray = cv2.cvtColor(np.clip(rgb, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)
    if rng.random() < 0.6:  # 1-bit: the threshold makes strokes thinner or bolder
        gray = np.where(gray < rng.uniform(100, 180), 0, 255).astype(np.uint8)
    else:
        ok, buf = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 85)])
        gray = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if dpi != 300 and rng.random() < 0.6:
        gray = cv2.resize(gray, None, fx=300 / dpi, fy=300 / dpi, interpolation=cv2.INTER_LINEAR)
    return gray


def ocr_lines(gray: np.ndarray) -> list[str]:
    """The page read by the project's OCR path (no correction), as lines."""
    from extractors.model import Line
    from extractors.ocr import OcrOptions, clean_page, page_to_result

    result = page_to_result(clean_page(Image.fromarray(gray)), 1, OcrOptions())
    return [it.text for it in result.items if isinstance(it, Line)]


def bare_tesseract(gray: np.ndarray) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        cv2.imwrite(tmp.name, gray)
        return subprocess.run(["tesseract", tmp.name, "-", "-l", "vie"], capture_output=True, text=True,
                              env=dict(os.environ, OMP_THREAD_LIMIT="1")).stdout


def aligned_pairs(truth: str, read: str) -> list[tuple[str, str]]:
    """(true word, read word) for the words aligned by their mark-less skeleton (lower case)."""
    tw = [w.strip(".,;:()\"“”!?") for w in truth.split()]
    rw = [w.strip(".,;:()\"“”!?") for w in read.split()]
    ts = [strip_diacritics(w.lower()) for w in tw]
    rs = [strip_diacritics(w.lower()) for w in rw]
    out = []
    for b in difflib.SequenceMatcher(None, ts, rs, autojunk=False).get_matching_blocks():
        out += [(tw[b.a + k], rw[b.b + k]) for k in range(b.size) if tw[b.a + k].isalpha()]
    return out


def make_pages(shared: Path, n: int, heldout: bool, seed: int, skip: int = 0) -> Iterator[dict[str, object]]:
    """Rendered, degraded and read pages; the first `skip` are rendered (to keep the random stream) but not
    read again."""
    rng = random.Random(seed)
    paras = corpus_paragraphs(shared, heldout)
    rng.shuffle(paras)
    it = iter(paras * 2)
    for i in range(n):
        img, text, dpi = render_page(it, rng)
        gray = degrade(img, dpi, rng)
        if i < skip:
            continue
        page: dict[str, object] = {"page": i, "dpi": dpi, "truth": text, "ocr": "\n".join(ocr_lines(gray))}
        if heldout:
            page["bare"] = bare_tesseract(gray)
        yield page


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--pages", type=int, default=80, help="training pages (about 35 lines each)")
    ap.add_argument("--heldout-pages", type=int, default=16)
    ap.add_argument("--heldout-only", action="store_true")
    o = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    PAIRS.mkdir(parents=True, exist_ok=True)
    jobs = [("heldout", o.heldout_pages, True, 2)] + ([] if o.heldout_only else [("train", o.pages, False, 1)])
    for name, n, heldout, seed in jobs:
        path = PAIRS / f"{name}.jsonl"
        done = path.read_text(encoding="utf-8").count("\n") if path.exists() else 0
        with open(path, "a", encoding="utf-8") as f:  # resumable: pages already made are kept
            for page in make_pages(o.shared, n, heldout, seed, skip=done):
                f.write(json.dumps(page, ensure_ascii=False) + "\n")
                f.flush()
                print(f"{name} page {page['page'] + 1}/{n}", file=sys.stderr)  # type: ignore[operator]
    if o.heldout_only:
        return
    pages = [json.loads(ln) for ln in (PAIRS / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [p for page in pages for p in aligned_pairs(page["truth"], page["ocr"])]
    counts = channel_counts_of(pairs)
    counts["source"] = (f"tools/build_ocr_channel.py: {len(pages)} pages of ../shared/corpus (legal/, admin_2025/) "
                        f"rendered, degraded and read by Tesseract vie; {len(pairs)} aligned words")
    CHANNEL.write_text(json.dumps(counts, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    wrong = sum(1 for t, r in pairs if t != r)
    print(f"{len(pairs)} aligned words, {wrong} misread with the same letters → {CHANNEL.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
