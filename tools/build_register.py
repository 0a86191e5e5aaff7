"""Build normalizers/data/register.csv, the national register of units, from public data.

Sources (named again in normalizers/data/README.md):
- normalizers/data/register_src/central.csv — Quốc hội bodies, Chính phủ, the ministries, cơ quan ngang bộ
  and cơ quan thuộc Chính phủ before and after the 2025 reorganisation (Nghị quyết 176/2025/QH15,
  Nghị định 25/2025/NĐ-CP … 42/2025/NĐ-CP), with old names closed by valid_to and their successor;
- normalizers/data/register_src/local_templates.csv — the agencies every province, district (before
  1 July 2025) and commune has (Nghị định 24/2014/NĐ-CP, 107/2020/NĐ-CP, 45/2025/NĐ-CP, 150/2025/NĐ-CP);
- the administrative divisions of the PyPI package vietnam-provinces (data files only, nothing imported
  or run): version 0.6.0 for the 63 provinces and their districts before 1 July 2025, version 2025.10.1
  for the 34 provinces and their communes/wards after it.

Run `make register`; pass --wheels DIR to read already downloaded wheels instead of calling pip.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "normalizers" / "data"
OUT = DATA / "register.csv"
BEFORE, AFTER = "0.6.0", "2025.10.1"  # vietnam-provinces versions: 63 provinces / 34 provinces
MERGE_DAY, LAST_DAY = "2025-07-01", "2025-06-30"
FIELDS = ["id", "name", "level", "type", "parent", "valid_from", "valid_to", "successor", "variants", "source"]
_DISTRICT_TYPES = {"Quận": "quan", "Huyện": "huyen", "Thị xã": "thi_xa", "Thành phố": "thanh_pho"}
_COMMUNE_TYPES = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu", "thị trấn": "thi_tran"}


def download_wheels(dest: Path) -> dict[str, Path]:
    """The two releases of vietnam-provinces, fetched with pip as any package would be."""
    wheels = {}
    for version in (BEFORE, AFTER):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest),
                        f"vietnam-provinces=={version}"], check=True)
        wheels[version] = next(dest.glob(f"vietnam_provinces-{version}-*.whl"))
    return wheels


def find_wheels(folder: Path) -> dict[str, Path]:
    return {v: next(folder.glob(f"vietnam_provinces-{v}-*.whl")) for v in (BEFORE, AFTER)}


def nested_divisions(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))


def short_province(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def province_rows(data: list[dict], tag: str, version: str) -> list[dict[str, str]]:
    rows = []
    src = f"vietnam-provinces {version}"
    for p in data:
        short = short_province(p["name"])
        city = p["name"].startswith("Thành phố") or p.get("division_type") == "thành phố trung ương"
        pid = f"{tag}.{p['codename'].removeprefix('thanh_pho_').removeprefix('tinh_')}"
        full = p["name"] if p["name"] != short else f"Tỉnh {short}"
        when = ("", LAST_DAY) if tag == "p63" else (MERGE_DAY, "")
        rows.append(_row(pid, full, "province", "thanh_pho_tw" if city else "tinh", "", when, [short], src))
        for d in p.get("districts", []):
            kind = next((v for k, v in _DISTRICT_TYPES.items() if d["name"].startswith(k + " ")), "huyen")
            rows.append(_row(f"{pid}.{d['code']}", d["name"], "district", kind, pid, ("", LAST_DAY), [], src))
        for w in p.get("wards", []):
            kind = _COMMUNE_TYPES.get(w.get("division_type", ""), "xa")
            rows.append(_row(f"{pid}.{w['code']}", w["name"], "commune", kind, pid, (MERGE_DAY, ""), [], src))
    return rows


def _row(uid: str, name: str, level: str, kind: str, parent: str, when: tuple[str, str], variants: list[str],
         source: str) -> dict[str, str]:
    return {"id": uid, "name": name, "level": level, "type": kind, "parent": parent, "valid_from": when[0],
            "valid_to": when[1], "successor": "", "variants": "|".join(variants), "source": source}


def curated_rows(path: Path, source: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = [i for i, r in enumerate(rows, start=2) if None in r]
    if bad:
        raise SystemExit(f"{path}: lines {bad} have more columns than the header (quote names with commas)")
    return [{**{k: r.get(k, "") or "" for k in FIELDS}, "source": source} for r in rows]


def build(wheels: dict[str, Path]) -> list[dict[str, str]]:
    rows = curated_rows(DATA / "register_src" / "central.csv", "register_src/central.csv")
    rows += curated_rows(DATA / "register_src" / "local_templates.csv", "register_src/local_templates.csv")
    rows += province_rows(nested_divisions(wheels[BEFORE]), "p63", BEFORE)
    rows += province_rows(nested_divisions(wheels[AFTER]), "p34", AFTER)
    ids = [r["id"] for r in rows]
    dupes = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
    if dupes:
        raise SystemExit(f"duplicate register ids: {sorted(dupes)[:10]}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheels", type=Path, help="a folder holding both vietnam-provinces wheels")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = find_wheels(a.wheels) if a.wheels else download_wheels(Path(tmp))
        rows = build(wheels)
    with open(a.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} units → {a.out}")


if __name__ == "__main__":
    main()
