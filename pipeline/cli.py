"""The command line: `kehoach ingest PATH... --out DIR` and `kehoach restore FILE`.

Exit codes: 0 success (inputs that failed are logged in ingest_log.parquet); 1 unexpected error;
2 bad usage or settings; 3 with --strict, when any input failed; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import KehoachError
from pipeline.settings import Settings, default_workers

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kehoach", description="Vietnamese plan documents → a task dataset.")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="ingest files or folders into parquet tables")
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
    res = sub.add_parser("restore", help="print restored Vietnamese text, one line out per line in")
    res.add_argument("file", help="a text file, or - for standard input")
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return cmd_ingest(args) if args.command == "ingest" else cmd_restore(args)
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
