"""Shared fixtures: the `praxis` command (run in this process by default), initialized data dirs,
a clean environment.

`praxis` / `initialized` calls run `praxis.cli.main(argv)` in the test process: the installed
script's own entry point, with the call's whole environment, stdout/stderr captured, stdin from a
string, and what a process would keep between calls reset after each (see `run_in_process`).
Tests where the process itself matters say so by calling `.subprocess(...)` / `.popen(...)`:
kill -9 (`PRAXIS_CRASH_AT`), concurrent processes and the run lock, the daemon and watchdog loops
(signals), start-up imports, a command that could hang, and the installed script itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest

from praxis import env

pytest_plugins = ["tests.fakes.plugin"]

# Variables that would leak the developer's setup into tests.
_SCRUBBED = (
    "PRAXIS_DATA_DIR",
    "PRAXIS_FIXED_NOW",
    "PRAXIS_DEBUG",
    "PRAXIS_NO_FAST_PATH",
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "OLLAMA_HOST",
    "PRAXIS_TELEGRAM_BOT_TOKEN",
    "PRAXIS_TELEGRAM_ALLOWED_CHAT_IDS",
)
# Variables that only make sense for a real process: PRAXIS_CRASH_AT SIGKILLs the process.
_PROCESS_ONLY = ("PRAXIS_CRASH_AT",)


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

    def keys(self) -> list[str]:
        """The keys of the stdout lines in order (`key: value` and `key:` lines; the `- ` list
        items under a key are not keys)."""
        lines = self.stdout.splitlines()
        return [line.split(":", 1)[0] for line in lines if not line.startswith("- ")]


@contextlib.contextmanager
def fresh_process_state() -> Iterator[None]:
    """What one `praxis` process keeps in module globals, as a new process would start (empty),
    and put back afterwards: the `.env` values, the registry of secret names and values to
    redact, the database named in disk errors. Per-process caches that hold no test state (the
    shared httpx client, tokenizer tables, price table, /proc facts) are left alone."""
    from praxis import redact
    from praxis.storage import db

    names, values, opened = set(redact._names), set(redact._values), db._opened
    env.clear_dotenv()
    redact._names.clear()
    redact._values.clear()
    try:
        yield
    finally:
        env.clear_dotenv()
        redact._names.clear()
        redact._names.update(names)
        redact._values.clear()
        redact._values.update(values)
        db._opened = opened


def run_in_process(
    argv: list[str],
    environ: Mapping[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
) -> Result:
    """`praxis ARGV` through `praxis.cli.main`, as the installed script runs it. `environ` is the
    call's whole environment (None: the test's own); `stdin` what it reads (empty, like
    /dev/null, by default); `cwd` its working directory. Everything is restored afterwards."""
    from praxis.cli import main

    if needs_a_process(os.environ if environ is None else environ):
        pytest.fail(f"{' or '.join(_PROCESS_ONLY)} needs a real process: use runner.subprocess()")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, fresh_process_state():
        if environ is not None:
            for key in [k for k in os.environ if k not in environ]:
                patch.delenv(key)
            for key, value in environ.items():
                patch.setenv(key, value)
        if cwd is not None:
            patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # as `python -m praxis` would end
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    return Result(code, out.getvalue(), err.getvalue())


def run_subprocess(
    argv: list[str], environ: Mapping[str, str], stdin: str | None = None, cwd: Path | None = None
) -> Result:
    """`praxis ARGV`: the installed script as a child process (a crash shows as a negative
    returncode, e.g. -9 after PRAXIS_CRASH_AT)."""
    proc = subprocess.run(
        [*praxis_executable(), *argv],
        capture_output=True,
        text=True,
        env=dict(environ),
        input=stdin,
        cwd=cwd,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def needs_a_process(environ: Mapping[str, str]) -> bool:
    """True when the environment asks for something only a real process can do (kill -9)."""
    return any(environ.get(name) for name in _PROCESS_ONLY)


@dataclass
class PraxisRunner:
    """`praxis --data-dir DATA_DIR ...` with the environment `env` (plus a call's `env=`).

    Calling the runner runs the command in this process (fast). `.subprocess(...)` runs the
    installed script in a child process and `.popen(...)` starts one in the background: use
    them only where the process itself is under test, and say why at the call."""

    data_dir: Path
    env: dict[str, str]

    def _argv(self, args: tuple[str, ...]) -> list[str]:
        return ["--data-dir", str(self.data_dir), *args]

    def __call__(
        self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        return run_in_process(self._argv(args), {**self.env, **(env or {})}, stdin)

    def bare(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """In this process, without the `--data-dir` option (the data dir comes from `args`,
        PRAXIS_DATA_DIR or the platform default)."""
        return run_in_process(list(args), {**self.env, **(env or {})})

    def subprocess(
        self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        """The installed `praxis` as a child process (a crash shows as a negative returncode)."""
        return run_subprocess(self._argv(args), {**self.env, **(env or {})}, stdin)

    def popen(self, *args: str, env: dict[str, str] | None = None, **kwargs: Any) -> Popen[Any]:
        """The installed `praxis` started in the background (text pipes unless overridden)."""
        options: dict[str, Any] = {
            "stdout": subprocess.PIPE,
            "stderr": subprocess.PIPE,
            "text": True,
            **kwargs,
        }
        return Popen(
            [*praxis_executable(), *self._argv(args)], env={**self.env, **(env or {})}, **options
        )


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
    with fresh_process_state():
        yield


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
    """`praxis --data-dir DATA_DIR ...` in this process, in the test's own environment (as
    monkeypatch left it) plus a call's `env=`."""

    data_dir: Path

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return run_in_process(
            ["--data-dir", str(self.data_dir), *args], {**os.environ, **(env or {})}
        )


@pytest.fixture
def cli(tmp_path: Path) -> InProcessRunner:
    """An in-process runner on an initialized data dir `tmp_path/data`."""
    runner = InProcessRunner(tmp_path / "data")
    result = runner("init", "--name", "Praxis", "--timezone", "UTC")
    assert result.returncode == 0, result.stderr
    return runner


@pytest.fixture
def app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """A `Praxis` on a freshly initialized data dir `tmp_path/d`, with the clock pinned to the
    test module's `NOW` (default 2026-05-01T12:00:00Z). Closed after the test."""
    from praxis.app import Praxis
    from praxis.operator.init import initialize
    from praxis.paths import DataDir

    monkeypatch.setenv("PRAXIS_FIXED_NOW", getattr(request.module, "NOW", "2026-05-01T12:00:00Z"))
    data = DataDir(tmp_path / "d")
    initialize(data, "Praxis", "UTC", 2)
    praxis = Praxis(data)
    yield praxis
    praxis.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Any:
    """A DataDir at `tmp_path/data` that is NOT initialized: only the empty folders the reviewer
    and the evals read (evals/, goals/criteria/). An initialized one: `app`, `cli`, `initialized`."""
    from praxis.paths import DataDir

    data = DataDir(tmp_path / "data")
    data.evals_dir.mkdir(parents=True)
    data.criteria_dir.mkdir(parents=True)
    return data


def use_backend(data_dir: Path, backend: str) -> None:
    """Switch a freshly initialized data dir from the stub to `backend` (agent.backend)."""
    config = data_dir / "praxis.toml"
    config.write_text(config.read_text().replace('backend = "stub"', f'backend = "{backend}"'))


def never_quiet(data_dir: Path) -> None:
    """Quiet hours 00:00-00:00 (none) in praxis.toml, so a daemon runs sessions at any hour."""
    config = data_dir / "praxis.toml"
    text = config.read_text().replace('quiet_hours_start = "23:00"', 'quiet_hours_start = "00:00"')
    config.write_text(text.replace('quiet_hours_end = "07:00"', 'quiet_hours_end = "00:00"'))


def write_json(path: Path, body: dict[str, Any], **fields: Any) -> Path:
    """`body` as JSON at `path` (an eval, a criteria file ...), `fields` added to or replacing
    its keys."""
    import json

    path.write_text(json.dumps({**body, **fields}))
    return path


def write_failing_eval(data_dir: Path, **fields: Any) -> Path:
    """evals/always-fails.json: an operator eval whose shell check always fails (`fields` add
    to or replace the defaults)."""
    spec = {
        "id": "always-fails",
        "name": "A check that fails",
        "when": "always",
        "severity": "functional",
        "verify_with": "shell",
        "commands": ["test -f NO-SUCH-FILE"],
    }
    return write_json(data_dir / "evals" / "always-fails.json", spec, **fields)
