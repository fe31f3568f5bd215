"""heartbeat.json: proof of life for sessions and the daemon (reference §14)."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from typing import NamedTuple

from praxis import STARTED_MONOTONIC, clock
from praxis.errors import CheckFailed, UsageError
from praxis.files import atomic_write_json
from praxis.paths import DataDir

DEFAULT_MAX_AGE_SECONDS = 900
HEARTBEAT_MAX_BYTES = 64 * 1024


class Heartbeat(NamedTuple):
    component: str
    phase: str
    detail: str
    updated_at: str
    updated_at_unix_ms: int
    pid: int
    process_uptime_ms: int
    next_run_at: str | None = None

    @property
    def updated(self) -> datetime:
        return clock.parse_timestamp(self.updated_at)


def write_heartbeat(
    data_dir: DataDir,
    phase: str,
    detail: str,
    component: str = "praxis",
    next_run_at: str | None = None,
) -> Heartbeat:
    moment = clock.now()
    beat = Heartbeat(
        component=component,
        phase=phase,
        detail=detail,
        updated_at=clock.format_timestamp(moment),
        updated_at_unix_ms=int(moment.timestamp() * 1000),
        pid=os.getpid(),
        process_uptime_ms=int((time.monotonic() - STARTED_MONOTONIC) * 1000),
        next_run_at=next_run_at,
    )
    record = {k: v for k, v in beat._asdict().items() if v is not None}
    atomic_write_json(data_dir.heartbeat, record)
    return beat


def read_heartbeat(data_dir: DataDir) -> Heartbeat:
    from praxis.errors import UnsafeFile
    from praxis.safe_read import read_text_regular

    path = data_dir.heartbeat
    try:
        raw = json.loads(read_text_regular(path, max_bytes=HEARTBEAT_MAX_BYTES))
    except UnsafeFile as exc:  # a FIFO in its place must not hang `heartbeat check`
        raise CheckFailed(exc.message, exc.hint) from None
    except FileNotFoundError:
        raise CheckFailed(
            f"heartbeat file {path} is missing",
            "run `praxis init`, or start the daemon with `praxis run`",
        ) from None
    except (OSError, ValueError) as exc:
        raise CheckFailed(
            f"heartbeat file {path} is not valid JSON: {exc}",
            "the next session or `praxis init` rewrites it",
        ) from None
    try:
        beat = Heartbeat(
            component=str(raw["component"]),
            phase=str(raw["phase"]),
            detail=str(raw.get("detail", "")),
            updated_at=str(raw["updated_at"]),
            updated_at_unix_ms=int(raw.get("updated_at_unix_ms", 0)),
            pid=int(raw.get("pid", 0)),
            process_uptime_ms=int(raw.get("process_uptime_ms", 0)),
            next_run_at=str(raw["next_run_at"]) if raw.get("next_run_at") else None,
        )
        beat.updated  # noqa: B018 - validates the timestamp
    except (KeyError, TypeError, ValueError, UsageError) as exc:
        raise CheckFailed(
            f"heartbeat file {path} is malformed: {exc}",
            "the next session or `praxis init` rewrites it",
        ) from None
    return beat


def check_heartbeat(data_dir: DataDir, max_age_seconds: int) -> tuple[Heartbeat, int]:
    """The heartbeat and its age; stale (older than max) raises CheckFailed (exit 1)."""
    if max_age_seconds <= 0:
        raise UsageError("max_age_seconds must be greater than 0", "pass --max-age-seconds 900")
    beat = read_heartbeat(data_dir)
    age = clock.age_seconds(beat.updated)
    if age > max_age_seconds:
        raise CheckFailed(
            f"heartbeat is stale: age={age}s max={max_age_seconds}s phase={beat.phase}",
            "check that `praxis run` (the daemon) is running, or raise --max-age-seconds",
        )
    return beat, age
