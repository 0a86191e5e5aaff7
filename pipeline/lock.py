"""One writer per output folder: a POSIX record lock on `DIR/.kehoach.lock`.

fcntl record locks belong to the process and the kernel drops them when it dies, however it dies, so a run
killed with -9 never leaves a lock behind that blocks the next one. They are also not inherited by forked
children: a worker pool left running after its parent was killed does not keep the folder locked. The file
itself stays in place (deleting a lock file races with a process opening it); it holds a line naming the run
that holds the lock, for the message a waiting run prints. Because a process's record locks all go when it
closes any descriptor of the file, the holder never opens the lock file a second time; and two threads of
one process do not exclude each other (one run per process).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from normalizers.errors import InvalidSettingsError, OutputLockedError

LOCK_FILE = ".kehoach.lock"
POLL_SECONDS = 0.2


def _try_lock(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # EACCES or EAGAIN: held by another process
        return False
    return True


def holder_of(out_dir: Path) -> str:
    """Who holds (or last held) the lock, as a phrase for messages."""
    try:
        info = json.loads((out_dir / LOCK_FILE).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another run"
    if not info:
        return "another run"
    return f"run {info.get('run_id', '?')} (pid {info.get('pid', '?')} on {info.get('host', '?')}, " \
           f"started {info.get('started', '?')})"


def current_writer(out_dir: Path) -> str:
    """The run writing the folder now, as a phrase ('' when none). Probes with a shared lock, released at once,
    so a writer starting at that instant with --no-wait may see the folder busy for that instant."""
    try:
        fd = os.open(out_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return ""
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return holder_of(out_dir)
    finally:
        os.close(fd)
    return ""


def _wait_for(fd: int, out_dir: Path, wait: float | None) -> None:
    if wait is None:
        fcntl.lockf(fd, fcntl.LOCK_EX)  # blocks until the holder ends; Ctrl-C still interrupts
        return
    deadline = time.monotonic() + wait
    while not _try_lock(fd):
        left = deadline - time.monotonic()
        if left <= 0:
            raise OutputLockedError(out_dir, f"{holder_of(out_dir)} is writing this folder")
        time.sleep(min(POLL_SECONDS, left))


@contextmanager
def writer_lock(out_dir: Path, run_id: str, wait: float | None = None,
                on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold the folder's writer lock for the block. `wait`: None waits as long as it takes, a number of seconds
    waits at most that long (0: not at all), then raises OutputLockedError. `on_wait` hears once that we wait."""
    if wait is not None and wait < 0:
        raise InvalidSettingsError(None, "--wait takes a number of seconds, 0 or more")
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            if wait != 0:
                limit = "" if wait is None else f" (at most {wait:g} s)"
                on_wait(f"{out_dir}: waiting for {holder_of(out_dir)} to finish{limit}")
            _wait_for(fd, out_dir, wait)
        info = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the lock
