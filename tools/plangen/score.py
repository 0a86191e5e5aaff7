"""Scoring generated documents: ingest a rendering with `pipeline.ingest.ingest_file` and compare its tasks
with the plan's gold by the acceptance scorer's rules (eval_external.py when it is found, else the same
matching re-stated here so tests run without it)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pandas as pd

from pipeline.ingest import ingest_file
from pipeline.records import FileResult
from pipeline.settings import Settings

FIELDS = ("lead", "coord", "kind", "end", "content_sim")
SCORER_PATHS = [Path(__file__).resolve().parents[3] / "shared" / "tools" / "eval_external.py"]


def load_scorer(path: Path | None = None) -> ModuleType:
    """The acceptance scorer (eval_external.py) as a module."""
    for p in ([path] if path else SCORER_PATHS):
        if p is not None and p.is_file():
            spec = importlib.util.spec_from_file_location("eval_external", p)
            assert spec is not None and spec.loader is not None
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    raise FileNotFoundError("eval_external.py not found")


def result_tasks(result: FileResult, scope: str) -> pd.DataFrame:
    df = pd.DataFrame(result.tables.get("tasks", []))
    if df.empty:
        return pd.DataFrame(columns=["task_no", "content", "lead_units", "coordinating_units", "deadline_kind",
                                     "deadline_end", "source_section"])
    if scope == "table":
        df = df[df["source_section"].fillna("").str.startswith("Phụ lục")]
    return df.reset_index(drop=True)


@dataclass
class Tally:
    """Totals over documents, combined as eval_external.py does (field scores weighted by matched tasks)."""
    gold: int = 0
    pred: int = 0
    matched: int = 0
    sums: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in FIELDS})
    docs: int = 0
    failed: int = 0

    def add(self, r: dict[str, float]) -> None:
        self.docs += 1
        self.gold += int(r["gold"])
        self.pred += int(r["pred"])
        self.matched += int(r["matched"])
        for k in FIELDS:
            self.sums[k] += r[k] * r["matched"]

    def summary(self) -> dict[str, float]:
        p = self.matched / self.pred if self.pred else 0.0
        rc = self.matched / self.gold if self.gold else 0.0
        out = {"docs": self.docs, "failed": self.failed, "f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0.0}
        return out | {k: round(v / self.matched, 4) if self.matched else 0.0 for k, v in self.sums.items()}


def score_file(path: Path, gold: list[dict[str, str]], scope: str, scorer: ModuleType,
               settings: Settings | None = None) -> tuple[dict[str, float], FileResult]:
    result = ingest_file(path, settings or Settings())
    if result.status != "ok":
        return {"gold": len(gold), "pred": 0, "matched": 0, **{k: 0.0 for k in FIELDS}}, result
    r, _ = scorer.score(result_tasks(result, scope), gold)
    return r, result
