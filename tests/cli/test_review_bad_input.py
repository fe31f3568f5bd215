"""Bad input found in review: each is exit 2 with a message that names what was wrong."""

from __future__ import annotations

from tests.conftest import InProcessRunner


def test_a_started_at_that_is_no_timestamp_is_bad_input(cli: InProcessRunner) -> None:
    result = cli("forensics", "session", "--started-at", "nope")
    assert result.returncode == 2
    assert "invalid timestamp nope" in result.stderr


def test_a_blank_goal_id_is_shown_as_blank(cli: InProcessRunner) -> None:
    result = cli("goals", "done", "")
    assert result.returncode == 2
    assert "unknown goal id '' in GOALS.md" in result.stderr
