"""The canary freeze gate (SPEC §8.5): with `freeze_on_model_regression`, a remote (provider,
model) is used only if its latest canary passed and is younger than `canary_max_age_days`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from praxis import clock
from praxis.errors import ConfigError, UsageError

FREEZE_MESSAGE = (
    "all configured remote provider models are frozen until a passing canary is recorded; "
    "run `praxis canary run`"
)


class CanaryRecord(NamedTuple):
    provider: str
    model: str
    status: str  # passed | failed
    checked_at: str
    summary: str
    eval_failures: int
    latency_ms: int = 0
    reply_excerpt: str = ""


def load_records(path: Path) -> list[CanaryRecord]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as exc:
        raise ConfigError(
            f"invalid JSON: {exc}", 'fix it or reset it to {"records": []}', path=str(path)
        ) from None
    items = raw.get("records") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ConfigError(
            'expected {"records": [...]}', 'fix it or reset it to {"records": []}', path=str(path)
        )
    return [_record(item, path, index) for index, item in enumerate(items)]


def _record(item: object, path: Path, index: int) -> CanaryRecord:
    required = ("provider", "model", "status", "checked_at")
    if not isinstance(item, dict) or any(not isinstance(item.get(k), str) for k in required):
        raise ConfigError(
            f"canary record {index + 1} needs provider, model, status and checked_at strings",
            "fix the record or run `praxis canary run` again after resetting the file",
            path=str(path),
        )
    return CanaryRecord(
        provider=str(item.get("provider", "")),
        model=str(item.get("model", "")),
        status=str(item.get("status", "failed")),
        checked_at=str(item.get("checked_at", "")),
        summary=str(item.get("summary", "")),
        eval_failures=_int(item.get("eval_failures")),
        latency_ms=_int(item.get("latency_ms")),
        reply_excerpt=str(item.get("reply_excerpt", "")),
    )


def frozen_reason(
    records: list[CanaryRecord], provider: str, model: str, max_age_days: int, now: datetime
) -> str | None:
    """Why this remote route may not be used now, or None when its canary clears it."""
    record = next((r for r in records if r.provider == provider and r.model == model), None)
    if record is None:
        return f"frozen: no canary recorded for {provider}/{model}"
    if record.status != "passed":
        return f"frozen: latest canary for {provider}/{model} failed"
    try:
        checked = clock.parse_timestamp(record.checked_at)
    except UsageError:
        return f"frozen: canary for {provider}/{model} has an unreadable timestamp"
    if checked + timedelta(days=max_age_days) < now:
        return f"frozen: canary for {provider}/{model} is older than {max_age_days} days"
    return None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
