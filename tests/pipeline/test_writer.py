from pathlib import Path

import pandas as pd

from pipeline.writer import write_dataset


def test_tables_are_replaced_whole_and_no_temp_files_remain(tmp_path: Path):
    write_dataset(tmp_path, {"tasks": [{"doc_id": "a", "task_no": "1", "lead_units": ["Văn phòng Sở"]}]})
    write_dataset(tmp_path, {"tasks": [{"doc_id": "b", "task_no": "2", "lead_units": []}]})
    df = pd.read_parquet(tmp_path / "tasks.parquet")
    assert list(df["doc_id"]) == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{n}.parquet" for n in ("tasks", "documents", "task_units", "references", "ingest_log"))


def test_empty_tables_keep_their_columns(tmp_path: Path):
    write_dataset(tmp_path, {})
    df = pd.read_parquet(tmp_path / "references.parquet")
    assert list(df.columns) == ["doc_id", "source_file", "ref_type", "ref_number", "ref_date", "issuer", "context",
                                "text"]
