"""The run lock: one session at a time per data dir, and the holder's pid for the error message.

filelock truncates the lock file when it opens it, so the pid could not be read back; this uses
fcntl.flock directly on a file that only the holder writes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from praxis.errors import LockHeld


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 64).decode("ascii", errors="replace").strip()
    return text or "unknown"


@contextlib.contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the data dir's run lock or raise LockHeld (exit 1) naming the holder's pid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(
                f"another Praxis session is running (pid {_holder(fd)})",
                "wait for it to finish; the daemon, Telegram /run and the dashboard share this lock",
            ) from None
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
