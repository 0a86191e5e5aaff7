"""`make eval` figures on synthetic plans (a few hundred per digital format, a few scans) and on real plans
with gold (as Markdown and rendered as Word, text PDF and scan), plus a held-out line when its manifest
exists. Scores are cached in .eval/plangen.json by the rendered file's hash and the parser's code hash."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
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
    doc_type = str((result.tables.get("documents") or [{}])[0].get("doc_type") or "")
    return {**{k: r[k] for k in ("gold", "pred", "matched", "lead", "coord", "kind", "end", "content_sim")},
            "failed": float(result.status != "ok"), "doc_type": doc_type}  # type: ignore[dict-item]


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
        return self.tally(self.results(jobs))

    def results(self, jobs: list[tuple[Path, list[dict[str, str]], str]]) -> list[dict[str, float]]:
        """One score dict per job, in order (from the cache when the file and the code are unchanged)."""
        keys = [self.key(p, s) for p, _, s in jobs]
        todo = [(str(p), g, s, self.scorer_path) for (p, g, s), k in zip(jobs, keys, strict=True)
                if k not in self.cache]
        todo_keys = [k for k in keys if k not in self.cache]
        if todo:
            with ProcessPoolExecutor(self.workers) as pool:
                for k, r in zip(todo_keys, pool.map(_score_job, todo, chunksize=4), strict=True):
                    self.cache[k] = r
        self.save()
        return [self.cache[k] for k in keys]

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


def manifest_jobs(manifest: Path, plans_dir: Path,
                  keep: Callable[[str], bool] = lambda name: True) -> list[tuple[Path, list[dict[str, str]], str]]:
    """(input, gold rows, scope) for each line FILENAME<TAB>GOLD.csv<TAB>SCOPE of MANIFEST whose name KEEP
    accepts; the input is looked for in PLANS_DIR, then in the scans folder beside it."""
    jobs = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or line.startswith("#") or not keep(parts[0]):
            continue
        src = plans_dir / parts[0]
        if not src.is_file():
            src = plans_dir.parent / "scans" / parts[0]
        gold_path = manifest.parent / parts[1]
        if src.is_file() and gold_path.is_file():
            with open(gold_path, encoding="utf-8") as fh:
                jobs.append((src, list(csv.DictReader(fh)), parts[2]))
    return jobs


Job = tuple[Path, list[dict[str, str]], str]  # an input, its gold rows, the scope scored
HELD_OUT = ROOT / "tests" / "data" / "gold" / "heldout" / "SHARED_HELDOUT.txt"
TEXT_SOURCES = {".md", ".txt"}


def held_out_names(path: Path = HELD_OUT) -> set[str]:
    """File names of the shared development documents kept out of all tuning (one a line, '#' comments)."""
    if not path.is_file():
        return set()
    return {ln.split("#")[0].strip() for ln in path.read_text(encoding="utf-8").splitlines()} - {""}


def real_job_groups(shared: Path) -> dict[str, list[tuple[Path, list[dict[str, str]], str]]]:
    """The real documents with gold, split into those developed on and those held out: the shared gold less
    the held-out list, with the project's own gold (tests/data/gold/plans), against the held-out list with
    the project's own held-out gold (tests/data/gold/heldout)."""
    plans, held = shared / "plans", held_out_names()
    shared_manifest = shared / "dev" / "plans" / "MANIFEST.tsv"
    gold = ROOT / "tests" / "data" / "gold"

    def jobs(manifest: Path, keep: Callable[[str], bool] = lambda n: True) -> list[Job]:
        return manifest_jobs(manifest, plans, keep) if manifest.is_file() else []

    return {"dev": jobs(shared_manifest, lambda n: n not in held) + jobs(gold / "plans" / "MANIFEST.tsv"),
            "held-out": jobs(shared_manifest, lambda n: n in held) + jobs(gold / "heldout" / "MANIFEST.tsv")}


def rendered_jobs(jobs: list[tuple[Path, list[dict[str, str]], str]], fmt: str,
                  tmp: Path) -> list[tuple[Path, list[dict[str, str]], str]]:
    """The text sources among JOBS rendered as FMT (Word, text PDF, scan) with their gold."""
    out = []
    for src, gold, scope in jobs:
        if src.suffix not in TEXT_SOURCES:
            continue
        try:
            out.append((render_markdown_plan(src, tmp / fmt, (fmt,))[0], gold, scope))
        except Exception as e:  # the renderer's limits (a table cell taller than a page) are not the parser's
            print(f"  not rendered as {fmt}: {src.name} ({type(e).__name__})", flush=True)
    return out


def real_scores(runner: Runner, jobs: list[tuple[Path, list[dict[str, str]], str]], formats: tuple[str, ...],
                tmp: Path, scan_limit: int = 1) -> dict[str, dict[str, float]]:
    """Scores per format ('orig' is each document as it came; then its renderings — the scan only of the
    SCAN_LIMIT shortest text sources, OCR takes seconds a page) and, for the originals, per document type
    and per source format."""
    out: dict[str, dict[str, float]] = {}
    shortest = sorted((j for j in jobs if j[0].suffix in TEXT_SOURCES), key=lambda j: j[0].stat().st_size)
    for fmt in formats:
        batch = jobs if fmt == "orig" else rendered_jobs(shortest[:scan_limit] if fmt == "scan" else jobs, fmt, tmp)
        if not batch:
            continue
        results = runner.results(batch)
        out[fmt] = runner.tally(results).summary()
        if fmt != "orig":
            continue
        for label, of in (("type", lambda r, j: str(r.get("doc_type") or "?")),
                          ("format", lambda r, j: j[0].suffix.lstrip("."))):
            groups: dict[str, list[dict[str, float]]] = {}
            for r, j in zip(results, batch, strict=True):
                groups.setdefault(of(r, j), []).append(r)
            for name, rs in sorted(groups.items()):
                out[f"{label}={name}"] = runner.tally(rs).summary()
    return out


def line(name: str, r: dict[str, float]) -> str:
    return (f"{name} docs={r['docs']} failed={r['failed']} f1={r['f1']} lead={r['lead']} coord={r['coord']} "
            f"kind={r['kind']} end={r['end']} content={r['content_sim']}")


def run_plangen_eval(shared: Path, n: int = 200, n_scan: int = 4,
                     real_formats: tuple[str, ...] = ("orig", "docx", "pdf", "scan"),
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
        for group, jobs in real_job_groups(shared).items():
            names = ", ".join(sorted(j[0].name for j in jobs)) if group == "held-out" else f"{len(jobs)} documents"
            print(f"real plans, {group} ({names}):", flush=True)
            real = real_scores(runner, jobs, real_formats, tmp / group, real_scans)
            for fmt, r in real.items():
                print(line(f"  {group}[{fmt:18}]", r), flush=True)
            results["real" if group == "dev" else "heldout"] = real
    return results


def main_args(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="figures on synthetic and real plans")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--scans", type=int, default=4)
    ap.add_argument("--real-formats", default="orig,docx,pdf,scan")
    ap.add_argument("--real-scans", type=int, default=1, help="real plans also scored as scans (shortest first)")
    o = ap.parse_args(argv)
    run_plangen_eval(o.shared, o.n, o.scans, tuple(f for f in o.real_formats.split(",") if f), o.real_scans)


if __name__ == "__main__":
    main_args()
