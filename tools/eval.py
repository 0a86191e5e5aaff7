"""`make eval`: ingest the sample renderings of the seeds and score them against the hand-made gold in
../shared/dev with the acceptance scorers in ../shared/tools.

Usage: python tools/eval.py [--shared DIR] [--details] [--only KIND|plangen] [--synthetic-n N]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib.util
import json
import os
import re
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
GOLD = {"000": "tasks_000.csv", "002": "tasks_002.csv"}


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ingest(folder: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--quiet",
           "--workers", str(os.cpu_count() or 1)]
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)


def score_folder(kind: str, shared: Path, scorer: ModuleType, details: bool) -> dict[str, float]:
    folder = RENDER / kind
    with tempfile.TemporaryDirectory() as tmp:
        ingest(folder, Path(tmp))
        df = pd.read_parquet(Path(tmp) / "tasks.parquet")
    df["_stem"] = df["source_file"].map(lambda s: Path(str(s)).stem)
    totals = {"gold": 0, "pred": 0, "matched": 0}
    fields: dict[str, list[tuple[float, int]]] = {k: [] for k in ("lead", "coord", "kind", "end", "content_sim")}
    for num, gold_name in GOLD.items():
        stem = next((p.stem for p in folder.iterdir() if p.name.startswith(num + "_")), None)
        if stem is None:
            continue
        gold = list(csv.DictReader(open(shared / "dev" / gold_name, encoding="utf-8")))
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
        ingest(src, Path(tmp))
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
    held-out administrative text (never trained on) stripped of marks or garbled like an English-model OCR."""
    from normalizers.restore import restore_lines

    scorer = load_module(shared / "tools" / "eval_restore.py")
    noise = load_module(shared / "tools" / "ocr_noise.py")
    seed = next((shared / "seeds").glob("004_*.txt")).read_text(encoding="utf-8").split("\n")[:120]
    gold_004 = (shared / "dev" / "004_restored_head.txt").read_text(encoding="utf-8").split("\n")[:120]
    held = ROOT / ".eval" / "heldout_admin.txt"
    if not held.exists():
        subprocess.run([sys.executable, "tools/build_model.py", "--shared", str(shared), "--heldout-only"],
                       check=True, cwd=ROOT)
    lines = [ln for ln in held.read_text(encoding="utf-8").split("\n") if len(ln.split()) >= 4][:600]
    out = {}
    for name, src, gold in (("dongthap_ocr_1_120", seed, gold_004),
                            ("heldout_stripped", [noise.strip(x) for x in lines], lines),
                            ("heldout_garbled", [noise.garble(x, seed=i) for i, x in enumerate(lines)], lines)):
        out[name] = word_accuracy(restore_lines(src), gold, scorer.words)
    return out


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
    if not o.only or o.only == "ocr":
        results["ocr_word_accuracy"] = {"prose_scans": ocr_word_accuracy()}
        print(f"ocr word accuracy (degraded prose scans) = {results['ocr_word_accuracy']['prose_scans']}")
    if not o.only or o.only == "plangen":  # synthetic plans with exact gold, real plans in every format
        from tools.plangen.evaluate import run_plangen_eval

        results["plangen"] = run_plangen_eval(o.shared, o.synthetic_n)  # type: ignore[assignment]
    (ROOT / ".eval").mkdir(exist_ok=True)
    (ROOT / ".eval" / "tasks.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
