"""The one way Praxis opens a transaction: `BEGIN IMMEDIATE`, so the write lock is taken before
anything is read (a check and the write it allows are atomic across processes)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(
    conn: sqlite3.Connection, *, join: bool = False, rollback: bool = False
) -> Iterator[None]:
    """Commit on success, roll back on any exception. `join`: when the caller already holds a
    transaction, run inside it (the caller commits). `rollback`: always roll back (a dry run)."""
    if join and conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    ended = False
    try:
        yield
        conn.execute("ROLLBACK" if rollback else "COMMIT")
        ended = True
    finally:
        if not ended:  # an exception (or a failed COMMIT): nothing of it is kept
            conn.execute("ROLLBACK")
