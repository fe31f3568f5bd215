"""Run one reviewer/eval check command: `sh -c`, data dir as cwd, no secrets, hard timeout.

Criteria and eval files are data the operator (or a tool) can write, so their commands get as
little as possible: no stdin, no provider keys or bot tokens in the environment, a timeout that
kills the whole process group, and a capped, redacted output tail. The command dies with Praxis,
and its process group is recorded in the data dir while it runs (`praxis.child_processes`).
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from praxis import child_processes as children
from praxis import env
from praxis.redact import redact

OUTPUT_LIMIT_BYTES = 4096
FINDING_LINE_CHARS = 200
_DRAIN_SECONDS = 1.0
_POLL_SECONDS = 0.05

# Names that carry credentials: provider keys, bot/dashboard tokens, cloud secrets.
_SECRET_NAME = re.compile(r"API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)
_SECRET_PREFIXES = ("PRAXIS_TELEGRAM_",)
# Secrets the operator may keep only in the data dir's `.env`: their values are redacted too.
_KNOWN_SECRETS = (
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "PRAXIS_TELEGRAM_BOT_TOKEN",
    "PRAXIS_DASHBOARD_TOKEN",
)


@dataclass(frozen=True)
class CheckOutcome:
    ok: bool
    exit_code: int | None
    output_tail: str
    timed_out: bool
    duration_ms: int


def _is_secret(name: str, value: str) -> bool:
    upper = name.upper()
    if _SECRET_NAME.search(upper) or upper.startswith(_SECRET_PREFIXES):
        return True
    return redact(value) != value


def child_environment() -> tuple[dict[str, str], tuple[str, ...]]:
    """The environment for check commands, and the secret values that were left out of it."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for name, value in env.snapshot().items():
        if _is_secret(name, value):
            dropped.append(value)
        else:
            kept[name] = value
    for name in _KNOWN_SECRETS:
        known = env.get(name)
        if known:
            dropped.append(known)
    return kept, tuple(dropped)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _read_available(fd: int, buffer: bytearray) -> bool:
    """Read what the pipe holds now; True at end of file."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return False
        if not chunk:
            return True
        buffer.extend(chunk)
        if len(buffer) > OUTPUT_LIMIT_BYTES:
            del buffer[: len(buffer) - OUTPUT_LIMIT_BYTES]


def _pump(proc: subprocess.Popen[bytes], fd: int, buffer: bytearray, deadline: float) -> bool:
    """Collect output until the shell exits or the deadline passes; True when it timed out."""
    eof = False
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while proc.poll() is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            if eof:
                try:
                    proc.wait(timeout=remaining)
                except subprocess.TimeoutExpired:
                    return True
            elif selector.select(min(remaining, _POLL_SECONDS)):
                eof = _read_available(fd, buffer)
    return False


def _drain(fd: int, buffer: bytearray) -> None:
    """Read the rest after the group was killed; bounded in case something escaped the group."""
    deadline = time.monotonic() + _DRAIN_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(_POLL_SECONDS) and _read_available(fd, buffer):
                return


def run_check(command: str, cwd: Path, timeout_seconds: float = 60) -> CheckOutcome:
    """Run `command` with `/bin/sh -c` in `cwd` (the data dir, where its process group is
    recorded while it runs); ok when it exits 0 within the timeout."""
    child_env, secrets = child_environment()
    children.reap_leftovers(cwd)
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=child_env,
            start_new_session=True,
            preexec_fn=children.preexec_for(timeout_seconds),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return CheckOutcome(False, None, redact(str(exc), secrets), False, elapsed)
    children.register(cwd, proc.pid, "check")
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    buffer = bytearray()
    try:
        timed_out = _pump(proc, fd, buffer, started + timeout_seconds)
    finally:
        # Also after a normal exit: background children (`cmd &`) must not outlive the check.
        _kill_group(proc.pid)
        children.unregister(cwd, proc.pid)
    _drain(fd, buffer)
    proc.stdout.close()
    proc.wait()
    elapsed = int((time.monotonic() - started) * 1000)
    tail = redact(buffer.decode("utf-8", errors="replace"), secrets)
    exit_code = None if timed_out else proc.returncode
    return CheckOutcome(exit_code == 0, exit_code, tail, timed_out, elapsed)


def failure_finding(command: str, outcome: CheckOutcome, timeout_seconds: float) -> str:
    """The reviewer's finding text for a failed check (the original's format, plus timeouts)."""
    shown = redact(command)
    if outcome.timed_out:
        return f"`{shown}` timed out after {timeout_seconds:g}s"
    lines = [line.strip() for line in outcome.output_tail.splitlines() if line.strip()]
    detail = lines[-1][:FINDING_LINE_CHARS] if lines else "command exited without output"
    return f"`{shown}` failed: {detail}"
