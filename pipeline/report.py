"""`kehoach report DIR -o report.html`: one self-contained HTML page about a dataset.

Plots are matplotlib figures inlined as SVG (text kept as text, so it can be searched and copied); there is
no script and no link to anything outside the file, so the page opens offline. The review table lists what
needs a human look, each row with its file and page. Each document has a folded view of its metadata and its
pages' text (each page folded, long pages cut), to check a task against its page.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline.dataset import read_frames
from pipeline.records import NO_TASKS_FOUND

TOP_N = 20  # bars per unit/document plot; the rest are summed into one "other" bar
REVIEW_MAX = 300  # rows shown per review kind; the count above the table is the full one
LOW_CONFIDENCE = 0.8
DOCS_MAX = 300  # documents with a per-document view; the page says how many more there are
PAGES_MAX = 60  # pages shown per document
PAGE_CHARS = 6000  # characters shown per page; `kehoach text` prints the rest
PLOT_IDS = ("plot-lead-units", "plot-coordinating-units", "plot-deadlines", "plot-documents",
            "plot-province-year", "plot-extraction")
_BLUE, _RED, _GREY = "#2b6cb0", "#c53030", "#a0aec0"


@dataclass(frozen=True)
class ReviewRow:
    kind: str
    file: str
    page: str
    item: str
    detail: str


def _figure(width: float, height: float, ncols: int = 1):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG
    return plt.subplots(1, ncols, figsize=(width, height))


def _svg(fig) -> str:  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG sits inside HTML


def _integer_ticks(axis) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))  # counts of tasks: no 2.5 ticks


def _no_data(ax, what: str) -> None:  # type: ignore[no-untyped-def]
    ax.text(0.5, 0.5, f"no {what}", ha="center", va="center", transform=ax.transAxes, color="#718096")
    ax.set_axis_off()


def _top(counts: pd.Series, n: int = TOP_N) -> pd.Series:
    counts = counts.sort_values(ascending=False)
    if len(counts) > n:
        rest = pd.Series({f"({len(counts) - n + 1} others)": counts.iloc[n - 1:].sum()})
        counts = pd.concat([counts.iloc[: n - 1], rest])
    return counts


def _clip(text: str, width: int = 45) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_svg(counts: pd.Series, what: str, xlabel: str = "tasks") -> str:
    counts = _top(counts)
    fig, ax = _figure(8, max(1.8, 0.32 * len(counts) + 0.8))
    if counts.empty:
        _no_data(ax, what)
        return _svg(fig)
    labels = [_clip(str(k)) for k in counts.index][::-1]
    ax.barh(labels, counts.to_numpy()[::-1], color=_BLUE)
    for y, v in enumerate(counts.to_numpy()[::-1]):
        ax.text(v, y, f" {int(v)}", va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    _integer_ticks(ax.xaxis)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def unit_counts(tasks: pd.DataFrame, column: str) -> pd.Series:
    units = tasks[column].explode().dropna()
    units = units[units.astype(str).str.len() > 0]
    return units.value_counts()


def deadline_periods(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Tasks by the month (or quarter, over spans of more than three years) their deadline ends, split into
    due before `as_of` and due later. Columns: period, past_due, upcoming."""
    ends = pd.to_datetime(tasks["deadline_end"].dropna())
    if ends.empty:
        return pd.DataFrame(columns=["period", "past_due", "upcoming"])
    freq = "M" if (ends.max() - ends.min()).days <= 3 * 366 else "Q"
    periods = ends.dt.to_period(freq)
    past = ends < pd.Timestamp(as_of)
    full = pd.period_range(periods.min(), periods.max(), freq=freq)
    frame = pd.DataFrame({
        "past_due": past.groupby(periods).sum().reindex(full, fill_value=0),
        "upcoming": (~past).groupby(periods).sum().reindex(full, fill_value=0),
    })
    frame.index = frame.index.astype(str)
    return frame.rename_axis("period").reset_index()


def deadlines_svg(tasks: pd.DataFrame, as_of: date) -> str:
    frame = deadline_periods(tasks, as_of)
    fig, ax = _figure(9, 3.4)
    if frame.empty:
        _no_data(ax, "dated deadlines")
        return _svg(fig)
    x = range(len(frame))
    ax.bar(x, frame["past_due"], color=_RED, label=f"due before {as_of.isoformat()}")
    ax.bar(x, frame["upcoming"], bottom=frame["past_due"], color=_BLUE, label="due later")
    step = max(1, len(frame) // 24)
    ax.set_xticks(list(x)[::step], frame["period"].iloc[::step], rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("tasks")
    _integer_ticks(ax.yaxis)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _doc_label(row: pd.Series) -> str:
    name = Path(str(row["source_file"])).name
    return f"{row['doc_number']} · {name}" if row.get("doc_number") else name


def document_counts(docs: pd.DataFrame) -> pd.Series:
    if docs.empty:
        return pd.Series(dtype="int64")
    return pd.Series(docs["n_tasks"].fillna(0).astype(int).to_numpy(), index=docs.apply(_doc_label, axis=1))


def province_year_svg(tasks: pd.DataFrame, docs: pd.DataFrame) -> str:
    fig, ax = _figure(8, 3.6)
    if tasks.empty or docs.empty:
        _no_data(ax, "tasks")
        return _svg(fig)
    meta = docs[["doc_id", "source_file", "province", "year"]]
    joined = tasks[["doc_id", "source_file"]].merge(meta, on=["doc_id", "source_file"], how="left")
    joined["province"] = joined["province"].fillna("").replace("", "(no province)")
    joined["year"] = joined["year"].map(lambda y: "(no year)" if pd.isna(y) else str(int(y)))
    grid = joined.groupby(["province", "year"]).size().unstack(fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index[:TOP_N]]
    fig.set_size_inches(max(5.0, 1.1 * grid.shape[1] + 4), max(1.8, 0.4 * grid.shape[0] + 1))
    ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), grid.columns)
    ax.set_yticks(range(grid.shape[0]), [_clip(str(p), 35) for p in grid.index])
    top = grid.to_numpy().max() or 1
    for (i, j), v in pd.DataFrame(grid.to_numpy()).stack().items():
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > top / 2 else "black")
    ax.set_xlabel("year")
    return _svg(fig)


def extraction_svg(tasks: pd.DataFrame) -> str:
    fig, (ax1, ax2) = _figure(9, 3, ncols=2)
    if tasks.empty:
        _no_data(ax1, "tasks")
        _no_data(ax2, "confidence values")
        return _svg(fig)
    methods = tasks["method"].fillna("").value_counts()
    ax1.bar(methods.index.astype(str), methods.to_numpy(), color=_BLUE)
    ax1.set_title("tasks by extraction method", fontsize=10)
    _integer_ticks(ax1.yaxis)
    conf = tasks["confidence"].dropna()
    ax2.hist(conf, bins=[i / 20 for i in range(21)], color=_BLUE)
    ax2.axvline(LOW_CONFIDENCE, color=_RED, linestyle="--", label=f"review below {LOW_CONFIDENCE:g}")
    ax2.set_title("confidence", fontsize=10)
    ax2.legend(frameon=False, fontsize=8)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def review_rows(frames: dict[str, pd.DataFrame]) -> list[ReviewRow]:
    """What needs a human look: unknown units, low confidence, unparsed deadlines, documents without tasks
    (those whose type, title or tables promised some as `no tasks found`), failed inputs."""
    tasks, units, docs, log = frames["tasks"], frames["task_units"], frames["documents"], frames["ingest_log"]
    rows: list[ReviewRow] = []
    pages = {(t.doc_id, t.source_file, t.task_no): t.page for t in tasks.itertuples()}
    for u in units[~units["known"].fillna(False).astype(bool)].itertuples():
        page = pages.get((u.doc_id, u.source_file, u.task_no))
        rows.append(ReviewRow("unknown unit", u.source_file, "" if page is None or pd.isna(page) else str(page),
                              u.task_no, f"{u.role}: {u.unit_raw or u.unit} (best match {u.match_score:.0f})"))
    for t in tasks[tasks["confidence"].fillna(1.0) < LOW_CONFIDENCE].itertuples():
        rows.append(ReviewRow("low confidence", t.source_file, str(t.page), t.task_no,
                              f"{t.confidence:.2f} ({t.method}): {_clip(str(t.content), 90)}"))
    unparsed = tasks[(tasks["deadline_raw"].fillna("") != "") & (tasks["deadline_kind"] == "unspecified")]
    for t in unparsed.itertuples():
        rows.append(ReviewRow("unparsed deadline", t.source_file, str(t.page), t.task_no, str(t.deadline_raw)))
    warned = _warned(log)
    for d in docs[docs["n_tasks"].fillna(0) == 0].itertuples():
        kind = "no tasks found" if NO_TASKS_FOUND in warned.get(d.source_file, ()) else "document without tasks"
        rows.append(ReviewRow(kind, d.source_file, "", d.doc_type or "", _clip(str(d.title or ""), 90)))
    for r in log[log["status"] == "failed"].itertuples():
        rows.append(ReviewRow("failed input", r.source_file, "", r.error_code, str(r.message)))
    return rows


def _warned(log: pd.DataFrame) -> dict[str, list[str]]:
    """The warning codes of each input; a log written before warnings were kept has none."""
    if "warnings" not in log.columns:
        return {}
    return {r.source_file: list(r.warnings) for r in log.itertuples() if r.warnings is not None and len(r.warnings)}


_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1100px;color:#1a202c;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #e2e8f0}
.summary td{padding:.2em 1em .2em 0}.plot svg{max-width:100%;height:auto}
table.review{border-collapse:collapse;font-size:.85em;width:100%}
table.review td,table.review th{border:1px solid #e2e8f0;padding:.25em .5em;text-align:left;vertical-align:top}
table.review th{background:#f7fafc}.muted{color:#718096}
details.doc{border-top:1px solid #e2e8f0;padding:.3em 0}details.doc>summary{cursor:pointer;font-weight:bold}
details.page{margin:.2em 0 .2em 1.5em}details.page>summary{cursor:pointer;color:#2d3748}
pre.page-text{white-space:pre-wrap;font-family:inherit;font-size:.85em;background:#f7fafc;padding:.6em;margin:.3em 0}
table.meta td{padding:.1em 1em .1em 0;font-size:.9em;vertical-align:top}
"""


def _review_html(rows: list[ReviewRow]) -> str:
    counts = pd.Series([r.kind for r in rows], dtype="object").value_counts()
    head = ", ".join(f"{k}: {v}" for k, v in counts.items()) or "nothing to review"
    out = [f'<p id="review-counts">{html.escape(head)}</p>']
    if not rows:
        return out[0]
    out.append('<table class="review" id="review"><thead><tr><th>kind</th><th>file</th><th>page</th>'
               "<th>task / code</th><th>detail</th></tr></thead><tbody>")
    shown: dict[str, int] = {}
    for r in rows:
        shown[r.kind] = shown.get(r.kind, 0) + 1
        if shown[r.kind] > REVIEW_MAX:
            continue
        cells = (r.kind, r.file, r.page, r.item, r.detail)
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    cut = {k: v - REVIEW_MAX for k, v in shown.items() if v > REVIEW_MAX}
    if cut:
        out.append('<p class="muted">not shown: ' + ", ".join(f"{v} more {k}" for k, v in cut.items()) + "</p>")
    return "\n".join(out)


DOC_VIEW_FIELDS = ("doc_id", "doc_type", "doc_number", "issuing_body", "province", "issue_date", "title", "signer",
                   "n_tasks", "pages", "method")


def _text(value: object) -> str:
    if value is None or isinstance(value, float) and pd.isna(value):
        return ""
    return str(value)


def page_html(page: pd.Series, doc_id: str) -> str:
    """One page folded: its method and confidence in the summary, its text (cut after PAGE_CHARS) inside."""
    text = _text(page["text"])
    conf = "" if pd.isna(page["confidence"]) else f", confidence {float(page['confidence']):.2f}"
    head = f"page {int(page['page'])} ({page['method']}{conf}, {len(text)} characters)"
    body = html.escape(text[:PAGE_CHARS]) if text.strip() else '<span class="muted">(no text)</span>'
    if len(text) > PAGE_CHARS:
        body += html.escape(f"\n… {len(text) - PAGE_CHARS} more characters (kehoach text {doc_id})")
    return (f'<details class="page"><summary>{html.escape(head)}</summary>'
            f'<pre class="page-text">{body}</pre></details>')


def document_html(doc: pd.Series, pages: pd.DataFrame) -> str:
    fields = "".join(f"<tr><td>{k}</td><td>{html.escape(_text(doc.get(k)))}</td></tr>" for k in DOC_VIEW_FIELDS
                     if _text(doc.get(k)))
    shown = pages.head(PAGES_MAX)
    parts = [f'<details class="doc"><summary>{html.escape(_doc_label(doc))} — {_text(doc.get("n_tasks")) or 0} '
             f"tasks, {len(pages)} pages</summary>", f'<table class="meta">{fields}</table>']
    parts += [page_html(p, str(doc["doc_id"])) for _, p in shown.iterrows()]
    if len(pages) > len(shown):
        parts.append(f'<p class="muted">{len(pages) - len(shown)} more pages: kehoach text '
                     f"{html.escape(str(doc['doc_id']))}</p>")
    parts.append("</details>")
    return "".join(parts)


def documents_html(docs: pd.DataFrame, pages: pd.DataFrame) -> str:
    """Every document (up to DOCS_MAX) folded, with its pages' text."""
    if docs.empty:
        return '<p class="muted">no documents</p>'
    by_doc = {k: g.sort_values("page") for k, g in pages.groupby(["doc_id", "source_file"], sort=False)}
    none = pages.iloc[0:0]
    out = [document_html(d, by_doc.get((d["doc_id"], d["source_file"]), none))
           for _, d in docs.head(DOCS_MAX).iterrows()]
    if len(docs) > DOCS_MAX:
        out.append(f'<p class="muted">{len(docs) - DOCS_MAX} more documents not shown</p>')
    return "\n".join(out)


def frames_to_html(frames: dict[str, pd.DataFrame], as_of: date, title: str = "kehoach dataset") -> str:
    tasks, docs, log = frames["tasks"], frames["documents"], frames["ingest_log"]
    ends = pd.to_datetime(tasks["deadline_end"].dropna())
    summary = [
        ("documents", len(docs)), ("tasks", len(tasks)),
        ("distinct lead units", unit_counts(tasks, "lead_units").size),
        ("tasks with a dated deadline", len(ends)),
        (f"tasks due before {as_of.isoformat()}", int((ends < pd.Timestamp(as_of)).sum())),
        ("failed inputs", int((log["status"] == "failed").sum())),
    ]
    plots = [
        ("plot-lead-units", "Tasks per lead unit", bar_svg(unit_counts(tasks, "lead_units"), "lead units")),
        ("plot-coordinating-units", "Tasks per coordinating unit",
         bar_svg(unit_counts(tasks, "coordinating_units"), "coordinating units")),
        ("plot-deadlines", f"Deadlines over time (past due as of {as_of.isoformat()})", deadlines_svg(tasks, as_of)),
        ("plot-documents", "Tasks per document", bar_svg(document_counts(docs), "documents")),
        ("plot-province-year", "Tasks per province and year", province_year_svg(tasks, docs)),
        ("plot-extraction", "Extraction method and confidence", extraction_svg(tasks)),
    ]
    parts = ["<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>", '<table class="summary">']
    parts += [f"<tr><td>{html.escape(k)}</td><td><b>{v}</b></td></tr>" for k, v in summary]
    parts.append("</table>")
    for pid, heading, svg in plots:
        parts.append(f'<section class="plot" id="{pid}"><h2>{html.escape(heading)}</h2>{svg}</section>')
    parts.append('<section id="review-section"><h2>Needs review</h2>')
    parts.append(f'<p class="muted">Unknown units, confidence below {LOW_CONFIDENCE:g}, deadlines that were '
                 "not understood, documents without tasks and inputs that failed.</p>")
    parts.append(_review_html(review_rows(frames)))
    parts.append("</section>")
    parts.append('<section id="documents-section"><h2>Documents</h2>')
    parts.append('<p class="muted">Each document\'s metadata and the text of its pages as the parsers read '
                 "them (click to unfold).</p>")
    parts.append(documents_html(docs, frames["pages"]))
    parts.append("</section></body></html>")
    return "\n".join(parts) + "\n"


def write_report(out_dir: Path, target: Path, as_of: date | None = None) -> Path:
    frames = read_frames(out_dir)
    page = frames_to_html(frames, as_of or date.today(), title=f"kehoach dataset — {out_dir}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return target
