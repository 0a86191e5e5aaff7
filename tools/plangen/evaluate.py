"""`make eval` figures on synthetic plans (a few hundred per digital format, a few scans) and on real plans
with gold (as Markdown and rendered as Word, text PDF and scan), plus a held-out line when its manifest
exists. Scores are cached in .eval/plangen.json by the rendered file's hash and the parser's code hash."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tools.plangen.formats import DIGITAL, render_plan
from tools.plangen.generate import generate_plan
from tools.plangen.realmd import render_markdown_plan
from tools.plangen.score import Tally, local_scorer, score_file

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".eval" / "plangen.json"
CODE_DIRS = ("pipeline", "extractors", "normalizers")


def code_hash() -> str:
    h = hashlib.sha256()
    for d in CODE_DIRS:
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file() and p.suffix in {".py", ".csv", ".json", ".gz", ".npz", ".tsv"}:
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _score_job(args: tuple[str, list[dict[str, str]], str, str]) -> dict[str, float]:
    path, gold, scope, scorer_path = args
    if scorer_path:
        from tools.plangen.score import load_scorer

        scorer: object = load_scorer(Path(scorer_path))
    else:
        scorer = local_scorer()
    r, result = score_file(Path(path), gold, scope, scorer)  # type: ignore[arg-type]
    return {**{k: r[k] for k in ("gold", "pred", "matched", "lead", "coord", "kind", "end", "content_sim")},
            "failed": float(result.status != "ok")}


class Runner:
    """Scores (file, gold, scope) jobs in worker processes, with the cache."""

    def __init__(self, scorer_path: Path | None, workers: int) -> None:
        self.scorer_path = str(scorer_path) if scorer_path else ""
        self.workers = workers
        self.code = code_hash()
        self.cache: dict[str, dict[str, float]] = json.loads(CACHE.read_text()) if CACHE.is_file() else {}

    def key(self, path: Path, scope: str) -> str:
        return f"{hashlib.sha256(path.read_bytes()).hexdigest()[:24]}:{scope}:{self.code}"

    def run(self, jobs: list[tuple[Path, list[dict[str, str]], str]]) -> Tally:
        keys = [self.key(p, s) for p, _, s in jobs]
        todo = [(str(p), g, s, self.scorer_path) for (p, g, s), k in zip(jobs, keys, strict=True)
                if k not in self.cache]
        todo_keys = [k for k in keys if k not in self.cache]
        if todo:
            with ProcessPoolExecutor(self.workers) as pool:
                for k, r in zip(todo_keys, pool.map(_score_job, todo, chunksize=4), strict=True):
                    self.cache[k] = r
        self.save()
        return self.tally([self.cache[k] for k in keys])

    def save(self) -> None:
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(json.dumps(self.cache))

    @staticmethod
    def tally(results: list[dict[str, float]]) -> Tally:
        t = Tally()
        for r in results:
            t.add(r)
            t.failed += int(r["failed"])
        return t


def _synthetic_job(args: tuple[int, str, str, str]) -> dict[str, float]:
    """Generate, render and score one synthetic plan (in a worker: rendering Word and PDF is not cheap)."""
    seed, fmt, tmp, scorer_path = args
    plan = generate_plan(seed)
    path = render_plan(plan, fmt, Path(tmp))
    try:
        return {**_score_job((str(path), plan.gold_rows(), plan.scope, scorer_path)),
                "table": float(plan.kind == "table")}
    finally:
        path.unlink(missing_ok=True)


def generator_hash() -> str:
    """Hash of what makes a synthetic rendering: the generator, its renderers and vocabulary."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for p in sorted([*here.glob("data/*.tsv"), *here.glob("render_*.py"),
                     *(here / f"{m}.py" for m in ("generate", "issuers", "vocab", "deadlines", "model", "formats"))]):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def synthetic_scores(runner: Runner, n: int, n_scan: int, tmp: Path) -> dict[str, dict[str, float]]:
    out = {}
    gen = generator_hash()
    for fmt in (*DIGITAL, "scan"):
        seeds = range(50_000, 50_000 + (n_scan if fmt == "scan" else n))
        keys = [f"synthetic:{s}:{fmt}:{gen}:{runner.code}" for s in seeds]
        todo = [(s, fmt, str(tmp), runner.scorer_path) for s, k in zip(seeds, keys, strict=True)
                if k not in runner.cache]
        if todo:
            tmp.mkdir(parents=True, exist_ok=True)
            with ProcessPoolExecutor(runner.workers) as pool:
                for job, r in zip(todo, pool.map(_synthetic_job, todo, chunksize=4), strict=True):
                    runner.cache[f"synthetic:{job[0]}:{fmt}:{gen}:{runner.code}"] = r
            runner.save()
        rs = [runner.cache[k] for k in keys]
        out[fmt] = runner.tally(rs).summary()
        for kind, flag in (("table", 1.0), ("prose", 0.0)):
            out[f"{fmt}/{kind}"] = runner.tally([r for r in rs if r.get("table") == flag]).summary()
    return out


def manifest_jobs(manifest: Path, plans_dir: Path) -> list[tuple[Path, list[dict[str, str]], str]]:
    """(input, gold rows, scope) for each line FILENAME<TAB>GOLD.csv<TAB>SCOPE of MANIFEST."""
    jobs = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or line.startswith("#"):
            continue
        src = plans_dir / parts[0]
        gold_path = manifest.parent / parts[1]
        if src.is_file() and gold_path.is_file():
            with open(gold_path, encoding="utf-8") as fh:
                jobs.append((src, list(csv.DictReader(fh)), parts[2]))
    return jobs


def rendered_jobs(jobs: list[tuple[Path, list[dict[str, str]], str]], fmt: str,
                  tmp: Path) -> list[tuple[Path, list[dict[str, str]], str]]:
    out = []
    for src, gold, scope in jobs:
        made = render_markdown_plan(src, tmp / fmt, (fmt,))
        out.append((made[0], gold, scope))
    return out


def real_scores(runner: Runner, manifests: list[Path], plans_dir: Path, formats: tuple[str, ...],
                tmp: Path, scan_limit: int = 1) -> dict[str, dict[str, float]]:
    """Scores per format; the scan only of the SCAN_LIMIT shortest plans (OCR takes seconds a page)."""
    jobs = [j for m in manifests if m.is_file() for j in manifest_jobs(m, plans_dir)]
    if not jobs:
        return {}
    out = {}
    shortest = sorted(jobs, key=lambda j: j[0].stat().st_size)[:scan_limit]
    for fmt in formats:
        batch = jobs if fmt == "md" else rendered_jobs(shortest if fmt == "scan" else jobs, fmt, tmp)
        if not batch:
            continue
        out[fmt] = runner.run(batch).summary()
    return out


def line(name: str, r: dict[str, float]) -> str:
    return (f"{name} docs={r['docs']} failed={r['failed']} f1={r['f1']} lead={r['lead']} coord={r['coord']} "
            f"kind={r['kind']} end={r['end']} content={r['content_sim']}")


def run_plangen_eval(shared: Path, n: int = 200, n_scan: int = 4,
                     real_formats: tuple[str, ...] = ("md", "docx", "pdf", "scan"),
                     real_scans: int = 1) -> dict[str, object]:
    scorer = shared / "tools" / "eval_external.py"
    runner = Runner(scorer if scorer.is_file() else None, max(1, os.cpu_count() or 1))
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="plangen_eval") as tmp_s:
        tmp = Path(tmp_s)
        synth = synthetic_scores(runner, n, n_scan, tmp / "synthetic")
        for fmt, r in synth.items():
            print(line(f"synthetic[{fmt:14}]", r), flush=True)
        results["synthetic"] = synth
        manifests = [shared / "dev" / "plans" / "MANIFEST.tsv",
                     ROOT / "tests" / "data" / "gold" / "plans" / "MANIFEST.tsv"]
        real = real_scores(runner, manifests, shared / "plans", real_formats, tmp / "real", real_scans)
        for fmt, r in real.items():
            print(line(f"real dev plans[{fmt:4}]", r), flush=True)
        results["real"] = real
        held = ROOT / "tests" / "data" / "gold" / "heldout" / "MANIFEST.tsv"
        if held.is_file():
            results["heldout"] = real_scores(runner, [held], shared / "plans", ("md",), tmp / "heldout")
            for fmt, r in results["heldout"].items():  # type: ignore[attr-defined]
                print(line(f"held-out plans[{fmt:4}]", r))
        else:
            print("held-out plans: no tests/data/gold/heldout/MANIFEST.tsv")
    return results


def main_args(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="figures on synthetic and real plans")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--scans", type=int, default=4)
    ap.add_argument("--real-formats", default="md,docx,pdf,scan")
    ap.add_argument("--real-scans", type=int, default=1, help="real plans also scored as scans (shortest first)")
    o = ap.parse_args(argv)
    run_plangen_eval(o.shared, o.n, o.scans, tuple(f for f in o.real_formats.split(",") if f), o.real_scans)


if __name__ == "__main__":
    main_args()
