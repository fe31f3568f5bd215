"""Processes as the tests see them: through /proc where there is one (a zombie counts as gone),
else through `kill(pid, 0)` (where a zombie still counts as running); and `run --once` as a real
process for the tests that kill Praxis with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import PraxisRunner, wait_for

HAVE_PROC = Path("/proc/self/stat").exists()


def stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state letter, command name) of a process from /proc, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], name


def running(pid: int) -> bool:
    """Alive, not merely a zombie (or dead) waiting for whoever adopted it to reap it."""
    if not HAVE_PROC:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    found = stat(pid)
    return found is not None and found[1] not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    return wait_for(lambda: not running(pid), seconds)


def child_of(parent: int, name: str) -> int | None:
    """A running process called `name` whose parent is `parent`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = stat(int(entry.name))
            if found is not None and found[0] == parent and found[2] == name and found[1] != "Z":
                return int(entry.name)
    return None


def await_child(parent: int, name: str, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pid = child_of(parent, name)
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError(f"no {name} child of {parent} appeared")


def kill_running(*pids: int) -> None:
    """SIGKILL each of `pids` that still runs (a test's clean-up)."""
    for pid in pids:
        if running(pid):
            os.kill(pid, signal.SIGKILL)


def start_run(runner: PraxisRunner, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`run --once --task t` as a real process, its output discarded: the test kills it."""
    return runner.popen(
        "run",
        "--once",
        "--task",
        "t",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=False,
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL, as `kill -9` would, and reap it."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
