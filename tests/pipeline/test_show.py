import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from normalizers.errors import DocumentNotFoundError
from pipeline.settings import Settings
from pipeline.show import PREVIEW_LINES, DocView, document_text, find_document, pages_preview, render
from tests.conftest import RENDER

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = RENDER / "txt" / "002_7f6332463eda1f90.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "show", *args], capture_output=True, text=True, cwd=ROOT)


def _expected(out: Path, source: str) -> pd.DataFrame:
    tasks = pd.read_parquet(out / "tasks.parquet")
    return tasks[tasks.source_file == source]


def test_a_document_is_found_by_path_doc_id_prefix_and_sha256(ingested: Path, tmp_path: Path):
    settings = Settings(out_dir=ingested)
    source = str(RENDER / "txt" / SAMPLE.name)
    want = _expected(ingested, source)
    by_path = find_document(source, ingested, settings)
    assert by_path.origin == "dataset" and by_path.document["source_file"] == source
    assert [t["task_no"] for t in by_path.tasks] == list(want.task_no)
    doc_id = by_path.document["doc_id"]
    assert find_document(doc_id, ingested, settings).document["doc_id"] == doc_id
    assert find_document(doc_id[:8], ingested, settings).document["doc_id"] == doc_id
    copy = tmp_path / "elsewhere.txt"
    shutil.copy(SAMPLE, copy)  # same bytes under another path: found by its sha256, not re-ingested
    assert find_document(str(copy), ingested, settings).origin == "dataset"


def test_a_file_not_in_the_dataset_is_ingested_without_writing(ingested: Path, tmp_path: Path):
    empty_out = tmp_path / "none"
    view = find_document(str(SAMPLE), empty_out, Settings(out_dir=empty_out))
    assert view.origin == "ingested" and len(view.tasks) == len(_expected(ingested, str(SAMPLE)))
    assert not empty_out.exists()


def test_an_unknown_target_is_a_clear_error(ingested: Path):
    with pytest.raises(DocumentNotFoundError):
        find_document("ffffffffffff", ingested, Settings(out_dir=ingested))
    r = run("ffffffffffff", "--out", str(ingested))
    assert r.returncode == 2 and "document_not_found" in r.stderr and "Traceback" not in r.stderr


def test_table_csv_and_json_carry_provenance(ingested: Path):
    view = find_document(str(SAMPLE), ingested, Settings(out_dir=ingested))
    text = render(view, "table")
    assert view.document["source_file"] in text and f"{len(view.tasks)} tasks" in text
    header = next(line for line in text.splitlines() if line.startswith("no "))
    assert all(h in header for h in ("page", "method", "conf", "deadline", "lead", "content"))
    rows = list(pd.read_csv(io.StringIO(render(view, "csv")), dtype=str).itertuples())
    assert [r.task_no for r in rows] == [t["task_no"] for t in view.tasks]
    data = json.loads(render(view, "json"))
    assert data["document"]["doc_id"] == view.document["doc_id"]
    assert {"page", "method", "confidence"} <= set(data["tasks"][0])


def test_the_command_prints_json_for_scripts(ingested: Path):
    r = run(str(SAMPLE), "--out", str(ingested), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["origin"] == "dataset" and data["document"]["source_file"] == str(SAMPLE)
    assert len(data["tasks"]) == len(_expected(ingested, str(SAMPLE)))


def test_the_view_carries_the_pages_and_the_table_view_shows_their_start(ingested: Path):
    view = find_document(str(SAMPLE), ingested, Settings(out_dir=ingested))
    pages = pd.read_parquet(ingested / "pages.parquet")
    want = pages[pages.source_file == str(SAMPLE)]
    assert [p["page"] for p in view.pages] == list(want.page) and view.pages[0]["text"] == want.text.iloc[0]
    text = render(view, "table")
    lines = [ln for ln in want.text.iloc[0].split("\n") if ln.strip()]
    assert f"page 1 (text, {len(want.text.iloc[0])} characters)" in text
    assert lines[0][:60] in text and lines[-1][:60] not in text  # the start only, and what is left out
    assert f"… {len(lines) - PREVIEW_LINES} more lines" in text and f"kehoach text {view.document['doc_id']}" in text
    assert json.loads(render(view, "json"))["pages"][0]["text"] == want.text.iloc[0]


def test_document_text_is_the_pages_in_order_raw_or_markdown():
    view = DocView({"doc_id": "ab" * 8, "source_file": "x.pdf"}, [], "ingested", [
        {"page": 1, "text": "I. NHIỆM VỤ\n\n- Rà soát", "text_raw": "I. NHIEM VU\n\n- Ra soat"},
        {"page": 2, "text": "TT | Việc\n1 | Báo cáo", "text_raw": "TT | Viec\n1 | Bao cao"}])
    assert document_text(view) == "I. NHIỆM VỤ\n\n- Rà soát\n\f\nTT | Việc\n1 | Báo cáo\n"
    assert document_text(view, raw=True).startswith("I. NHIEM VU\n")
    assert document_text(view, markdown=True) == "## I. NHIỆM VỤ\n\n- Rà soát\n\n| TT | Việc |\n| --- | --- |\n" \
                                                 "| 1 | Báo cáo |\n"
    assert "kehoach text x.pdf" in "\n".join(pages_preview(view))  # not saved: named by its path
