"""The daemon's daily jobs (issue 14): each once per local day, recorded across restarts, with a
canary when freeze_on_model_regression is on; `status` shows the last run of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.operator.daily_jobs import run_daily_jobs
from praxis.paths import DataDir
from tests.conftest import InProcessRunner
from tests.fakes.openai import FakeOpenAI


def _remote_with_freeze(data_dir: Path) -> None:
    config = data_dir / "praxis.toml"
    text = config.read_text().replace('backend = "stub"', 'backend = "openai"')
    config.write_text(
        text.replace("freeze_on_model_regression = false", "freeze_on_model_regression = true")
    )


def _tick(data_dir: Path) -> None:
    app = Praxis(DataDir(data_dir))
    try:
        run_daily_jobs(app)
    finally:
        app.close()


def test_canary_runs_once_a_day_with_the_freeze_on(
    cli: InProcessRunner, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remote_with_freeze(cli.data_dir)
    fake_openai.text = "PraxisCanaryReady"
    for key, value in fake_openai.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T12:00:00Z")
    _tick(cli.data_dir)
    _tick(cli.data_dir)  # a restart the same day: nothing again
    assert len(fake_openai.requests) == 1
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-02T12:00:00Z")
    _tick(cli.data_dir)
    assert len(fake_openai.requests) == 2
    status = cli("status", env={**fake_openai.env(), "PRAXIS_FIXED_NOW": "2026-05-02T13:00:00Z"})
    line = status.lines()["daily_jobs"]
    assert "canary=2026-05-02T12:00:00Z" in line and "memory=2026-05-02T12:00:00Z" in line


def test_no_canary_without_the_freeze(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T12:00:00Z")
    _tick(cli.data_dir)
    line = cli("status", env={"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}).lines()["daily_jobs"]
    assert "canary=never" in line and "memory=2026-05-01T12:00:00Z" in line
