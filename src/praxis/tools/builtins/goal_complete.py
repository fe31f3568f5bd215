"""`goal-complete`: the model reports that the session's goal is done.

It does not touch GOALS.md. The act loop reads a successful call (tool name + `goal_id`) and sets
`act_reported_done` for that goal; reflect then marks it `- [x]` only if its gates pass (criteria
checks, evals). Only the goal this session selected can be reported, and only while it is open.
"""

from __future__ import annotations

from praxis.tools.builtins.base import Arguments, ToolContext, ToolOutcome, builtin_tool, failure
from praxis.tools.builtins.schema import object_schema, string_schema

NAME = "goal-complete"
GOAL_ID_MAX_CHARS = 64
EVIDENCE_MAX_CHARS = 2000

SCHEMA = object_schema(
    ("goal_id", "evidence"),
    goal_id=string_schema(
        GOAL_ID_MAX_CHARS, "Id of the goal this session is working on, e.g. G-002."
    ),
    evidence=string_schema(EVIDENCE_MAX_CHARS, "What was done and how it can be checked."),
)


# What the model is shown for this tool.
DESCRIPTION = (
    "Report that the goal this session is working on is finished, with evidence. The goal is "
    "marked done only if reflect's checks (criteria, evals) pass."
)


def _complete(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    """The goal-complete call."""
    from praxis.identity.goals import load_goals

    goal_id = str(arguments["goal_id"])
    if not str(arguments["evidence"]).strip():
        return failure(NAME, "evidence must not be blank: say what was done and how to check it")
    if ctx.goal_id is None:
        return failure(NAME, "this session has no selected goal, so no goal can be completed")
    if goal_id != ctx.goal_id:
        return failure(
            NAME,
            f"only this session's goal {ctx.goal_id} can be completed, not {goal_id!r}",
        )
    goal = next((g for g in load_goals(ctx.data_dir) if g.id == goal_id), None)
    if goal is None:
        return failure(NAME, f"goal {goal_id} is not in GOALS.md")
    if goal.done:
        return failure(NAME, f"goal {goal_id} is already done")
    return ToolOutcome(
        True,
        f"Goal {goal_id} will be marked done if reflect's checks pass.",
        f"goal-complete {goal_id}",
    )


GOAL_COMPLETE = builtin_tool(NAME, DESCRIPTION, SCHEMA, _complete)
