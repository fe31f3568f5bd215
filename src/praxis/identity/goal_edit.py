"""In-place edits of GOALS.md: flip one checkbox or append one goal, keeping every other byte.

Each edit is a locked read-modify-write: parse (refuse a malformed file), change the text,
re-parse the result, then write it atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from praxis.errors import StateError, UsageError
from praxis.files import atomic_write_text
from praxis.identity.goals import (
    BOM,
    OPEN_PREFIX,
    Goal,
    next_goal_id,
    parse_goals,
    read_goals_text,
    render_goal,
    split_lines,
)
from praxis.identity.textfile import edit_lock

DONE_PREFIX = "- [x] "


def _find(goals: Sequence[Goal], goal_id: str) -> Goal:
    for goal in goals:
        if goal.id == goal_id:
            return goal
    shown = goal_id if goal_id.strip() else repr(goal_id)  # a blank id is shown as ''
    raise UsageError(
        f"unknown goal id {shown} in GOALS.md", "run `praxis goals list` to see the goal ids"
    )


def _set_checkbox(path: Path, goal_id: str, done: bool) -> Goal:
    with edit_lock(path):  # .praxis-goals.lock, shared by every surface
        text = read_goals_text(path)
        goal = _find(parse_goals(text, str(path)), goal_id)
        if goal.done == done:
            state = "done" if done else "open"
            verb = "reopen" if done else "done"
            raise StateError(
                f"goal {goal_id} is already {state}",
                f"nothing to change; `praxis goals {verb} {goal_id}` does the opposite",
            )
        lines = split_lines(text)
        index = goal.line - 1
        # A UTF-8 BOM sits before the first line's checkbox; keep it.
        skip = len(BOM) if index == 0 and lines[0].startswith(BOM) else 0
        line = lines[index]
        prefix = DONE_PREFIX if done else OPEN_PREFIX
        lines[index] = line[:skip] + prefix + line[skip + len(prefix) :]
        updated = "\n".join(lines)
        return _write_checked(path, updated, lambda goals: _find(goals, goal_id))


def mark_done(path: Path, goal_id: str) -> Goal:
    """`- [ ] ID` → `- [x] ID` on that goal's line only. Returns the updated goal."""
    return _set_checkbox(path, goal_id, True)


def reopen(path: Path, goal_id: str) -> Goal:
    """`- [x] ID` → `- [ ] ID` on that goal's line only. Returns the updated goal."""
    return _set_checkbox(path, goal_id, False)


def clean_title(title: str) -> str:
    """A goal title must be one non-blank line without control characters."""
    cleaned = title.strip()
    if not cleaned:
        raise UsageError("goal title must not be empty", "pass a title, e.g. `goals add 'Ship it'`")
    if len(cleaned.splitlines()) != 1 or any(ord(c) < 32 and c != "\t" for c in cleaned):
        raise UsageError(
            "goal title must be a single line without control characters",
            "put the title on one line; add details to ROADMAP.md or a criteria file",
        )
    return cleaned


def add_goal(
    path: Path, title: str, parent: str | None = None, blocked_by: Sequence[str] = ()
) -> tuple[Goal, bool]:
    """Append `- [ ] G-NNN: title` (+ metadata) unless a goal with that exact title exists.

    Returns (goal, created). The id is one past the highest numeric `G-NNN`.
    """
    title = clean_title(title)
    parent = (parent.strip() or None) if parent is not None else None
    blockers = tuple(dict.fromkeys(b.strip() for b in blocked_by if b.strip()))
    with edit_lock(path):  # .praxis-goals.lock, shared by every surface
        text = read_goals_text(path)
        goals = parse_goals(text, str(path))
        known = {g.id for g in goals}
        wanted = [("--parent", parent)] if parent is not None else []
        wanted += [("--blocked-by", b) for b in blockers]
        for option, goal_id in wanted:
            if goal_id not in known:
                raise UsageError(
                    f"unknown goal id {goal_id} in GOALS.md (from {option})",
                    "run `praxis goals list` to see the goal ids",
                )
        for goal in goals:
            if goal.title == title:
                return goal, False
        new = Goal(next_goal_id(goals), title, False, 0, parent, blockers, None)
        newline = "\r\n" if "\r\n" in text else "\n"
        prefix = text or "# Goals" + newline + newline
        if not prefix.endswith("\n"):
            prefix += newline
        updated = prefix + "".join(line + newline for line in render_goal(new))
        goal = _write_checked(path, updated, lambda parsed: parsed[-1])
        return goal, True


def _write_checked(path: Path, text: str, pick: Callable[[list[Goal]], Goal]) -> Goal:
    """Re-parse before writing so an edit can never leave GOALS.md unparseable."""
    goal = pick(parse_goals(text, str(path)))
    atomic_write_text(path, text)
    return goal
