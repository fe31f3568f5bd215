"""The in-process runner (tests/conftest.py): each call starts as a new `praxis` process would, sees
exactly the runner's environment, and leaves the test process as it found it; a crash point
needs a real process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from praxis import env, redact
from tests.conftest import PraxisRunner, run_in_process

TOKEN = "dashboard-token-value-0123456789"
DOTENV_KEY = "sk-dotenv-only-0123456789abcdef"


def test_a_call_leaves_no_secret_and_no_dotenv_value_behind(initialized: PraxisRunner) -> None:
    (initialized.data_dir / "dashboard.token").write_text(TOKEN)
    dotenv = initialized.data_dir / ".env"
    dotenv.write_text(f"OPENAI_API_KEY={DOTENV_KEY}\n")
    dotenv.chmod(0o600)
    assert initialized("doctor").returncode == 0
    # That call loaded the .env and registered both values for redaction; the next call (a new
    # process) must find them again itself, or a test would pass that fails for real.
    assert env.get("OPENAI_API_KEY") is None
    assert not {TOKEN, DOTENV_KEY} & set(redact.known_secrets())


def test_a_call_leaves_environment_cwd_and_stdin_as_they_were(initialized: PraxisRunner) -> None:
    environ, cwd, stdin = dict(os.environ), os.getcwd(), sys.stdin
    result = initialized("status", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"})
    assert result.returncode == 0, result.stderr
    assert (dict(os.environ), os.getcwd(), sys.stdin) == (environ, cwd, stdin)


def test_a_call_sees_the_runner_environment_only(
    praxis: PraxisRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "not-the-runners"))
    status = praxis.bare("status")
    assert f"data_dir: {tmp_path / 'home' / '.local' / 'share' / 'praxis'}" in status.stdout


def test_a_relative_data_dir_resolves_against_the_given_cwd(tmp_path: Path) -> None:
    cwd = os.getcwd()
    result = run_in_process(["--data-dir", "relative", "init"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "relative" / "praxis.toml").is_file()
    assert os.getcwd() == cwd


def test_a_crash_point_is_refused_in_process(initialized: PraxisRunner) -> None:
    with pytest.raises(pytest.fail.Exception, match="needs a real process"):
        initialized("run", "--once", env={"PRAXIS_CRASH_AT": "session_loaded"})
    assert not (initialized.data_dir / "session_state.json").exists()
