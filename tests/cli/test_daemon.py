"""The daemon: sessions on a schedule, a fresh heartbeat while idle, a clean exit on SIGTERM."""

from __future__ import annotations

import json
import signal

from tests.conftest import PraxisRunner, never_quiet, wait_for
from tests.records import session_count


def test_daemon_runs_sessions_keeps_heartbeat_and_stops_on_sigterm(
    initialized: PraxisRunner,
) -> None:
    never_quiet(initialized.data_dir)
    # A real process: the daemon runs until SIGTERM stops it.
    daemon = initialized.popen("run", "--interval-minutes", "0.05")
    try:
        assert wait_for(lambda: session_count(initialized.data_dir) >= 1, 30)
        beat_path = initialized.data_dir / "heartbeat.json"
        assert wait_for(lambda: "Daemon idle" in beat_path.read_text(), 10)
        first = json.loads(beat_path.read_text())["updated_at_unix_ms"]
        assert wait_for(lambda: json.loads(beat_path.read_text())["updated_at_unix_ms"] > first, 5)
        check = initialized("heartbeat", "check", "--max-age-seconds", "5")
        assert check.returncode == 0, check.stderr
        status = initialized("status").lines()
        assert "next_run" in status
        assert wait_for(lambda: session_count(initialized.data_dir) >= 2, 30)
    finally:
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    assert "daemon: stopped" in out
    assert "reason: signal" in out
    state = json.loads((initialized.data_dir / "session_state.json").read_text())
    assert state["current_phase"] in ("Sleep", "Orient", "Decide", "Act", "Reflect")
    # Whatever it was doing, the next one-shot run finishes cleanly.
    assert initialized("run", "--once", "--force").returncode == 0


def test_daemon_max_sessions(initialized: PraxisRunner) -> None:
    never_quiet(initialized.data_dir)
    result = initialized("run", "--interval-minutes", "0.01", "--max-sessions", "2")
    assert result.returncode == 0, result.stderr
    assert result.lines()["sessions"] == "2"
    assert result.lines()["reason"] == "max_sessions"
    assert session_count(initialized.data_dir) == 2
    events = (initialized.data_dir / "events.jsonl").read_text()
    assert "daemon:started" in events and "daemon:stopped" in events


def test_daemon_rejects_bad_interval(initialized: PraxisRunner) -> None:
    result = initialized("run", "--interval-minutes", "0")
    assert result.returncode == 2
    assert "--interval-minutes must be greater than 0" in result.stderr
