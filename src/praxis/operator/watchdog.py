"""`praxis watchdog`: notice a stalled daemon by its heartbeat and run a restart command.

The heartbeat is stale when heartbeat.json is older than `max_age_seconds` (the rule of
`heartbeat check`) or cannot be read. A stale heartbeat is recorded as a `watchdog:stale` event
and, when a restart command is configured, the command runs (argv, never a shell) in its own
process group with a timeout; each run is a `watchdog:restart` event with its exit code. Between
restarts the watchdog backs off (`backoff_seconds`, doubling up to `MAX_BACKOFF_SECONDS`); the
backoff resets once the heartbeat is fresh again (`watchdog:recovered`).
"""

from __future__ import annotations

import contextlib
import math
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

from praxis import clock
from praxis.errors import CheckFailed, PraxisError, UsageError
from praxis.events import emit_event
from praxis.heartbeat import read_heartbeat
from praxis.paths import DataDir

MAX_BACKOFF_SECONDS = 600.0
KILL_GRACE_SECONDS = 5.0
OUTPUT_TAIL_BYTES = 4096


@dataclass(frozen=True)
class WatchdogSettings:
    max_age_seconds: int = 900
    restart_argv: tuple[str, ...] = ()
    restart_timeout_seconds: float = 120.0
    interval_seconds: float = 60.0
    backoff_seconds: float = 10.0

    def validate(self) -> None:
        if self.max_age_seconds <= 0:
            raise UsageError("--max-age-seconds must be greater than 0", "pass e.g. 900")
        for flag, value in (
            ("--restart-timeout-seconds", self.restart_timeout_seconds),
            ("--interval-seconds", self.interval_seconds),
            ("--backoff-seconds", self.backoff_seconds),
        ):
            if not math.isfinite(value) or value <= 0:
                raise UsageError(f"{flag} must be a number greater than 0", f"pass e.g. {flag} 10")
        if self.restart_argv and shutil.which(self.restart_argv[0]) is None:
            raise UsageError(
                f"restart command not found: {self.restart_argv[0]}",
                "give the full path of an executable, e.g. /usr/bin/systemctl",
            )


@dataclass(frozen=True)
class RestartOutcome:
    exit_code: int | None  # None when it timed out or could not start
    timed_out: bool
    error: str | None
    seconds: float
    output_tail: str  # the last non-empty line it printed, or ""

    @property
    def text(self) -> str:
        if self.error is not None:
            return f"error ({self.error})"
        if self.timed_out:
            return f"timeout after {self.seconds:.0f}s"
        return f"exit={self.exit_code}"


@dataclass(frozen=True)
class Check:
    at: str  # RFC 3339 UTC
    fresh: bool
    age_seconds: int | None  # None when heartbeat.json could not be read
    phase: str | None
    reason: str  # why it is stale ("" when fresh)
    changed: bool  # first check, or fresh <-> stale since the previous one
    restart: RestartOutcome | None = None
    next_restart_in: float | None = None  # seconds until the next restart may run


@dataclass(frozen=True)
class WatchdogResult:
    checks: int
    restarts: int
    reason: str


def parse_restart_command(command: str | None, argv: Sequence[str]) -> tuple[str, ...]:
    """The restart argv from `--restart-command CMD` (split like a shell, never run by one) or
    from the arguments after `--`; not both."""
    if command is not None and argv:
        raise UsageError(
            "give the restart command once: --restart-command CMD or -- COMMAND…",
            "use one form, e.g. --restart-command 'systemctl --user restart praxis.service'",
        )
    if command is None:
        return tuple(argv)
    try:
        parts = tuple(shlex.split(command))
    except ValueError as exc:
        raise UsageError(
            f"--restart-command cannot be split: {exc}", "check the quotes in the command"
        ) from None
    if not parts:
        raise UsageError("--restart-command is empty", "pass the command to run when stale")
    return parts


def check_heartbeat_state(
    data_dir: DataDir, max_age_seconds: int
) -> tuple[bool, int | None, str | None, str]:
    """(fresh, age, phase, reason): the rule of `heartbeat check`; unreadable counts as stale."""
    try:
        beat = read_heartbeat(data_dir)
    except CheckFailed as exc:
        return False, None, None, exc.message
    age = clock.age_seconds(beat.updated)
    if age > max_age_seconds:
        reason = f"heartbeat is stale: age={age}s max={max_age_seconds}s phase={beat.phase}"
        return False, age, beat.phase, reason
    return True, age, beat.phase, ""


def run_restart(argv: Sequence[str], timeout_seconds: float) -> RestartOutcome:
    """Run the restart command in its own process group; on timeout the whole group is killed.

    Its output goes to an unlinked temp file (not a pipe), so a daemon it starts in the
    background cannot keep the watchdog waiting; after a normal exit nothing is killed."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return RestartOutcome(None, False, str(exc), time.monotonic() - started, "")
        timed_out = False
        try:
            proc.wait(timeout=timeout_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
            _stop_group(proc)
        output.seek(max(0, output.seek(0, os.SEEK_END) - OUTPUT_TAIL_BYTES))
        tail = output.read().decode("utf-8", errors="replace")
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    exit_code = None if timed_out else proc.returncode
    return RestartOutcome(
        exit_code, timed_out, None, time.monotonic() - started, lines[-1] if lines else ""
    )


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the command's process group, SIGKILL after a grace period."""
    for sig, wait in ((signal.SIGTERM, KILL_GRACE_SECONDS), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            if sig == signal.SIGTERM:
                # The leader is gone; children it left in the group must go too.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
            return
        except subprocess.TimeoutExpired:
            continue


def _record(data_dir: DataDir, kind: str, detail: str) -> None:
    """Best effort: a full disk must not stop the watchdog from restarting the daemon."""
    with contextlib.suppress(PraxisError, OSError):
        emit_event(data_dir.events, kind, detail)


def _restart_detail(outcome: RestartOutcome, argv: Sequence[str], age: int | None) -> str:
    detail = f"{outcome.text} command={shlex.join(argv)} age={age if age is not None else '?'}s"
    return detail + (f" output={outcome.output_tail}" if outcome.output_tail else "")


class _Watch:
    """The state of a watchdog between checks: freshness, backoff, counters."""

    def __init__(self, data_dir: DataDir, settings: WatchdogSettings) -> None:
        self.data_dir = data_dir
        self.settings = settings
        self.was_fresh: bool | None = None
        self.backoff = settings.backoff_seconds
        self.next_restart_at = 0.0  # time.monotonic() before which no restart runs
        self.checks = 0
        self.restarts = 0

    def check(self, may_restart: bool = True) -> Check:
        settings = self.settings
        fresh, age, phase, reason = check_heartbeat_state(self.data_dir, settings.max_age_seconds)
        changed = fresh != self.was_fresh
        self.checks += 1
        if fresh:
            if self.was_fresh is False:
                _record(self.data_dir, "watchdog:recovered", f"heartbeat fresh again: age={age}s")
            self.backoff = settings.backoff_seconds
            self.next_restart_at = 0.0
            self.was_fresh = True
            return Check(clock.now_text(), True, age, phase, "", changed)
        if changed:
            _record(self.data_dir, "watchdog:stale", reason)
        self.was_fresh = False
        outcome = None
        if settings.restart_argv and may_restart and time.monotonic() >= self.next_restart_at:
            outcome = run_restart(settings.restart_argv, settings.restart_timeout_seconds)
            self.restarts += 1
            _record(
                self.data_dir,
                "watchdog:restart",
                _restart_detail(outcome, settings.restart_argv, age),
            )
            self.next_restart_at = time.monotonic() + self.backoff
            self.backoff = min(self.backoff * 2, max(MAX_BACKOFF_SECONDS, settings.backoff_seconds))
        wait = None
        if settings.restart_argv:
            wait = max(0.0, self.next_restart_at - time.monotonic())
        return Check(clock.now_text(), False, age, phase, reason, changed, outcome, wait)


def check_once(data_dir: DataDir, settings: WatchdogSettings) -> Check:
    """One check; when stale, the event is recorded and the restart command runs once."""
    settings.validate()
    return _Watch(data_dir, settings).check()


def run_watchdog(
    data_dir: DataDir,
    settings: WatchdogSettings,
    on_check: Callable[[Check], None] | None = None,
    stop: threading.Event | None = None,
) -> WatchdogResult:
    """Check every `interval_seconds` until SIGTERM/SIGINT (or `stop` is set)."""
    settings.validate()
    stop = stop if stop is not None else threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    watch = _Watch(data_dir, settings)
    restart = f" restart={shlex.join(settings.restart_argv)}" if settings.restart_argv else ""
    _record(
        data_dir,
        "watchdog:started",
        f"max_age={settings.max_age_seconds}s interval={settings.interval_seconds:g}s{restart}",
    )
    try:
        while not stop.is_set():
            result = watch.check(may_restart=not stop.is_set())
            if on_check is not None:
                on_check(result)
            stop.wait(settings.interval_seconds)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _record(data_dir, "watchdog:stopped", f"checks={watch.checks} restarts={watch.restarts}")
    return WatchdogResult(watch.checks, watch.restarts, "signal")
