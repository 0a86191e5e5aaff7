"""Finding the inputs and naming them by content; light on imports, so an unchanged re-run stays fast."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from normalizers.errors import UnreadableFileError


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order; hidden files are skipped."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except PermissionError as e:
        raise UnreadableFileError(path, "permission denied") from e
    except IsADirectoryError as e:
        raise UnreadableFileError(path, "is a folder, not a file") from e
    except OSError as e:
        raise UnreadableFileError(path, f"cannot read the file ({e.strerror})") from e
    return h.hexdigest()
