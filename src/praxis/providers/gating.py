"""The canary freeze gate (SPEC §8.5): with `freeze_on_model_regression`, a remote (provider,
model) is used only if its latest canary passed and is younger than `canary_max_age_days`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

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
    records: list[CanaryRecord] = []
    for item in raw.get("records", []) if isinstance(raw, dict) else []:
        if isinstance(item, dict):
            records.append(_record(item))
    return records


def _record(item: dict[str, Any]) -> CanaryRecord:
    return CanaryRecord(
        provider=str(item.get("provider", "")),
        model=str(item.get("model", "")),
        status=str(item.get("status", "failed")),
        checked_at=str(item.get("checked_at", "")),
        summary=str(item.get("summary", "")),
        eval_failures=int(item.get("eval_failures", 0) or 0),
        latency_ms=int(item.get("latency_ms", 0) or 0),
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
