"""JOURNAL.md and METRICS.md entries, appended exactly once per session (reference §5.4)."""

from __future__ import annotations

from pathlib import Path

from praxis.files import append_record
from praxis.safe_read import read_tail
from praxis.text import one_line


def journal_entry(
    ended_at: str,
    session_id: int,
    outcome: str,
    goal: str | None,
    task: str | None,
    summary: str,
    completed_goal: str | None,
    *,
    max_chars: int | None = None,
) -> str:
    """One JOURNAL.md entry. The summary is cut to `max_chars` (memory.max_chars): the full
    text stays in the session row (`praxis forensics session --id N`)."""
    # `- Session: #id` makes every entry distinct, so the resume check never merges two
    # sessions that ended in the same second with the same text.
    lines = ["", f"## {ended_at}", f"- Session: #{session_id}", f"- Outcome: {outcome}"]
    if goal:
        lines.append(f"- Goal: {goal}")
    if task:
        lines.append(f"- Task: {task}")
    text = one_line(summary)
    if max_chars is not None and len(text) > max_chars:
        from praxis.memory.text import bounded

        text = bounded(text, max_chars)
    lines.append(f"- Summary: {text}")
    if completed_goal:
        lines.append(f"- Completed: {completed_goal}")
    return "\n".join(lines) + "\n"


def metrics_row(
    session_id: int, outcome: str, goal_title: str | None, task: str | None, ended_at: str
) -> str:
    """One METRICS.md row; the first cell is the global session id, as in JOURNAL.md."""
    cells = [str(session_id), outcome, goal_title or "-", task or "-", ended_at]
    return "| " + " | ".join(one_line(c).replace("|", "/") for c in cells) + " |\n"


def append_once(path: Path, record: str) -> bool:
    """Append `record` unless the file already ends with it (a resumed reflect). True if written.

    Only the file's tail is read: the check costs the same with 10 or 10,000 entries.
    """
    tail = read_tail(path, len(record.encode("utf-8")) * 4 + 4096)
    if tail.endswith(record) or record.strip() in tail:
        return False
    prefix = "" if not tail or tail.endswith("\n") else "\n"
    append_record(path, prefix + record)
    return True
