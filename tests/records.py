"""What a data dir recorded, read the way the tests check it: database rows and events."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any


def file_digests(root: Path) -> dict[str, str]:
    """Every file under `root` (relative name → sha256): what "changed nothing" compares."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def rows(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows `sql` selects from the data dir's praxis.db, as tuples."""
    with contextlib.closing(sqlite3.connect(data_dir / "praxis.db")) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def count(data_dir: Path, sql: str) -> int:
    """The one number `sql` selects (`SELECT COUNT(*) ...`, `SELECT MAX(id) ...`)."""
    [(number,)] = rows(data_dir, sql)
    return int(number)


def session_count(data_dir: Path) -> int:
    return count(data_dir, "SELECT COUNT(*) FROM sessions")


def events(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    """The events of `kind` in events.jsonl, oldest first (none before the file exists)."""
    path = data_dir / "events.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [line["event"] for line in lines if line["event"]["kind"] == kind]


def details(data_dir: Path, kind: str) -> list[str]:
    """The `detail` of each event of `kind`, oldest first."""
    return [event["detail"] for event in events(data_dir, kind)]
