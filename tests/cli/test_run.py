"""`run --once` end to end: goal completion, stop condition, resume after kill -9, the run lock."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import PraxisRunner, wait_for
from tests.records import count, session_count

DAYTIME = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _db(runner: PraxisRunner) -> sqlite3.Connection:
    conn = sqlite3.connect(runner.data_dir / "praxis.db")
    conn.row_factory = sqlite3.Row
    return conn


def _journal_entries(runner: PraxisRunner) -> int:
    return (runner.data_dir / "JOURNAL.md").read_text().count("\n## 20")


def _metrics_rows(runner: PraxisRunner) -> int:
    lines = (runner.data_dir / "METRICS.md").read_text().splitlines()
    return sum(
        1 for line in lines if line.startswith("| ") and not line.startswith(("| Session", "| ---"))
    )


def test_first_run_completes_g001_then_stops(initialized: PraxisRunner) -> None:
    first = initialized("run", "--once", env=DAYTIME)
    assert first.returncode == 0, first.stderr
    values = first.lines()
    assert values["outcome"] == "goal_selected"
    assert values["phase"] == "sleep"
    assert values["resumed"] == "false"
    assert values["goal"] == "G-001: Complete the first Praxis foundation run"
    assert values["task"] == "-"
    assert "Stub backend prepared goal G-001" in values["summary"]
    assert "Goal G-001 completed." in values["summary"]
    goals = (initialized.data_dir / "GOALS.md").read_text()
    assert "- [x] G-001: Complete the first Praxis foundation run" in goals
    assert (initialized.data_dir / "DAY_COUNT").read_text() == "1\n"
    assert _journal_entries(initialized) == 1
    assert "- Completed: G-001" in (initialized.data_dir / "JOURNAL.md").read_text()
    assert _metrics_rows(initialized) == 1
    assert session_count(initialized.data_dir) == 1
    with _db(initialized) as conn:
        row = conn.execute("SELECT * FROM sessions").fetchone()
        assert row["goals_completed"] == 1 and row["goals_attempted"] == 1
        assert row["reviewer_passes"] == 1 and row["eval_passes"] == 1
        assert row["day"] == 1 and row["session_num"] == 1
        assert set(json.loads(row["phase_durations"])) >= {"orient", "decide", "act"}
        snapshots = conn.execute("SELECT checkpoint, session_id FROM session_snapshots").fetchall()
        assert len(snapshots) == 9
        assert all(s["session_id"] == row["id"] for s in snapshots[-1:])
        assert conn.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0] == 1

    second = initialized("run", "--once", env=DAYTIME)
    assert second.returncode == 0, second.stderr
    assert second.lines()["outcome"] == "stop_condition_met"
    assert second.lines()["summary"].startswith(
        "All current goals are complete. Stop condition reached."
    )
    with _db(initialized) as conn:
        phases = [
            r[0] for r in conn.execute("SELECT phase FROM provider_attempts WHERE session_id = 2")
        ]
    assert phases == []  # waiting/stop sessions make no model call


def test_task_session_and_status(initialized: PraxisRunner) -> None:
    result = initialized("run", "--once", "--task", "water plants", env=DAYTIME)
    assert result.returncode == 0, result.stderr
    assert result.lines()["outcome"] == "task_selected"
    assert result.lines()["task"] == "water plants"
    assert "Task: water plants" in (initialized.data_dir / "JOURNAL.md").read_text()
    status = initialized("status", env=DAYTIME).lines()
    assert status["last_outcome"] == "task_selected"
    assert status["last_session"] == "#1 task_selected (day 1, session 1 of the day)"
    assert status["last_review"] == "skipped"
    forensics = initialized("forensics", "latest")
    assert forensics.returncode == 0, forensics.stderr
    assert forensics.lines()["snapshot_count"] == "9"
    assert "prompt: decide sha256=" in forensics.stdout


def test_next_goal_is_picked_after_g001(initialized: PraxisRunner) -> None:
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text(goals.read_text() + "- [ ] G-002: Tidy the notes\n")
    assert initialized("run", "--once", env=DAYTIME).lines()["goal"].startswith("G-001")
    second = initialized("run", "--once", env=DAYTIME).lines()
    assert second["outcome"] == "goal_selected"
    assert second["goal"] == "G-002: Tidy the notes"
    # G-002 has no criteria file and the stub never reports done: it stays open.
    assert "- [ ] G-002" in goals.read_text()


def test_day_count_advances_per_local_day(initialized: PraxisRunner) -> None:
    initialized("run", "--once", env={"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"})
    initialized("run", "--once", env={"PRAXIS_FIXED_NOW": "2026-05-01T13:00:00Z"})
    assert (initialized.data_dir / "DAY_COUNT").read_text() == "1\n"
    # A task: with every goal done a plain run would not start a session (journaled once).
    day2 = {"PRAXIS_FIXED_NOW": "2026-05-02T12:00:00Z"}
    initialized("run", "--once", "--task", "check the day count", env=day2)
    assert (initialized.data_dir / "DAY_COUNT").read_text() == "2\n"
    with _db(initialized) as conn:
        rows = [tuple(r) for r in conn.execute("SELECT day, session_num FROM sessions ORDER BY id")]
    assert rows == [(1, 1), (1, 2), (2, 1)]


def test_quiet_hours_defer_without_clobbering(initialized: PraxisRunner) -> None:
    night = {"PRAXIS_FIXED_NOW": "2026-05-01T23:30:00Z"}
    result = initialized("run", "--once", env=night)
    assert result.returncode == 0
    assert result.lines()["outcome"] == "deferred_quiet_hours"
    assert session_count(initialized.data_dir) == 0
    # An interrupted session survives a quiet-hours deferral and resumes later.
    crashed = initialized.subprocess(  # a real process: PRAXIS_CRASH_AT kills it (-9)
        "run", "--once", env={**DAYTIME, "PRAXIS_CRASH_AT": "agent:decide_start:start"}
    )
    assert crashed.returncode != 0
    assert initialized("run", "--once", env=night).lines()["outcome"] == "deferred_quiet_hours"
    resumed = initialized("run", "--once", env=DAYTIME)
    assert resumed.lines()["resumed"] == "true"
    assert resumed.lines()["outcome"] == "goal_selected"
    forced = initialized("run", "--once", "--force", env=night)
    assert forced.lines()["outcome"] == "stop_condition_met"


CRASH_POINTS = [
    "session_loaded",
    "agent:orient_start:start",
    "orient:mid",
    "agent:orient_start:complete",
    "agent:decide_start:start",
    "decide:mid",
    "agent:decide_start:complete",
    "agent:act_start:start",
    "act:mid",
    "agent:act_start:complete",
    "agent:reflect_start",
    "reflect:after_session_row",
    "reflect:after_goal_done",
    "reflect:after_journal",
    "agent:reflect_complete",
]


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_kill_9_anywhere_then_resume(initialized: PraxisRunner, point: str) -> None:
    # A real process: PRAXIS_CRASH_AT kills it (-9); the resume runs in this process.
    crashed = initialized.subprocess("run", "--once", env={**DAYTIME, "PRAXIS_CRASH_AT": point})
    assert crashed.returncode == -9, (crashed.returncode, crashed.stderr)
    again = initialized("run", "--once", env=DAYTIME)
    assert again.returncode == 0, again.stderr
    if point == "agent:reflect_complete":
        # The session had finished; the next run is a new one.
        assert again.lines()["outcome"] == "stop_condition_met"
        sessions = 2
    else:
        assert again.lines()["resumed"] == "true"
        assert again.lines()["outcome"] == "goal_selected"
        sessions = 1
    assert session_count(initialized.data_dir) == sessions
    assert _journal_entries(initialized) == sessions
    assert _metrics_rows(initialized) == sessions
    assert count(initialized.data_dir, "SELECT COUNT(*) FROM hot_memories") == sessions
    assert "- [x] G-001" in (initialized.data_dir / "GOALS.md").read_text()
    json.loads((initialized.data_dir / "session_state.json").read_text())
    assert initialized("doctor").returncode == 0


def test_two_concurrent_runs_one_session(initialized: PraxisRunner) -> None:
    # Two real processes on one lock. The first session's criteria check holds it inside the
    # lock until the test says so: it marks `holding`, then waits for `release` (no timed sleep).
    holding, release = initialized.data_dir / "holding", initialized.data_dir / "release"
    criteria = initialized.data_dir / "goals" / "criteria" / "G-001.json"
    spec = json.loads(criteria.read_text())
    spec["commands"].insert(0, "touch holding; while [ ! -e release ]; do sleep 0.05; done")
    criteria.write_text(json.dumps(spec))
    holder = initialized.popen("run", "--once", env=DAYTIME)
    try:
        assert wait_for(holding.exists, 30), "the first session never reached its check"
        second = initialized("run", "--once", env=DAYTIME)
    finally:
        release.touch()
        _out, err = holder.communicate(timeout=60)
    assert holder.returncode == 0, err
    assert second.returncode == 1
    assert second.stderr.startswith(f"error: another Praxis session is running (pid {holder.pid})")
    assert session_count(initialized.data_dir) == 1


def test_run_on_uninitialized_dir(praxis: PraxisRunner) -> None:
    result = praxis("run", "--once")
    assert result.returncode == 1
    assert "init" in result.stderr


def test_corrupt_goals_mid_session_fails_cleanly(initialized: PraxisRunner, tmp_path: Path) -> None:
    (initialized.data_dir / "GOALS.md").write_text("# Goals\n\n- [ ] missing colon\n")
    result = initialized("run", "--once", env=DAYTIME)
    assert result.returncode == 2
    assert "GOALS.md line 3" in result.stderr
    assert "Traceback" not in result.stderr
