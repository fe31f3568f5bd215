"""`praxis watchdog`: a stale heartbeat is recorded and the restart command runs, with backoff."""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import signal
import sys
from pathlib import Path

from tests.conftest import InProcessRunner, PraxisRunner, Result, wait_for
from tests.procs import gone_within, running
from tests.records import details

LATER = {"PRAXIS_FIXED_NOW": "2099-01-01T00:00:00Z"}  # init wrote the heartbeat "now"
MARK = "import sys, time; open(sys.argv[1], 'a').write(f'{time.time()}\\n')"


def _marker_command(marker: Path) -> list[str]:
    return [sys.executable, "-c", MARK, str(marker)]


def _marks(marker: Path) -> list[float]:
    return [float(line) for line in marker.read_text().split()] if marker.exists() else []


def test_stale_heartbeat_runs_the_restart_command_once_and_records_events(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "restarted"
    command = shlex.join(_marker_command(marker))
    result = cli("watchdog", "--once", "--restart-command", command, env=LATER)
    assert result.returncode == 1
    lines = result.lines()
    assert lines["watchdog"] == "stale"
    assert int(lines["age_seconds"]) > 900
    assert lines["max_age_seconds"] == "900"
    assert lines["restart"] == "exit=0"
    assert result.stderr.startswith("error: heartbeat is stale: age=")
    assert len(_marks(marker)) == 1
    assert len(details(cli.data_dir, "watchdog:stale")) == 1
    [restart] = details(cli.data_dir, "watchdog:restart")
    assert restart.startswith("exit=0 command=")


def test_fresh_heartbeat_runs_nothing(cli: InProcessRunner, tmp_path: Path) -> None:
    marker = tmp_path / "restarted"
    result = cli("watchdog", "--once", "--restart-command", shlex.join(_marker_command(marker)))
    assert result.returncode == 0, result.stderr
    assert result.lines()["watchdog"] == "fresh"
    assert result.lines()["restart"] == "none"
    assert not marker.exists()
    assert details(cli.data_dir, "watchdog:stale") == []
    assert details(cli.data_dir, "watchdog:restart") == []


def test_restart_command_after_double_dash_is_an_exact_argv(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "a file; with $(spaces)"
    result = cli("watchdog", "--once", "--", *_marker_command(marker), env=LATER)
    assert result.returncode == 1
    assert result.lines()["restart"] == "exit=0"
    assert len(_marks(marker)) == 1  # no shell: the name reached the command unchanged


def test_restart_exit_code_and_output_are_reported(cli: InProcessRunner) -> None:
    code = "import sys; print('unit not found'); sys.exit(5)"
    result = cli("watchdog", "--once", "--", sys.executable, "-c", code, env=LATER)
    assert result.returncode == 1
    assert result.lines()["restart"] == "exit=5"
    assert result.lines()["restart_output"] == "unit not found"
    assert details(cli.data_dir, "watchdog:restart")[0].startswith("exit=5 ")


def test_stale_without_a_restart_command_still_records_the_event(cli: InProcessRunner) -> None:
    result = cli("watchdog", "--once", env=LATER)
    assert result.returncode == 1
    assert result.lines()["restart"] == "none"
    assert len(details(cli.data_dir, "watchdog:stale")) == 1


def test_missing_heartbeat_counts_as_stale(cli: InProcessRunner, tmp_path: Path) -> None:
    (cli.data_dir / "heartbeat.json").unlink()
    marker = tmp_path / "restarted"
    result = cli("watchdog", "--once", "--", *_marker_command(marker))
    assert result.returncode == 1
    assert result.lines()["age_seconds"] == "unknown"
    assert len(_marks(marker)) == 1


def test_bad_usage_exits_2(cli: InProcessRunner) -> None:
    for args, message in (
        (["--restart-command", "true", "--", "true"], "give the restart command once"),
        (["--restart-command", "'unbalanced"], "cannot be split"),
        (["--restart-command", "no-such-command-praxis"], "restart command not found"),
        (["--interval-seconds", "nan"], "--interval-seconds must be a number greater than 0"),
        (["--backoff-seconds", "0"], "--backoff-seconds must be a number greater than 0"),
        (["--max-age-seconds", "0"], "--max-age-seconds must be greater than 0"),
    ):
        result = cli("watchdog", "--once", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def _restart_python(cli: InProcessRunner, timeout: str, code: str) -> tuple[Result, int]:
    """`watchdog --once` on a stale heartbeat, its restart command `python -c CODE PID_FILE`
    given `timeout` seconds; the result, and the pid CODE wrote to PID_FILE (its argv[1])."""
    pid_file = cli.data_dir.parent / "restart.pid"
    argv = ("--", sys.executable, "-c", code, str(pid_file))
    result = cli("watchdog", "--once", "--restart-timeout-seconds", timeout, *argv, env=LATER)
    return result, int(pid_file.read_text())


def test_restart_command_times_out_and_its_whole_group_is_killed(cli: InProcessRunner) -> None:
    code = (
        "import subprocess, sys, time; "
        "child = subprocess.Popen(['sleep', '60']); "
        "open(sys.argv[1], 'w').write(str(child.pid)); time.sleep(60)"
    )
    result, grandchild = _restart_python(cli, "1", code)
    assert result.returncode == 1
    assert result.lines()["restart"].startswith("timeout after ")
    assert gone_within(grandchild, 10), "the restart command's group outlived it"


def test_a_daemon_started_in_the_background_is_left_running(cli: InProcessRunner) -> None:
    code = (
        "import subprocess, sys; "
        "child = subprocess.Popen(['sleep', '60'], stdout=sys.stdout, stderr=sys.stderr); "
        "open(sys.argv[1], 'w').write(str(child.pid))"
    )
    result, daemon = _restart_python(cli, "20", code)
    try:
        assert result.lines()["restart"] == "exit=0"  # not held up by the inherited output
        assert running(daemon)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(daemon, signal.SIGKILL)


def test_loop_restarts_with_backoff_and_stops_on_sigterm(
    initialized: PraxisRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "restarted"
    backoff = 0.3
    # A real process: the watchdog loops until SIGTERM stops it.
    watchdog = initialized.popen(
        "watchdog",
        "--interval-seconds",
        "0.05",
        "--backoff-seconds",
        str(backoff),
        "--",
        *_marker_command(marker),
        env=LATER,
    )
    try:
        assert wait_for(lambda: len(_marks(marker)) >= 4, 30)
    finally:
        watchdog.send_signal(signal.SIGTERM)
        out, err = watchdog.communicate(timeout=30)
    assert watchdog.returncode == 0, err
    marks = _marks(marker)
    gaps = [later - earlier for earlier, later in itertools.pairwise(marks)]
    # Each wait is at least the backoff, doubling: 0.3, 0.6, 1.2 s (checks run every 0.05 s).
    for index, gap in enumerate(gaps[:3]):
        assert gap >= backoff * 2**index - 0.05, gaps
    lines = out.splitlines()
    assert sum(" watchdog: stale " in line for line in lines) == 1  # printed on change only
    assert sum(" restart: exit=0 " in line for line in lines) == len(marks)
    assert lines[-4:] == [
        "watchdog: stopped",
        lines[-3],
        f"restarts: {len(marks)}",
        "reason: signal",
    ]
    assert len(details(initialized.data_dir, "watchdog:stale")) == 1
    assert len(details(initialized.data_dir, "watchdog:restart")) == len(marks)
    assert details(initialized.data_dir, "watchdog:stopped")
