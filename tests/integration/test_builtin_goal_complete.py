"""`goal-complete` against a real GOALS.md: only the session's open goal, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from praxis.app import Praxis
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext, ToolOutcome

NOW = "2026-03-04T05:06:07Z"
GOALS = """# Goals

Operator prose stays.

- [ ] G-001: Complete the first Praxis foundation run
- [x] G-002: Already finished
- [ ] G-003: Write the garden plan
  blocked_by: G-001
"""


@pytest.fixture
def app(app: Praxis) -> Praxis:
    app.data_dir.goals_md.write_text(GOALS, encoding="utf-8")
    return app


def call(app: Praxis, session_goal: str | None, **arguments: Any) -> ToolOutcome:
    ctx = ToolContext(app.data_dir, app.db, app.config.settings, NOW, "run-1", session_goal)
    return builtin_tools()["goal-complete"].run(ctx, arguments)


def test_the_session_goal_is_reported_but_not_marked(app: Praxis) -> None:
    outcome = call(app, "G-003", goal_id="G-003", evidence="plan.md written, 3 sections")
    assert outcome == (
        True,
        "Goal G-003 will be marked done if reflect's checks pass.",
        "goal-complete G-003",
    )
    assert app.data_dir.goals_md.read_text(encoding="utf-8") == GOALS


def test_another_goal_is_refused(app: Praxis) -> None:
    outcome = call(app, "G-003", goal_id="G-001", evidence="done")
    assert not outcome.ok
    assert outcome.output == "only this session's goal G-003 can be completed, not 'G-001'"
    assert outcome.summary.startswith("goal-complete failed: ")


def test_no_session_goal_means_nothing_can_be_completed(app: Praxis) -> None:
    outcome = call(app, None, goal_id="G-001", evidence="done")
    assert not outcome.ok and "no selected goal" in outcome.output


def test_done_and_unknown_goals_are_refused(app: Praxis) -> None:
    done = call(app, "G-002", goal_id="G-002", evidence="done")
    assert not done.ok and done.output == "goal G-002 is already done"
    unknown = call(app, "G-404", goal_id="G-404", evidence="done")
    assert not unknown.ok and unknown.output == "goal G-404 is not in GOALS.md"


def test_blank_evidence_and_bad_arguments_are_refused(app: Praxis) -> None:
    assert call(app, "G-001", goal_id="G-001", evidence="  ").output.startswith(
        "evidence must not be blank"
    )
    missing = call(app, "G-001", goal_id="G-001")
    assert missing.output == "invalid arguments: missing required argument(s): evidence"
    assert not call(app, "G-001", goal_id=1, evidence="x").ok
    assert not call(app, "G-001", goal_id="G-001", evidence="x", done=True).ok


def test_a_malformed_goals_file_fails_the_call_instead_of_raising(app: Praxis) -> None:
    app.data_dir.goals_md.write_text("# Goals\n\n- [ ] G-001 no colon\n", encoding="utf-8")
    outcome = call(app, "G-001", goal_id="G-001", evidence="done")
    assert not outcome.ok
    assert "GOALS.md line 3" in outcome.output


def test_a_missing_goals_file_fails_the_call(app: Praxis) -> None:
    app.data_dir.goals_md.unlink()
    outcome = call(app, "G-001", goal_id="G-001", evidence="done")
    assert not outcome.ok and "missing required identity file" in outcome.output
