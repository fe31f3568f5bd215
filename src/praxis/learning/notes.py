"""LEARNINGS.md: append-only records (reference §11), each one `write` of the whole record:

(blank line)
## 2026-05-01T08:00:00Z
- Kind: operational-note | source-summary
- Source: cli/manual | learning/sources/<file>
- Summary: <one line>
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from praxis.errors import UsageError
from praxis.paths import DataDir
from praxis.text import one_line

OPERATIONAL_NOTE = "operational-note"
SOURCE_SUMMARY = "source-summary"
MANUAL_SOURCE = "cli/manual"
MAX_SUMMARY_CHARS = 2000


class Noted(NamedTuple):
    summary: str
    appended_at: str


def normalize_summary(text: str) -> str:
    """Whitespace collapsed to single spaces (one line); empty is refused (exit 2)."""
    normalized = one_line(text)
    if not normalized:
        raise UsageError(
            "learning summary cannot be empty",
            "pass the note, e.g. `praxis learn note Prefer pip install --require-hashes`",
        )
    if len(normalized) > MAX_SUMMARY_CHARS:
        raise UsageError(
            f"learning note is {len(normalized)} characters; the limit is {MAX_SUMMARY_CHARS}",
            "shorten it, or put long material in learning/sources/ and run `praxis learn run`",
        )
    return normalized


def append_learning(data_dir: DataDir, kind: str, source: str, summary: str, now: str) -> None:
    from praxis.files import append_record

    record = f"\n## {now}\n- Kind: {kind}\n- Source: {source}\n- Summary: {summary}\n"
    path = data_dir.learnings_md
    _check_not_special(path)
    append_record(path, record)


def add_note(data_dir: DataDir, text: str, now: str) -> Noted:
    """`learn note`: an operational note from the operator."""
    summary = normalize_summary(text)
    append_learning(data_dir, OPERATIONAL_NOTE, MANUAL_SOURCE, summary, now)
    return Noted(summary, now)


def _check_not_special(path: Path) -> None:
    """LEARNINGS.md must be a regular file (opening a FIFO to append would hang)."""
    import os
    import stat

    from praxis.errors import DataDirError

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
        raise DataDirError(
            f"{path} is not a regular file",
            f"replace {path} with a regular file (`praxis init` recreates a missing seed file)",
        )
