"""Say what the disk said: full, read-only, permission denied, each with the fix.

`cli.boundary.guarded` maps any OSError or SQLite error that reaches it through `storage_error`;
`storage.db` uses `sqlite_storage_error` so a full or read-only disk is never reported as a
corrupt database (whose hint would be to discard it).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from praxis.errors import StorageError

# SQLite primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
_SQLITE_MESSAGES = {
    "database or disk is full": SQLITE_FULL,
    "attempt to write a readonly database": SQLITE_READONLY,
    "disk I/O error": SQLITE_IOERR,
    "unable to open database file": SQLITE_CANTOPEN,
    "database disk image is malformed": SQLITE_CORRUPT,
    "file is not a database": SQLITE_NOTADB,
}
_NEARLY_FULL_BYTES = 1024 * 1024


def no_space(path: Path | str, quota: bool = False) -> StorageError:
    where = Path(path).parent if Path(path).name else Path(path)
    if quota:
        return StorageError(
            f"disk quota exceeded writing {path}",
            f"free some of your quota on the file system holding {where}, or ask for a larger one",
        )
    return StorageError(
        f"no space left on device writing {path}",
        f"free space on the file system holding {where} (see `df -h {where}`), then retry",
    )


def read_only(path: Path | str) -> StorageError:
    return StorageError(
        f"{path} is on a read-only file system",
        "remount that file system read-write, or choose another --data-dir (PRAXIS_DATA_DIR)",
    )


def permission_denied(path: Path | str) -> StorageError:
    return StorageError(
        f"permission denied: {path}",
        f"give user {os.getuid()} read and write access to it: check with `ls -ld {path}`, "
        "fix with chown or chmod",
    )


def os_storage_error(exc: OSError, fallback: Path | str | None = None) -> StorageError | None:
    """The true error for a full / read-only / forbidden disk, or None for any other OSError."""
    path = exc.filename if exc.filename is not None else fallback
    if path is None:
        path = "the data dir"
    if exc.errno == errno.ENOSPC:
        return no_space(path)
    if exc.errno == getattr(errno, "EDQUOT", -1):
        return no_space(path, quota=True)
    if exc.errno == errno.EROFS:
        return read_only(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return permission_denied(path)
    return None


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a sqlite3 error (from the code, else the message)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    return _SQLITE_MESSAGES.get(str(exc))


def is_corruption(exc: BaseException) -> bool:
    return sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def sqlite_storage_error(exc: BaseException, db_path: Path | None) -> StorageError | None:
    """A full / read-only / forbidden disk behind a SQLite error, or None when it is not one.

    SQLite reports a full tmpfs as "disk I/O error" and a read-only directory as "unable to open
    database file", so the file system is asked what is true before anything is said."""
    code = sqlite_code(exc)
    if code not in (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM):
        return None
    path = db_path if db_path is not None else Path("the database")
    if code == SQLITE_FULL:
        return no_space(path)
    if db_path is None:
        return None
    return diagnose(db_path, companions=("-wal", "-shm", "-journal"))


def write_refusal(path: Path, named: Path | None = None) -> StorageError | None:
    """Why `path` (a file, or a directory: new files in it) cannot be written at all: a
    read-only file system (mount, remount or media; reported for `named`, default `path`) or no
    write permission (another user's dir). None when it can be, or does not exist. A few cheap
    system calls: `status` asks on every run."""
    try:
        info = os.statvfs(path)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return read_only(named or path)
    if not os.access(path, os.W_OK | (os.X_OK if os.path.isdir(path) else 0)):
        return permission_denied(path)
    return None


def diagnose(path: Path, companions: tuple[str, ...] = ()) -> StorageError | None:
    """Why `path` (and its SQLite companion files) cannot be written, if the file system says."""
    directory = path.parent
    refusal = write_refusal(directory, named=path)
    if refusal is not None:
        return refusal
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in companions)):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            return permission_denied(candidate)
    try:
        info = os.statvfs(directory)
    except OSError:
        return None
    if info.f_bavail * info.f_frsize < _NEARLY_FULL_BYTES or info.f_favail == 0:
        return no_space(path)
    return None


def storage_error(
    exc: BaseException, db_path: Path | None = None, fallback: Path | None = None
) -> StorageError | None:
    """The true error behind any OSError or SQLite error, or None when it is none of ours.
    `fallback` names the place when neither the error nor the traceback names a file."""
    if isinstance(exc, OSError):
        return os_storage_error(exc, _path_in_traceback(exc) or fallback)
    if type(exc).__module__ == "sqlite3":
        return sqlite_storage_error(exc, db_path)
    return None


def _path_in_traceback(exc: BaseException) -> Path | None:
    """A write that failed inside `os.write` carries no file name; the innermost frame that holds
    a `path` (every writer in praxis.files does) names the file instead."""
    found: Path | None = None
    trace = exc.__traceback__
    while trace is not None:
        value = trace.tb_frame.f_locals.get("path")
        if isinstance(value, Path):
            found = value
        trace = trace.tb_next
    return found
