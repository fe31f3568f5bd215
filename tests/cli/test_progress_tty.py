"""The progress line on a real terminal: the installed `praxis` with its stderr on a
pseudo-terminal (a real process: whether stderr is a TTY is what is under test). The line shows
the work's steps and the seconds waited, is gone when the command ends (or is interrupted), and
stdout is byte-identical to a run without a terminal, where stderr stays empty."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import PraxisRunner, never_quiet, praxis_executable, use_backend, wait_for
from tests.fakes.openai import FakeOpenAI

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
TERMINAL = {"TERM": "xterm-256color"}
# Variables that tell rich to treat any stream as a terminal, or none: the tests set TERM alone.
RICH_OVERRIDES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SHOW_CURSOR, HIDE_CURSOR, ERASE_LINE = "\x1b[?25h", "\x1b[?25l", "\x1b[2K"
IMPORT_TIME = [sys.executable, "-X", "importtime", "-m", "praxis"]


class TtyRun(NamedTuple):
    returncode: int
    stdout: str
    tty: str  # what the terminal received on stderr, escapes and all

    @property
    def text(self) -> str:
        return ESCAPE.sub("", self.tty)


class Terminal:
    """A pseudo-terminal for a child's stderr (120 columns), read as the child writes."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)

    def start(self, argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
        clean = {k: v for k, v in env.items() if k not in RICH_OVERRIDES}
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.slave,
            env=clean,
            text=True,
        )
        os.close(self.slave)
        self._reader.start()
        return proc

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: every writer closed the terminal
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def received(self) -> str:
        return b"".join(self.chunks).decode("utf-8", errors="replace")

    def finish(self) -> str:
        self._reader.join(timeout=10)
        os.close(self.master)
        return self.received


def on_tty(runner: PraxisRunner, *args: str, env: dict[str, str] | None = None) -> TtyRun:
    """`praxis ARGS` with stderr on a terminal (stdout a pipe, as `praxis ... | cat` has it)."""
    terminal = Terminal()
    argv = [*praxis_executable(), "--data-dir", str(runner.data_dir), *args]
    proc = terminal.start(argv, {**runner.env, **TERMINAL, **(env or {})})
    stdout, _ = proc.communicate(timeout=120)
    return TtyRun(proc.returncode, stdout, terminal.finish())


def twin(runner: PraxisRunner, tmp_path: Path) -> PraxisRunner:
    """A second data dir initialized like `runner`'s, for the run without a terminal."""
    other = PraxisRunner(tmp_path / "twin", runner.env)
    assert other("init", "--name", "Praxis", "--timezone", "UTC").returncode == 0
    return other


def assert_left_clean(tty: str) -> None:
    """The cursor is shown again after the last time it was hidden, and nothing printable is
    left after the last line was erased (before what came after the line)."""
    assert tty.rfind(SHOW_CURSOR) > tty.rfind(HIDE_CURSOR) >= 0
    tail = tty[tty.rfind(ERASE_LINE) + len(ERASE_LINE) :]
    assert ESCAPE.sub("", tail).strip() == ""


def test_run_once_shows_its_steps_on_the_terminal_and_prints_the_same_stdout(
    initialized: PraxisRunner, tmp_path: Path
) -> None:
    plain = twin(initialized, tmp_path).subprocess("run", "--once", env=DAY)
    shown = on_tty(initialized, "run", "--once", env=DAY)
    assert shown.returncode == plain.returncode == 0
    assert shown.stdout == plain.stdout
    assert "outcome: goal_selected" in shown.stdout
    assert plain.stderr == ""
    assert "orient: loading identity, goals, tools and context 0s" in shown.text
    assert_left_clean(shown.tty)


def test_a_slow_model_call_shows_the_route_and_the_seconds_waited(
    initialized: PraxisRunner, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    other = twin(initialized, tmp_path)
    for runner in (initialized, other):
        use_backend(runner.data_dir, "openai")
    env = {**fake_openai.env(), **DAY}
    fake_openai.text = "Planned: water the plants."
    plain = other.subprocess("run", "--once", "--task", "water plants", env=env)
    fake_openai.latency = 2.8  # every call waits this long for its answer
    shown = on_tty(initialized, "run", "--once", "--task", "water plants", env=env)
    assert shown.returncode == plain.returncode == 0, shown.text
    assert shown.stdout == plain.stdout
    assert plain.stderr == ""
    for seconds in ("0s", "1s", "2s"):
        assert f"decide: asking openai gpt-5.4-mini {seconds}" in shown.text
    assert "act: asking openai gpt-5.4-mini 2s" in shown.text
    assert_left_clean(shown.tty)


def _signalled_while_awaiting_a_model(
    runner: PraxisRunner, fake: FakeOpenAI, signum: signal.Signals
) -> tuple[int, str]:
    """`run --once` on a terminal, sent `signum` while its model call waits: (exit code, what
    the terminal received)."""
    use_backend(runner.data_dir, "openai")
    fake.latency = 60
    terminal = Terminal()
    argv = [*praxis_executable(), "--data-dir", str(runner.data_dir), "run", "--once"]
    proc = terminal.start(argv, {**runner.env, **fake.env(), **DAY, **TERMINAL})
    try:
        assert wait_for(lambda: "decide: asking openai" in terminal.received, 30)
        proc.send_signal(signum)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, terminal.finish()


def test_ctrl_c_while_a_model_is_awaited_leaves_the_terminal_clean(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    returncode, tty = _signalled_while_awaiting_a_model(initialized, fake_openai, signal.SIGINT)
    assert returncode == 130  # Ctrl-C, as on the fast path: `error: interrupted`
    before, _, after = tty.rpartition("error: interrupted")
    assert ESCAPE.sub("", after).strip() == ""
    assert_left_clean(before)


def test_kill_9_while_a_model_is_awaited_leaves_the_cursor_shown(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    # Nothing in the process gets to clean up: the cursor must never have stayed hidden.
    _, tty = _signalled_while_awaiting_a_model(initialized, fake_openai, signal.SIGKILL)
    assert tty.rfind(SHOW_CURSOR) > tty.rfind(HIDE_CURSOR)


@pytest.mark.parametrize(
    ("args", "env", "drawn"),
    [
        (("evals", "run"), TERMINAL, True),
        (("evals", "run", "--json"), TERMINAL, False),
        (("evals", "run"), {"TERM": "dumb"}, False),
    ],
)
def test_no_line_with_json_or_on_a_dumb_terminal(
    initialized: PraxisRunner, args: tuple[str, ...], env: dict[str, str], drawn: bool
) -> None:
    shown = on_tty(initialized, *args, env=env)
    assert shown.returncode == 0
    assert ("eval 1/1: Foundation runtime files stay healthy" in shown.text) is drawn
    assert (shown.tty == "") is not drawn
    assert shown.stdout == initialized.subprocess(*args).stdout


def test_the_daemon_keeps_one_stdout_line_a_session_and_draws_between_them(
    initialized: PraxisRunner, tmp_path: Path
) -> None:
    other = twin(initialized, tmp_path)
    for runner in (initialized, other):
        never_quiet(runner.data_dir)
    args = ("run", "--max-sessions", "2", "--interval-minutes", "0.001")
    plain = other.subprocess(*args, env=DAY)
    shown = on_tty(initialized, *args, env=DAY)
    assert shown.returncode == plain.returncode == 0
    assert shown.stdout == plain.stdout
    assert plain.stderr == ""
    assert [line.split(" ", 2)[1] for line in shown.stdout.splitlines()[:2]] == ["session"] * 2
    assert "sleep: next session at 2026-05-01T12:00" in shown.text
    assert_left_clean(shown.tty)


def _imports_on_tty(runner: PraxisRunner, *args: str) -> set[str]:
    """The modules `praxis ARGS` imports with its stderr on a terminal (python -X importtime
    writes its table to that terminal too)."""
    terminal = Terminal()
    argv = [*IMPORT_TIME, "--data-dir", str(runner.data_dir), *args]
    proc = terminal.start(argv, {**runner.env, **TERMINAL, **DAY})
    proc.communicate(timeout=60)
    tty = terminal.finish()
    assert proc.returncode == 0, tty[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in ESCAPE.sub("", tty).splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("args", [["--version"], ["status"], ["ask", "hi"]])
def test_hot_commands_never_import_rich_even_on_a_terminal(
    initialized: PraxisRunner, args: list[str]
) -> None:
    modules = _imports_on_tty(initialized, *args)
    assert "praxis" in modules  # the table was read
    assert not {m for m in modules if m.split(".")[0] == "rich"}


def test_rich_is_imported_only_to_draw_the_line(initialized: PraxisRunner) -> None:
    assert "rich" in _imports_on_tty(initialized, "run", "--once")
    piped = subprocess.run(
        [*IMPORT_TIME, "--data-dir", str(initialized.data_dir), "run", "--once"],
        capture_output=True,
        text=True,
        env={**initialized.env, **DAY},
        timeout=60,
    )
    assert piped.returncode == 0, piped.stderr[-2000:]
    assert "| rich" not in piped.stderr and "| praxis.loop.session" in piped.stderr
