"""Goal selection (reference §5.5), with a reason for every open goal so `goals next` can explain.

Pure: callers pass the goals, the data dir root (for `file_exists:`) and the time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from praxis.identity.goals import Goal

Kind = Literal["selected", "waiting", "complete"]
OUTCOMES: dict[str, str] = {
    "selected": "goal_selected",
    "waiting": "waiting_on_dependencies",
    "complete": "stop_condition_met",
}
COMPLETE_SUMMARY = "All current goals are complete. Stop condition reached."


@dataclass(frozen=True)
class GoalCheck:
    """Why one open goal is or is not eligible."""

    goal: Goal
    eligible: bool
    unblocks: int  # open goals that list this one in blocked_by
    reasons: tuple[str, ...]  # what keeps it from being eligible (empty when eligible)
    notes: tuple[str, ...] = ()  # suspicious but harmless, e.g. an unknown parent id


@dataclass(frozen=True)
class Selection:
    kind: Kind
    goal: Goal | None
    checks: tuple[GoalCheck, ...]  # every open goal, in priority order for eligible ones first
    summary: str

    @property
    def outcome(self) -> str:
        return OUTCOMES[self.kind]

    @property
    def skipped(self) -> tuple[GoalCheck, ...]:
        return tuple(c for c in self.checks if self.goal is None or c.goal.id != self.goal.id)


def choose_goal(
    goals: Sequence[Goal],
    data_dir_root: Path,
    now: datetime,
    env_get: Callable[[str], str | None] | None = None,
) -> Selection:
    """Pick the next goal: open, not a parent of an open goal, unblocked and awake."""
    getter = env_get or _env_get
    open_goals = [g for g in goals if not g.done]
    if not open_goals:
        return Selection("complete", None, (), COMPLETE_SUMMARY)

    by_id = {g.id: g for g in goals}
    open_ids = {g.id for g in open_goals}
    children: dict[str, list[str]] = {}
    dependents: dict[str, int] = {}
    for goal in open_goals:
        if goal.parent is not None:
            children.setdefault(goal.parent, []).append(goal.id)
        for blocker in dict.fromkeys(goal.blocked_by):  # distinct: one goal counts once
            dependents[blocker] = dependents.get(blocker, 0) + 1

    # An open goal waits for its blockers and for its open children.
    waits_for = {g.id: [*g.blocked_by, *children.get(g.id, [])] for g in open_goals}

    def cycle(starts: list[str], goal_id: str) -> str:
        looped = any(_reaches(start, goal_id, waits_for) for start in starts)
        return " in a dependency cycle" if looped else ""

    checks: list[GoalCheck] = []
    for goal in open_goals:
        reasons: list[str] = []
        notes: list[str] = []
        if goal.id in children:
            kids = children[goal.id]
            plural = "goals" if len(kids) > 1 else "goal"
            reasons.append(f"parent of open {plural} {', '.join(kids)}{cycle(kids, goal.id)}")
        for blocker in dict.fromkeys(goal.blocked_by):
            if blocker not in by_id:
                reasons.append(f"blocked by {blocker} (unknown id)")
            elif blocker in open_ids:
                reasons.append(f"blocked by {blocker} (open{cycle([blocker], goal.id)})")
        if goal.wake_when is not None:
            waiting = _wake_reason(goal.wake_when, data_dir_root, now, getter)
            if waiting is not None:
                reasons.append(waiting)
        if goal.parent is not None and goal.parent not in by_id:
            notes.append(f"parent {goal.parent} is not a goal in GOALS.md")
        checks.append(
            GoalCheck(goal, not reasons, dependents.get(goal.id, 0), tuple(reasons), tuple(notes))
        )

    ready = sorted((c for c in checks if c.eligible), key=lambda c: (-c.unblocks, c.goal.line))
    waiting_checks = [c for c in checks if not c.eligible]
    ordered = tuple(ready + waiting_checks)
    if not ready:
        summary = f"{len(open_goals)} open goals are waiting on dependencies or triggers."
        return Selection("waiting", None, ordered, summary)
    best = ready[0]
    return Selection("selected", best.goal, ordered, describe_choice(best, len(ready)))


def _env_get(name: str) -> str | None:
    from praxis import env

    return env.get(name)


def describe_choice(check: GoalCheck, ready_count: int) -> str:
    text = f"open, unblocked and awake; unblocks {check.unblocks} goal"
    text += "" if check.unblocks == 1 else "s"
    if ready_count > 1:
        text += f"; first of {ready_count} ready goals (most goals unblocked, then file order)"
    return text


def explain(check: GoalCheck, selected: Goal | None) -> str:
    """One line for `goals next`: why this open goal was not picked."""
    if check.eligible:
        after = f" after {selected.id}" if selected is not None else ""
        return f"ready, ranked{after} (unblocks {check.unblocks})"
    return "; ".join(check.reasons)


def _reaches(start: str, target: str, waits_for: dict[str, list[str]]) -> bool:
    """Whether `start` (transitively) waits for `target`: a cycle that can never clear."""
    stack, seen = [start], set()
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(waits_for.get(current, ()))
    return False


def _wake_reason(
    condition: str, root: Path, now: datetime, env_get: Callable[[str], str | None]
) -> str | None:
    """None when the wake condition holds, else why the goal is still asleep."""
    kind, sep, value = condition.partition(":")
    if sep and kind == "file_exists":
        awake = file_exists_within(root, value)
    elif sep and kind == "env":
        awake = bool(value) and env_get(value) is not None
    elif sep and kind == "after":
        from praxis import clock
        from praxis.errors import PraxisError

        try:
            awake = clock.parse_timestamp(value) <= now
        except PraxisError:
            return f"wake_when {condition} is not an RFC 3339 timestamp (never wakes)"
    else:
        return f"unsupported wake_when {condition} (never wakes)"
    return None if awake else f"waiting for {condition}"


def file_exists_within(root: Path, relative: str) -> bool:
    """`file_exists:` is relative to the data dir and never looks outside it.

    Absolute paths, `..` and symlinks that lead out of the data dir are never awake.
    """
    candidate = Path(relative)
    if not relative or candidate.is_absolute() or ".." in candidate.parts or "\x00" in relative:
        return False
    try:
        base = root.resolve()
        target = (base / candidate).resolve()
        target.relative_to(base)
        return target.exists()
    except (OSError, ValueError, RuntimeError):
        return False
