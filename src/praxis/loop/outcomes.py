"""The session's vocabulary as `Literal` types: its phases and its outcomes (SPEC §4).

A leaf module (typing only), so the state file's loader can check values against it cheaply.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

SessionPhase = Literal["orient", "decide", "act", "reflect", "sleep"]

Outcome = Literal[
    # decide
    "task_selected",
    "approved_tool_selected",
    "goal_selected",
    "waiting_on_dependencies",
    "stop_condition_met",
    # act
    "tool_executed",
    "tool_failed",
    "blocked_loop_guard",
    "awaiting_approval",
    "approval_expired",
    "truncated_reply",
    # any phase that calls a model
    "budget_exhausted",
    "provider_failed",
    # reflect
    "review_failed",
    "eval_failed",
    # no session ran
    "deferred_quiet_hours",
    "none",  # reflect reached without any outcome (never expected; rendered as `none`)
]

PHASES: tuple[SessionPhase, ...] = get_args(SessionPhase)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)


def is_outcome(text: str) -> TypeGuard[Outcome]:
    """For outcomes named elsewhere as plain text (the goal planner's selection)."""
    return text in OUTCOMES
