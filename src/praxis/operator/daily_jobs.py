"""The daemon's daily jobs: each runs at most once per local day (the operator's timezone) and is
recorded in `daily_jobs.json` — `{"<job>": {"day": "YYYY-MM-DD", "at": ts, ...}}` — so a restart
the same day does not repeat it. Jobs: `memory` (consolidation + decay), `snapshot`, `learn`
(`praxis learn run`), and `canary` when `agent.freeze_on_model_regression` is on (so frozen
routes get a fresh verdict every day without the operator running `praxis canary run`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from praxis import clock

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.learning.service import RunSummary
    from praxis.memory.consolidate import ConsolidationResult
    from praxis.paths import DataDir

JOBS_FILE = "daily_jobs.json"
JOBS_LOCK = ".praxis-daily-jobs.lock"
T = TypeVar("T")


def once_a_day(
    app: Praxis, job: str, run: Callable[[], tuple[T, dict[str, Any]]]
) -> tuple[bool, T | None]:
    """Run `run` unless `job` already ran this local day. `run` returns its result and the
    extra fields of the record. Returns (ran, result)."""
    from praxis.files import atomic_write_json, locked

    zone = clock.load_timezone(app.config.settings.instance.timezone)
    now = clock.now()
    today = now.astimezone(zone).date().isoformat()
    path = app.data_dir.file(JOBS_FILE)
    with locked(app.data_dir.file(JOBS_LOCK)):
        jobs = read_jobs(path)
        record = jobs.get(job)
        if isinstance(record, dict) and record.get("day") == today:
            return False, None
        result, extra = run()
        jobs[job] = {"day": today, "at": clock.format_timestamp(now), **extra}
        atomic_write_json(path, jobs)
    return True, result


def read_jobs(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def last_record(data_dir: DataDir, job: str) -> dict[str, Any] | None:
    record = read_jobs(data_dir.file(JOBS_FILE)).get(job)
    return record if isinstance(record, dict) else None


def memory_job(app: Praxis) -> ConsolidationResult | None:
    """Consolidate hot memory into cold and apply decay, once a local day."""
    from praxis.memory.service import MemoryService

    def run() -> tuple[ConsolidationResult, dict[str, Any]]:
        memory = MemoryService.of(app)
        now = clock.now_text()
        result = memory.consolidate(now)
        decayed = memory.decay(now)
        return result, {"moved": result.moved, "merged": result.merged, "decayed": decayed}

    return once_a_day(app, "memory", run)[1]


def learning_job(app: Praxis) -> RunSummary | None:
    """`learn run` once a local day: sources, opportunity mining, PROPOSALS.md."""
    from praxis.learning.service import run_learning

    def run() -> tuple[RunSummary, dict[str, Any]]:
        summary = run_learning(app)
        return summary, {
            "processed": summary.processed,
            "changed": summary.changed,
            "opportunities": len(summary.created),
            "throttle_reached": summary.throttle_reached,
        }

    return once_a_day(app, "learn", run)[1]


def canary_job(app: Praxis) -> bool:
    """`canary run` once a local day, only with `freeze_on_model_regression` on and a remote
    backend (the stub has nothing to probe). True when it ran."""
    settings = app.config.settings
    if not settings.agent.freeze_on_model_regression or app.config.backend == "stub":
        return False
    from praxis.operator.canary import run_canaries

    def run() -> tuple[None, dict[str, Any]]:
        result = run_canaries(app)
        passed = sum(1 for r in result.records if r.status == "passed")
        return None, {
            "passed": passed,
            "failed": len(result.records) - passed,
            "regressions": len(result.regressions),
        }

    return once_a_day(app, "canary", run)[0]


JOB_NAMES = ("memory", "snapshot", "learn", "canary")


def last_runs(data_dir: DataDir) -> dict[str, str]:
    """Each daily job's last run time (`status`), "never" for one that has not run."""
    jobs = read_jobs(data_dir.file(JOBS_FILE))
    runs = {}
    for name in JOB_NAMES:
        record = jobs.get(name)
        runs[name] = str(record.get("at")) if isinstance(record, dict) else "never"
    return runs


def run_daily_jobs(app: Praxis) -> None:
    """Every daily job that is due (the daemon calls this on each tick). Learning runs last: a
    GOALS.md it cannot read stops only that job (retried on the next tick)."""
    from praxis.archive.snapshots import take_daily_snapshot
    from praxis.errors import PraxisError
    from praxis.events import emit_event

    memory_job(app)
    take_daily_snapshot(app)
    try:
        canary_job(app)
    except PraxisError as failed:  # a provider down must not stop the daemon's other jobs
        emit_event(app.data_dir.events, "daily:canary_failed", failed.message)
    learning_job(app)
