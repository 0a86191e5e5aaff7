import json
import shutil
import threading
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from normalizers.errors import NoDatasetError
from pipeline.schema import SCHEMAS, rows_to_table
from pipeline.store import MANIFEST, RUN_KEY, STAGING_PREFIX, commit, empty, read_dataset, read_previous, recover

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


def test_a_table_from_an_older_version_reads_with_its_new_columns_null(tmp_path: Path):
    old = rows_to_table("ingest_log", [{"source_file": "a.txt", "sha256": "ab", "status": "ok"}])
    pq.write_table(old.drop_columns(["ingested_at", "run_id"]), tmp_path / "ingest_log.parquet")
    got = read_previous(tmp_path, "ingest_log")
    assert got is not None and got.schema == SCHEMAS["ingest_log"]
    assert got.column("run_id").to_pylist() == [None] and got.column("source_file").to_pylist() == ["a.txt"]


def test_read_dataset_never_mixes_two_commits(tmp_path: Path):
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(A)]),
                      "documents": rows_to_table("documents", [_doc(A)])}, {"run_id": "one"})
    got = read_dataset(tmp_path, ("tasks", "documents"))
    assert {t.schema.metadata[RUN_KEY] for t in got.values()} == {b"one"}
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(B)])}, {"run_id": "two"})
    got = read_dataset(tmp_path, ("tasks", "documents"))  # documents.parquet is still run one's, as recorded
    assert got["tasks"].column("doc_id").to_pylist() == [B] and got["documents"].num_rows == 1
    # as if a third run had renamed its tasks.parquet into place and not yet its manifest
    pq.write_table(rows_to_table("tasks", [_task(NEW)]).replace_schema_metadata({RUN_KEY: b"three"}),
                   tmp_path / "tasks.parquet")
    with pytest.raises(NoDatasetError):
        read_dataset(tmp_path, ("tasks", "documents"), attempts=2)


def test_a_reader_during_many_commits_always_gets_matching_tables(tmp_path: Path):
    def tables(k: int) -> dict:
        doc_id = f"{k:016x}"
        return {"tasks": rows_to_table("tasks", [_task(doc_id, str(n)) for n in range(k % 3 + 1)]),
                "documents": rows_to_table("documents", [_doc(doc_id)])}

    commit(tmp_path, tables(0), {"run_id": "r0"})
    done = threading.Event()

    def write() -> None:
        for k in range(1, 30):
            commit(tmp_path, tables(k), {"run_id": f"r{k}"})
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    while True:
        finished = done.is_set()
        got = read_dataset(tmp_path, ("tasks", "documents"))
        doc = got["documents"].column("doc_id").to_pylist()
        assert set(got["tasks"].column("doc_id").to_pylist()) == set(doc)
        assert got["tasks"].num_rows == int(doc[0], 16) % 3 + 1
        if finished:
            break
    writer.join()
    assert doc == [f"{29:016x}"]


def test_page_text_reads_back_as_written_with_null_confidence_for_text_layers(tmp_path: Path):
    rows = [{"doc_id": A, "source_file": f"{A}.pdf", "page": 1, "method": "text", "text": "Kế hoạch\n\nTT | Việc",
             "text_raw": "Kế hoạch\n\nTT | Việc", "confidence": None},
            {"doc_id": A, "source_file": f"{A}.pdf", "page": 2, "method": "ocr", "text": "Sở Tài chính",
             "text_raw": "Sở Tài chinh", "confidence": 0.87}]
    commit(tmp_path, {"pages": rows_to_table("pages", rows)})
    got = read_dataset(tmp_path, ("pages",))["pages"].to_pylist()
    assert got == rows


def test_a_dataset_from_before_page_text_reads_with_an_empty_pages_table(tmp_path: Path):
    commit(tmp_path, {"tasks": rows_to_table("tasks", [_task(A, "1")])})
    assert read_previous(tmp_path, "pages") is None
    from pipeline.dataset import read_dataset as read_all

    assert read_all(tmp_path)["pages"].num_rows == 0
