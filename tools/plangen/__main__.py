"""Write generated plans, their gold CSVs and a MANIFEST.tsv (file, gold, scope) that the acceptance scorer
reads: `python -m tools.plangen OUT [-n N] [--formats md,docx,pdf] [--seed S] [--kind table|prose]`, then
`kehoach ingest OUT/docs --out DATASET` and score DATASET/tasks.parquet against OUT/gold."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.plangen.formats import FORMATS, render_plan
from tools.plangen.generate import generate_plan
from tools.plangen.model import write_gold


def write_corpus(out: Path, n: int, formats: list[str], seed: int = 0, kind: str | None = None) -> Path:
    """N plans from SEED rendered in FORMATS under OUT/docs, gold in OUT/gold; returns the manifest."""
    (out / "gold").mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        plan = generate_plan(seed + i, kind)
        gold = out / "gold" / f"tasks_{plan.name}.csv"
        write_gold(plan, gold)
        for fmt in formats:
            path = render_plan(plan, fmt, out / "docs")
            lines.append(f"{path.name}\t{gold.relative_to(out / 'gold')}\t{plan.scope}")
    manifest = out / "gold" / "MANIFEST.tsv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m tools.plangen", description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--formats", default="md,docx,pdf")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", choices=["table", "prose"])
    o = ap.parse_args(argv)
    formats = [f for f in o.formats.split(",") if f]
    if set(formats) - set(FORMATS):
        ap.error(f"formats are {', '.join(FORMATS)}")
    print(write_corpus(o.out, o.n, formats, o.seed, o.kind))


if __name__ == "__main__":
    main()
