"""`make model`: the diacritic-restoration language model and the legacy-encoding tables.

- normalizers/data/restore_model.npz: syllable inventory and a pruned syllable trigram model, interpolated
  Kneser–Ney (absolute discounting, continuation counts for the unigrams), trained on ../shared/corpus (legal
  texts; administrative documents and the 2025 state documents, each minus a held-out tenth) plus seeds 000–003.
- normalizers/data/legacy_tables.json: TCVN3 (ABC, TCVN 5712:1993 VN3) and VISCII byte tables, read from
  glibc's iconv at build time; VNI-Windows is built from its documented composition scheme in encodings.py.

Usage: python tools/build_model.py [--shared DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.text import strip_diacritics  # noqa: E402
from normalizers.tones import normalize_tones  # noqa: E402
from normalizers.vn import is_syllable, lm_tokens, split_onset, toneless_rhyme  # noqa: E402

DATA = ROOT / "normalizers" / "data"
HELD_OUT_SHARE = 0.1  # of admin_documents.txt, never trained on: the synthetic evaluation text
HELD_OUT_EVERY = 10  # every tenth 2025 document (by name) is held out for evaluation
MIN_SYLLABLE = 2
MIN_BIGRAM = 1
MIN_TRIGRAM = 1  # every trigram kept
MAX_VOCAB = 16000
DISCOUNT = 0.75  # Kneser–Ney absolute discount
MIN_FRAGMENT_EVIDENCE = 50  # an onset-less syllable with a rhyme no other syllable has is kept this often only


def recent_documents(shared: Path) -> tuple[list[Path], list[Path]]:
    """The 2025 state documents: (training, held-out)."""
    files = sorted((shared / "corpus" / "admin_2025").glob("*.md"))
    return ([p for i, p in enumerate(files) if i % HELD_OUT_EVERY],
            [p for i, p in enumerate(files) if i % HELD_OUT_EVERY == 0])


def unwrapped(text: str) -> str:
    """Markdown exported with hard line wraps and one table cell per line: lines of one sentence are joined
    so that trigrams span the wraps; emphasis and table bars are dropped."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = re.sub(r"\*\*|__|^#+\s*|^\*|\*$", "", raw.strip()).strip()
        if not line or set(line) <= set("|-: "):
            out.append("")
            continue
        if out and out[-1] and not re.search(r"[.;:!?]$", out[-1]) and line[:1].islower():
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def training_texts(shared: Path) -> list[str]:
    legal = sorted((shared / "corpus" / "legal").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in legal]
    admin = (shared / "corpus" / "admin_documents.txt").read_text(encoding="utf-8").split("\n")
    texts.append("\n".join(admin[: int(len(admin) * (1 - HELD_OUT_SHARE))]))
    texts += [unwrapped(p.read_text(encoding="utf-8")) for p in recent_documents(shared)[0]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("00[0-3]_*.txt"))]
    # the names the pipeline looks for: units and provinces, so restored text matches the gazetteer
    # (repeated so that their trigrams survive pruning)
    texts += [(DATA / "units.csv").read_text(encoding="utf-8").replace(",", "\n")] * 3
    texts += [(DATA / "provinces.txt").read_text(encoding="utf-8")] * 3
    # soft hyphens left by old TCVN3 conversions cut words in two ('d\u00adướ')
    return [normalize_tones(unicodedata.normalize("NFC", t)).replace("\u00ad", "") for t in texts]


def held_out_text(shared: Path) -> list[str]:
    admin = (shared / "corpus" / "admin_documents.txt").read_text(encoding="utf-8").split("\n")
    return [unicodedata.normalize("NFC", ln) for ln in admin[int(len(admin) * (1 - HELD_OUT_SHARE)):]]


def held_out_recent(shared: Path) -> list[str]:
    """The held-out 2025 documents as lines (wraps joined), for evaluation."""
    return [unicodedata.normalize("NFC", ln) for p in recent_documents(shared)[1]
            for ln in unwrapped(p.read_text(encoding="utf-8")).split("\n")]


def abbreviations(texts: list[str]) -> dict[str, str]:
    """Capitalized abbreviations written with Đ (CTĐT, QĐ, SLĐTBXH): their stripped form → the written one."""
    seen: Counter[str] = Counter()
    for t in texts:
        seen.update(re.findall(r"\b[A-ZĐ]*Đ[A-ZĐ]*\b", t))
    best: dict[str, tuple[int, str]] = {}
    for abbr, c in seen.items():
        k = strip_diacritics(abbr)
        if len(abbr) >= 2 and c >= 2 and c > best.get(k, (0, ""))[0]:
            best[k] = (c, abbr)
    return {k: v for k, (_, v) in best.items()}


def build_lm(texts: list[str]) -> dict[str, np.ndarray]:
    abbr = abbreviations(texts)
    uni: Counter[str] = Counter()
    sentences = []
    for t in texts:
        for line in t.split("\n"):
            for sent in lm_tokens(line):
                sentences.append(sent)
                uni.update(sent)
    rhymes = real_rhymes(w for w, c in uni.items() if c >= MIN_SYLLABLE and is_syllable(w))
    vocab = ["<s>", "<unk>", "<num>"] + [w for w, c in uni.most_common(MAX_VOCAB)
                                          if c >= MIN_SYLLABLE and w not in ("<unk>", "<num>")
                                          and (is_syllable(w) and not is_fragment(w, c, rhymes)
                                               or w.isupper() and c >= 5)]
    index = {w: i for i, w in enumerate(vocab)}
    v = len(vocab)
    bi: Counter[int] = Counter()
    tri: Counter[int] = Counter()
    for sent in sentences:
        ids = [0, 0] + [index.get(w, 1) for w in sent] + [0]
        for i in range(2, len(ids)):
            a, b, c = ids[i - 2], ids[i - 1], ids[i]
            bi[b * v + c] += 1
            tri[(a * v + b) * v + c] += 1
    bi_keys = np.array(sorted(bi), dtype=np.int64)
    bi_c = np.array([bi[k] for k in bi_keys], dtype=np.float64)
    # unigram: continuation probability (in how many contexts a word follows), floored for unseen words
    cont = np.bincount(bi_keys % v, minlength=v).astype(np.float64) + 0.5
    uni_p = cont / cont.sum()
    bi_p, bi_gamma = _discounted(bi_keys, bi_c, v, v, MIN_BIGRAM)
    tri_keys = np.array(sorted(tri), dtype=np.int64)
    tri_c = np.array([tri[k] for k in tri_keys], dtype=np.float64)
    tri_p, _ = _discounted(tri_keys, tri_c, v, v * v, MIN_TRIGRAM)
    keep_bi, keep_tri = bi_p > 0, tri_p > 0
    ctx_keys = np.unique(tri_keys // v)
    return {"vocab": np.array(vocab), "uni_p": uni_p.astype(np.float32),
            "bi_keys": bi_keys[keep_bi], "bi_p": bi_p[keep_bi].astype(np.float32),
            "bi_gamma": bi_gamma.astype(np.float32),
            "tri_keys": tri_keys[keep_tri], "tri_p": tri_p[keep_tri].astype(np.float32),
            "ctx_keys": ctx_keys, "ctx_gamma": _gamma_of(tri_keys, tri_c, tri_p, v),
            "abbr_keys": np.array(list(abbr)), "abbr_vals": np.array(list(abbr.values()))}


def real_rhymes(syllables: Iterable[str]) -> set[str]:
    """Rhymes (shaped, toneless) that follow an onset somewhere. A word cut in two by a stray character
    ('đối t ợng') leaves an onset-less fragment whose rhyme ('ơng') no real syllable has."""
    return {toneless_rhyme(w) for w in syllables if split_onset(w)[0]}


def is_fragment(word: str, count: int, rhymes: set[str]) -> bool:
    return not split_onset(word)[0] and toneless_rhyme(word) not in rhymes and count < MIN_FRAGMENT_EVIDENCE


def _discounted(keys: np.ndarray, counts: np.ndarray, v: int, n_ctx: int, min_count: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Absolute discounting: p = (c − D) / c(context) for n-grams kept (count ≥ min_count), 0 for pruned ones;
    and per context (bigram contexts only: an array over the vocabulary) the mass left for the lower order."""
    ctx = keys // v
    ctx_total = np.bincount(ctx, weights=counts, minlength=n_ctx) if n_ctx <= v else None
    totals = ctx_total[ctx] if ctx_total is not None else _group_sum(ctx, counts)
    p = np.where(counts >= min_count, (counts - DISCOUNT) / totals, 0.0)
    if ctx_total is None:
        return p, np.zeros(0)
    kept = np.bincount(ctx, weights=p * totals, minlength=n_ctx)
    gamma = np.where(ctx_total > 0, 1.0 - kept / np.maximum(ctx_total, 1), 1.0)
    return p, gamma


def _group_sum(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For sorted group ids: each element's group total."""
    _, inverse = np.unique(groups, return_inverse=True)
    sums = np.bincount(inverse, weights=values)
    return sums[inverse]


def _gamma_of(keys: np.ndarray, counts: np.ndarray, p: np.ndarray, v: int) -> np.ndarray:
    """Per trigram context (a·v+b): the probability mass left to the bigram estimate."""
    ctx = keys // v
    _, inverse = np.unique(ctx, return_inverse=True)
    total = np.bincount(inverse, weights=counts)
    kept = np.bincount(inverse, weights=p * total[inverse])
    return (1.0 - kept / total).astype(np.float32)


def legacy_tables() -> dict[str, dict[str, str]]:
    """byte value → Unicode text, for every byte iconv maps to something other than itself."""
    tables: dict[str, dict[str, str]] = {}
    for name, codec in (("tcvn3", "TCVN5712-1"), ("viscii", "VISCII")):
        table = {}
        for b in range(256):
            out = subprocess.run(["iconv", "-f", codec, "-t", "UTF-8"], input=bytes([b]), capture_output=True)
            if out.returncode == 0 and out.stdout:
                table[str(b)] = unicodedata.normalize("NFC", out.stdout.decode("utf-8"))
        tables[name] = table
    return tables


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--heldout-only", action="store_true", help="only write the held-out evaluation text")
    o = ap.parse_args()
    held = ROOT / ".eval" / "heldout_admin.txt"
    held.parent.mkdir(exist_ok=True)
    held.write_text("\n".join(held_out_text(o.shared)), encoding="utf-8")
    (ROOT / ".eval" / "heldout_2025.txt").write_text("\n".join(held_out_recent(o.shared)), encoding="utf-8")
    if o.heldout_only:
        return
    lm = build_lm(training_texts(o.shared))
    np.savez_compressed(DATA / "restore_model.npz", **lm)
    (DATA / "legacy_tables.json").write_text(json.dumps(legacy_tables(), ensure_ascii=False, indent=0))
    size = (DATA / "restore_model.npz").stat().st_size
    print(f"vocab {len(lm['vocab'])}, bigrams {len(lm['bi_keys'])}, trigrams {len(lm['tri_keys'])}, "
          f"{size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
