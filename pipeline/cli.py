"""The command line: `kehoach ingest PATH... --out DIR`, `remove`, `status`, `restore FILE`, and for
analysts `report DIR`, `show FILE|DOC_ID`, `text FILE|DOC_ID`, `export DIR`.

Exit codes: 0 success (inputs that failed are logged in ingest_log.parquet); 1 unexpected error;
2 bad usage or settings; 3 with --strict, when any input failed; 11 the output folder is locked by another
run (with --no-wait / --wait SECONDS); 12 `remove` of something not in the dataset; 13 a table about to be
written breaks its schema (nothing was written); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Any

from normalizers.errors import InvalidSettingsError, KehoachError
from pipeline import __version__
from pipeline.settings import Settings, default_workers

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _add_lock_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                       help="when another run is writing DIR, wait at most this long (default: until it ends)")
    group.add_argument("--no-wait", dest="wait", action="store_const", const=0.0,
                       help="when another run is writing DIR, exit at once (code 11)")
    p.add_argument("--debug", action="store_true", help="print full tracebacks")


def _sub(sub: Any, name: str, help_: str, example: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with an example."""
    return sub.add_parser(name, help=help_, description=help_, epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_analyst_commands(sub: Any) -> None:
    rep = _sub(sub, "report", "write one self-contained HTML page of plots and a review table",
               "kehoach report data/processed -o report.html --as-of 2026-06-30")
    rep.add_argument("dir", type=Path, nargs="?", default=Path("data/processed"), help="dataset folder")
    rep.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="the HTML file (report.html)")
    rep.add_argument("--as-of", type=_iso_date, default=None, help="date deadlines are past due on (today)")
    rep.add_argument("--json", action="store_true", help="print what was written as JSON")
    rep.set_defaults(func=cmd_report)
    show = _sub(sub, "show", "print one document's metadata and tasks, with page, method and confidence",
                "kehoach show data/raw/004_dfacc229dc85edef.txt --format json")
    show.add_argument("target", help="a file (in the dataset by path or sha256, else ingested now) or a doc_id")
    show.add_argument("--out", type=Path, default=Path("data/processed"), help="dataset folder (data/processed)")
    show.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (table)")
    show.add_argument("--json", action="store_true", help="the same as --format json")
    show.set_defaults(func=cmd_show)
    text = _sub(sub, "text", "print a document's text as the parsers read it (pages.parquet), or as Markdown",
                "kehoach text data/raw/004_dfacc229dc85edef.txt --markdown")
    text.add_argument("target", help="a file (in the dataset by path or sha256, else read now) or a doc_id")
    text.add_argument("--out", type=Path, default=Path("data/processed"), help="dataset folder (data/processed)")
    text.add_argument("--raw", action="store_true", help="the text as extracted or OCR'd, before any repair")
    text.add_argument("--markdown", action="store_true",
                      help="headings, lists and tables as Markdown (pages otherwise end with a form feed line)")
    text.set_defaults(func=cmd_text)
    exp = _sub(sub, "export", "write the dataset as an Excel workbook or CSV files",
               "kehoach export data/processed --format xlsx -o kehoach.xlsx")
    exp.add_argument("dir", type=Path, nargs="?", default=Path("data/processed"), help="dataset folder")
    exp.add_argument("--format", choices=("csv", "xlsx"), required=True,
                     help="xlsx: one sheet per table; csv: a folder of CSVs, or a zip when -o ends in .zip")
    exp.add_argument("-o", "--output", type=Path, required=True, help="the workbook, folder or .zip")
    exp.add_argument("--json", action="store_true", help="print the rows written per table as JSON")
    exp.set_defaults(func=cmd_export)


def add_ingest_parser(sub: Any) -> None:
    ing = _sub(sub, "ingest", "add or update files or folders in the dataset (parquet tables)",
               "kehoach ingest inbox/2026-12-01 --out data/processed")
    ing.add_argument("paths", nargs="*", type=Path, default=[Path("data/raw")])
    ing.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder (data/processed)")
    ing.add_argument("--prune", action="store_true",
                     help="also remove every document not among these inputs (the dataset becomes exactly them)")
    ing.add_argument("--workers", type=int, default=default_workers(), help="processes (default: all cores)")
    ing.add_argument("--gazetteer", type=Path, action="append", default=[],
                     help="extra unit gazetteer CSV (canonical,variant); may be repeated")
    ing.add_argument("--strict", action="store_true", help="exit with 3 when any input failed")
    ing.add_argument("--force", action="store_true", help="re-ingest every input")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--scheduler", default="", help="run on a Dask cluster: its address, or 'local' to start one")
    ing.add_argument("--partition-by", default="", help="also write partitioned datasets, e.g. province,year")
    ing.add_argument("--dpi", type=int, default=300, help="rasterization resolution for OCR (300)")
    ing.add_argument("--page-timeout", type=float, default=120.0, help="seconds before an OCR page is given up")
    ing.add_argument("--convert-timeout", type=float, default=120.0,
                     help="seconds before converting a .doc/.odt/.rtf file with LibreOffice is given up")
    _add_lock_options(ing)
    ing.set_defaults(func=cmd_ingest)


def add_remove_parser(sub: Any) -> None:
    rm = _sub(sub, "remove", "take documents out of the dataset by source path, folder, doc_id or sha256",
              "kehoach remove inbox/2026-11-30/old.pdf --out data/processed")
    rm.add_argument("keys", nargs="+", metavar="PATH|DOC_ID")
    rm.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder (data/processed)")
    _add_lock_options(rm)
    rm.set_defaults(func=cmd_remove)


def add_status_parser(sub: Any) -> None:
    st = _sub(sub, "status", "list the dataset's documents and failed inputs", "kehoach status data/processed --json")
    st.add_argument("dir", type=Path, nargs="?", default=Path("data/processed"))
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.add_argument("--debug", action="store_true", help="print full tracebacks")
    st.set_defaults(func=cmd_status)


def add_restore_parser(sub: Any) -> None:
    res = _sub(sub, "restore", "print restored Vietnamese text, one line out per line in",
               "echo 'UBND TINH DONG THAP' | kehoach restore -")
    res.add_argument("file", help="a text file, or - for standard input")
    res.set_defaults(func=cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kehoach", description="Vietnamese plan documents → a task dataset.",
                                epilog="example:\n  kehoach ingest data/raw --out data/processed",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"kehoach {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    add_ingest_parser(sub)
    add_remove_parser(sub)
    add_status_parser(sub)
    add_restore_parser(sub)
    add_analyst_commands(sub)
    return p


def _say(message: str) -> None:
    print(f"kehoach: {message}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from pipeline.batch import ingest_paths

    missing = [p for p in args.paths if not p.exists()]
    if missing and args.prune:  # a mistyped folder must not empty the dataset
        raise InvalidSettingsError(missing[0], "no such file or folder; --prune refuses to run with a missing input")
    for p in missing:
        _say(f"{p}: no such file or folder")
    settings = Settings(out_dir=args.out, workers=args.workers, strict=args.strict, force=args.force,
                        extra_gazetteers=tuple(args.gazetteer),
                        scheduler=args.scheduler, partition_by=tuple(p for p in args.partition_by.split(",") if p),
                        dpi=args.dpi, page_timeout=args.page_timeout, convert_timeout=args.convert_timeout)
    bar = tqdm(desc="ingest", unit="file", disable=args.quiet, file=sys.stderr)
    summary = ingest_paths([p for p in args.paths if p.exists()], settings, on_done=lambda r: bar.update(1),
                           prune=args.prune, wait=args.wait, notify=_say)
    bar.close()
    for r in summary.failed:
        _say(f"failed [{r['error_code']}] {r['message']}")
    if args.debug:
        for res in summary.results:
            if res.traceback:
                print(res.traceback, file=sys.stderr)
    _say(summary.line())
    return EXIT_INPUT_FAILED if args.strict and (summary.failed or missing) else EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from pipeline.batch import remove_entries

    removed = remove_entries(args.out, args.keys, wait=args.wait, notify=_say)
    for s in removed:
        _say(f"removed {s}")
    _say(f"{len(removed)} removed from {args.out}")
    return EXIT_OK


def status_of(out: Path) -> dict[str, Any]:
    """The dataset's documents and failed inputs, from one consistent set of tables."""
    from pipeline.lock import current_writer
    from pipeline.store import read_dataset, read_manifest

    tables = read_dataset(out, ("ingest_log",))
    rows = tables["ingest_log"].to_pylist()

    def entry(r: dict[str, Any]) -> dict[str, Any]:
        when = r.get("ingested_at")
        return {"source_file": r["source_file"], "doc_id": (r["sha256"] or "")[:16], "sha256": r["sha256"],
                "status": "ok" if r["status"] == "skipped" else r["status"], "tasks": r["n_tasks"],
                "ingested_at": when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else "", "run_id": r.get("run_id") or "",
                "error_code": r["error_code"], "warnings": list(r.get("warnings") or []), "message": r["message"]}

    entries = [entry(r) for r in rows]
    manifest = read_manifest(out)
    run = {k: manifest.get(k) for k in ("run_id", "command", "started", "finished", "inputs", "added", "updated",
                                        "unchanged", "removed") if k in manifest}
    return {"dir": str(out), "last_run": run, "writing_now": current_writer(out),
            "documents": [e for e in entries if e["status"] != "failed"],
            "failed": [e for e in entries if e["status"] == "failed"]}


def _status_text(st: dict[str, Any]) -> str:
    docs, failed, run = st["documents"], st["failed"], st["last_run"]
    lines = [f"{st['dir']}: {len(docs)} documents, {sum(int(d['tasks'] or 0) for d in docs)} tasks, "
             f"{len(failed)} failed inputs"]
    if run:
        lines.append(f"last run {run.get('run_id', '?')} ({run.get('command', '?')}, finished "
                     f"{run.get('finished', '?')}): inputs {', '.join(run.get('inputs') or []) or '-'}")
    if st["writing_now"]:
        lines.append(f"being written now by {st['writing_now']}")
    if docs:
        lines.append(f"{'doc_id (sha256)':<16}  {'tasks':>5}  {'status':<6}  {'ingested (UTC)':<20}  source")
        lines += [f"{d['doc_id']:<16}  {d['tasks'] or 0:>5}  {d['status']:<6}  {d['ingested_at']:<20}  "
                  f"{d['source_file']}" for d in docs]
    warned = [d for d in docs if d["warnings"]]
    if warned:
        lines.append("warnings:")
        lines += [f"  [{', '.join(d['warnings'])}] {d['source_file']}: {d['message']}" for d in warned]
    if failed:
        lines.append("failed inputs:")
        lines += [f"  [{f['error_code']}] {f['source_file']} ({f['ingested_at']}): {f['message']}" for f in failed]
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace) -> int:
    st = status_of(args.dir)
    print(json.dumps(st, ensure_ascii=False, indent=1) if args.json else _status_text(st))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Legacy-encoded text (TCVN3, VNI, VISCII, as bytes or as their Latin-1 look-alikes) is converted first;
    then stripped or garbled lines are restored."""
    from extractors.text import decode_text
    from normalizers.restore import restore_lines
    from normalizers.text import nfc
    from pipeline.repair import legacy_lines_to_unicode

    path = Path(args.file)
    data = sys.stdin.buffer.read() if args.file == "-" else path.read_bytes()
    text = nfc(decode_text(data, path)).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    for line in restore_lines(legacy_lines_to_unicode(lines)):
        sys.stdout.write(line + "\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    as_of = args.as_of or date.today()
    path = write_report(args.dir, args.output, as_of)
    if args.json:
        print(json.dumps({"report": str(path), "as_of": as_of.isoformat()}))
    else:
        print(f"report → {path}", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from pipeline.show import find_document, render

    settings = Settings(out_dir=args.out, workers=1)
    view = find_document(args.target, args.out, settings)
    sys.stdout.write(render(view, "json" if args.json else args.format))
    return EXIT_OK


def cmd_text(args: argparse.Namespace) -> int:
    from pipeline.show import document_text, find_document

    view = find_document(args.target, args.out, Settings(out_dir=args.out, workers=1))
    sys.stdout.write(document_text(view, raw=args.raw, markdown=args.markdown))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.export import export_dataset

    rows = export_dataset(args.dir, args.format, args.output)
    if args.json:
        print(json.dumps({"output": str(args.output), "format": args.format, "rows": rows}))
    else:
        print(f"{', '.join(f'{n} {k}' for n, k in rows.items())} rows → {args.output}", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        code: int = args.func(args)
        return code
    except KehoachError as e:
        if debug:
            traceback.print_exc()
        print(f"kehoach: [{e.code}] {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kehoach: interrupted; the previous dataset is left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as e:
        if debug:
            traceback.print_exc()
        print(f"kehoach: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return EXIT_ERROR


def run() -> None:
    """The console entry point: `main`, then an exit that skips the interpreter's teardown. Arrow's thread
    pools may still be joinable at teardown and abort the process (SIGABRT, 'terminate called without an
    active exception') after its work is done and written; every command has closed its files by now."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
