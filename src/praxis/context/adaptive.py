"""Adaptive allocation: sources that were in context for successful sessions get a bit more room.

`context_adaptation.json` (reference §3.5, §6.5) holds per-source success/failure counts. It is
derived data: an unreadable or corrupt file starts fresh instead of failing the session.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from praxis.config.settings import BudgetEntry

FAILURE_OUTCOMES = frozenset(
    {"review_failed", "eval_failed", "blocked_loop_guard", "budget_exhausted", "provider_failed"}
)
IGNORED_OUTCOMES = frozenset({"deferred_quiet_hours"})
MIN_MULTIPLIER = 0.8
MAX_MULTIPLIER = 1.2
MIN_PCT = 0.01


@dataclass(frozen=True)
class SourceStats:
    successful_sessions: int = 0
    unsuccessful_sessions: int = 0


@dataclass(frozen=True)
class Adaptation:
    updated_at: str | None = None
    sources: Mapping[str, SourceStats] = field(default_factory=lambda: MappingProxyType({}))
    # The last session whose feedback was recorded, so a resumed reflect does not count twice.
    last_session: str | None = None


def classify(outcome: str) -> str | None:
    """ "failure", "success", or None for outcomes that say nothing about the context."""
    if outcome in IGNORED_OUTCOMES:
        return None
    return "failure" if outcome in FAILURE_OUTCOMES else "success"


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return max(value, 0)


def _parse(data: Any) -> Adaptation:
    if not isinstance(data, dict):
        return Adaptation()
    sources: dict[str, SourceStats] = {}
    raw_sources = data.get("sources")
    if isinstance(raw_sources, dict):
        for name, stats in raw_sources.items():
            if isinstance(name, str) and isinstance(stats, dict):
                sources[name] = SourceStats(
                    _count(stats.get("successful_sessions")),
                    _count(stats.get("unsuccessful_sessions")),
                )
    updated_at = data.get("updated_at")
    last_session = data.get("last_session")
    return Adaptation(
        updated_at if isinstance(updated_at, str) else None,
        MappingProxyType(sources),
        last_session if isinstance(last_session, str) else None,
    )


def load_adaptation(path: Path) -> Adaptation:
    """The recorded stats; empty when the file is missing, unreadable or corrupt."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Adaptation()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return Adaptation()
    return _parse(data)


def record_feedback(
    path: Path, outcome: str, sources: Sequence[str], session_key: str | None = None
) -> bool:
    """Count one session's outcome for each unique source it had in context.

    With `session_key`, recording the same session twice (a resumed reflect) counts once.
    Returns whether the file was written; a write failure is not fatal (derived data).
    """
    from praxis.clock import now_text
    from praxis.files import atomic_write_json

    kind = classify(outcome)
    if kind is None:
        return False
    current = load_adaptation(path)
    if session_key is not None and current.last_session == session_key:
        return False
    stats = dict(current.sources)
    for name in dict.fromkeys(sources):
        old = stats.get(name, SourceStats())
        if kind == "failure":
            stats[name] = SourceStats(old.successful_sessions, old.unsuccessful_sessions + 1)
        else:
            stats[name] = SourceStats(old.successful_sessions + 1, old.unsuccessful_sessions)
    document: dict[str, Any] = {
        "updated_at": now_text(),
        "sources": {
            name: {
                "successful_sessions": s.successful_sessions,
                "unsuccessful_sessions": s.unsuccessful_sessions,
            }
            for name, s in sorted(stats.items())
        },
    }
    if session_key is not None:
        document["last_session"] = session_key
    elif current.last_session is not None:
        document["last_session"] = current.last_session
    try:
        atomic_write_json(path, document)
    except OSError:
        return False
    return True


def multiplier(stats: SourceStats | None) -> float:
    """clamp(1 + (Laplace success rate − 0.5) × 0.4, 0.8, 1.2); 1.0 without stats."""
    if stats is None:
        return 1.0
    s, f = stats.successful_sessions, stats.unsuccessful_sessions
    raw = 1.0 + ((s + 1) / (s + f + 2) - 0.5) * 0.4
    return min(max(raw, MIN_MULTIPLIER), MAX_MULTIPLIER)


def weights(adaptation: Adaptation, entries: Sequence[BudgetEntry]) -> dict[str, float]:
    """Per-source factors for `allocate`: pct × factor, rescaled so the pcts' sum is unchanged."""
    original: dict[str, float] = {}
    for entry in entries:
        original.setdefault(entry.source, entry.max_pct)
    adjusted = {
        name: max(pct * multiplier(adaptation.sources.get(name)), MIN_PCT)
        for name, pct in original.items()
    }
    before, after = sum(original.values()), sum(adjusted.values())
    scale = before / after if after > 0 else 1.0
    return {
        name: (adjusted[name] * scale / pct if pct > 0 else 1.0) for name, pct in original.items()
    }
