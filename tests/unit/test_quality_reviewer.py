"""Reviewer: the original's summary/finding strings, malformed criteria as a failed review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from praxis.paths import DataDir
from praxis.quality.reviewer import ReviewResult, goal_is_complete, review_goal
from tests.conftest import write_json


def _criteria(dd: DataDir, goal_id: str, commands: list[str], **extra: Any) -> Path:
    body = {
        "goal_id": goal_id,
        "done_when": ["it works"],
        "verify_with": "shell",
        "commands": commands,
    }
    return write_json(dd.criteria_dir / f"{goal_id}.json", body, **extra)


def test_no_goal_is_skipped(data_dir: DataDir) -> None:
    result = review_goal(data_dir, None)
    assert result.status == "skipped"
    assert result.summary == "Reviewer skipped because no goal was selected."
    assert result.findings == () and result.goal_id is None and result.checks_run == 0


def test_no_criteria_file_is_skipped_not_passed(data_dir: DataDir) -> None:
    result = review_goal(data_dir, "G-002")
    assert result.status == "skipped"
    assert result.summary.startswith("Reviewer skipped G-002: it has no criteria file")
    assert not result.has_criteria and result.checks_run == 0


def test_all_checks_pass(data_dir: DataDir) -> None:
    (data_dir.root / "IDENTITY.md").write_text("# Identity\n")
    _criteria(data_dir, "G-001", ["test -f IDENTITY.md", "true"])
    result = review_goal(data_dir, "G-001")
    assert result.status == "passed"
    assert result.summary == "Reviewer passed G-001 using 2 shell checks."
    assert result.has_criteria and result.checks_run == 2 and result.findings == ()


def test_every_failing_command_becomes_a_finding(data_dir: DataDir) -> None:
    _criteria(
        data_dir,
        "G-003",
        ["test -f missing.md", "echo ok", "printf 'one\\ntwo\\n\\n'; exit 4"],
    )
    result = review_goal(data_dir, "G-003")
    assert result.status == "failed"
    assert result.summary == "Reviewer failed G-003 with 2 finding(s)."
    assert result.findings == (
        "`test -f missing.md` failed: command exited without output",
        "`printf 'one\\ntwo\\n\\n'; exit 4` failed: two",
    )
    assert result.checks_run == 3


def test_timeout_is_a_finding(data_dir: DataDir) -> None:
    _criteria(data_dir, "G-004", ["sleep 5"])
    result = review_goal(data_dir, "G-004", timeout_seconds=0.3)
    assert result.status == "failed"
    assert result.findings == ("`sleep 5` timed out after 0.3s",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "invalid criteria JSON in"),
        (json.dumps({"goal_id": "G-005", "verify_with": "shell", "commands": ["true"]}),
         "must include at least one done_when item"),
        (json.dumps({"goal_id": "G-009", "done_when": ["x"], "verify_with": "shell",
                     "commands": ["true"]}), "must match goal_id G-009"),
        (json.dumps({"goal_id": "G-005", "done_when": ["x"], "verify_with": "llm",
                     "commands": ["true"]}), 'only supports verify_with = "shell"'),
    ],
)  # fmt: skip
def test_malformed_criteria_is_a_failed_review_not_a_crash(
    data_dir: DataDir, text: str, fragment: str
) -> None:
    (data_dir.criteria_dir / "G-005.json").write_text(text)
    result = review_goal(data_dir, "G-005")
    assert result.status == "failed"
    assert result.summary == "Reviewer failed G-005 with 1 finding(s)."
    assert len(result.findings) == 1 and fragment in result.findings[0]
    assert "G-005.json" in result.findings[0]
    assert result.checks_run == 0


def test_unreadable_criteria_path_is_a_failed_review(data_dir: DataDir) -> None:
    (data_dir.criteria_dir / "G-006.json").mkdir()
    result = review_goal(data_dir, "G-006")
    assert result.status == "failed"
    assert "cannot read" in result.findings[0]


def test_goal_id_cannot_escape_the_criteria_dir(data_dir: DataDir) -> None:
    (data_dir.root / "evil.json").write_text("{}")
    result = review_goal(data_dir, "../../evil")
    assert result.status == "failed"
    assert "not a valid file name" in result.findings[0]


def test_checks_run_in_the_data_dir(data_dir: DataDir) -> None:
    _criteria(data_dir, "G-007", ["test -d goals/criteria"])
    assert review_goal(data_dir, "G-007").status == "passed"


def _review(status: str, goal: str | None = "G-001", checks: int = 1) -> ReviewResult:
    return ReviewResult(status, "s", (), goal, checks)  # type: ignore[arg-type]


def test_goal_complete_with_passing_criteria() -> None:
    assert goal_is_complete(_review("passed"), 0, True)


def test_goal_not_complete_when_an_eval_failed() -> None:
    assert not goal_is_complete(_review("passed"), 1, True)


def test_goal_not_complete_when_review_failed_or_skipped() -> None:
    assert not goal_is_complete(_review("failed"), 0, True)
    assert not goal_is_complete(_review("skipped", goal=None, checks=0), 0, False)


def test_goal_without_criteria_never_completes_on_the_model_word() -> None:
    # No criteria: neither the model's report nor a pass without checks completes it.
    assert not goal_is_complete(_review("passed", checks=0), 0, False)
    assert not goal_is_complete(_review("passed", checks=1), 0, False)


def test_claimed_criteria_without_checks_do_not_complete() -> None:
    assert not goal_is_complete(_review("passed", checks=0), 0, True)


def test_no_criteria_review_is_skipped_and_says_how_to_close_the_goal(data_dir: DataDir) -> None:
    result = review_goal(data_dir, "G-008", act_reported_done=True)
    assert result.act_reported_done
    assert result.status == "skipped"
    assert "although the model reported it done" in result.summary
    assert "goals/criteria/G-008.json" in result.summary
    assert "praxis goals done G-008" in result.summary
    assert not goal_is_complete(result, 0, result.has_criteria)


def test_session_that_ended_early_names_its_goal(data_dir: DataDir) -> None:
    result = review_goal(data_dir, "G-009", ended_as="blocked_loop_guard")
    assert result.status == "skipped"
    assert result.summary == (
        "Reviewer skipped G-009: the session ended blocked_loop_guard before its work finished."
    )
