"""The watchdog service: backoff resets once the heartbeat is fresh again."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest

from praxis.operator.watchdog import Check, WatchdogSettings, run_watchdog
from praxis.paths import DataDir
from tests.conftest import InProcessRunner

NOW = "2026-05-01T08:00:00Z"


def _beat(data_dir: Path, updated_at: str) -> None:
    path = data_dir / "heartbeat.json"
    beat = json.loads(path.read_text())
    beat["updated_at"] = updated_at
    path.write_text(json.dumps(beat))


def test_backoff_resets_after_the_heartbeat_is_fresh_again(
    cli: InProcessRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", NOW)
    _beat(cli.data_dir, "2026-05-01T07:00:00Z")  # stale: an hour old
    backoff = 0.5
    settings = WatchdogSettings(
        max_age_seconds=900,
        restart_argv=(sys.executable, "-c", "pass"),
        interval_seconds=0.01,
        backoff_seconds=backoff,
    )
    stop = threading.Event()
    seen: list[tuple[float, Check]] = []

    def on_check(check: Check) -> None:
        seen.append((time.monotonic(), check))
        restarts = sum(1 for _, c in seen if c.restart is not None)
        if check.restart is not None and restarts == 2:
            _beat(cli.data_dir, NOW)  # the daemon came back
        elif check.fresh:
            _beat(cli.data_dir, "2026-05-01T07:00:00Z")  # ... and stalled again
        elif restarts == 3:
            stop.set()

    result = run_watchdog(DataDir(cli.data_dir), settings, on_check=on_check, stop=stop)
    assert result.restarts == 3
    restarts = [at for at, check in seen if check.restart is not None]
    recovered = next(at for at, check in seen if check.fresh)
    # Before recovery the second restart waited the backoff; after it the third did not wait
    # the doubled backoff (1.0 s): it ran at the next stale check.
    assert restarts[1] - restarts[0] >= backoff - 0.02
    assert restarts[2] - recovered < backoff
    assert [c.changed for _, c in seen if c.changed] == [True, True, True]
    events = [
        json.loads(line)["event"]["kind"]
        for line in (cli.data_dir / "events.jsonl").read_text().splitlines()
    ]
    watchdog_events = [kind for kind in events if kind.startswith("watchdog:")]
    assert watchdog_events == [
        "watchdog:started",
        "watchdog:stale",
        "watchdog:restart",
        "watchdog:restart",
        "watchdog:recovered",
        "watchdog:stale",
        "watchdog:restart",
        "watchdog:stopped",
    ]
