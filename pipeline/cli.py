"""The command line: `kehoach ingest PATH... --out DIR`, `kehoach restore FILE`, and for analysts
`kehoach report DIR`, `kehoach show FILE|DOC_ID`, `kehoach export DIR`.

Exit codes: 0 success (inputs that failed are logged in ingest_log.parquet); 1 unexpected error;
2 bad usage or settings; 3 with --strict, when any input failed; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pipeline import __version__
from pipeline.errors import KehoachError
from pipeline.settings import Settings, default_workers

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _sub(sub: argparse._SubParsersAction, name: str, help_: str, example: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with an example."""
    return sub.add_parser(name, help=help_, description=help_, epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_analyst_commands(sub: argparse._SubParsersAction) -> None:
    rep = _sub(sub, "report", "write one self-contained HTML page of plots and a review table",
               "kehoach report data/processed -o report.html --as-of 2026-06-30")
    rep.add_argument("dir", type=Path, nargs="?", default=Path("data/processed"), help="dataset folder")
    rep.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="the HTML file (report.html)")
    rep.add_argument("--as-of", type=_iso_date, default=None, help="date deadlines are past due on (today)")
    rep.add_argument("--json", action="store_true", help="print what was written as JSON")
    show = _sub(sub, "show", "print one document's metadata and tasks, with page, method and confidence",
                "kehoach show data/raw/004_dfacc229dc85edef.txt --format json")
    show.add_argument("target", help="a file (in the dataset by path or sha256, else ingested now) or a doc_id")
    show.add_argument("--out", type=Path, default=Path("data/processed"), help="dataset folder (data/processed)")
    show.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (table)")
    show.add_argument("--json", action="store_true", help="the same as --format json")
    exp = _sub(sub, "export", "write the dataset as an Excel workbook or CSV files",
               "kehoach export data/processed --format xlsx -o kehoach.xlsx")
    exp.add_argument("dir", type=Path, nargs="?", default=Path("data/processed"), help="dataset folder")
    exp.add_argument("--format", choices=("csv", "xlsx"), required=True,
                     help="xlsx: one sheet per table; csv: a folder of CSVs, or a zip when -o ends in .zip")
    exp.add_argument("-o", "--output", type=Path, required=True, help="the workbook, folder or .zip")
    exp.add_argument("--json", action="store_true", help="print the rows written per table as JSON")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kehoach", description="Vietnamese plan documents → a task dataset.",
                                epilog="example:\n  kehoach ingest data/raw --out data/processed",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"kehoach {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ing = _sub(sub, "ingest", "ingest files or folders into parquet tables",
               "kehoach ingest data/raw --out data/processed --workers 2")
    ing.add_argument("paths", nargs="*", type=Path, default=[Path("data/raw")])
    ing.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder (data/processed)")
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
    res = _sub(sub, "restore", "print restored Vietnamese text, one line out per line in",
               "echo 'UBND TINH DONG THAP' | kehoach restore -")
    res.add_argument("file", help="a text file, or - for standard input")
    add_analyst_commands(sub)
    return p


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from pipeline.batch import ingest_paths

    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        print(f"kehoach: {p}: no such file or folder", file=sys.stderr)
    settings = Settings(out_dir=args.out, workers=args.workers, strict=args.strict, force=args.force,
                        extra_gazetteers=tuple(args.gazetteer),
                        scheduler=args.scheduler, partition_by=tuple(p for p in args.partition_by.split(",") if p),
                        dpi=args.dpi, page_timeout=args.page_timeout)
    bar = tqdm(desc="ingest", unit="file", disable=args.quiet, file=sys.stderr)
    summary = ingest_paths([p for p in args.paths if p.exists()], settings, on_done=lambda r: bar.update(1))
    bar.close()
    for r in summary.failed:
        print(f"kehoach: failed [{r['error_code']}] {r['message']}", file=sys.stderr)
    print(f"{len(summary.log)} inputs: {summary.count('ok')} ingested, {summary.count('skipped')} unchanged, "
          f"{len(summary.failed)} failed, {summary.removed} removed; {summary.n_tasks} tasks → {summary.out_dir}",
          file=sys.stderr)
    return EXIT_INPUT_FAILED if args.strict and (summary.failed or missing) else EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from normalizers.restore import restore_lines

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    for line in restore_lines(lines):
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


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.export import export_dataset

    rows = export_dataset(args.dir, args.format, args.output)
    if args.json:
        print(json.dumps({"output": str(args.output), "format": args.format, "rows": rows}))
    else:
        print(f"{', '.join(f'{n} {k}' for n, k in rows.items())} rows → {args.output}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "restore": cmd_restore, "report": cmd_report, "show": cmd_show,
            "export": cmd_export}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KehoachError as e:
        print(f"kehoach: [{e.code}] {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kehoach: interrupted; the previous dataset is left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as e:
        print(f"kehoach: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
