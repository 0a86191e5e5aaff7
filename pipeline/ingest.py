"""The pipeline, one input at a time: file → extracted items → paragraphs and tables → metadata and tasks
→ rows. `ingest_paths` runs it over a batch; a failing input is logged and the batch goes on."""

from __future__ import annotations

import time
import traceback
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.convert import CONVERTIBLE_SUFFIXES, office_to_doc
from extractors.docx import docx_to_doc
from extractors.model import ExtractedDoc, Line, TableBlock
from extractors.ocr import IMAGE_SUFFIXES, OcrOptions, image_to_doc
from extractors.pdf import pdf_to_doc
from extractors.text import text_to_doc
from normalizers.dates import parse_deadline
from normalizers.errors import KehoachError, TooLargeError, UnsupportedFormatError
from normalizers.ocr_correct import OcrCorrector
from normalizers.ocr_units import Speller
from normalizers.restore import Restorer
from normalizers.text import clean
from normalizers.units import Gazetteer, UnitMatch
from pipeline.doctypes import assigns_nothing, expects_tasks, frame
from pipeline.inputs import sha256_of
from pipeline.layout import Para, join_headerless_parts, lines_to_paras, stitch_tables
from pipeline.loose import lines_to_loose_tasks
from pipeline.metadata import doc_to_meta_lines, lines_to_meta
from pipeline.pages import doc_to_page_rows
from pipeline.prose import ProseParser
from pipeline.records import NO_TASKS_FOUND, DocMeta, FileResult, RawTask, number_uniquely
from pipeline.repair import restore_doc
from pipeline.settings import Settings
from pipeline.store import traceback_path
from pipeline.table_headings import group_by_headings, table_headings
from pipeline.tables import find_header, is_task_table, resolve_units, rows_to_tasks

if TYPE_CHECKING:
    from normalizers.mentions import MentionFinder

TEXT_SUFFIXES = {".txt", ".md", ".text"}


class Context:
    """What the parsers share within a process. spaCy is loaded on first use: only prose needs it, and its
    import alone costs more than a page of a phụ lục table."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    @cached_property
    def mentions(self) -> MentionFinder:
        from normalizers.mentions import MentionFinder

        return MentionFinder(self.gazetteer)


@lru_cache(maxsize=4)
def load_context(gazetteers: tuple[Path, ...]) -> Context:
    """Loaded once per process; workers each build their own."""
    return Context(Gazetteer.from_csv(*gazetteers))


def context_for(settings: Settings) -> Context:
    return load_context((settings.gazetteer, *settings.extra_gazetteers))


def preload(settings: Settings) -> None:
    """Load the gazetteer and restoration model before worker processes are forked (spaCy stays lazy)."""
    context_for(settings)
    if settings.restore_text:
        Restorer.load()
    OcrCorrector.load()


def ocr_options(settings: Settings) -> OcrOptions:
    return OcrOptions(dpi=settings.dpi, timeout=settings.page_timeout, workers=settings.ocr_workers)


def path_to_doc(path: Path, settings: Settings) -> ExtractedDoc:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_to_doc(path, settings.max_pages, ocr_options(settings))
    if suffix in IMAGE_SUFFIXES:
        return image_to_doc(path, ocr_options(settings))
    if suffix == ".docx":
        return docx_to_doc(path)
    if suffix in CONVERTIBLE_SUFFIXES:
        return office_to_doc(path, settings.convert_timeout)
    if suffix in TEXT_SUFFIXES:
        return text_to_doc(path)
    raise UnsupportedFormatError(path, f"unsupported file type '{suffix or '(none)'}'")


def doc_to_tasks(doc: ExtractedDoc, paras: list[Para], meta: DocMeta, ctx: Context,
                 settings: Settings) -> list[RawTask]:
    """Task tables first; a document without one gets the interleaved-table reader, then prose. A parser
    that fails on one table or section is skipped with a warning in `doc.warnings`: the rest still counts."""
    items = join_headerless_parts(stitch_tables(doc.items), lambda t: find_header(t.rows) is not None)
    issuer = ctx.gazetteer.issuer_of(meta.issuing_body, meta.parent_body, meta.province)
    by_table: list[tuple[TableBlock, list[RawTask]]] = []
    other_tables: list[int] = []  # tables with a header that is not a task table (indicators, statistics)
    for n, table in enumerate((i for i in items if isinstance(i, TableBlock)), start=1):
        try:
            header = find_header(table.rows)
            if header is not None and is_task_table(header):
                by_table.append((table, rows_to_tasks(table, header, ctx.gazetteer)))
            elif header is not None:
                other_tables.append(id(table))
        except Exception as e:  # one odd table must not lose the document
            doc.warnings.append(_skipped(f"table {n} (page {table.page})", e))
    tasks = group_by_headings(by_table, table_headings(items))
    if not tasks:  # a phụ lục that survived only as interleaved text; headerless pipe rows are text too
        lines = [i if isinstance(i, Line) else Line(text=" | ".join(c for c in row), page=i.page)
                 for i in items if id(i) not in other_tables
                 for row in ([[]] if isinstance(i, Line) else i.rows)]
        try:
            tasks = lines_to_loose_tasks(lines, ctx.gazetteer, Restorer.load())
        except Exception as e:
            doc.warnings.append(_skipped("the interleaved table text", e))
    if tasks:
        # the units first: a table's lead cell is read as one (its notes) whatever the input was
        speller = ocr_speller(doc, tasks, ctx.gazetteer) if doc.method == "ocr" else None
        resolve_units(tasks, ctx.gazetteer, settings.unit_match_threshold, issuer, speller)
        for t in tasks:
            t.method = "ocr" if doc.method == "ocr" else t.method
        return number_uniquely(tasks)
    if assigns_nothing(meta.doc_type):
        return []
    try:
        framed = frame(paras, meta.doc_type)
        tasks = ProseParser(ctx.gazetteer, ctx.mentions).parse(framed.paras, framed.root)
    except Exception as e:
        doc.warnings.append(_skipped("the prose sections", e))
        return []
    resolve_units(tasks, ctx.gazetteer, settings.unit_match_threshold, issuer)
    for t in tasks:
        t.method = "ocr" if doc.method == "ocr" else "text"
        t.confidence = doc.confidence
    return number_uniquely(tasks)


def ocr_speller(doc: ExtractedDoc, tasks: list[RawTask], gaz: Gazetteer) -> Speller:
    """The names an OCR'd document spells: in its running text and its cells other than the unit cells
    (a misread name there would vouch for itself), and the names its unit cells give more than once."""
    cells = [c for t in tasks for c in (t.lead_raw, t.coord_raw) if c]
    own = {clean(c) for c in cells}
    texts = [i.text for i in doc.lines()] + [c for t in doc.tables() for row in t.rows for c in row
                                              if c and clean(c) not in own]
    return Speller(gaz, texts, cells)


def promises_tasks(doc: ExtractedDoc, meta: DocMeta) -> bool:
    """A document that should have given tasks: its type assigns work (a plan, a chỉ thị), its title says so
    ('… triển khai …', 'kết luận …'), or one of its tables has a task header."""
    if expects_tasks(meta.doc_type, meta.title):
        return True
    for table in doc.tables():
        header = find_header(table.rows)
        if header is not None and is_task_table(header):
            return True
    return False


def _skipped(what: str, e: Exception) -> str:
    where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return f"{what} skipped: unexpected {type(e).__name__}: {e}{at}"


def tasks_to_rows(tasks: list[RawTask], meta: DocMeta, doc_id: str, source: str) -> dict[str, list[dict[str, Any]]]:
    task_rows, unit_rows = [], []
    for t in tasks:  # doc_to_tasks numbered them uniquely, as the tasks key requires
        task_no = t.task_no
        dl = parse_deadline(t.deadline_raw, meta.year)
        task_rows.append({
            "doc_id": doc_id, "source_file": source, "task_no": task_no, "parent_no": t.parent_no,
            "content": t.content, "content_raw": t.content_raw or t.content,
            "lead_units": [u.unit for u in t.lead], "coordinating_units": [u.unit for u in t.coord],
            "lead_units_raw": one_line(t.lead_raw), "coordinating_units_raw": one_line(t.coord_raw), "output": t.output,
            "deadline_raw": dl.raw, "deadline_kind": dl.kind, "deadline_start": dl.start, "deadline_end": dl.end,
            "source_section": t.source_section, "page": t.page, "method": t.method,
            "confidence": round(t.confidence, 4),
        })
        for role, units in (("lead", t.lead), ("coordinating", t.coord)):
            unit_rows += [_unit_row(doc_id, source, task_no, u, role) for u in units]
    return {"tasks": task_rows, "task_units": unit_rows}


def one_line(cell: str) -> str:
    """A unit cell as the dataset gives it: its lines (which the splitter reads) joined by spaces."""
    return " ".join(x.strip() for x in cell.split("\n") if x.strip())


def _unit_row(doc_id: str, source: str, task_no: str, u: UnitMatch, role: str) -> dict[str, Any]:
    return {"doc_id": doc_id, "source_file": source, "task_no": task_no, "unit": u.unit, "role": role,
            "unit_raw": u.raw, "match_score": u.score, "known": u.known, "unit_id": u.unit_id, "level": u.level}


def meta_to_rows(meta: DocMeta, doc: ExtractedDoc, doc_id: str, source: str, sha: str,
                 n_tasks: int) -> dict[str, list[dict[str, Any]]]:
    doc_row = {
        "doc_id": doc_id, "source_file": source, "sha256": sha, "file_type": doc.path.suffix.lower().lstrip("."),
        "pages": doc.pages, "method": doc.method, "doc_type": meta.doc_type, "doc_number": meta.doc_number,
        "issuing_body": meta.issuing_body, "parent_body": meta.parent_body, "province": meta.province,
        "issue_date": meta.issue_date, "year": meta.year, "title": meta.title, "signer": meta.signer,
        "signer_title": meta.signer_title, "recipients": meta.recipients, "indices": meta.indices,
        "n_tasks": n_tasks,
    }
    refs = [{"doc_id": doc_id, "source_file": source, "ref_type": r.ref_type, "ref_number": r.ref_number,
             "ref_date": r.ref_date, "issuer": r.issuer, "context": r.context, "text": r.text} for r in meta.references]
    return {"documents": [doc_row], "references": refs}


def ingest_file(path: Path, settings: Settings, sha256: str = "") -> FileResult:
    """Never raises for a bad input: the failure is in the result, with a stable code and a message."""
    started = time.perf_counter()
    source = str(path)
    result = FileResult(source_file=source, sha256=sha256, status="failed")
    try:
        result.sha256 = sha256 or sha256_of(path)
        size_mb = path.stat().st_size / 2**20
        if size_mb > settings.max_file_mb:
            raise TooLargeError(path, f"{size_mb:.0f} MB, more than the limit of {settings.max_file_mb:g} MB")
        doc = path_to_doc(path, settings)
        if settings.restore_text:
            restore_doc(doc)
        doc_id = result.sha256[:16]
        pages = doc_to_page_rows(doc, doc_id, source)  # before the parsers join tables across pages
        ctx = context_for(settings)
        paras = lines_to_paras(doc.lines())  # header fields read lines, citations and prose read paragraphs
        meta_lines, meta_raw = doc_to_meta_lines(doc)
        meta = lines_to_meta(meta_lines, ctx.gazetteer, [p.text for p in paras], raw=meta_raw, source_name=path.name)
        tasks = doc_to_tasks(doc, paras, meta, ctx, settings)
        result.tables = {**tasks_to_rows(tasks, meta, doc_id, source),
                         **meta_to_rows(meta, doc, doc_id, source, result.sha256, len(tasks)), "pages": pages}
        result.status, result.pages, result.method = "ok", doc.pages, doc.method
        result.message = f"{len(tasks)} tasks" + ("" if tasks else " (no task section or table found)")
        if not tasks and promises_tasks(doc, meta):
            result.warnings.append(NO_TASKS_FOUND)
            result.message += f"; {NO_TASKS_FOUND}: its type, title or a task table says it assigns work: check " \
                "that it was read whole (a scan, an odd layout)"
        result.message += "".join(f"; {w}" for w in [*meta.notes, *doc.warnings])
    except KehoachError as e:
        result.error_code, result.message = e.code, str(e)
    except MemoryError:
        result.error_code, result.message = "out_of_memory", f"{source}: ran out of memory while reading the file"
    except Exception as e:  # a bug or an unforeseen input must not stop the batch
        result.error_code = "internal_error"
        result.traceback = traceback.format_exc()
        where = traceback_path(settings.out_dir, result.doc_id)
        result.message = f"{source}: unexpected {type(e).__name__}: {e} (traceback in {where})"
    result.seconds = time.perf_counter() - started
    return result
