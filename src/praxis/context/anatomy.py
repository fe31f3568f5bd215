"""Tracked reads: the anatomy index of files read into context, and repeated-read avoidance.

Every tracked read upserts the file's `anatomy_index` row (path relative to the data dir). A file
that is unchanged since it was last read (same mtime, size and SHA-256), in this session (`seen`,
which the loop keeps in its state) or an earlier one (the index row), comes back as a short note
plus an anchor summary instead of its full text. Unlike the original, this fires in real use: the
check is made per read, across phases and sessions, not against a list saved only at phase end.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from praxis.context.summarize import summarize_preserving_anchors
from praxis.context.tokens import Counter, chars_estimate

SUMMARY_TOKENS = 120
DESCRIPTION_CHARS = 80


@dataclass(frozen=True)
class TrackedRead:
    content: str
    avoided: bool
    tokens: int


@dataclass(frozen=True)
class FileFacts:
    rel: str
    text: str
    mtime: str
    size: int
    sha256: str

    @property
    def identity_key(self) -> str:
        return f"{self.mtime}|{self.size}|{self.sha256}"


def relative_name(path: Path, data_root: Path) -> str:
    """`path` relative to the data dir (POSIX separators); absolute when outside it."""
    lexical = Path(os.path.abspath(path))
    for root in (Path(os.path.abspath(data_root)), data_root.resolve()):
        for candidate in (lexical, lexical.resolve()):
            try:
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
    return lexical.as_posix()


def describe(text: str, file_name: str) -> str:
    """First non-empty line without its heading marks, else its first 80 chars, else the name."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
            if heading:
                return heading[:DESCRIPTION_CHARS]
            continue
        return stripped[:DESCRIPTION_CHARS]
    return file_name


def _mtime_text(seconds: float) -> str:
    from praxis.clock import format_timestamp

    return format_timestamp(datetime.fromtimestamp(seconds, tz=UTC))


def read_facts(path: Path, data_root: Path) -> FileFacts | None:
    """Read `path` once; None when it does not exist."""
    from praxis.errors import StateError

    rel = relative_name(path, data_root)
    try:
        data = path.read_bytes()
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(
            f"cannot read {rel}: {exc.strerror or exc}", "check the file's type and permissions"
        ) from exc
    return FileFacts(
        rel=rel,
        text=data.decode("utf-8", errors="replace"),
        mtime=_mtime_text(stat.st_mtime),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _indexed_unchanged(conn: sqlite3.Connection, facts: FileFacts) -> bool:
    row = conn.execute(
        "SELECT last_modified_at, size_bytes, content_sha256 FROM anatomy_index WHERE path = ?",
        (facts.rel,),
    ).fetchone()
    return row is not None and (row[0], row[1], row[2]) == (facts.mtime, facts.size, facts.sha256)


def _upsert(
    conn: sqlite3.Connection, facts: FileFacts, description: str, tokens: int, reason: str
) -> None:
    from praxis.clock import now_text

    conn.execute(
        "INSERT INTO anatomy_index (path, description, token_estimate, last_modified_at,"
        " tags_json, size_bytes, content_sha256, last_read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(path) DO UPDATE SET description = excluded.description,"
        " token_estimate = excluded.token_estimate, last_modified_at = excluded.last_modified_at,"
        " tags_json = excluded.tags_json, size_bytes = excluded.size_bytes,"
        " content_sha256 = excluded.content_sha256, last_read_at = excluded.last_read_at",
        (
            facts.rel,
            description,
            tokens,
            facts.mtime,
            json.dumps([reason]),
            facts.size,
            facts.sha256,
            now_text(),
        ),
    )


def tracked_read(
    conn: sqlite3.Connection,
    path: Path,
    reason: str,
    data_root: Path,
    seen: dict[str, str],
    *,
    counter: Counter = chars_estimate,
    summary_tokens: int = SUMMARY_TOKENS,
) -> TrackedRead:
    """Read `path` for context, index it, and avoid re-sending it when it has not changed.

    `seen` maps relative paths to the identity key (mtime|size|sha256) read this session; it is updated in place.
    A missing file reads as empty (the source is then skipped) and leaves the index.
    """
    facts = read_facts(path, data_root)
    if facts is None:
        rel = relative_name(path, data_root)
        seen.pop(rel, None)
        conn.execute("DELETE FROM anatomy_index WHERE path = ?", (rel,))
        return TrackedRead("", False, 0)
    unchanged = seen.get(facts.rel) == facts.identity_key or _indexed_unchanged(conn, facts)
    description = describe(facts.text, path.name)
    _upsert(conn, facts, description, counter(facts.text), reason)
    seen[facts.rel] = facts.identity_key
    if not unchanged:
        return TrackedRead(facts.text, False, counter(facts.text))
    note = f"Unchanged since last read: {facts.rel}: {description}"
    summary = summarize_preserving_anchors(facts.text, summary_tokens, counter)
    content = f"{note}\n{summary}" if summary else note
    return TrackedRead(content, True, counter(content))


def entry_count(conn: sqlite3.Connection) -> int:
    """Rows in the anatomy index (status shows it as `anatomy_entries`)."""
    return int(conn.execute("SELECT COUNT(*) FROM anatomy_index").fetchone()[0])
