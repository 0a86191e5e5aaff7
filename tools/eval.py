"""`make eval`: ingest the sample renderings of the seeds and score them against the hand-made gold in
../shared/dev with the acceptance scorers in ../shared/tools.

Usage: python tools/eval.py [--shared DIR] [--details] [--only KIND|plangen|ocr-real|scan-metadata] [--synthetic-n N]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RENDER = ROOT / "tests" / "data" / "render"
# Gold by seed number: a name under ../shared/dev, or a path (from the repo root) to the project's own gold.
GOLD = {"000": "tasks_000.csv", "001": "tests/data/expected/001_b305fb2693e162d3.tasks.csv", "002": "tasks_002.csv"}


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ingest(paths: list[Path], out: Path) -> None:
    """Files or folders through `kehoach ingest` into `out`."""
    cmd = [sys.executable, "-m", "pipeline", "ingest", *map(str, paths), "--out", str(out), "--quiet",
           "--workers", str(os.cpu_count() or 1)]
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)


def score_folder(kind: str, shared: Path, scorer: ModuleType, details: bool) -> dict[str, float]:
    folder = RENDER / kind
    with tempfile.TemporaryDirectory() as tmp:
        ingest([folder], Path(tmp))
        df = pd.read_parquet(Path(tmp) / "tasks.parquet")
    df["_stem"] = df["source_file"].map(lambda s: Path(str(s)).stem)
    totals = {"gold": 0, "pred": 0, "matched": 0}
    fields: dict[str, list[tuple[float, int]]] = {k: [] for k in ("lead", "coord", "kind", "end", "content_sim")}
    for num, gold_name in GOLD.items():
        stem = next((p.stem for p in folder.iterdir() if p.name.startswith(num + "_")), None)
        if stem is None:
            continue
        gold_path = ROOT / gold_name if "/" in gold_name else shared / "dev" / gold_name
        gold = list(csv.DictReader(open(gold_path, encoding="utf-8")))
        pred = df[df["_stem"] == stem].reset_index(drop=True)
        r = scorer.score(pred, gold)
        for k in totals:
            totals[k] += r[k]
        for k in fields:
            fields[k].append((r[k], r["matched"]))
        if details:
            show_misses(pred, gold, scorer)
    p = totals["matched"] / max(1, totals["pred"])
    rc = totals["matched"] / max(1, totals["gold"])
    out = {"f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0.0}
    out |= {k: round(sum(a * n for a, n in v) / max(1, sum(n for _, n in v)), 4) for k, v in fields.items()}
    return out


def ocr_phuluc_scores(scorer: ModuleType, details: bool) -> dict[str, float]:
    """The Đồng Tháp OCR text (columns interleaved) against the project's hand transcription of its phụ lục.
    Content is scored both as the spec builds it (Nội dung: Mục tiêu/giải pháp) and as Nội dung alone."""
    src = next((RENDER / "txt").glob("004_*.txt"))
    rows = list(csv.DictReader(open(ROOT / "tests" / "data" / "expected" / f"{src.stem}.phuluc.csv",
                                    encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        ingest([src], Path(tmp))
        pred = pd.read_parquet(Path(tmp) / "tasks.parquet").reset_index(drop=True)
    blank = {"deadline_kind": "unspecified", "deadline_end": ""}
    with_goal = [{**r, **blank, "content": f"{r['content']}: {r['goal']}" if r["goal"] else r["content"]}
                 for r in rows]
    r = scorer.score(pred, with_goal)
    if details:
        show_misses(pred, with_goal, scorer)
    alone = scorer.score(pred.assign(content=pred["content"].str.split(": ").str[0]), [{**g, **blank} for g in rows])
    return {**{k: r[k] for k in ("f1", "lead", "coord", "content_sim")}, "content_only_sim": alone["content_sim"]}


def show_misses(pred: pd.DataFrame, gold: list[dict[str, str]], scorer: ModuleType) -> None:
    for g in gold:
        hits = pred[pred["task_no"].map(scorer.tno) == scorer.tno(g["task_no"])]
        if hits.empty:
            print(f"  missing {g['task_no']}: {g['content'][:70]}")
            continue
        p = hits.iloc[0]
        if scorer.units(g["lead_units"]) != scorer.units(p["lead_units"]):
            print(f"  lead {g['task_no']}: gold={g['lead_units']!r} pred={list(p['lead_units'])}")
        if scorer.date(g["deadline_end"]) != scorer.date(p["deadline_end"]):
            print(f"  end {g['task_no']}: gold={g['deadline_end']!r} pred={p['deadline_end']} "
                  f"raw={p['deadline_raw']!r}")
        if scorer.fuzz.ratio(scorer.norm(g["content"]), scorer.norm(p["content"])) < 95:
            print(f"  content {g['task_no']}:\n    gold={g['content'][:160]!r}\n    pred={p['content'][:160]!r}")


TOKEN = re.compile(r"[^\W_]+(?:[./:,-][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case NFC words, punctuation dropped: the tokens the acceptance scorer eval_restore.py compares."""
    return [w.lower() for w in TOKEN.findall(unicodedata.normalize("NFC", text))]


def word_accuracy(pred: list[str], gold: list[str], split: Callable[[str], list[str]] = words) -> float:
    """Share of gold words found in the prediction, each line's words aligned with difflib."""
    total = ok = 0
    for p, g in zip(pred, gold, strict=True):
        gw, pw = split(g), split(p)
        total += len(gw)
        ok += sum(b.size for b in difflib.SequenceMatcher(a=gw, b=pw, autojunk=False).get_matching_blocks())
    return round(ok / max(1, total), 4)


def doc_text(path: Path, ocr: bool) -> str:
    from extractors.ocr import OcrOptions
    from extractors.pdf import pdf_to_doc

    doc = pdf_to_doc(path, ocr=OcrOptions(workers=os.cpu_count() or 1) if ocr else None)
    return " ".join(ln.text for ln in doc.lines())


def ocr_word_accuracy() -> float:
    """Words of the degraded prose scans that OCR reads exactly, aligned against the text-layer source."""
    scans = sorted((RENDER / "scan").glob("000_*.pdf"))
    return word_accuracy([doc_text(s, True) for s in scans], [doc_text(RENDER / "pdf" / s.name, False) for s in scans])


def restore_scores(shared: Path) -> dict[str, float]:
    """Word accuracy of restoration: the real Đồng Tháp OCR (lines 1–120 against the hand-restored gold) and
    held-out administrative text and 2025 documents (never trained on) stripped of marks or garbled like an
    English-model OCR; and the do-no-harm figures on correct text."""
    from normalizers.restore import restore_lines

    scorer = load_module(shared / "tools" / "eval_restore.py")
    noise = load_module(shared / "tools" / "ocr_noise.py")
    seed = next((shared / "seeds").glob("004_*.txt")).read_text(encoding="utf-8").split("\n")[:120]
    gold_004 = (shared / "dev" / "004_restored_head.txt").read_text(encoding="utf-8").split("\n")[:120]
    held = ROOT / ".eval" / "heldout_admin.txt"
    recent = ROOT / ".eval" / "heldout_2025.txt"
    if not held.exists() or not recent.exists():
        subprocess.run([sys.executable, "tools/build_model.py", "--shared", str(shared), "--heldout-only"],
                       check=True, cwd=ROOT)
    out = {"dongthap_ocr_1_120": word_accuracy(restore_lines(seed), gold_004, scorer.words)}
    for tag, path in (("heldout", held), ("heldout_2025", recent)):
        lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if len(ln.split()) >= 4][:600]
        for name, src in (("stripped", [noise.strip(x) for x in lines]),
                          ("garbled", [noise.garble(x, seed=i) for i, x in enumerate(lines)])):
            out[f"{tag}_{name}"] = word_accuracy(restore_lines(src), lines, scorer.words)
    out |= eng_ocr_scores(shared)
    out |= harm_scores(recent)
    return out


def eng_ocr_scores(shared: Path) -> dict[str, float]:
    """Held-out corpus lines rendered, degraded and read with `tesseract -l eng` (made by
    tools/build_eng_channel.py, which learns its channel from other lines): word accuracy as restored."""
    from normalizers.restore import restore_lines

    pairs_file = ROOT / ".eval" / "eng_ocr_heldout.tsv"
    if not pairs_file.exists():
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split() \
            if shutil.which("tesseract") else []
        if "eng" not in langs:  # the English model is a build-time package (make eng-channel)
            return {}
        subprocess.run([sys.executable, "tools/build_eng_channel.py", "--shared", str(shared), "--heldout-only"],
                       check=True, cwd=ROOT)
    pairs = [ln.split("\t", 1) for ln in pairs_file.read_text(encoding="utf-8").split("\n") if "\t" in ln]
    scorer = load_module(shared / "tools" / "eval_restore.py")
    return {"heldout_eng_ocr": word_accuracy(restore_lines([r for r, _ in pairs]), [t for _, t in pairs],
                                             scorer.words)}


def metadata_and_deadline_scores(shared: Path) -> dict[str, dict[str, float]]:
    """Metadata field accuracy on the hand-made metadata gold (real plans and the seeds as .txt), and deadline
    kind/end accuracy on the matched table and prose tasks of the real plans with task gold."""
    meta_scorer = load_module(shared / "tools" / "eval_metadata.py")
    task_scorer = load_module(shared / "tools" / "eval_external.py")
    gold_csv = ROOT / "tests" / "data" / "gold" / "metadata.csv"
    gold = list(csv.DictReader(open(gold_csv, encoding="utf-8")))
    own = ROOT / "tests" / "data" / "gold" / "plans"
    manifests = [(shared / "dev" / "plans", shared / "dev" / "plans" / "MANIFEST.tsv"), (own, own / "MANIFEST.tsv")]
    specs = [(folder / gold_name, name, scope) for folder, mf in manifests if mf.exists()
             for name, gold_name, scope in (ln.split("\t")[:3] for ln in mf.read_text(encoding="utf-8").splitlines()
                                            if ln.strip() and not ln.startswith("#"))]
    names = {g["file"] for g in gold} | {name for _, name, _ in specs}
    files = sorted({RENDER / "txt" / n if (RENDER / "txt" / n).exists() else shared / "plans" / n for n in names})
    # the seeds' Word and PDF renderings against the same gold rows (their stem is the seed's)
    renders = [f for kind in ("docx", "pdf", "pdf_alt") for f in sorted((RENDER / kind).glob("*"))]
    with tempfile.TemporaryDirectory() as tmp:
        ingest([f for f in files if f.exists()] + renders, Path(tmp))
        docs = pd.read_parquet(Path(tmp) / "documents.parquet")
        tasks = pd.read_parquet(Path(tmp) / "tasks.parquet")
    docs["_path"] = docs["source_file"].map(lambda s: Path(str(s)))
    by_path = {r["_path"]: r for _, r in docs.iterrows()}
    gold_by_stem = {Path(g["file"]).stem: g for g in gold}

    def accuracy(pairs: list[tuple[pd.Series | None, dict[str, str]]]) -> dict[str, float]:
        hits: dict[str, list[bool]] = {f: [] for f in meta_scorer.FIELDS}
        for d, g in pairs:
            for f in meta_scorer.FIELDS:
                hits[f].append(d is not None and bool(meta_scorer.same(f, d.get(f), g[f])))
        out = {f: round(sum(v) / max(1, len(v)), 4) for f, v in hits.items()}
        out["overall"] = round(sum(sum(v) for v in hits.values()) / max(1, sum(len(v) for v in hits.values())), 4)
        return out

    by_name = {p.name: r for p, r in by_path.items() if p.parent.name not in ("docx", "pdf", "pdf_alt")}
    meta = accuracy([(by_name.get(g["file"]), g) for g in gold])
    meta_renders = accuracy([(by_path.get(f), gold_by_stem[f.stem]) for f in renders if f.stem in gold_by_stem])
    tasks["_name"] = tasks["source_file"].map(lambda s: Path(str(s)).name)
    kind: list[bool] = []
    end: list[bool] = []
    for path, name, scope in specs:
        pred = tasks[tasks["_name"] == name]
        if scope == "table":
            pred = pred[pred["source_section"].fillna("").str.startswith("Phụ lục")]
        pred = pred.reset_index(drop=True)
        rows = list(csv.DictReader(open(path, encoding="utf-8")))
        for g, i in task_scorer.match(pred, rows):
            kind.append(task_scorer.norm(pred.at[i, "deadline_kind"]) == task_scorer.norm(g["deadline_kind"]))
            end.append(task_scorer.date(pred.at[i, "deadline_end"]) == task_scorer.date(g["deadline_end"]))
    deadlines = {"matched": float(len(kind)), "kind": round(sum(kind) / max(1, len(kind)), 4),
                 "end": round(sum(end) / max(1, len(end)), 4)}
    return {"metadata": meta, "metadata_renderings": meta_renders, "deadlines": deadlines}


def harm_scores(recent: Path) -> dict[str, float]:
    """Do no harm: correct text must come back as it is. Share of the name lines (tests/data/restore/names.txt,
    as one file and each line alone) unchanged, and share of the words of the held-out 2025 documents (whole
    documents, tables and signatures included) changed."""
    from normalizers.restore import restore_lines

    names = (ROOT / "tests" / "data" / "restore" / "names.txt").read_text(encoding="utf-8").splitlines()
    as_file = restore_lines(names)
    alone = [restore_lines([n])[0] for n in names]
    lines = recent.read_text(encoding="utf-8").split("\n")
    total = changed = 0
    for src, out in zip(lines, restore_lines(lines), strict=True):
        w = words(src)
        total += len(w)
        changed += len(w) - sum(b.size for b in difflib.SequenceMatcher(a=w, b=words(out), autojunk=False)
                                .get_matching_blocks())
    return {"names_unchanged": round(sum(a == b for a, b in zip(as_file, names, strict=True)) / len(names), 4),
            "names_alone_unchanged": round(sum(a == b for a, b in zip(alone, names, strict=True)) / len(names), 4),
            "correct_words_changed": round(changed / max(1, total), 5)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--synthetic-n", type=int, default=200, help="generated plans per format (plangen)")
    o = ap.parse_args()
    if not (o.shared / "dev").is_dir():
        raise SystemExit(f"gold not found: {o.shared / 'dev'} (pass --shared DIR)")
    scorer = load_module(o.shared / "tools" / "eval_tasks.py")
    results: dict[str, dict[str, float]] = {}
    for kind in ("txt", "docx", "pdf", "pdf_alt", "scan", "scan_tiff"):
        if o.only and kind != o.only:
            continue
        results[kind] = score_folder(kind, o.shared, scorer, o.details)
        r = results[kind]
        print(f"tasks[{kind:4}] f1={r['f1']} lead={r['lead']} coord={r['coord']} kind={r['kind']} "
              f"end={r['end']} content={r['content_sim']}")
    if not o.only or o.only == "phuluc":
        results["ocr_phuluc"] = ocr_phuluc_scores(scorer, o.details)
        print("tasks[004 OCR phụ lục as .txt] " + " ".join(f"{k}={v}" for k, v in results["ocr_phuluc"].items()))
    if not o.only or o.only == "restore":
        results["restore"] = restore_scores(o.shared)
        print("restore word accuracy " + " ".join(f"{k}={v}" for k, v in results["restore"].items()))
    if not o.only or o.only == "metadata":
        results |= metadata_and_deadline_scores(o.shared)
        print("metadata accuracy " + " ".join(f"{k}={v}" for k, v in results["metadata"].items()))
        print("metadata accuracy (seeds as docx/pdf) " + " ".join(
            f"{k}={v}" for k, v in results["metadata_renderings"].items()))
        print("deadlines (real plans, matched tasks) " + " ".join(f"{k}={v}" for k, v in results["deadlines"].items()))
    if not o.only or o.only == "ocr":
        results["ocr_word_accuracy"] = {"prose_scans": ocr_word_accuracy()}
        print(f"ocr word accuracy (degraded prose scans) = {results['ocr_word_accuracy']['prose_scans']}")
    if not o.only or o.only == "ocr-real":  # real scans and held-out generated pages, beside bare Tesseract
        from tools.ocr_real import generated_scores, real_scan_scores

        real = real_scan_scores(o.shared, os.cpu_count() or 1)
        for name, r in real.items():
            print(f"ocr word accuracy [real scan {name}] " + " ".join(f"{k}={v}" for k, v in r.items()))
        gen = generated_scores(o.shared)
        print("ocr word accuracy [generated held-out pages] " + " ".join(f"{k}={v}" for k, v in gen.items()))
        results["ocr_real"] = {f"{name}_{k}": v for name, r in real.items() for k, v in r.items()}
        results["ocr_generated"] = gen
    if not o.only or o.only == "scan-metadata":  # the header fields of real scans, against gold read by eye
        from tools.ocr_real import scan_metadata_scores

        results["scan_metadata"] = scan_metadata_scores(o.shared, os.cpu_count() or 1)
        print("metadata accuracy [real scans] " + " ".join(f"{k}={v}" for k, v in results["scan_metadata"].items()))
    if not o.only or o.only == "plangen":  # synthetic plans with exact gold, real plans in every format
        from tools.plangen.evaluate import run_plangen_eval

        results["plangen"] = run_plangen_eval(o.shared, o.synthetic_n)  # type: ignore[assignment]
    (ROOT / ".eval").mkdir(exist_ok=True)
    (ROOT / ".eval" / "tasks.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
