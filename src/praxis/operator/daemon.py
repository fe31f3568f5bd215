"""`praxis run` without --once: sessions on a schedule, heartbeat while idle, graceful stop.

Every tick is reported to the caller (`on_tick`) as a `Tick`; the CLI prints one line per tick.
Only ticks that ran a session count towards `--max-sessions`; the others still wait the interval.
`progress` sees each session's steps and the wait for the next one; it is told `done()` before
each `on_tick`, so a line it draws is gone before the tick's line is printed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType

from praxis import clock
from praxis.app import Praxis
from praxis.errors import LockHeld, PraxisError
from praxis.events import emit_event
from praxis.heartbeat import write_heartbeat
from praxis.loop.session import RunResult, run_once
from praxis.progress import NO_PROGRESS, Progress

MAX_HEARTBEAT_GAP_SECONDS = 60.0
MIN_INTERVAL_SECONDS = 1.0


@dataclass(frozen=True)
class DaemonResult:
    sessions: int
    reason: str


@dataclass(frozen=True)
class Tick:
    """What one tick did. `kind`: `session` (a session ran, finished or checkpointed),
    `no_session` (quiet-hours deferral, or nothing to do), `skipped` (the run lock is held
    elsewhere) or `error` (the tick failed; `message` says why)."""

    at: str  # RFC 3339 UTC, when the tick ended
    kind: str
    message: str  # the session's summary, or the skip / error reason
    result: RunResult | None = None
    hint: str | None = None

    @property
    def ran(self) -> bool:
        return self.kind == "session"


def run_daemon(
    app: Praxis,
    *,
    interval_minutes: float,
    max_sessions: int | None,
    force: bool = False,
    on_tick: Callable[[Tick], None] | None = None,
    contain: Callable[[], AbstractContextManager[None]] = nullcontext,
    progress: Progress = NO_PROGRESS,
) -> DaemonResult:
    """Sessions every `interval_minutes` until a signal (or `max_sessions` sessions ran).
    `contain` turns an unexpected crash inside a tick into a PraxisError (the CLI lends its
    error boundary, which also writes the crash log), so one bad tick never ends the daemon."""
    from praxis.errors import UsageError

    if interval_minutes <= 0:
        raise UsageError(
            "--interval-minutes must be greater than 0", "pass e.g. --interval-minutes 60"
        )
    if max_sessions is not None and max_sessions < 1:
        raise UsageError("--max-sessions must be at least 1", "pass e.g. --max-sessions 1")
    interval = max(interval_minutes * 60, MIN_INTERVAL_SECONDS)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    events = app.data_dir.events
    sessions = 0
    try:
        emit_event(
            events,
            "daemon:started",
            f"Daemon started; a session every {interval_minutes:g} minutes.",
        )
        while not stop.is_set():
            tick = _one_tick(app, force, stop, contain, progress)
            if tick.ran:
                sessions += 1
            progress.done()
            if on_tick is not None:
                on_tick(tick)
            if max_sessions is not None and sessions >= max_sessions:
                emit_event(events, "daemon:stopped", f"Daemon stopped after {sessions} session(s).")
                return DaemonResult(sessions, "max_sessions")
            _idle(app, interval, stop, progress)
        emit_event(events, "daemon:stopped", "Daemon stopped on signal.")
        write_heartbeat(app.data_dir, "sleep", "Daemon stopped.")
        return DaemonResult(sessions, "signal")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _one_tick(
    app: Praxis,
    force: bool,
    stop: threading.Event,
    contain: Callable[[], AbstractContextManager[None]],
    progress: Progress,
) -> Tick:
    events = app.data_dir.events
    progress.step("daily jobs: running those that are due")
    _daily_jobs(app, contain)
    try:
        with contain():
            result = run_once(app, force=force, should_stop=stop.is_set, progress=progress)
    except LockHeld as held:
        emit_event(events, "daemon:skipped", f"Tick skipped: {held.message}.")
        return Tick(clock.now_text(), "skipped", held.message, hint=held.hint)
    except PraxisError as exc:
        emit_event(events, "daemon:error", exc.message)
        return Tick(clock.now_text(), "error", exc.message, hint=exc.hint)
    finally:
        app.close()
    # A session ran when it wrote a session row, or stopped at a phase boundary (checkpointed).
    ran = result.session_id is not None or not result.finished
    if ran:
        where = f"Session #{result.session_id}" if result.session_id is not None else "Session"
        detail = (
            f"{where} finished with outcome {result.outcome}."
            if result.finished
            else f"{where} stopped at a phase boundary; checkpointed, the next run resumes it."
        )
        emit_event(events, "daemon:session", detail)
    else:
        emit_event(events, "daemon:no_session", f"No session ran: {result.summary}")
    return Tick(clock.now_text(), "session" if ran else "no_session", result.summary, result)


def _daily_jobs(app: Praxis, contain: Callable[[], AbstractContextManager[None]]) -> None:
    """The daily jobs that are due (memory consolidation + decay, snapshot: once a local day,
    see praxis.operator.daily_jobs). A failing job is an event; the tick goes on."""
    from praxis.operator.daily_jobs import run_daily_jobs

    try:
        with contain():
            run_daily_jobs(app)
    except PraxisError as exc:
        emit_event(app.data_dir.events, "daemon:error", f"Daily jobs: {exc.message}")


def _idle(app: Praxis, interval: float, stop: threading.Event, progress: Progress) -> None:
    """Sleep until the next session, rewriting the heartbeat so `heartbeat check` stays fresh."""
    next_run = clock.now() + timedelta(seconds=interval)
    progress.step(f"sleep: next session at {clock.format_timestamp(next_run)}")
    gap = min(MAX_HEARTBEAT_GAP_SECONDS, max(0.5, interval / 4))
    remaining = interval
    while remaining > 0 and not stop.is_set():
        write_heartbeat(
            app.data_dir,
            "sleep",
            f"Daemon idle; next session at {clock.format_timestamp(next_run)}.",
            next_run_at=clock.format_timestamp(next_run),
        )
        step = min(gap, remaining)
        stop.wait(step)
        remaining -= step
