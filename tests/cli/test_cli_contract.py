"""The CLI contract: version, help, usage errors, not-yet commands, uninitialized dirs, clock."""

from __future__ import annotations

import json

import pytest

from praxis import __version__
from tests.conftest import PraxisRunner


def test_version(praxis: PraxisRunner) -> None:
    result = praxis("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"praxis {__version__}"
    # The installed console script itself (the other tests call its entry point in-process).
    installed = praxis.subprocess("--version")
    assert (installed.returncode, installed.stdout, installed.stderr) == (0, result.stdout, "")


def test_help_lists_the_whole_surface(praxis: PraxisRunner) -> None:
    result = praxis("--help")
    assert result.returncode == 0
    for command in (
        "init",
        "status",
        "doctor",
        "ask",
        "run",
        "goals",
        "queue",
        "approve",
        "reject",
        "tools",
        "memory",
        "learn",
        "agents",
        "boundaries",
        "canary",
        "usage",
        "argus",
        "forensics",
        "heartbeat",
        "watchdog",
        "telegram",
        "serve",
        "export",
        "import",
        "snapshots",
    ):
        assert f"  {command} " in result.stdout, command


def test_unknown_flag_is_usage_error(initialized: PraxisRunner) -> None:
    result = initialized("status", "--bogus")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: No such option '--bogus'."
    assert result.stderr.splitlines()[1].startswith("hint: run `praxis status --help`")


@pytest.mark.parametrize(
    "args",
    [
        ["serve"],
        ["telegram", "poll-once"],
    ],
)
def test_planned_commands_say_not_available(initialized: PraxisRunner, args: list[str]) -> None:
    result = initialized(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "is not available yet" in result.stderr.splitlines()[0]


def test_uninitialized_dir_gets_hint(praxis: PraxisRunner) -> None:
    result = praxis("doctor")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: Praxis is not initialized in {praxis.data_dir}.",
        f"hint: run `praxis --data-dir {praxis.data_dir} init` first",
    ]


def test_invalid_fixed_now_exits_2(initialized: PraxisRunner) -> None:
    result = initialized("heartbeat", "status", env={"PRAXIS_FIXED_NOW": "yesterday"})
    assert result.returncode == 2
    assert "invalid PRAXIS_FIXED_NOW value yesterday" in result.stderr


def test_fixed_now_pins_init_timestamps(praxis: PraxisRunner) -> None:
    result = praxis("init", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"})
    assert result.returncode == 0
    journal = (praxis.data_dir / "JOURNAL.md").read_text()
    assert "Initialized Praxis foundation on 2026-05-01T08:00:00Z." in journal
    beat = json.loads((praxis.data_dir / "heartbeat.json").read_text())
    assert beat["updated_at"] == "2026-05-01T08:00:00Z"


def test_heartbeat_status_and_check(praxis: PraxisRunner) -> None:
    praxis("init", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"})
    fresh = praxis("heartbeat", "check", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:10:00Z"})
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.splitlines()[0] == "heartbeat_check: ok"
    assert fresh.lines()["phase"] == "sleep"
    stale = praxis("heartbeat", "check", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:20:00Z"})
    assert stale.returncode == 1
    assert (
        stale.stderr.splitlines()[0] == "error: heartbeat is stale: age=1200s max=900s phase=sleep"
    )
    custom = praxis(
        "heartbeat",
        "check",
        "--max-age-seconds",
        "1300",
        env={"PRAXIS_FIXED_NOW": "2026-05-01T08:20:00Z"},
    )
    assert custom.returncode == 0
    zero = praxis("heartbeat", "check", "--max-age-seconds", "0")
    assert zero.returncode == 2
    assert "max_age_seconds must be greater than 0" in zero.stderr
    status = praxis(
        "heartbeat", "status", "--json", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:30Z"}
    )
    data = json.loads(status.stdout)
    assert data["heartbeat"] == "ok" and data["age_seconds"] == 30 and data["component"] == "praxis"


def test_heartbeat_check_missing_file(initialized: PraxisRunner) -> None:
    (initialized.data_dir / "heartbeat.json").unlink()
    result = initialized("heartbeat", "check")
    assert result.returncode == 1
    assert "heartbeat file" in result.stderr and "missing" in result.stderr
