"""`praxis run` without --once: sessions on a schedule, heartbeat while idle, graceful stop."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType

from praxis import clock
from praxis.app import Praxis
from praxis.errors import LockHeld, PraxisError
from praxis.events import emit_event
from praxis.loop.session import run_once
from praxis.operator.heartbeat import write_heartbeat

MAX_HEARTBEAT_GAP_SECONDS = 60.0
MIN_INTERVAL_SECONDS = 1.0


@dataclass(frozen=True)
class DaemonResult:
    sessions: int
    reason: str


def run_daemon(
    app: Praxis, *, interval_minutes: float, max_sessions: int | None, force: bool = False
) -> DaemonResult:
    if interval_minutes <= 0:
        from praxis.errors import UsageError

        raise UsageError(
            "--interval-minutes must be greater than 0", "pass e.g. --interval-minutes 60"
        )
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
            _one_tick(app, force, stop)
            sessions += 1
            if max_sessions is not None and sessions >= max_sessions:
                emit_event(events, "daemon:stopped", f"Daemon stopped after {sessions} session(s).")
                return DaemonResult(sessions, "max_sessions")
            _idle(app, interval, stop)
        emit_event(events, "daemon:stopped", "Daemon stopped on signal.")
        write_heartbeat(app.data_dir, "sleep", "Daemon stopped.")
        return DaemonResult(sessions, "signal")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _one_tick(app: Praxis, force: bool, stop: threading.Event) -> None:
    events = app.data_dir.events
    try:
        result = run_once(app, force=force, should_stop=stop.is_set)
        emit_event(events, "daemon:session", f"Session finished with outcome {result.outcome}.")
    except LockHeld as held:
        emit_event(events, "daemon:skipped", held.message)
    except PraxisError as exc:
        emit_event(events, "daemon:error", exc.message)
    except Exception as exc:
        emit_event(events, "daemon:error", f"internal error: {type(exc).__name__}: {exc}")
    finally:
        app.close()


def _idle(app: Praxis, interval: float, stop: threading.Event) -> None:
    """Sleep until the next session, rewriting the heartbeat so `heartbeat check` stays fresh."""
    next_run = clock.now() + timedelta(seconds=interval)
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
