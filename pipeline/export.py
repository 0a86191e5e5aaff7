"""`kehoach export`: the dataset for colleagues without Python — an Excel workbook (one sheet per table) or
CSV files (a folder, or a .zip). Lists become text joined with '; '; dates stay dates (real date cells in
Excel, ISO `YYYY-MM-DD` in CSV)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.dataset import read_dataset, table_to_flat_frame

EXCEL_CELL_MAX = 32767  # longer text is cut: Excel refuses the file otherwise
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters an xlsx cannot hold


def _excel_safe(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XML.sub("", value)
    return value if len(value) <= EXCEL_CELL_MAX else value[: EXCEL_CELL_MAX - 1] + "…"


def tables_to_xlsx(tables: dict[str, pa.Table], path: Path) -> None:
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD") as xl:
        for name, table in tables.items():
            df = table_to_flat_frame(table)
            for col in df.columns:
                if isinstance(df[col].dtype, pd.DatetimeTZDtype):  # Excel has no time zones: UTC, as stored
                    df[col] = df[col].dt.tz_convert("UTC").dt.tz_localize(None)
                elif df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                    df[col] = df[col].map(_excel_safe)
            df.to_excel(xl, sheet_name=name[:31], index=False)
            ws = xl.sheets[name[:31]]
            ws.freeze_panes = "A2"
            if ws.max_row > 1:
                ws.auto_filter.ref = ws.dimensions
            for i, field in enumerate(table.schema, start=1):
                wide = 60 if pa.types.is_string(field.type) or pa.types.is_list(field.type) else 12
                ws.column_dimensions[get_column_letter(i)].width = min(wide, max(10, len(field.name) + 2))
                if pa.types.is_date(field.type):
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = "YYYY-MM-DD"


def _csv_bytes(table: pa.Table) -> bytes:
    buf = io.StringIO()
    table_to_flat_frame(table).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read the Vietnamese text as UTF-8


def tables_to_csv(tables: dict[str, pa.Table], path: Path) -> list[Path]:
    """A .zip path gets one archive of <table>.csv files; any other path becomes a folder of them."""
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, table in tables.items():
                zf.writestr(f"{name}.csv", _csv_bytes(table))
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        (path / f"{name}.csv").write_bytes(_csv_bytes(table))
        written.append(path / f"{name}.csv")
    return written


def export_dataset(out_dir: Path, fmt: str, target: Path) -> dict[str, int]:
    """Write the dataset in `fmt` (csv or xlsx) to `target`; returns the rows written per table."""
    tables = read_dataset(out_dir)
    if fmt == "xlsx":
        tables_to_xlsx(tables, target)
    else:
        tables_to_csv(tables, target)
    return {name: t.num_rows for name, t in tables.items()}
