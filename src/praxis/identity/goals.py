"""GOALS.md: parse goal lines and their metadata (reference §5.5), and render them back.

Syntax: `- [ ] ID: title` (open) or `- [x] ID: title` (done), followed directly by optional
metadata lines indented two spaces: `parent: ID`, `blocked_by: ID, ID`, `wake_when: COND`.
Every other line is the operator's prose and is ignored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from praxis.errors import ConfigError, DataDirError

if TYPE_CHECKING:
    from praxis.paths import DataDir

OPEN_PREFIX = "- [ ] "
DONE_PREFIXES = ("- [x] ", "- [X] ")
METADATA_INDENT = "  "
METADATA_KEYS = ("parent", "blocked_by", "wake_when")
BOM = "\ufeff"
_NUMERIC_ID = re.compile(r"G-[0-9]+")

_SYNTAX_HINT = "write goals as `- [ ] G-001: title` (open) or `- [x] G-001: title` (done)"
_METADATA_HINT = (
    "indent metadata two spaces under its goal as `parent: ID`, `blocked_by: ID, ID` or "
    "`wake_when: file_exists:PATH | env:VAR | after:TIMESTAMP`"
)


class Goal(NamedTuple):
    id: str
    title: str
    done: bool
    line: int
    parent: str | None = None
    blocked_by: tuple[str, ...] = ()
    wake_when: str | None = None


def split_lines(text: str) -> list[str]:
    """Split on `\\n` only, so line numbers match what editors and the original show.

    `str.splitlines` would also split on form feeds and Unicode separators; a trailing `\\r`
    stays on the line here and is removed by the parser, never by the editor.
    """
    return text.split("\n")


def goal_prefix(line: str) -> tuple[bool, str] | None:
    """(done, rest) when `line` is a goal line, else None."""
    if line.startswith(OPEN_PREFIX):
        return False, line[len(OPEN_PREFIX) :]
    for prefix in DONE_PREFIXES:
        if line.startswith(prefix):
            return True, line[len(prefix) :]
    return None


def _parse_goal_line(line: str, number: int, path: str) -> Goal | None:
    found = goal_prefix(line)
    if found is None:
        return None
    done, rest = found
    if ":" not in rest:
        raise ConfigError(
            f"invalid goal syntax on line {number}, expected G-001: title",
            _SYNTAX_HINT,
            path=path,
            line=number,
        )
    raw_id, _, raw_title = rest.partition(":")
    goal_id, title = raw_id.strip(), raw_title.strip()
    if not goal_id or not title:
        raise ConfigError(
            f"invalid goal syntax on line {number}, expected non-empty id and title",
            _SYNTAX_HINT,
            path=path,
            line=number,
        )
    return Goal(id=goal_id, title=title, done=done, line=number)


def _apply_metadata(goal: Goal, seen: set[str], line: str, number: int, path: str) -> Goal:
    key, colon, raw_value = line.strip().partition(":")
    key, value = key.strip(), raw_value.strip()
    if not colon:
        raise ConfigError(
            f"invalid goal metadata on line {number}, expected key: value",
            _METADATA_HINT,
            path=path,
            line=number,
        )
    if key not in METADATA_KEYS:
        raise ConfigError(
            f"unsupported goal metadata key {key} on line {number}",
            f"use one of {', '.join(METADATA_KEYS)}, or un-indent the line if it is prose",
            path=path,
            line=number,
        )
    # The original silently kept only the last duplicate, which could drop a blocker.
    if key in seen:
        raise ConfigError(
            f"duplicate goal metadata key {key} on line {number} for goal {goal.id}",
            f"merge the {key} lines of {goal.id} into one",
            path=path,
            line=number,
        )
    seen.add(key)
    if key == "blocked_by":
        ids = tuple(part.strip() for part in value.split(",") if part.strip())
        return goal._replace(blocked_by=ids)
    if not value:
        raise ConfigError(
            f"{key} metadata on line {number} must not be empty",
            f"give {key} a value or delete the line",
            path=path,
            line=number,
        )
    if key == "parent":
        return goal._replace(parent=value)
    return goal._replace(wake_when=value)


def parse_goals(text: str, path: str = "GOALS.md") -> list[Goal]:
    """Every goal in `text`, in file order. Raises ConfigError (exit 2) naming the line."""
    lines = [line.removesuffix("\r") for line in split_lines(text.removeprefix(BOM))]
    goals: list[Goal] = []
    first_line: dict[str, int] = {}
    index = 0
    while index < len(lines):
        goal = _parse_goal_line(lines[index], index + 1, path)
        index += 1
        if goal is None:
            continue
        seen: set[str] = set()
        while index < len(lines):
            line = lines[index]
            # A whitespace-only line ends the block like a blank one (the original rejected it).
            if not line.startswith(METADATA_INDENT) or not line.strip():
                break
            goal = _apply_metadata(goal, seen, line, index + 1, path)
            index += 1
        if goal.id in first_line:
            raise ConfigError(
                f"duplicate goal id {goal.id} on lines {first_line[goal.id]} and {goal.line}",
                f"give one of them a new id, e.g. {next_goal_id(goals)}",
                path=path,
                line=goal.line,
            )
        first_line[goal.id] = goal.line
        goals.append(goal)
    return goals


def next_goal_id(goals: list[Goal]) -> str:
    """`G-{highest numeric G-NNN + 1:03}`; ids that are not G-<digits> do not count."""
    numbers = [int(g.id[2:]) for g in goals if _NUMERIC_ID.fullmatch(g.id)]
    return f"G-{max(numbers, default=0) + 1:03}"


def render_goal(goal: Goal) -> list[str]:
    """The lines that describe `goal` in GOALS.md (goal line + metadata)."""
    lines = [f"{'- [x] ' if goal.done else OPEN_PREFIX}{goal.id}: {goal.title}"]
    if goal.parent is not None:
        lines.append(f"{METADATA_INDENT}parent: {goal.parent}")
    if goal.blocked_by:
        lines.append(f"{METADATA_INDENT}blocked_by: {', '.join(goal.blocked_by)}")
    if goal.wake_when is not None:
        lines.append(f"{METADATA_INDENT}wake_when: {goal.wake_when}")
    return lines


def render_goals(goals: list[Goal], heading: str = "# Goals") -> str:
    lines = [heading, ""]
    for goal in goals:
        lines.extend(render_goal(goal))
    return "\n".join(lines) + "\n"


def read_goals_text(path: Path) -> str:
    """GOALS.md as text, byte-exact (no newline translation), or a clear error. A FIFO, device or
    directory in its place is refused (exit 2) instead of hanging."""
    from praxis.identity.textfile import decode_text
    from praxis.safe_read import read_bytes_regular

    try:
        data = read_bytes_regular(path, config=True)
    except FileNotFoundError:
        raise DataDirError(
            f"missing required identity file {path}",
            "run `praxis init` to recreate the seed GOALS.md, or restore it from a snapshot",
        ) from None
    except OSError as exc:
        raise DataDirError(
            f"cannot read {path}: {exc.strerror or exc}", "check the file's permissions"
        ) from None
    return decode_text(data, path, "re-save GOALS.md as UTF-8")


def load_goals(data_dir: DataDir) -> list[Goal]:
    """Parse the data dir's GOALS.md."""
    path = data_dir.goals_md
    return parse_goals(read_goals_text(path), str(path))
