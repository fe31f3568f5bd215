"""The only module that writes files: atomic rewrites, whole-record appends, locks.

Every text written here (markdown records, JSON state, config edits) passes through
`praxis.redact.redact` first: a secret value or key shape never reaches a file. Bytes written with
`atomic_write_bytes` are the caller's business (bundles, copies).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` via a temp file in the same dir + fsync + rename."""
    import tempfile  # lazily: read-only commands never pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()  # gone after the rename; left over only when the write failed
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    from praxis.redact import redact

    atomic_write_bytes(path, redact(text).encode("utf-8"), mode=mode)


def atomic_write_json(path: Path, value: Any) -> None:
    atomic_write_text(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def write_if_missing(path: Path, text: str) -> bool:
    """Create `path` with `text` unless it exists. Returns True when it was created."""
    if path.exists() or path.is_symlink():
        return False
    atomic_write_text(path, text)
    return True


def append_record(path: Path, record: str, *, mode: int | None = None) -> None:
    """Append one whole record (redacted) with a single write() call (O_APPEND), then fsync.

    Never through a symlink or into a file hard-linked elsewhere: a data-dir file replaced by a
    link must not let Praxis write outside the data dir. `mode` (e.g. 0o600 for a log) is applied
    to a new file and enforced on an existing one.
    """
    from praxis.errors import DataDirError
    from praxis.redact import redact

    path.parent.mkdir(parents=True, exist_ok=True)
    data = redact(record).encode("utf-8")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, 0o644 if mode is None else mode)
    except OSError as exc:
        if path.is_symlink():
            raise DataDirError(
                f"refusing to append to {path}: it is a symlink",
                f"replace {path} with a regular file (restore it from a snapshot)",
            ) from exc
        raise
    try:
        if os.fstat(fd).st_nlink > 1:
            raise DataDirError(
                f"refusing to append to {path}: it has more than one hard link",
                f"replace {path} with a regular file that is not linked elsewhere",
            )
        if mode is not None:
            os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def append_line(path: Path, line: str) -> None:
    append_record(path, line if line.endswith("\n") else line + "\n")


@contextlib.contextmanager
def locked(lock_path: Path, *, timeout: float = -1) -> Iterator[None]:
    """Hold an inter-process file lock (filelock) for the duration of the block."""
    from filelock import FileLock

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_path), timeout=timeout):
        yield
