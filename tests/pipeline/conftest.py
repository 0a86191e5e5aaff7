"""Datasets for the tests of the commands that read one back: the text samples really ingested, and a tiny
hand-made dataset whose answers are known (its dates are relative to today, for the 'this quarter' and
'overdue' questions)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pipeline.schema import rows_to_table
from pipeline.settings import Settings
from pipeline.store import commit
from tests.conftest import RENDER

NOI_VU, TAI_CHINH, TU_PHAP = "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp"
DOC_A, DOC_B = "a1" * 8, "b2" * 8
DECISION = "1234/QĐ-TTg"


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five text samples through `ingest_paths`: a dataset as the pipeline writes it."""
    from pipeline.batch import ingest_paths

    out = tmp_path_factory.mktemp("ingested")
    ingest_paths([RENDER / "txt"], Settings(out_dir=out, workers=1))
    return out


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _quarter_end(d: date) -> date:
    start = _quarter_start(d)
    return date(start.year, start.month + 2, calendar.monthrange(start.year, start.month + 2)[1])


def _task(doc: str, no: str, lead: list[str], coord: list[str], end: date | None, **kw: Any) -> dict[str, Any]:
    return {"doc_id": doc, "source_file": f"in/{doc}.txt", "task_no": no, "content": f"nhiệm vụ {no}",
            "lead_units": lead, "coordinating_units": coord, "deadline_raw": kw.pop("raw", end and end.isoformat()),
            "deadline_kind": kw.pop("kind", "before" if end else "unspecified"), "deadline_end": end,
            "source_section": "Phụ lục", "page": kw.pop("page", 1), "method": kw.pop("method", "table"),
            "confidence": kw.pop("confidence", 1.0), **kw}


def tiny_rows(today: date) -> dict[str, list[dict[str, Any]]]:
    # due on the last day of this quarter (never past today), and in the previous quarter (always past)
    in_quarter, past = _quarter_end(today), _quarter_start(today) - timedelta(days=40)
    tasks = [
        _task(DOC_A, "1", [NOI_VU], [TAI_CHINH, TU_PHAP], in_quarter),
        _task(DOC_A, "2", [TU_PHAP], [NOI_VU], past, page=2),
        _task(DOC_A, "3", [NOI_VU, TAI_CHINH], [], None, raw="sớm nhất có thể", page=3),
        _task(DOC_B, "1", [TAI_CHINH], ["Ban Khó Tìm"], past, method="ocr", confidence=0.6, page=4),
        _task(DOC_B, "2", [TAI_CHINH], [], date(today.year + 2, 12, 31), kind="year", raw=f"năm {today.year + 2}"),
    ]
    units = [{"doc_id": t["doc_id"], "source_file": t["source_file"], "task_no": t["task_no"], "unit": u,
              "role": role, "unit_raw": u, "match_score": 100.0 if u != "Ban Khó Tìm" else 40.0,
              "known": u != "Ban Khó Tìm"}
             for t in tasks for role, col in (("lead", "lead_units"), ("coordinating", "coordinating_units"))
             for u in t[col]]
    docs = [
        {"doc_id": DOC_A, "source_file": f"in/{DOC_A}.txt", "sha256": DOC_A * 4, "file_type": "txt", "pages": 3,
         "method": "text", "doc_type": "Kế hoạch", "doc_number": "12/KH-UBND", "province": "Đồng Tháp",
         "year": today.year, "issue_date": date(today.year, 1, 5), "title": "Kế hoạch cải cách hành chính",
         "recipients": ["Sở Nội vụ", "Lưu: VT"], "indices": ["PAR INDEX"], "n_tasks": 3},
        {"doc_id": DOC_B, "source_file": f"in/{DOC_B}.txt", "sha256": DOC_B * 4, "file_type": "txt", "pages": 4,
         "method": "ocr", "doc_type": "Kế hoạch", "doc_number": "7/KH-UBND", "province": "Bình Định",
         "year": today.year - 1, "n_tasks": 2, "recipients": [], "indices": []},
        {"doc_id": "c3" * 8, "source_file": "in/congvan.txt", "sha256": "c3" * 32, "file_type": "txt", "pages": 1,
         "method": "text", "doc_type": "Công văn", "province": "Bình Định", "n_tasks": 0},
    ]
    refs = [
        {"doc_id": DOC_A, "source_file": f"in/{DOC_A}.txt", "ref_type": "Quyết định", "ref_number": DECISION,
         "ref_date": date(2020, 6, 1), "context": "căn cứ", "text": f"Quyết định số {DECISION}"},
        {"doc_id": DOC_B, "source_file": f"in/{DOC_B}.txt", "ref_type": "Kế hoạch", "ref_number": "5/KH-UBND",
         "context": "thực hiện", "text": "Kế hoạch số 5/KH-UBND"},
    ]
    pages = [{"doc_id": d["doc_id"], "source_file": d["source_file"], "page": n, "method": d["method"],
              "text": f"Trang {n} của {d['doc_number'] if d.get('doc_number') else d['source_file']}",
              "text_raw": f"Trang {n}", "confidence": 0.9 if d["method"] == "ocr" else None}
             for d in docs for n in range(1, d["pages"] + 1)]
    log = [{"source_file": d["source_file"], "sha256": d["sha256"], "status": "ok", "n_tasks": d["n_tasks"]}
           for d in docs]
    log.append({"source_file": "in/broken.pdf", "sha256": "", "status": "failed", "error_code": "corrupt_file",
                "message": "in/broken.pdf: damaged"})
    return {"tasks": tasks, "task_units": units, "documents": docs, "references": refs, "pages": pages,
            "ingest_log": log}


def write_tiny(out: Path, today: date | None = None) -> Path:
    rows = tiny_rows(today or date.today())
    commit(out, {name: rows_to_table(name, r) for name, r in rows.items()})
    return out


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny(tmp_path / "data" / "processed")
