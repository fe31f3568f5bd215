"""JOURNAL.md and METRICS.md entries, appended exactly once per session (reference §5.4)."""

from __future__ import annotations

from pathlib import Path

from praxis.files import append_record


def journal_entry(
    ended_at: str,
    outcome: str,
    goal: str | None,
    task: str | None,
    summary: str,
    completed_goal: str | None,
) -> str:
    lines = ["", f"## {ended_at}", f"- Outcome: {outcome}"]
    if goal:
        lines.append(f"- Goal: {goal}")
    if task:
        lines.append(f"- Task: {task}")
    lines.append(f"- Summary: {_one_line(summary)}")
    if completed_goal:
        lines.append(f"- Completed: {completed_goal}")
    return "\n".join(lines) + "\n"


def metrics_row(
    session_num: int, outcome: str, goal_title: str | None, task: str | None, ended_at: str
) -> str:
    cells = [str(session_num), outcome, goal_title or "-", task or "-", ended_at]
    return "| " + " | ".join(_one_line(c).replace("|", "/") for c in cells) + " |\n"


def append_once(path: Path, record: str) -> bool:
    """Append `record` unless the file already ends with it (a resumed reflect). True if written."""
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    if existing.endswith(record) or record.strip() in existing[-(len(record) * 4 + 4096) :]:
        return False
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    append_record(path, prefix + record)
    return True


def _one_line(text: str) -> str:
    return " ".join(text.split())
