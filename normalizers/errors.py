"""Every failure kind the pipeline can report, each with a stable code and a hint for the user.

Library code raises these; only the CLI turns them into exit codes.
"""

from __future__ import annotations

from pathlib import Path


class KehoachError(Exception):
    """Base class. `code` is stable and lands in ingest_log.error_code."""

    code = "error"
    exit_code = 1
    hint = ""

    def __init__(self, path: Path | str | None, problem: str) -> None:
        self.path = str(path) if path is not None else ""
        self.problem = problem
        where = f"{self.path}: " if self.path else ""
        tail = f" ({self.hint})" if self.hint else ""
        super().__init__(f"{where}{problem}{tail}")


class UnsupportedFormatError(KehoachError):
    code = "unsupported_format"
    exit_code = 3
    hint = "supported inputs are .pdf, .docx, .doc, .odt, .rtf, .txt, .md, .png, .jpg, .jpeg, .tif, .tiff"


class EmptyFileError(KehoachError):
    code = "empty_file"
    exit_code = 3
    hint = "the file has no bytes; re-export or re-download it"


class CorruptFileError(KehoachError):
    code = "corrupt_file"
    exit_code = 3
    hint = "the file is damaged or not what its extension says; re-export it from the source"


class EncryptedPdfError(KehoachError):
    code = "encrypted_pdf"
    exit_code = 4
    hint = "remove the password (e.g. `qpdf --decrypt`) and ingest the decrypted copy"


class NoTextLayerError(KehoachError):
    code = "no_text_layer"
    exit_code = 5
    hint = "the document has no extractable text; OCR is needed"


class NoTextError(KehoachError):
    code = "no_text"
    exit_code = 5
    hint = "no page gave any text (a blank or unreadable scan, a file of pictures only); check the file or rescan it"


class OcrUnavailableError(KehoachError):
    code = "ocr_unavailable"
    exit_code = 6
    hint = "install Tesseract with Vietnamese: `apt-get install tesseract-ocr tesseract-ocr-vie` (or `make install`)"


class OcrTimeoutError(KehoachError):
    code = "ocr_timeout"
    exit_code = 7
    hint = "the page took longer than --page-timeout; raise it or check the scan"


class ConversionFailedError(KehoachError):
    code = "conversion_failed"
    exit_code = 3
    hint = "open the file in Word or LibreOffice and save it as .docx, or raise --convert-timeout if it timed out"


class ConverterUnavailableError(KehoachError):
    code = "converter_unavailable"
    exit_code = 3
    hint = "install LibreOffice Writer: `apt-get install --no-install-recommends libreoffice-writer-nogui` " \
           "(or `make install`)"


class TooLargeError(KehoachError):
    code = "too_large"
    exit_code = 8
    hint = "the input exceeds the configured size limits (pages, pixels or unpacked size)"


class UnreadableFileError(KehoachError):
    code = "unreadable"
    exit_code = 9
    hint = "check the file's permissions"


class TextDecodingError(KehoachError):
    code = "text_decoding"
    exit_code = 10
    hint = "save the text file as UTF-8"


class InvalidSettingsError(KehoachError):
    code = "invalid_settings"
    exit_code = 2
    hint = "see `kehoach --help`"


class GazetteerError(KehoachError):
    code = "gazetteer"
    exit_code = 2
    hint = "the unit gazetteer CSV needs columns canonical,variant"


class OutputLockedError(KehoachError):
    code = "output_locked"
    exit_code = 11
    hint = "nothing was written; run again later, wait with --wait SECONDS (without --wait: until it ends), " \
           "or write to another folder"


class NotInDatasetError(KehoachError):
    code = "not_in_dataset"
    exit_code = 12
    hint = "`kehoach status DIR` lists the documents by source file and doc_id; nothing was removed"


class NoDatasetError(KehoachError):
    code = "no_dataset"
    exit_code = 2
    hint = "the folder has no dataset yet; `kehoach ingest PATH... --out DIR` writes one"


class SchemaViolationError(KehoachError):
    """A table about to be written breaks its definition in pipeline/schema.py; nothing was written."""

    code = "schema_violation"
    exit_code = 13
    hint = "a pipeline bug or a hand-edited table; the rules are in docs/schema.md"

    def __init__(self, table: str, problems: list[tuple[str, str, list[int]]], files: list[str] | None = None) -> None:
        self.table = table
        self.problems = problems  # (column, rule broken, row numbers counted from 0)
        files = files or [""] * len(problems)
        parts = [f"column {col}: {rule}" + (f" (rows {_row_list(rows)}" + (f", first in {f}" if f else "") + ")"
                                            if rows else "")
                 for (col, rule, rows), f in zip(problems, files, strict=True)]
        super().__init__(None, f"table {table} breaks its schema, nothing was written: " + "; ".join(parts))


class DocumentNotFoundError(KehoachError):
    code = "document_not_found"
    exit_code = 2
    hint = "give a doc_id, a sha256 or a path listed in documents.parquet, or a file to ingest on the fly"


def _row_list(rows: list[int], most: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:most])
    return shown + (f" and {len(rows) - most} more" if len(rows) > most else "")
