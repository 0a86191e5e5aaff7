import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.schema import rows_to_table
from pipeline.store import MANIFEST, STAGING_PREFIX, commit, empty, read_previous, recover

A, B, OLD, NEW = "a" * 16, "b" * 16, "0" * 16, "1" * 16  # doc_ids: 16 hex digits, as the schema requires


def _task(doc_id: str, task_no: str = "1", **kw: object) -> dict[str, object]:
    return {"doc_id": doc_id, "source_file": f"{doc_id}.txt", "task_no": task_no, "deadline_kind": "unspecified",
            "method": "text", **kw}


def _doc(doc_id: str) -> dict[str, object]:
    return {"doc_id": doc_id, "source_file": f"{doc_id}.txt", "sha256": doc_id * 4}


def test_tables_are_replaced_whole_and_no_staging_remains(tmp_path: Path):
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(A, "1", lead_units=["VP"])])})
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(B, "2", lead_units=[])])})
    assert list(pd.read_parquet(tmp_path / "tasks.parquet")["doc_id"]) == [B]
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "tasks.parquet"]
    assert json.loads((tmp_path / MANIFEST).read_text())["rows"] == {"tasks": 1}


def test_empty_tables_keep_their_columns(tmp_path: Path):
    commit(tmp_path, {"references": empty("references")})
    df = pd.read_parquet(tmp_path / "references.parquet")
    assert list(df.columns) == ["doc_id", "source_file", "ref_type", "ref_number", "ref_date", "issuer", "context",
                                "text"]


def test_an_interrupted_publication_is_finished_and_an_unfinished_staging_dropped(tmp_path: Path):
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(OLD)]),
                      "documents": rows_to_table("documents", [_doc(OLD)])})
    done = tmp_path / f"{STAGING_PREFIX}done"
    done.mkdir()
    pq.write_table(rows_to_table("documents", [_doc(NEW)]), done / "documents.parquet")
    (done / MANIFEST).write_text(json.dumps({"tables": ["tasks", "documents"], "rows": {}}))
    # as if killed after tasks.parquet was renamed into place and before documents.parquet was
    pq.write_table(rows_to_table("tasks", [_task(NEW)]), tmp_path / "tasks.parquet")
    half = tmp_path / f"{STAGING_PREFIX}half"
    half.mkdir()
    shutil.copy(tmp_path / "tasks.parquet", half / "tasks.parquet")
    recover(tmp_path)
    assert read_previous(tmp_path, "documents").column("doc_id").to_pylist() == [NEW]
    assert read_previous(tmp_path, "tasks").column("doc_id").to_pylist() == [NEW]
    assert not list(tmp_path.glob(STAGING_PREFIX + "*"))


def test_an_unreadable_previous_table_is_not_trusted(tmp_path: Path):
    (tmp_path / "tasks.parquet").write_bytes(b"not parquet")
    assert read_previous(tmp_path, "tasks") is None
