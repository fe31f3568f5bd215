"""Reading a database this process cannot write: a read-only mount or volume, a snapshot on
read-only media, another user's data dir. Nothing here writes the file or creates one beside it.

Which way in is safe (https://www.sqlite.org/wal.html, "Read-Only Databases"; uri.html):

- `mode=ro` first. SQLite's locks and its WAL index still apply, so this is safe while another
  process writes the file (the daemon through a read-write mount of the same dir): the reader
  sees each committed transaction whole. It opens a WAL database only when the -wal and -shm
  files already exist (a connection is open somewhere, or one was killed) or SQLite may create
  them in the directory.
- Neither holds for a cleanly closed database in a directory that cannot be written (the last
  connection to close deletes both): `mode=ro` fails (SQLITE_CANTOPEN, or READONLY_DIRECTORY
  where only permissions forbid it) and `immutable=1` is
  the only way in. Immutable means no locks and no change detection: if another process wrote
  the file meanwhile (through another mount of the same dir), the reader could see a page from
  before and one from after a change, i.e. wrong answers or a false "malformed". So it is used
  only when (1) there is no -wal: no connection is open anywhere and no committed change sits in
  a log that an immutable reader would not see (a -wal without its -shm is refused, with the
  fix); and (2) this process holds a shared lock on the database for the connection's life (the
  byte range of SQLite's own SHARED lock). A writer that opens the database meanwhile works as
  usual, appending to its own -wal, which an immutable reader never looks at; its checkpoint at
  close needs the exclusive lock, so it leaves the log for later instead of rewriting the pages
  being read. The one case left: a writer that starts after us and logs 1,000 pages (4 MiB,
  SQLite's automatic checkpoint) before we finish reading. Where the file system has no locks,
  there is no writer to coordinate with either, and the read goes on without it.

A schema older than the code cannot be migrated here: that is refused, naming the fix.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from praxis.errors import DataDirError, LockHeld, PraxisError, StorageError
from praxis.io_errors import SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, sqlite_code
from praxis.storage.db import (
    BUSY_TIMEOUT_MS,
    checked_and_noted,
    code_schema_version,
    database_error,
    pending_migrations,
    refuse_newer_schema,
)

# SQLite's unix locking protocol (os_unix.c): a SHARED lock is a read lock on these bytes.
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510


class ReadOnlyConnection(sqlite3.Connection):
    """A connection that cannot write; an immutable one keeps its shared lock until closed."""

    lock_fd: int | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            _unlock(self.lock_fd)
            self.lock_fd = None


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a database whose schema is this code's (nothing to migrate)."""
    conn = connect_read_only(path)
    try:
        newest = code_schema_version()
        current = refuse_newer_schema(conn, path, newest)
        if pending_migrations(conn, current):
            raise DataDirError(
                f"database {path} has schema version {current}, older than this Praxis "
                f"({newest}), and cannot be migrated while its data dir is read-only",
                "run any praxis command once where the data dir can be written (e.g. `praxis "
                "doctor` on a read-write mount) to migrate it, or inspect it with the Praxis "
                "version that wrote it",
            )
    except sqlite3.Error as exc:
        conn.close()
        raise database_error(path, exc, "cannot read database {path}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def connect_read_only(path: Path) -> ReadOnlyConnection:
    """`mode=ro`, else `immutable=1` under the conditions above; schema not checked."""
    checked_and_noted(path)
    uri = path.absolute().as_uri()
    try:
        return _open(f"{uri}?mode=ro")
    except sqlite3.Error as exc:
        # CANTOPEN on a read-only mount, READONLY_DIRECTORY in a dir without write permission
        if sqlite_code(exc) not in (SQLITE_CANTOPEN, SQLITE_READONLY):
            raise _cannot_read(path, exc) from exc
    wal = Path(f"{path}-wal")
    _refuse_unreadable_log(wal, path)
    lock_fd = _shared_lock(path)
    try:
        if wal.exists():  # a writer opened it meanwhile: its -shm lets `mode=ro` work now
            # Closed first: closing any descriptor of a file drops every POSIX lock this
            # process holds on it, SQLite's own included.
            _unlock(lock_fd)
            lock_fd = None
            return _open(f"{uri}?mode=ro")
        conn = _open(f"{uri}?immutable=1")
    except sqlite3.Error as exc:
        _unlock(lock_fd)
        raise _cannot_read(path, exc) from exc
    except BaseException:
        _unlock(lock_fd)
        raise
    conn.lock_fd = lock_fd
    return conn


def _refuse_unreadable_log(wal: Path, path: Path) -> None:
    if wal.exists():
        raise StorageError(
            f"{wal} holds changes that can be read only where SQLite may create "
            f"{path.name}-shm beside it, and {path.parent} cannot be written",
            "open the data dir read-write once (any praxis command) so the log is folded into "
            "the database, or copy the whole dir somewhere writable and inspect the copy",
        )


def _open(uri: str) -> ReadOnlyConnection:
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        factory=ReadOnlyConnection,
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # SQLite opens lazily
    except BaseException:
        conn.close()
        raise
    return conn


def _unlock(lock_fd: int | None) -> None:
    if lock_fd is not None:
        os.close(lock_fd)


def _shared_lock(path: Path) -> int | None:
    """An open descriptor holding a shared lock on the database (None: no locks here)."""
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, _SHARED_SIZE, _SHARED_FIRST)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise LockHeld(
                f"database {path} is being written by another process right now",
                "retry in a moment",
            ) from exc
        return None  # e.g. ENOLCK: this file system has no locks
    return fd


def _cannot_read(path: Path, exc: sqlite3.Error) -> PraxisError:
    if sqlite_code(exc) in (SQLITE_CANTOPEN, SQLITE_PERM):
        return StorageError(
            f"cannot open database {path} read-only: {exc}",
            f"check that user {os.getuid()} may read it and its dir: `ls -l {path.parent}`",
        )
    return database_error(path, exc, "cannot read database {path}")
