"""OCR on real scans (../shared/scans) and on held-out generated pages, beside bare `tesseract -l vie` on the
same pages: word accuracy for tools/eval.py (--only ocr-real), seconds per page for tools/bench.py.

Word accuracy is ../shared/tools/eval_ocr.py's (the truth's words aligned to the read words, the span from
the first to the last run of three matching words scored). The pipeline's page text is pages.parquet's `text`
(OCR'd, corrected, restored); `raw` is its `text_raw`, the OCR's reading before the marks were corrected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.eval import load_module  # noqa: E402  (the root goes on the path first)

HELDOUT_PAIRS = ROOT / ".eval" / "ocr_pairs" / "heldout.jsonl"
SCAN_METADATA = ROOT / "tests" / "data" / "gold" / "scans" / "metadata.csv"  # read by eye (NOTES.md there)
# the real scans that have their true text, and the pages read (a decree of 70 pages: its first six)
REAL_SCANS: list[tuple[str, str, range | None]] = [
    ("nd71_2019_scan.pdf", "nd71_2019.docx", range(1, 7)),
    ("lamdong_ttr239_bc_da06_scan.pdf", "lamdong_bc_da06_t3_2026.docx", range(1, 7)),
    ("bca_kh996_tctlntw_2026_scan.pdf", "bca_kh996_tctlntw_2026.txt", range(1, 5)),
    ("danang_sgddt_cv1906_p1.jpg", "danang_sgddt_cv1906_p1_gt.txt", None),
    ("danang_sgddt_cv1906_p2.jpg", "danang_sgddt_cv1906_p2_gt.txt", None),
]


def scan_inputs(shared: Path, tmp: Path) -> list[tuple[Path, Path]]:
    """(input file, truth) per real scan: a PDF cut to the pages read, an image as it is."""
    import pypdfium2 as pdfium

    out = []
    for name, truth, pages in REAL_SCANS:
        src = shared / "scans" / name
        if not src.exists():
            continue
        if pages is None:
            out.append((src, shared / "scans" / truth))
            continue
        pdf, cut = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
        cut.import_pages(pdf, [p - 1 for p in pages if p <= len(pdf)])
        dst = tmp / name
        cut.save(str(dst))
        out.append((dst, shared / "scans" / truth))
    return out


def page_images(path: Path, tmp: Path, dpi: int = 300) -> list[Path]:
    """What bare Tesseract is given: a PDF's pages rendered at `dpi`, an image file as it is."""
    if path.suffix.lower() != ".pdf":
        return [path]
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out = []
    for i in range(len(pdf)):
        png = tmp / f"{path.stem}_p{i + 1}.png"
        pdf[i].render(scale=dpi / 72).to_pil().save(png)
        out.append(png)
    return out


def bare_tesseract(image: Path) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.run(["tesseract", str(image), "-", "-l", "vie"], check=True, capture_output=True, text=True,
                          env=env).stdout


def bare_texts(images: list[Path], workers: int) -> list[str]:
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(bare_tesseract, images))


def pipeline_texts(paths: list[Path], workers: int, out: Path) -> dict[Path, tuple[str, str]]:
    """Per input: its pages.parquet text (as the parsers read it: OCR'd, corrected, restored) and text_raw
    (as OCR'd), pages in order, from one `kehoach ingest` of all the inputs."""
    import pandas as pd

    cmd = [sys.executable, "-m", "pipeline", "ingest", *map(str, paths), "--out", str(out), "--quiet",
           "--workers", str(workers)]
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    pages = pd.read_parquet(out / "pages.parquet").sort_values(["source_file", "page"])
    texts = {}
    for path in paths:
        mine = pages[pages["source_file"].map(lambda f: Path(str(f)).name) == path.name]
        texts[path] = ("\n".join(mine["text"].astype(str)), "\n".join(mine["text_raw"].astype(str)))
    return texts


def real_scan_scores(shared: Path, workers: int) -> dict[str, dict[str, float]]:
    """Per real scan with its truth: word accuracy of bare Tesseract, of the pipeline's text_raw (OCR before
    the marks are corrected) and of its text (ours); and over all of them, weighted by truth words."""
    scorer = load_module(shared / "tools" / "eval_ocr.py")
    out: dict[str, dict[str, float]] = {}
    sums = {"bare": 0.0, "raw": 0.0, "ours": 0.0}
    total = 0
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        (tmp / "in").mkdir()
        inputs = scan_inputs(shared, tmp / "in")
        read = pipeline_texts([p for p, _ in inputs], workers, tmp / "out")
        for path, truth in inputs:
            truth_words = scorer.words(scorer.truth_text(truth))
            bare = "\n".join(bare_texts(page_images(path, tmp), workers))
            ours, raw = read[path]
            row: dict[str, float] = {}
            for k, text in (("bare", bare), ("raw", raw), ("ours", ours)):
                acc, n = scorer.accuracy(truth_words, scorer.words(text))
                row[k] = round(acc, 4)
            row["words"] = n
            out[path.stem] = row
            for k in sums:
                sums[k] += row[k] * n
            total += n
    out["all"] = {k: round(v / max(1, total), 4) for k, v in sums.items()} | {"words": total}
    out["all"]["error_ratio"] = round((1 - out["all"]["ours"]) / max(1e-9, 1 - out["all"]["bare"]), 3)
    return out


def generated_scores(shared: Path, correct: Callable[[list[str]], list[str]] | None = None) -> dict[str, float]:
    """Held-out generated pages (tools/build_ocr_channel.py): bare Tesseract, the OCR path's reading (raw) and
    that reading corrected (ours), word accuracy over all pages."""
    from normalizers.ocr_correct import correct_lines

    if not HELDOUT_PAIRS.exists():
        subprocess.run([sys.executable, "tools/build_ocr_channel.py", "--shared", str(shared), "--heldout-only"],
                       check=True, cwd=ROOT)
    scorer = load_module(shared / "tools" / "eval_ocr.py")
    fix = correct or correct_lines
    pages = [json.loads(ln) for ln in HELDOUT_PAIRS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    sums = {"bare": 0.0, "raw": 0.0, "ours": 0.0}
    total = 0
    for page in pages:
        truth = scorer.words(page["truth"])
        texts = {"bare": page["bare"], "raw": page["ocr"], "ours": "\n".join(fix(page["ocr"].split("\n")))}
        for k, text in texts.items():
            acc, n = scorer.accuracy(truth, scorer.words(text))
            sums[k] += acc * len(truth)
        total += len(truth)
    out = {k: round(v / max(1, total), 4) for k, v in sums.items()}
    out["error_ratio"] = round((1 - out["ours"]) / max(1e-9, 1 - out["bare"]), 3)
    return out | {"pages": float(len(pages)), "words": float(total)}


def scan_metadata_scores(shared: Path, workers: int) -> dict[str, float]:
    """Header fields of the real scans with metadata gold (every page of each read), by
    ../shared/tools/eval_metadata.py: accuracy per field and overall."""
    import csv

    names = [row["file"] for row in csv.DictReader(SCAN_METADATA.open(encoding="utf-8"))]
    files = [shared / "scans" / n for n in names if (shared / "scans" / n).exists()]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        cmd = [sys.executable, "-m", "pipeline", "ingest", *map(str, files), "--out", str(tmp / "out"), "--quiet",
               "--workers", str(workers)]
        subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
        scorer = shared / "tools" / "eval_metadata.py"
        subprocess.run([sys.executable, str(scorer), str(tmp / "out" / "documents.parquet"), str(SCAN_METADATA),
                        "--json", str(tmp / "meta.json")], check=True, capture_output=True)
        out = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    return {**out["fields"], "overall": out["overall"], "documents": float(out["documents"])}
