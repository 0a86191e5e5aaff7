"""`kehoach show FILE|DOC_ID`: one document's metadata, tasks with their provenance and the start of each
page's text, to check an extraction; `kehoach text` prints the whole text.

The document is looked up in the dataset by doc_id (or a prefix of it), sha256 or path; a file that is not
in the dataset is ingested on the fly, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from normalizers.errors import DocumentNotFoundError, KehoachError, NoDatasetError
from pipeline.dataset import LIST_SEP, read_dataset
from pipeline.settings import Settings

TASK_FIELDS = ("task_no", "page", "method", "confidence", "deadline_raw", "deadline_kind", "deadline_end",
               "lead_units", "coordinating_units", "content")
PREVIEW_LINES = 4  # of each page's text in the table view; `kehoach text` prints it all
DOC_FIELDS = ("doc_id", "source_file", "sha256", "file_type", "pages", "method", "doc_type", "doc_number",
              "issuing_body", "parent_body", "province", "issue_date", "year", "title", "signer", "signer_title",
              "recipients", "indices", "n_tasks")


@dataclass
class DocView:
    document: dict[str, Any]
    tasks: list[dict[str, Any]]
    origin: str  # "dataset" or "ingested"
    pages: list[dict[str, Any]] = field(default_factory=list)  # pages.parquet rows, in page order


class IngestFailedError(KehoachError):
    code = "ingest_failed"
    exit_code = 3
    hint = "see the message; `kehoach ingest` logs the same failure in ingest_log.parquet"


def _rows_for(table: pa.Table, doc_id: str, source: str) -> list[dict[str, Any]]:
    return [r for r in table.to_pylist() if r["doc_id"] == doc_id and r["source_file"] == source]


def _match(doc: dict[str, Any], target: str, path: Path | None, sha: str) -> bool:
    if target in (doc["doc_id"], doc["sha256"], doc["source_file"]):
        return True
    if len(target) >= 6 and doc["doc_id"].startswith(target.lower()):
        return True
    if sha and doc["sha256"] == sha:
        return True
    return path is not None and Path(doc["source_file"]).resolve() == path.resolve()


def _from_dataset(target: str, out_dir: Path, path: Path | None, sha: str) -> DocView | None:
    try:
        tables = read_dataset(out_dir)
    except NoDatasetError:
        return None
    docs = [d for d in tables["documents"].to_pylist() if _match(d, target, path, sha)]
    if not docs:
        return None
    if path is not None:  # the same file under two paths: prefer the one named
        docs.sort(key=lambda d: Path(d["source_file"]).resolve() != path.resolve())
    doc = docs[0]
    pages = sorted(_rows_for(tables["pages"], doc["doc_id"], doc["source_file"]), key=lambda r: r["page"])
    return DocView(doc, _rows_for(tables["tasks"], doc["doc_id"], doc["source_file"]), "dataset", pages)


def _ingested(path: Path, settings: Settings) -> DocView:
    from pipeline.ingest import ingest_file

    result = ingest_file(path, settings)
    if result.status != "ok":
        raise IngestFailedError(None, f"[{result.error_code}] {result.message}")
    return DocView(result.tables["documents"][0], result.tables.get("tasks", []), "ingested",
                   result.tables.get("pages", []))


def find_document(target: str, out_dir: Path, settings: Settings) -> DocView:
    """The document `target` names: from the dataset when it is there, else the file ingested now."""
    from pipeline.inputs import sha256_of

    path = Path(target) if Path(target).is_file() else None
    sha = sha256_of(path) if path is not None else ""
    view = _from_dataset(target, out_dir, path, sha)
    if view is not None:
        return view
    if path is not None:
        return _ingested(path, settings)
    raise DocumentNotFoundError(target, f"not a file, and no document in {out_dir} has this doc_id, sha256 or path")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEP.join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def view_to_text(view: DocView, content_width: int = 70) -> str:
    d = view.document
    out = [f"{d['source_file']}  ({'from the dataset' if view.origin == 'dataset' else 'ingested now, not saved'})"]
    out += [f"  {k:<13} {_cell(d.get(k))}" for k in DOC_FIELDS[2:] if _cell(d.get(k))]
    out.append("")
    if not view.tasks:
        out.append("no tasks")
        return "\n".join(out + pages_preview(view)) + "\n"
    cols = [("no", "task_no", 10), ("page", "page", 4), ("method", "method", 6), ("conf", "confidence", 4),
            ("deadline", "deadline_raw", 18), ("kind", "deadline_kind", 11), ("lead", "lead_units", 24),
            ("coordinating", "coordinating_units", 24), ("content", "content", content_width)]
    out.append("  ".join(f"{h:<{w}}" for h, _, w in cols).rstrip())
    for t in view.tasks:
        out.append("  ".join(f"{_clip(_cell(t.get(k)), w):<{w}}" for _, k, w in cols).rstrip())
    out.append(f"\n{len(view.tasks)} tasks")
    return "\n".join(out + pages_preview(view)) + "\n"


def pages_preview(view: DocView, n_lines: int = PREVIEW_LINES, width: int = 110) -> list[str]:
    """The first lines of each page, clipped, and how much is left out."""
    if not view.pages:
        return []
    target = view.document["doc_id"] if view.origin == "dataset" else view.document["source_file"]
    out = ["", f"{len(view.pages)} pages (the first {n_lines} lines of each; all of it: kehoach text {target})"]
    for p in view.pages:
        lines = [ln for ln in (p.get("text") or "").split("\n") if ln.strip()]
        conf = "" if p.get("confidence") is None else f", confidence {p['confidence']:.2f}"
        out.append(f"  page {p['page']} ({p.get('method')}{conf}, {len(p.get('text') or '')} characters)")
        out += [f"    {_clip(ln, width)}" for ln in lines[:n_lines]] or ["    (no text)"]
        if len(lines) > n_lines:
            out.append(f"    … {len(lines) - n_lines} more lines")
    return out


def view_to_csv(view: DocView) -> str:
    buf = io.StringIO()
    fields = list(view.tasks[0]) if view.tasks else list(TASK_FIELDS)
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for t in view.tasks:
        w.writerow({k: _cell(v) if not isinstance(v, float) else v for k, v in t.items()})
    return buf.getvalue()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def view_to_json(view: DocView) -> str:
    doc = {k: _jsonable(v) for k, v in view.document.items()}
    tasks = [{k: _jsonable(v) for k, v in t.items()} for t in view.tasks]
    pages = [{k: v for k, v in p.items() if k not in ("doc_id", "source_file")} for p in view.pages]
    return json.dumps({"origin": view.origin, "document": doc, "tasks": tasks, "pages": pages},
                      ensure_ascii=False, indent=1) + "\n"


def document_text(view: DocView, raw: bool = False, markdown: bool = False) -> str:
    """The document's text, page after page (a form feed on a line of its own between two pages), or as
    Markdown; `raw`: as extracted or OCR'd."""
    from pipeline.pages import PAGE_BREAK, pages_to_markdown

    texts = [(p.get("text_raw") if raw else p.get("text")) or "" for p in view.pages]
    if markdown:
        return pages_to_markdown(texts)
    return f"\n{PAGE_BREAK}\n".join(texts) + "\n"


def render(view: DocView, fmt: str) -> str:
    return {"csv": view_to_csv, "json": view_to_json}.get(fmt, view_to_text)(view)
