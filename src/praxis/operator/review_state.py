"""boundary_review.json: when the operator last confirmed the weekly boundary review."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import NamedTuple

from praxis import clock
from praxis.errors import ConfigError, UsageError
from praxis.paths import DataDir

REVIEW_INTERVAL = timedelta(days=7)
REVIEW_PROMPT = "Weekly alignment review: have any hard limits changed?"


class ReviewState(NamedTuple):
    last_confirmed_at: str | None
    last_note: str | None

    def due(self, now: datetime) -> bool:
        if self.last_confirmed_at is None:
            return True
        return clock.parse_timestamp(self.last_confirmed_at) + REVIEW_INTERVAL <= now


def read_review_state(data_dir: DataDir) -> ReviewState:
    path = data_dir.boundary_review
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ReviewState(None, None)
    except ValueError as exc:
        raise ConfigError(
            f"invalid JSON: {exc}", "fix the file or delete it to reset the review", path=str(path)
        ) from None
    confirmed = raw.get("last_confirmed_at") if isinstance(raw, dict) else None
    note = raw.get("last_note") if isinstance(raw, dict) else None
    if confirmed is not None:
        try:
            clock.parse_timestamp(str(confirmed))
        except UsageError:
            raise ConfigError(
                f"invalid boundary review timestamp {confirmed}",
                "use RFC 3339 or run `praxis boundaries confirm`",
                path=str(path),
            ) from None
    return ReviewState(
        str(confirmed) if confirmed is not None else None, str(note) if note is not None else None
    )


def count_canary_records(data_dir: DataDir) -> int:
    from praxis.providers.gating import load_records

    return len(load_records(data_dir.model_canary))
