"""Word 97–2003 (.doc), OpenDocument (.odt) and RTF files → .docx through LibreOffice headless, then read by
the .docx reader. Each conversion runs in a temporary folder with its own LibreOffice profile: two
conversions sharing a profile (parallel workers) would block on its lock or fail."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractors.docx import docx_to_doc
from extractors.model import ExtractedDoc
from normalizers.errors import (
    ConversionFailedError,
    ConverterUnavailableError,
    EmptyFileError,
    KehoachError,
    UnreadableFileError,
)

CONVERTIBLE_SUFFIXES = {".doc", ".odt", ".rtf"}
_STDERR_TAIL = 300


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_doc(path: Path, timeout: float) -> ExtractedDoc:
    """The document of a .doc/.odt/.rtf file, read as the .docx LibreOffice makes of it; errors name `path`."""
    if path.stat().st_size == 0:
        raise EmptyFileError(path, "the file is empty")
    with tempfile.TemporaryDirectory(prefix="kehoach-convert-") as tmp:
        docx_path = convert_to_docx(path, Path(tmp), timeout)
        try:
            doc = docx_to_doc(docx_path)
        except KehoachError as e:  # a problem of the converted copy is the original file's problem
            raise type(e)(path, e.problem) from e
    doc.path = path
    return doc


def convert_to_docx(path: Path, work: Path, timeout: float) -> Path:
    """Converts `path` into WORK/out/input.docx. The input is copied under a plain name first: LibreOffice
    names its output after the input, and reads a name starting with '-' as an option."""
    exe = soffice_binary()
    if exe is None:
        raise ConverterUnavailableError(path, "LibreOffice (soffice) is not installed")
    src = work / f"input{path.suffix.lower()}"
    try:
        shutil.copyfile(path, src)
    except OSError as e:
        raise UnreadableFileError(path, f"cannot read the file ({e.strerror})") from e
    out_dir = work / "out"
    cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--convert-to", "docx", "--outdir", str(out_dir), str(src)]
    env = dict(os.environ, HOME=str(work))  # nothing of the user's own LibreOffice set-up is read or written
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work,
                            start_new_session=True)  # its own process group: a timeout ends soffice.bin too
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        _kill_group(proc)
        raise ConversionFailedError(path, f"LibreOffice took longer than {timeout:g} s to convert it") from e
    out = out_dir / "input.docx"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        said = " ".join(ln for ln in err.decode("utf-8", "replace").splitlines() if "javaldx" not in ln).strip()
        raise ConversionFailedError(path, f"LibreOffice could not convert it (exit {proc.returncode}"
                                          + (f": {said[:_STDERR_TAIL]}" if said else "") + ")")
    return out


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
