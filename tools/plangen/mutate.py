"""Damaged variants of text renderings for fuzzing the parser: truncated, lines shuffled, random bytes in
cells, cells emptied, pipes unbalanced, huge cells."""

from __future__ import annotations

import random

MUTATIONS = ("truncate", "shuffle", "bytes", "empty_cells", "unbalanced_pipes", "huge_cell", "drop_lines")


def mutate_text(text: str, kind: str, rng: random.Random) -> bytes:
    lines = text.split("\n")
    if kind == "truncate":
        return text.encode("utf-8")[: rng.randint(0, max(1, len(text.encode("utf-8"))))]
    if kind == "shuffle":
        rng.shuffle(lines)
    elif kind == "drop_lines":
        lines = [ln for ln in lines if rng.random() > 0.3]
    elif kind == "bytes":
        data = bytearray("\n".join(lines).encode("utf-8"))
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif kind == "empty_cells":
        lines = ["|".join("" if rng.random() < 0.4 else c for c in ln.split("|")) if "|" in ln else ln
                 for ln in lines]
    elif kind == "unbalanced_pipes":
        lines = [ln + "|" * rng.randint(0, 3) if rng.random() < 0.5 else ln.replace("|", "", 1) for ln in lines]
    elif kind == "huge_cell":
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + " | " + " ".join(rng.choice(["Sở", "Tài", "chính", "Quý", "III/2025", "|", "1."])
                                                 for _ in range(20000))
    return "\n".join(lines).encode("utf-8")
