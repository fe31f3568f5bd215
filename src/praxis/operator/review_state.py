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

    def due_at(self) -> datetime | None:
        """When the next weekly review falls due; None = never confirmed (due now)."""
        if self.last_confirmed_at is None:
            return None
        return clock.parse_timestamp(self.last_confirmed_at) + REVIEW_INTERVAL

    def due(self, now: datetime) -> bool:
        """Due when never confirmed (as the reference) or 7 days after the last confirmation."""
        due_at = self.due_at()
        return due_at is None or due_at <= now


def read_review_state(data_dir: DataDir) -> ReviewState:
    from praxis.identity.textfile import read_regular_text

    path = data_dir.boundary_review
    text = read_regular_text(path)
    if text is None:
        return ReviewState(None, None)
    try:
        raw = json.loads(text)
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


def confirm_review(data_dir: DataDir, note: str | None) -> ReviewState:
    """Record the weekly review as confirmed now (atomically); a blank note is stored as null."""
    from praxis.files import atomic_write_json
    from praxis.identity.textfile import read_regular_bytes

    # A broken JSON file is replaced (the error hints say so); a FIFO or directory is refused.
    read_regular_bytes(data_dir.boundary_review)
    state = ReviewState(clock.now_text(), (note or "").strip() or None)
    atomic_write_json(data_dir.boundary_review, state._asdict())
    return state


def count_canary_records(data_dir: DataDir) -> int:
    from praxis.providers.freeze import load_records

    return len(load_records(data_dir.model_canary))
