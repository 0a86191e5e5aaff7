"""`make model`: the diacritic-restoration language model and the legacy-encoding tables.

- normalizers/data/restore_model.npz: syllable inventory and a pruned syllable trigram model (log-probabilities),
  trained on ../shared/corpus (legal texts; administrative documents minus a held-out tenth) plus seeds 000–003.
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.text import strip_diacritics  # noqa: E402
from normalizers.tones import normalize_tones  # noqa: E402
from normalizers.vn import is_syllable, lm_tokens  # noqa: E402

DATA = ROOT / "normalizers" / "data"
HELD_OUT_SHARE = 0.1  # of admin_documents.txt, never trained on: the synthetic evaluation text
MIN_SYLLABLE = 2
MIN_TRIGRAM = 1
MAX_VOCAB = 16000


def training_texts(shared: Path) -> list[str]:
    legal = sorted((shared / "corpus" / "legal").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in legal]
    admin = (shared / "corpus" / "admin_documents.txt").read_text(encoding="utf-8").split("\n")
    texts.append("\n".join(admin[: int(len(admin) * (1 - HELD_OUT_SHARE))]))
    texts += [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("00[0-3]_*.txt"))]
    # the names the pipeline looks for: units and provinces, so restored text matches the gazetteer
    # (repeated so that their trigrams survive pruning)
    texts += [(DATA / "units.csv").read_text(encoding="utf-8").replace(",", "\n")] * 3
    texts += [(DATA / "provinces.txt").read_text(encoding="utf-8")] * 3
    return [normalize_tones(unicodedata.normalize("NFC", t)) for t in texts]


def held_out_text(shared: Path) -> list[str]:
    admin = (shared / "corpus" / "admin_documents.txt").read_text(encoding="utf-8").split("\n")
    return [unicodedata.normalize("NFC", ln) for ln in admin[int(len(admin) * (1 - HELD_OUT_SHARE)):]]


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
    vocab = ["<s>", "<unk>", "<num>"] + [w for w, c in uni.most_common(MAX_VOCAB)
                                          if c >= MIN_SYLLABLE and w not in ("<unk>", "<num>")
                                          and (is_syllable(w) or w.isupper() and c >= 5)]
    index = {w: i for i, w in enumerate(vocab)}
    v = len(vocab)
    u_counts = np.zeros(v, dtype=np.int64)
    bi: Counter[int] = Counter()
    tri: Counter[int] = Counter()
    for sent in sentences:
        ids = [0, 0] + [index.get(w, 1) for w in sent] + [0]
        for i in range(2, len(ids)):
            a, b, c = ids[i - 2], ids[i - 1], ids[i]
            u_counts[c] += 1
            bi[b * v + c] += 1
            tri[(a * v + b) * v + c] += 1
    u_counts[0] = len(sentences)
    total = u_counts.sum()
    bi_keys = np.fromiter(bi.keys(), dtype=np.int64, count=len(bi))
    bi_c = np.fromiter(bi.values(), dtype=np.float64, count=len(bi))
    bi_p = bi_c / np.maximum(u_counts[bi_keys // v], 1)
    ctx: Counter[int] = Counter()
    for k, c in tri.items():
        ctx[k // v] += c
    kept = [(k, c) for k, c in tri.items() if c >= MIN_TRIGRAM]
    tri_keys = np.array([k for k, _ in kept], dtype=np.int64)
    tri_p = np.array([c / ctx[k // v] for k, c in kept], dtype=np.float64)
    return {"vocab": np.array(vocab), "uni_p": (np.maximum(u_counts, 1) / total).astype(np.float32),
            "bi_keys": bi_keys, "bi_p": bi_p.astype(np.float32), "tri_keys": tri_keys,
            "tri_p": tri_p.astype(np.float32), "abbr_keys": np.array(list(abbr)),
            "abbr_vals": np.array(list(abbr.values()))}


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
