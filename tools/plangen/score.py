"""Scoring generated documents: ingest a rendering with `pipeline.ingest.ingest_file` and compare its tasks
with the plan's gold by the acceptance scorer's rules (eval_external.py when it is found, else the same
matching re-stated here (LocalScorer) so tests run without it)."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pandas as pd
from rapidfuzz import fuzz

from pipeline.ingest import ingest_file
from pipeline.records import FileResult
from pipeline.settings import Settings

FIELDS = ("lead", "coord", "kind", "end", "content_sim")


def load_scorer(path: Path) -> ModuleType:
    """The acceptance scorer (eval_external.py) as a module."""
    for p in [path]:
        if p.is_file():
            spec = importlib.util.spec_from_file_location("eval_external", p)
            assert spec is not None and spec.loader is not None
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    raise FileNotFoundError(f"{path}: scorer not found")


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


class LocalScorer:
    """The acceptance rules (eval_external.py) re-stated for tests that run without it: a gold task matches
    the prediction with its number (content similarity >= 50) or else the most similar content (>= 70);
    units are compared with abbreviations expanded, equal when token_sort_ratio >= 85 or one holds the
    other; per matched task lead and coordinating sets get an F1."""

    def __init__(self) -> None:
        from tools.plangen.vocab import load_vocabulary

        self.abbr = [(re.compile(rf"(?<!\w){re.escape(short.lower())}(?!\w)"), full.lower())
                     for full, short in load_vocabulary().abbrev]

    @staticmethod
    def norm(s: object) -> str:
        s = unicodedata.normalize("NFC", str(s or "")).lower().replace("–", "-").replace("—", "-")
        s = s.replace("òa", "oà").replace("oà", "òa").replace("ủy", "uỷ").replace("uỷ", "ủy")
        return re.sub(r"\s+", " ", s).strip(" .;,")

    def units(self, v: object) -> list[str]:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return []
        items = v.split(";") if isinstance(v, str) else list(v)  # type: ignore[call-overload]
        out: list[str] = []
        for x in items:
            u = self.norm(x)
            for pat, full in self.abbr:
                u = pat.sub(full, u)
            u = re.sub(r"^(các|những)\s+", "", u).strip(" .;,")
            if u and u not in out:
                out.append(u)
        return out

    @staticmethod
    def same_unit(a: str, b: str) -> bool:
        if fuzz.token_sort_ratio(a, b) >= 85:
            return True
        short, long_ = sorted((a, b), key=len)
        return len(short) >= 8 and f" {short} " in f" {long_} " and len(short) / len(long_) >= 0.6

    def unit_f1(self, pred: list[str], gold: list[str]) -> float:
        if not pred or not gold:
            return float(not pred and not gold)
        used: set[int] = set()
        for g in gold:
            hit = next((i for i, p in enumerate(pred) if i not in used and self.same_unit(p, g)), None)
            if hit is not None:
                used.add(hit)
        if not used:
            return 0.0
        prec, rec = len(used) / len(pred), len(used) / len(gold)
        return 2 * prec * rec / (prec + rec)

    def match(self, pred: pd.DataFrame, gold: list[dict[str, str]]) -> list[tuple[dict[str, str], int]]:
        def sim(g: dict[str, str], i: int) -> float:
            return fuzz.token_set_ratio(self.norm(g["content"]), self.norm(pred.at[i, "content"]))

        tno = lambda s: self.norm(s).rstrip(".").replace(" ", "")  # noqa: E731
        by_no: dict[str, list[int]] = {}
        for i in pred.index:
            by_no.setdefault(tno(pred.at[i, "task_no"]), []).append(i)
        pairs, used, rest = [], set(), []
        for g in gold:
            cand = [i for i in by_no.get(tno(g["task_no"]), []) if i not in used]
            best = max(cand, key=lambda i: sim(g, i)) if cand else None
            if best is not None and sim(g, best) >= 50:
                used.add(best)
                pairs.append((g, best))
            else:
                rest.append(g)
        for g in rest:
            scored = [(sim(g, i), i) for i in pred.index if i not in used]
            if scored and max(scored)[0] >= 70:
                i = max(scored)[1]
                used.add(i)
                pairs.append((g, i))
        return pairs

    def score(self, pred: pd.DataFrame, gold: list[dict[str, str]]) -> tuple[dict[str, float], list]:  # type: ignore[type-arg]
        pairs = self.match(pred, gold)
        n_p, n_g, n_m = len(pred), len(gold), len(pairs)
        prec, rec = (n_m / n_p if n_p else 0.0), (n_m / n_g if n_g else 0.0)

        def avg(xs: list[float]) -> float:
            return round(sum(xs) / len(xs), 4) if xs else 0.0

        def day(v: object) -> str:
            return "" if v is None or v is pd.NaT or v == "" or (isinstance(v, float) and pd.isna(v)) else str(v)[:10]

        out = {"gold": n_g, "pred": n_p, "matched": n_m, "f1": round(2 * prec * rec / (prec + rec), 4) if n_m else 0.0,
               "lead": avg([self.unit_f1(self.units(pred.at[i, "lead_units"]), self.units(g["lead_units"]))
                            for g, i in pairs]),
               "coord": avg([self.unit_f1(self.units(pred.at[i, "coordinating_units"]),
                                          self.units(g["coordinating_units"])) for g, i in pairs]),
               "end": avg([float(day(pred.at[i, "deadline_end"]) == day(g["deadline_end"])) for g, i in pairs]),
               "kind": avg([float(self.norm(pred.at[i, "deadline_kind"]) == self.norm(g["deadline_kind"]))
                            for g, i in pairs]),
               "content_sim": avg([fuzz.ratio(self.norm(pred.at[i, "content"]), self.norm(g["content"])) / 100
                                   for g, i in pairs])}
        return out, pairs


@lru_cache(maxsize=1)
def local_scorer() -> LocalScorer:
    return LocalScorer()
