"""Learning sources: `learning/sources/*.md|*.txt` (not recursive, sorted by name).

A source is changed when its (relative path, mtime, byte length) differs from what
`learning_sources` recorded; a changed source gets a `source-summary` record in LEARNINGS.md
(the first 3 non-empty lines with leading `#`, `-`, `*` and spaces stripped, joined by `; `) and
its new state. Only regular files are read (a symlink out of the data dir or a FIFO is skipped
with a note), and only the first 64 KiB of each.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from praxis.learning import store
from praxis.learning.notes import SOURCE_SUMMARY, append_learning
from praxis.paths import DataDir
from praxis.text import ELLIPSIS, clip

SUFFIXES = (".md", ".txt")
READ_LIMIT = 64 * 1024
SUMMARY_LIMIT = 1000
EMPTY_SUMMARY = "Updated learning source with no extractable summary."


class SourceScan(NamedTuple):
    processed: int
    changed: int
    notes: list[str]


def summarize(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()][:3]
    parts = [stripped for line in lines if (stripped := line.lstrip("#-* "))]
    summary = "; ".join(parts) if parts else EMPTY_SUMMARY
    return clip(summary, SUMMARY_LIMIT, ELLIPSIS)


def source_files(data_dir: DataDir) -> list[Path]:
    folder = data_dir.learning_sources_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)


class _Read(NamedTuple):
    modified_at: str
    size: int
    text: str


def _read(path: Path) -> _Read | None:
    """The file's mtime, size and first bytes, or None when it is not a regular file."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        data = os.read(fd, READ_LIMIT)
    finally:
        os.close(fd)
    moment = datetime.fromtimestamp(info.st_mtime_ns / 1e9, UTC)
    modified = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return _Read(modified, info.st_size, data.decode("utf-8", errors="replace"))


def process_sources(data_dir: DataDir, conn: sqlite3.Connection, now: str) -> SourceScan:
    """Summarise every changed source into LEARNINGS.md and record its state (one commit per
    source, after its record is appended: a crash in between repeats a record, never loses one)."""
    from praxis.redact import redact
    from praxis.storage.transaction import transaction

    known = store.known_sources(conn)
    processed = changed = 0
    notes: list[str] = []
    for path in source_files(data_dir):
        relative = path.relative_to(data_dir.root).as_posix()
        found = _read(path)
        processed += 1
        if found is None:
            notes.append(f"Skipped {relative}: not a regular file.")
            continue
        previous = known.get(relative)
        if (
            previous is not None
            and previous.last_modified_at == found.modified_at
            and previous.byte_len == found.size
        ):
            continue
        summary = redact(summarize(found.text))
        append_learning(data_dir, SOURCE_SUMMARY, relative, summary, now)
        with transaction(conn):
            store.save_source(
                conn, store.SourceState(relative, found.modified_at, found.size, summary, now)
            )
        changed += 1
        notes.append(f"Captured fresh learning from {relative}.")
    return SourceScan(processed, changed, notes)
