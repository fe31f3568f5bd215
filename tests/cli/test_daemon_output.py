"""What the daemon and `run --once` say: one line per tick, the quiet-hours window, and
"all goals complete" journaled once (issue 9)."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess

from praxis.loop.lock import run_lock
from praxis.paths import DataDir
from tests.conftest import PraxisRunner, never_quiet, wait_for
from tests.records import count, details, events, session_count

DAYTIME = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _daemon(runner: PraxisRunner, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """The daemon as a real process (stopped with SIGTERM; its output read as it is printed)."""
    return runner.popen("run", *args, env=env)


def _stopped_after(runner: PraxisRunner, kind: str, at_least: int, *args: str) -> tuple[str, str]:
    """Run the daemon (a tick every 0.6 s) until it has recorded `at_least` events of `kind`
    and still runs, then stop it with SIGTERM; (stdout, stderr). Exits 0."""
    daemon = _daemon(runner, "--interval-minutes", "0.01", *args, env=DAYTIME)
    try:
        assert wait_for(lambda: len(events(runner.data_dir, kind)) >= at_least, 30)
        assert daemon.poll() is None
    finally:
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    return out, err


def _first_line(runner: PraxisRunner, *args: str, env: dict[str, str]) -> tuple[str, str, str]:
    """Start the daemon (60-minute interval), read its first stdout line as it is printed, stop
    it with SIGTERM; (first line, all stdout, stderr). Exits 0."""
    daemon = _daemon(runner, "--interval-minutes", "60", *args, env=env)
    try:
        assert daemon.stdout is not None
        first = daemon.stdout.readline().rstrip("\n")
    finally:
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    return first, out, err


def test_daemon_prints_one_line_per_session_as_it_runs(initialized: PraxisRunner) -> None:
    never_quiet(initialized.data_dir)
    # A long interval: the line must arrive while the daemon idles (flushed, not buffered).
    first, out, err = _first_line(initialized, env=DAYTIME)
    with sqlite3.connect(initialized.data_dir / "praxis.db") as conn:
        session_id = conn.execute("SELECT id FROM sessions").fetchone()[0]
    assert first == (
        f"2026-05-01T12:00:00Z session #{session_id} goal_selected "
        "goal=G-001: Complete the first Praxis foundation run"
    )
    assert out.splitlines()[-3:] == ["daemon: stopped", "sessions: 1", "reason: signal"]
    assert err == ""


def test_daemon_line_names_the_task_and_counts_sessions(initialized: PraxisRunner) -> None:
    never_quiet(initialized.data_dir)
    result = initialized("run", "--interval-minutes", "0.01", "--max-sessions", "2", env=DAYTIME)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"\S+Z session #\d+ goal_selected goal=G-001: .+", lines[0])
    # All goals are now complete: the stop is journaled by session #2 ...
    assert re.fullmatch(r"\S+Z session #\d+ stop_condition_met goal=-", lines[1])
    assert lines[2:] == ["daemon: stopped", "sessions: 2", "reason: max_sessions"]


def test_quiet_hours_message_names_window_end_and_force(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    text = config.read_text().replace('timezone = "UTC"', 'timezone = "Europe/Berlin"')
    config.write_text(text.replace('quiet_hours_start = "23:00"', 'quiet_hours_start = "22:00"'))
    night = {"PRAXIS_FIXED_NOW": "2026-04-30T21:30:00Z"}  # 23:30 in Berlin (CEST)
    result = initialized("run", "--once", env=night)
    assert result.returncode == 0, result.stderr
    expected = (
        "Quiet hours active (22:00–07:00 Europe/Berlin); session deferred until 07:00 "
        "Europe/Berlin (2026-05-01T05:00:00Z). Run with --force to run now."
    )
    assert result.lines()["outcome"] == "deferred_quiet_hours"
    assert result.lines()["summary"] == expected
    assert details(initialized.data_dir, "agent:sleep_deferred") == [expected]
    assert session_count(initialized.data_dir) == 0
    # After midnight the same window still ends at 07:00 local, the same morning.
    late = initialized("run", "--once", env={"PRAXIS_FIXED_NOW": "2026-05-01T02:00:00Z"})
    assert "deferred until 07:00 Europe/Berlin (2026-05-01T05:00:00Z)" in late.stdout
    forced = initialized("run", "--once", "--force", env=night)
    assert forced.lines()["outcome"] == "goal_selected"


def test_daemon_deferral_line(initialized: PraxisRunner) -> None:
    night = {"PRAXIS_FIXED_NOW": "2026-05-01T23:30:00Z"}
    first, out, _ = _first_line(initialized, "--max-sessions", "1", env=night)
    assert first == (
        "2026-05-01T23:30:00Z no session (deferred_quiet_hours): Quiet hours active "
        "(23:00–07:00 UTC); session deferred until 07:00 UTC (2026-05-02T07:00:00Z). "
        "Run with --force to run now."
    )
    # A deferral is not a session run: --max-sessions 1 kept it going until the signal.
    assert out.splitlines()[-2:] == ["sessions: 0", "reason: signal"]


def test_all_goals_complete_is_journaled_once(initialized: PraxisRunner) -> None:
    journal = initialized.data_dir / "JOURNAL.md"
    metrics = initialized.data_dir / "METRICS.md"
    assert initialized("run", "--once", env=DAYTIME).lines()["outcome"] == "goal_selected"
    stop = initialized("run", "--once", env=DAYTIME).lines()
    assert stop["outcome"] == "stop_condition_met"
    assert stop["summary"].startswith("All current goals are complete.")
    stop_id = count(initialized.data_dir, "SELECT MAX(id) FROM sessions")
    journaled, measured = journal.read_text(), metrics.read_text()
    day_count = (initialized.data_dir / "DAY_COUNT").read_text()
    for hour in ("13", "14", "15"):
        again = initialized("run", "--once", env={"PRAXIS_FIXED_NOW": f"2026-05-02T{hour}:00:00Z"})
        assert again.returncode == 0, again.stderr
        assert again.lines()["outcome"] == "stop_condition_met"
        assert again.lines()["summary"] == (
            f"All goals are complete; nothing to do (journaled once at session #{stop_id})."
        )
    assert journal.read_text() == journaled
    assert journal.read_text().count("All current goals are complete") == 1
    assert metrics.read_text() == measured
    assert (initialized.data_dir / "DAY_COUNT").read_text() == day_count
    assert session_count(initialized.data_dir) == stop_id
    status = initialized("status", env=DAYTIME).lines()
    assert status["last_outcome"] == "stop_condition_met"

    # A quiet-hours deferral in between does not make it journal again.
    night = {"PRAXIS_FIXED_NOW": "2026-05-02T23:30:00Z"}
    assert initialized("run", "--once", env=night).lines()["outcome"] == "stop_condition_met"

    # A task is work: it runs. A changed GOALS.md is news: the next session runs too.
    task = initialized("run", "--once", "--task", "water plants", env=DAYTIME).lines()
    assert task["outcome"] == "task_selected"
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text(goals.read_text() + "- [ ] G-002: Tidy the notes\n")
    assert initialized("run", "--once", env=DAYTIME).lines()["outcome"] == "goal_selected"


def test_stop_record_is_not_taken_when_a_goal_was_added_meanwhile(
    initialized: PraxisRunner,
) -> None:
    initialized("run", "--once", env=DAYTIME)
    assert initialized("run", "--once", env=DAYTIME).lines()["outcome"] == "stop_condition_met"
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text(goals.read_text() + "- [ ] G-002: Tidy the notes\n")
    next_run = initialized("run", "--once", env=DAYTIME).lines()
    assert next_run["outcome"] == "goal_selected"
    assert next_run["goal"] == "G-002: Tidy the notes"


def test_daemon_with_the_lock_held_elsewhere_runs_no_session(initialized: PraxisRunner) -> None:
    never_quiet(initialized.data_dir)
    with run_lock(DataDir(initialized.data_dir).run_lock):
        # It keeps ticking (and idling in between) instead of counting skips as sessions.
        out, _ = _stopped_after(initialized, "daemon:skipped", 2, "--max-sessions", "1")
    lines = out.splitlines()
    assert lines[-3:] == ["daemon: stopped", "sessions: 0", "reason: signal"]
    assert re.fullmatch(
        r"\S+Z tick skipped: another Praxis session is running \(pid \d+\)", lines[0]
    )
    assert session_count(initialized.data_dir) == 0


def test_daemon_errors_go_to_stderr_and_events(initialized: PraxisRunner) -> None:
    never_quiet(initialized.data_dir)
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text("# Goals\n\n- [ ] G-001 no colon\n", encoding="utf-8")
    out, err = _stopped_after(initialized, "daemon:error", 1)
    assert err.startswith("error: ")
    assert "GOALS.md" in err.splitlines()[0]
    assert out.splitlines()[-2:] == ["sessions: 0", "reason: signal"]


def test_an_unexpected_crash_in_a_tick_is_logged_and_the_daemon_goes_on(
    initialized: PraxisRunner,
) -> None:
    never_quiet(initialized.data_dir)
    # JSON nested deeper than Python's parser recurses: not a PraxisError, a real crash.
    state = initialized.data_dir / "session_state.json"
    state.write_text("[" * 100_000 + "]" * 100_000)
    _, err = _stopped_after(initialized, "daemon:error", 2)  # the crashes did not end it
    assert err.startswith("error: internal error: RecursionError")
    assert "hint: details in " in err
    log = (initialized.data_dir / "logs" / "praxis-errors.log").read_text()
    assert "Traceback" in log and "RecursionError" in log
