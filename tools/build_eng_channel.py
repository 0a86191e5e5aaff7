"""`make eng-channel`: how Tesseract's English model reads Vietnamese letters, learned from real OCR.

Lines of ../shared/corpus (the training parts build_model.py uses: legal texts, administrative documents and
2025 documents minus their held-out shares) are rendered as pages at 150–300 dpi in the fonts plans use
(Liberation Serif/Sans, the metric twins of Times New Roman and Arial; DejaVu Serif), degraded as a scanner
does (skew, blur, noise, then 1-bit or JPEG), OCR'd with `tesseract -l eng`, and each OCR word is paired with
the word printed at its place. The letter channel (true letter → what was read, normalizers/channel.py) is
learned from those pairs by hard EM and written to normalizers/data/eng_channel.tsv.

The held-out shares of the corpus go through the same steps into .eval/eng_ocr_heldout.tsv (OCR line, true
line): an evaluation of restoration on real English-model OCR that nothing was trained on.

Usage: python tools/build_eng_channel.py [--shared DIR] [--lines N] [--heldout-lines N] [--relearn]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.channel import Channel, write_counts  # noqa: E402
from normalizers.text import strip_diacritics  # noqa: E402
from tools.build_model import held_out_recent, held_out_text, training_texts  # noqa: E402

DATA = ROOT / "normalizers" / "data"
CACHE = ROOT / ".eval"
FONT_DIR = Path("/usr/share/fonts/truetype")
# font file, share of pages: plans are typed in Times New Roman mostly, Arial sometimes (Liberation 2: the
# 1.x fonts have no Vietnamese letters)
FONTS = [("liberation2/LiberationSerif-Regular.ttf", 0.55), ("liberation2/LiberationSerif-Bold.ttf", 0.12),
         ("liberation2/LiberationSerif-Italic.ttf", 0.08), ("liberation2/LiberationSans-Regular.ttf", 0.13),
         ("dejavu/DejaVuSerif.ttf", 0.12)]
DPIS = [150, 200, 240, 300]
LINES_PER_PAGE = 18
UPPER_SHARE = 0.12  # headings are typed in capitals, which the English model reads otherwise
MIN_COUNT = 2  # a (letter, reading) pair seen fewer times is left to the channel's floor
EDGE = re.compile(r"^[^\w]+|[^\w]+$")
WORD = re.compile(r"[^\W\d_]+")


def corpus_lines(texts: list[str], n: int, seed: int) -> list[str]:
    """n lines of running text, wrapped to the widths of a typed page, some in capitals."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for t in texts for p in t.split("\n")
                  if len(p.split()) >= 6 and sum(c.isalpha() for c in p) > 0.7 * len(p)]
    rng.shuffle(paragraphs)
    out: list[str] = []
    for p in paragraphs:
        if len(out) >= n:
            break
        for line in textwrap.wrap(p, width=rng.randint(55, 80))[:3]:
            if len(line.split()) >= 4:
                out.append(line.upper() if rng.random() < UPPER_SHARE else line)
    return out[:n]


def render_page(lines: list[str], rng: random.Random) -> tuple[Image.Image, int, float, list[float]]:
    """Lines typed on a strip of page: the image, its dpi, the skew angle and each line's centre height."""
    dpi = rng.choice(DPIS)
    font_file = rng.choices([f for f, _ in FONTS], weights=[w for _, w in FONTS])[0]
    size = round(rng.uniform(12.5, 14.0) * dpi / 72)
    font = ImageFont.truetype(str(FONT_DIR / font_file), size)
    step = round(size * rng.uniform(1.35, 1.6))
    width = round(6.8 * dpi)
    height = step * (len(lines) + 2)
    im = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(im)
    margin = round(0.3 * dpi)
    centres = []
    for i, line in enumerate(lines):
        y = step * (i + 1)
        draw.text((margin, y), line, font=font, fill=rng.randint(0, 40))
        centres.append(y + size * 0.6)
    angle = rng.uniform(-0.8, 0.8)
    return im, dpi, angle, centres


def degrade(im: Image.Image, dpi: int, angle: float, rng: random.Random) -> bytes:
    """A scanner's copy: tilted, blurred, noisy, then thresholded to 1 bit or
    JPEG-compressed (PNG bytes)."""
    im = im.rotate(angle, resample=Image.BILINEAR, fillcolor=255)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.9) * dpi / 300))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(0, 12), (im.height, im.width))
    im = Image.fromarray(np.clip(np.asarray(im).astype(np.float64) + noise, 0, 255).astype(np.uint8))
    if rng.random() < 0.45:
        threshold = rng.randint(110, 170)
        im = im.point(lambda v: 255 if v > threshold else 0).convert("1")
    else:
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=rng.randint(30, 80))
        im = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def ocr_words(png: bytes, dpi: int) -> list[tuple[float, float, str]]:
    """(x centre, y centre, text) of every word `tesseract -l eng` reads on the image."""
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(png)
        f.flush()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        tsv = subprocess.run(["tesseract", f.name, "stdout", "-l", "eng", "--psm", "6", "--dpi", str(dpi), "tsv"],
                             capture_output=True, text=True, check=True, env=env).stdout
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text:
            x, y = int(row["left"]) + int(row["width"]) / 2, int(row["top"]) + int(row["height"]) / 2
            words.append((x, y, unicodedata.normalize("NFC", text)))
    return words


def lines_read(words: list[tuple[float, float, str]], im_size: tuple[int, int], angle: float,
               centres: list[float]) -> list[str]:
    """The OCR words put back on the typed lines: each word's centre turned back by the skew goes to the
    nearest line."""
    cx, cy = im_size[0] / 2, im_size[1] / 2
    a = math.radians(angle)
    per_line: list[list[tuple[float, str]]] = [[] for _ in centres]
    for x, y, text in words:
        # PIL turns counter-clockwise by `angle`; turn the point back
        y0 = cy + (x - cx) * -math.sin(a) + (y - cy) * math.cos(a)
        x0 = cx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a)
        i = min(range(len(centres)), key=lambda k: abs(centres[k] - y0))
        if abs(centres[i] - y0) < (centres[1] - centres[0] if len(centres) > 1 else 50):
            per_line[i].append((x0, text))
    return [" ".join(t for _, t in sorted(ws)) for ws in per_line]


def word_pairs(read: str, true: str) -> list[tuple[str, str]]:
    """(true word, OCR word) for the words of a line that OCR read one for one, by an alignment on their
    mark-less letters; punctuation around words is dropped."""
    t = [w for w in (EDGE.sub("", x) for x in true.split()) if w]
    o = [w for w in (EDGE.sub("", x) for x in read.split()) if w]
    n, m = len(t), len(o)
    gap = 0.7
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0], move[i][0] = i * gap, "t"
    for j in range(1, m + 1):
        cost[0][j], move[0][j] = j * gap, "o"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(cost[i - 1][j - 1] + _distance(t[i - 1], o[j - 1]), "d"),
                       (cost[i - 1][j] + gap, "t"), (cost[i][j - 1] + gap, "o")]
            cost[i][j], move[i][j] = min(options)
    out: list[tuple[str, str]] = []
    i, j = n, m
    while i or j:
        mv = move[i][j]
        if mv == "d":
            if _distance(t[i - 1], o[j - 1]) <= 0.6 and WORD.fullmatch(t[i - 1]):
                out.append((t[i - 1], o[j - 1]))
            i, j = i - 1, j - 1
        elif mv == "t":
            i -= 1
        else:
            j -= 1
    return out[::-1]


def _distance(a: str, b: str) -> float:
    """Levenshtein distance of the mark-less lower-case forms, over the longer length."""
    a, b = strip_diacritics(a.lower()), strip_diacritics(b.lower())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(a), len(b))


def ocr_lines(lines: list[str], seed: int, label: str) -> list[tuple[str, str]]:
    """(OCR line, true line) for every line, page by page."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for start in range(0, len(lines), LINES_PER_PAGE):
        page = lines[start:start + LINES_PER_PAGE]
        im, dpi, angle, centres = render_page(page, rng)
        png = degrade(im, dpi, angle, rng)
        read = lines_read(ocr_words(png, dpi), im.size, angle, centres)
        out += list(zip(read, page, strict=True))
        print(f"\r{label}: {min(start + LINES_PER_PAGE, len(lines))}/{len(lines)} lines", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def learn(pairs: list[tuple[str, str]], rounds: int = 3) -> dict[tuple[str, str], int]:
    """Letter channel counts by hard EM: align each (true, read) pair with the current channel, count the
    (letter, segment) pairs, re-estimate. The first channel knows only that a letter is read as its bare form."""
    counts: dict[tuple[str, str], int] = {}
    words = Counter((t.lower(), o.lower()) for t, o in pairs)
    for ch in {c for t, _ in words for c in t}:
        counts[(ch, strip_diacritics(ch))] = 1
    for _ in range(rounds):
        channel = Channel(counts)
        new: Counter[tuple[str, str]] = Counter()
        for (t, o), n in words.items():
            for pair in channel.alignment(o, t):
                new[pair] += n
        counts = dict(new)
    return {k: n for k, n in counts.items() if n >= MIN_COUNT or k[1] == strip_diacritics(k[0])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--lines", type=int, default=3000, help="training lines to render and OCR")
    ap.add_argument("--heldout-lines", type=int, default=400, help="held-out lines for the evaluation")
    ap.add_argument("--relearn", action="store_true", help="learn again from the OCR pairs of the last run")
    ap.add_argument("--heldout-only", action="store_true", help="only OCR the held-out evaluation lines")
    o = ap.parse_args()
    CACHE.mkdir(exist_ok=True)
    train_file, held_file = CACHE / "eng_ocr_train.tsv", CACHE / "eng_ocr_heldout.tsv"
    if o.heldout_lines and not o.relearn:
        held = corpus_lines([*held_out_text(o.shared), *held_out_recent(o.shared)], o.heldout_lines, seed=3)
        _write_pairs(held_file, ocr_lines(held, seed=4, label="held-out"))
    if o.heldout_only:
        return
    if not (o.relearn and train_file.exists()):
        train = ocr_lines(corpus_lines(training_texts(o.shared), o.lines, seed=1), seed=2, label="training")
        _write_pairs(train_file, train)
    train = _read_pairs(train_file)
    pairs = [p for read, true in train for p in word_pairs(read, true)]
    counts = learn(pairs)
    write_counts(DATA / "eng_channel.tsv", counts,
                 f"how tesseract -l eng reads Vietnamese letters: true letter, what was read, times seen\n"
                 f"built by tools/build_eng_channel.py from {len(train)} corpus lines rendered and OCR'd "
                 f"({len(pairs)} word pairs)")
    print(f"{len(pairs)} word pairs, {len(counts)} letter readings → normalizers/data/eng_channel.tsv")


def _write_pairs(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("".join(f"{r}\t{t}\n" for r, t in pairs), encoding="utf-8")


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            r, t = line.split("\t", 1)
            out.append((r, t))
    return out


if __name__ == "__main__":
    main()
