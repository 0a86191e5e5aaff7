"""`make bench`: speed figures, each measured beside its baseline in the same run.

- ocr:  seconds per page for the pipeline and for bare `tesseract -l vie` on the same page images,
        all cores busy in both.
- ocr-real: the same on the pages of the real scans of ../shared/scans that have their true text
        (tools/ocr_real.py), rendered at 300 dpi: bare `tesseract -l vie` beside `kehoach ingest` of them.
- text: documents/s and pages/s on text PDFs beside a bare pdfplumber loop (extract_text + extract_tables).
- restore: words/s of diacritic restoration on one core (when the model is present).
- large: seconds for one large generated Word file (tools/big_docx.py: ~230 tables, ~830k characters) beside
         bare python-docx reading all its paragraphs and cells, and for a long one-cell-per-line Markdown dump.

Usage: python tools/bench.py [--only ocr|ocr-real|text|restore|large] [--copies N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RENDER = ROOT / "tests" / "data" / "render"
CORES = os.cpu_count() or 1


def _tesseract(png: str) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(["tesseract", png, "-", "-l", "vie"], check=True, capture_output=True, env=env)


def ingest_seconds(folder: Path, workers: int, extra: tuple[str, ...] = (), out: Path | None = None
                   ) -> tuple[float, Path]:
    out = out or Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--quiet",
                    "--workers", str(workers), *extra], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, out


def bare_and_pipeline_rounds(bare: Callable[[], object], folder: Path) -> tuple[list[float], list[float]]:
    """Seconds of bare Tesseract and of `kehoach ingest` of `folder`, in two interleaved rounds (this
    machine's timings wander by ±15 %: the best of each is compared)."""
    bares, pipes = [], []
    for _ in range(2):
        t = time.perf_counter()
        bare()
        bares.append(time.perf_counter() - t)
        pipe, out = ingest_seconds(folder, CORES, ("--force",))
        shutil.rmtree(out, ignore_errors=True)
        pipes.append(pipe)
    return bares, pipes


def per_page(n: int, rounds: tuple[list[float], list[float]], **ratio: float) -> dict[str, Any]:
    """Seconds per page of each, the ratio named by the caller, and every round's seconds."""
    bares, pipes = rounds
    return {"pages": n, "cores": CORES, "bare_tesseract_s_per_page": round(min(bares) / n, 3),
            "pipeline_s_per_page": round(min(pipes) / n, 3), **{k: round(v, 3) for k, v in ratio.items()},
            "rounds_bare_s": [round(b, 1) for b in bares], "rounds_pipeline_s": [round(p, 1) for p in pipes]}


def bench_ocr(copies: int) -> dict[str, Any]:
    from extractors.ocr import render_pdf_page

    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for pdf in sorted((RENDER / "scan").glob("*.pdf")):
            import pypdfium2 as pdfium

            n = len(pdfium.PdfDocument(str(pdf)))
            for i in range(n):
                img = render_pdf_page(pdf, i, 300)
                for k in range(copies):  # enough pages that start-up costs do not dominate
                    png = Path(tmp) / f"{pdf.stem}_p{i + 1}_{k}.png"
                    img.save(png)
                    pages.append(str(png))

        def bare_run() -> None:
            with ProcessPoolExecutor(CORES) as pool:
                list(pool.map(_tesseract, pages))

        rounds = bare_and_pipeline_rounds(bare_run, Path(tmp))
    return per_page(len(pages), rounds, throughput_ratio=min(rounds[0]) / min(rounds[1]))


def bench_ocr_real(copies: int) -> dict[str, Any]:
    """Both given the same page images (a PDF's pages rendered at 300 dpi once, an image file as it is), as in
    bench_ocr: the time is reading, not rasterizing; `copies` of each so that start-up does not dominate."""
    from ocr_real import bare_texts, page_images, scan_inputs

    shared = ROOT.parent / "shared"
    if not (shared / "scans").is_dir():
        return {"skipped": "no ../shared/scans"}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        for d in ("cut", "pages", "in"):
            (tmp / d).mkdir()
        images = [img for path, _ in scan_inputs(shared, tmp / "cut") for img in page_images(path, tmp / "pages")]
        for img in list(images):
            for k in range(copies):
                dst = tmp / "in" / f"{img.stem}_{k}{img.suffix}"
                shutil.copy(img, dst)
                images.append(dst)
        images = [img for img in images if img.parent == tmp / "in"]
        rounds = bare_and_pipeline_rounds(lambda: bare_texts(images, CORES), tmp / "in")
    return per_page(len(images), rounds, time_ratio=min(rounds[1]) / min(rounds[0]))


def _plumber_loop(pdf: str) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            page.extract_text()
            page.extract_tables()
        return len(doc.pages)


def bench_text(copies: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = []
        for k in range(copies):
            for src in sorted((RENDER / "pdf").glob("*.pdf")) + sorted((RENDER / "pdf_alt").glob("*.pdf")):
                dst = Path(tmp) / f"{src.parent.name}_{k}_{src.name}"
                shutil.copy(src, dst)
                pdfs.append(str(dst))
        t = time.perf_counter()
        with ProcessPoolExecutor(CORES) as pool:
            n_pages = sum(pool.map(_plumber_loop, pdfs))
        bare = time.perf_counter() - t
        pipe, out = ingest_seconds(Path(tmp), CORES)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest process, in MB
        rerun, _ = ingest_seconds(Path(tmp), CORES, out=out)  # nothing changed: every input is skipped
        one, out1 = ingest_seconds(Path(tmp), 1)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out1, ignore_errors=True)
    return {"documents": len(pdfs), "pages": n_pages, "bare_pdfplumber_s": round(bare, 2), "pipeline_s": round(pipe, 2),
            "pipeline_docs_per_s": round(len(pdfs) / pipe, 2), "pipeline_pages_per_s": round(n_pages / pipe, 2),
            "pipeline_over_bare": round(pipe / bare, 3), "pipeline_1_worker_s": round(one, 2),
            f"speedup_1_to_{CORES}_workers": round(one / pipe, 2), "peak_rss_mb_per_process": round(peak_mb),
            "rerun_unchanged_s": round(rerun, 2)}


PYVI = ROOT / ".bench" / "pyvi" / "bin" / "python"
PYVI_SCRIPT = """
import sys, time
from pyvi import ViUtils
lines = open(sys.argv[1], encoding="utf-8").read().split("\\n")
out, t = [], time.perf_counter()
for ln in lines:
    try:
        out.append(str(ViUtils.add_accents(ln)))
    except Exception:  # pyvi raises KeyError on some lines
        out.append(ln)
secs = time.perf_counter() - t
open(sys.argv[2], "w", encoding="utf-8").write("\\n".join(out))
print(secs)
"""


def bench_restore() -> dict[str, float]:
    """Restoration of stripped text on one core, beside pyvi's ViDiac on the same lines when it is installed.
    The lines are held-out administrative text (never trained on) when ../shared is there."""
    from eval import word_accuracy  # the same word accuracy `make eval` reports

    from normalizers.restore import Restorer, restore_lines
    from normalizers.text import strip_diacritics

    held = ROOT / ".eval" / "heldout_admin.txt"
    shared = ROOT.parent / "shared"
    if not held.exists() and (shared / "corpus").is_dir():
        subprocess.run([sys.executable, "tools/build_model.py", "--shared", str(shared), "--heldout-only"],
                       check=True, cwd=ROOT)
    if held.exists():
        gold = [ln for ln in held.read_text(encoding="utf-8").split("\n") if len(ln.split()) >= 4][:600]
        source = "held-out administrative text"
    else:
        gold = [ln for ln in (RENDER / "txt" / "001_b305fb2693e162d3.txt").read_text(encoding="utf-8").split("\n")
                if ln.strip()]
        source = "seed 001 (in the training data: speed only)"
    lines = [strip_diacritics(ln) for ln in gold]
    r = Restorer.load()
    r.restore_line("khoi dong")
    words = sum(len(ln.split()) for ln in lines)
    t = time.perf_counter()
    ours = restore_lines(lines)  # as `kehoach restore` does: the text judged as a whole, then line by line
    secs = time.perf_counter() - t
    res: dict[str, Any] = {"text": source, "words": words, "kehoach_words_per_s": round(words / secs),
                           "kehoach_word_acc": word_accuracy(ours, gold)}
    if PYVI.exists():
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
            src.write_text("\n".join(lines), encoding="utf-8")
            out = subprocess.run([str(PYVI), "-c", PYVI_SCRIPT, str(src), str(dst)], capture_output=True, text=True)
            if out.returncode == 0:
                pyvi_secs = float(out.stdout.strip().splitlines()[-1])
                res["pyvi_words_per_s"] = round(words / pyvi_secs)
                res["pyvi_word_acc"] = word_accuracy(dst.read_text(encoding="utf-8").split("\n"), gold)
    return res


BARE_DOCX = """
import sys, time
import docx
t = time.perf_counter()
d = docx.Document(sys.argv[1])
n = sum(len(p.text) for p in d.paragraphs)
n += sum(len(c.text) for tb in d.tables for row in tb.rows for c in row.cells)
print(time.perf_counter() - t)
"""


def _bar_dump(n_rows: int) -> str:
    """A web page saved as a one-cell-per-line dump ('|' lines between cells): an info box of fields, then
    the resolution's articles in a three-column table that is no task table, as long as a real one (~3000 lines)."""
    out = ["|", "|", "Văn bản pháp luật", "|", "|"]
    for field, value in (("Số hiệu", "22/2025/NQ-HĐND"), ("Loại văn bản", "Nghị quyết"), ("Nơi ban hành", "Tỉnh")):
        out += [f"**{field}:**", "|", value, "|", "|"]
    for k in range(n_rows):  # three cells a row, an empty cell between rows, as such a dump prints a table
        out += [f"Điều {k + 1}", "|", f"Hội đồng nhân dân tỉnh giao Ủy ban nhân dân tỉnh thực hiện nội dung {k + 1}.",
                "|", "Có hiệu lực", "|", "|"]
    return "\n".join(out)


def _file_seconds(out: Path) -> float:
    import pandas as pd

    return float(pd.read_parquet(out / "ingest_log.parquet")["seconds"].iloc[0])


def bench_large() -> dict[str, float]:
    """Each measured twice, the best kept: ingest_log's seconds for the file (what the run spent on it, start-up
    not counted) and the whole run's wall time, beside the bare python-docx loop in a process of its own."""
    from big_docx import write_big_docx

    res: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "docx" / "large.docx"
        big.parent.mkdir()
        res["docx_tables"], res["docx_chars"] = write_big_docx(big)
        res["docx_kb"] = big.stat().st_size // 1024
        bare = [float(subprocess.run([sys.executable, "-c", BARE_DOCX, str(big)], check=True, capture_output=True,
                                     text=True).stdout) for _ in range(2)]
        runs = [ingest_seconds(big.parent, 1, ("--force",)) for _ in range(2)]
        res["bare_python_docx_s"] = round(min(bare), 2)
        res["docx_pipeline_file_s"] = round(min(_file_seconds(out) for _, out in runs), 2)
        res["docx_pipeline_run_s"] = round(min(t for t, _ in runs), 2)
        res["docx_file_over_bare"] = round(res["docx_pipeline_file_s"] / res["bare_python_docx_s"], 2)
        md = Path(tmp) / "md" / "dump.md"
        md.parent.mkdir()
        md.write_text(_bar_dump(420), encoding="utf-8")
        res["md_kb"] = md.stat().st_size // 1024
        md_runs = [ingest_seconds(md.parent, 1, ("--force",)) for _ in range(2)]
        res["md_pipeline_file_s"] = round(min(_file_seconds(out) for _, out in md_runs), 2)
        for _, out in runs + md_runs:
            shutil.rmtree(out, ignore_errors=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--copies", type=int, default=6, help="copies of the samples (6 → 60 text PDFs, 48 scan pages)")
    o = ap.parse_args()
    results: dict[str, dict[str, Any]] = {}
    jobs = (("ocr", lambda: bench_ocr(o.copies)), ("ocr-real", lambda: bench_ocr_real(max(1, o.copies // 3))),
            ("text", lambda: bench_text(o.copies)), ("restore", bench_restore), ("large", bench_large))
    for name, fn in jobs:
        if o.only and o.only != name:
            continue
        results[name] = fn()
        print(name, json.dumps(results[name], ensure_ascii=False))
    (ROOT / ".bench").mkdir(exist_ok=True)
    (ROOT / ".bench" / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
