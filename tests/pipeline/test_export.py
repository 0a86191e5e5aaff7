import json
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from normalizers.errors import NoDatasetError
from pipeline.export import EXCEL_CELL_MAX, export_dataset
from pipeline.schema import TABLES, rows_to_table
from pipeline.store import commit
from tests.pipeline.conftest import DOC_A, TAI_CHINH, TU_PHAP, tiny_rows

ROOT = Path(__file__).resolve().parents[2]


def _parquet_rows(out: Path) -> dict[str, int]:
    return {name: pq.read_metadata(out / f"{name}.parquet").num_rows for name in TABLES}


def test_xlsx_has_one_sheet_per_table_with_the_parquet_row_counts(ingested: Path, tmp_path: Path):
    target = tmp_path / "kehoach.xlsx"
    rows = export_dataset(ingested, "xlsx", target)
    assert rows == _parquet_rows(ingested)
    sheets = pd.read_excel(target, sheet_name=None)
    assert list(sheets) == list(TABLES)
    for name in TABLES:
        assert len(sheets[name]) == rows[name], name
    wb = openpyxl.load_workbook(target, read_only=True)
    assert {n: wb[n].max_row - 1 for n in TABLES} == rows


def test_xlsx_dates_are_date_cells_and_lists_are_joined(tiny: Path, tmp_path: Path):
    target = tmp_path / "x.xlsx"
    export_dataset(tiny, "xlsx", target)
    ws = openpyxl.load_workbook(target)["tasks"]
    header = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert first["deadline_end"].is_date and isinstance(first["deadline_end"].value, datetime)
    assert first["coordinating_units"].value == f"{TAI_CHINH}; {TU_PHAP}"
    docs = openpyxl.load_workbook(target)["documents"]
    dh = [c.value for c in docs[1]]
    assert {h: c.value for h, c in zip(dh, docs[2], strict=True)}["issue_date"].date() == date(date.today().year, 1, 5)


def test_text_excel_cannot_hold_is_cleaned_not_fatal(tmp_path: Path):
    rows = tiny_rows(date(2026, 5, 1))
    rows["tasks"][0]["content"] = "a\x01b" + "x" * (EXCEL_CELL_MAX + 10)
    commit(tmp_path / "ds", {n: rows_to_table(n, r) for n, r in rows.items()})
    export_dataset(tmp_path / "ds", "xlsx", tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["tasks"]
    col = [c.value for c in ws[1]].index("content")
    value = ws.cell(row=2, column=col + 1).value
    assert value.startswith("ab") and len(value) == EXCEL_CELL_MAX


def test_csv_folder_and_zip_have_the_parquet_row_counts(ingested: Path, tmp_path: Path):
    want = _parquet_rows(ingested)
    export_dataset(ingested, "csv", tmp_path / "csv")
    for name in TABLES:
        assert len(pd.read_csv(tmp_path / "csv" / f"{name}.csv", encoding="utf-8-sig")) == want[name], name
    export_dataset(ingested, "csv", tmp_path / "k.zip")
    with zipfile.ZipFile(tmp_path / "k.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{n}.csv" for n in TABLES)
        for name in TABLES:
            with zf.open(f"{name}.csv") as fh:
                assert len(pd.read_csv(fh, encoding="utf-8-sig")) == want[name], name


def test_csv_lists_are_joined_and_dates_are_iso(tiny: Path, tmp_path: Path):
    export_dataset(tiny, "csv", tmp_path / "csv")
    tasks = pd.read_csv(tmp_path / "csv" / "tasks.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    first = tasks[(tasks.doc_id == DOC_A) & (tasks.task_no == "1")].iloc[0]
    assert first.coordinating_units == f"{TAI_CHINH}; {TU_PHAP}"
    assert date.fromisoformat(first.deadline_end)


def test_no_dataset_is_a_clear_error(tmp_path: Path):
    with pytest.raises(NoDatasetError):
        export_dataset(tmp_path, "csv", tmp_path / "out")


def test_the_command_prints_rows_as_json(tiny: Path, tmp_path: Path):
    r = subprocess.run([sys.executable, "-m", "pipeline", "export", str(tiny), "--format", "xlsx", "-o",
                        str(tmp_path / "k.xlsx"), "--json"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] == _parquet_rows(tiny)
    missing = subprocess.run([sys.executable, "-m", "pipeline", "export", str(tmp_path / "nothing"), "--format",
                              "csv", "-o", str(tmp_path / "c")], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "no_dataset" in missing.stderr and "Traceback" not in missing.stderr
