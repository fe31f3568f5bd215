"""Goal actions for the operator's surfaces (CLI, Telegram, dashboard): each takes the app and
returns typed goals, so no surface needs to know where GOALS.md lives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.identity.goals import Goal
    from praxis.identity.planner import Selection


def list_goals(app: Praxis) -> list[Goal]:
    """Every goal in GOALS.md, as written."""
    from praxis.identity.goals import load_goals

    return load_goals(app.data_dir)


def next_goal(app: Praxis) -> Selection:
    """The goal the planner would pick now, and why the others wait."""
    from praxis import clock
    from praxis.identity.goals import load_goals
    from praxis.identity.planner import choose_goal

    return choose_goal(load_goals(app.data_dir), app.data_dir.root, clock.now())


def add_goal(
    app: Praxis, title: str, parent: str | None, blocked_by: Sequence[str]
) -> tuple[Goal, bool]:
    """Append a goal (an existing goal with the same title is reused): (goal, created)."""
    from praxis.identity.goal_edit import add_goal as append

    return append(app.data_dir.goals_md, title, parent, blocked_by)


def mark_done(app: Praxis, goal_id: str) -> Goal:
    from praxis.identity.goal_edit import mark_done as check

    return check(app.data_dir.goals_md, goal_id.strip())


def reopen(app: Praxis, goal_id: str) -> Goal:
    from praxis.identity.goal_edit import reopen as uncheck

    return uncheck(app.data_dir.goals_md, goal_id.strip())
