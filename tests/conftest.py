"""Shared fixtures: the installed `praxis` command, initialized data dirs, a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from praxis.config import env

pytest_plugins = ["tests.fakes.plugin"]

# Variables that would leak the developer's setup into tests.
_SCRUBBED = (
    "PRAXIS_DATA_DIR",
    "PRAXIS_FIXED_NOW",
    "PRAXIS_DEBUG",
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "OLLAMA_HOST",
    "PRAXIS_TELEGRAM_BOT_TOKEN",
    "PRAXIS_TELEGRAM_ALLOWED_CHAT_IDS",
)


def praxis_executable() -> list[str]:
    script = Path(sys.executable).with_name("praxis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "praxis"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def lines(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in self.stdout.splitlines():
            key, sep, value = line.partition(": ")
            if sep and key not in out:
                out[key] = value
        return out


@dataclass
class PraxisRunner:
    """Runs the installed `praxis` command as an operator would."""

    data_dir: Path
    env: dict[str, str]

    def __call__(
        self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        merged = {**self.env, **(env or {})}
        proc = subprocess.run(
            [*praxis_executable(), "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            env=merged,
            input=stdin,
            timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll `predicate` every 0.1 s until it holds (True) or `timeout` seconds pass (False)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def clean_env(home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    base["HOME"] = str(home)
    base.pop("XDG_DATA_HOME", None)
    return base


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    env.clear_dotenv()
    yield
    env.clear_dotenv()


@pytest.fixture
def praxis(tmp_path: Path) -> PraxisRunner:
    """A runner on a not-yet-initialized data dir `tmp_path/data`."""
    return PraxisRunner(tmp_path / "data", clean_env(tmp_path / "home"))


@pytest.fixture
def initialized(praxis: PraxisRunner) -> PraxisRunner:
    result = praxis("init", "--name", "Praxis", "--timezone", "UTC")
    assert result.returncode == 0, result.stderr
    return praxis


@dataclass
class InProcessRunner:
    """Runs `praxis` in this process (fast): the same entry point as the installed script, with
    the environment set for the call and stdout/stderr captured. Use `PraxisRunner` where the
    process itself matters (kill -9, locks, start-up)."""

    data_dir: Path

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        import contextlib
        import io

        from praxis.cli import main
        from praxis.config import env as dotenv

        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--data-dir", str(self.data_dir), *args])
        dotenv.clear_dotenv()
        return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(tmp_path: Path) -> InProcessRunner:
    """An in-process runner on an initialized data dir `tmp_path/data`."""
    runner = InProcessRunner(tmp_path / "data")
    result = runner("init", "--name", "Praxis", "--timezone", "UTC")
    assert result.returncode == 0, result.stderr
    return runner
