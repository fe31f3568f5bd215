"""The memory service: the one owner of memory SQL (hot, cold, operational, FTS tables).

Reflect, orient, the `memory-search` / `memory-write` tools, the `memory` command, `status` and
`doctor` all go through `MemoryService`. Its write methods join the caller's transaction when
there is one (reflect's session transaction) and otherwise run in one of their own.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from praxis.errors import PraxisError, StateError, UsageError
from praxis.memory import decay as decay_mod
from praxis.memory import operational as ops
from praxis.memory import store
from praxis.memory.capture import SESSION_IMPORTANCE, SessionCapture
from praxis.memory.search import MemoryHit, recent, search
from praxis.memory.stats import MemoryRun, MemoryStats, last_run, memory_stats, run_summary
from praxis.memory.store import Memory
from praxis.memory.text import bounded, clean
from praxis.progress import NO_PROGRESS, Progress
from praxis.storage.transaction import transaction

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.config.settings import MemorySettings
    from praxis.memory.consolidate import ConsolidationResult

__all__ = ["MemoryContext", "MemoryService", "MemoryStats", "parse_ref", "run_summary"]

KINDS = ("hot", "cold", "dnr", "bug")
_REF = re.compile(r"^\s*(?:(hot|cold|dnr|bug)\s*[-:#]?\s*)?#?(\d{1,15})\s*$", re.IGNORECASE)
RUNS_KEPT = 50
OPERATOR_IMPORTANCE = 0.6
MAX_TAGS = 8
TAG_MAX_CHARS = 40
CONTEXT_LIMIT = 6
REF_HINT = "use an id from `praxis memory list`, e.g. hot-12, cold-3, dnr-2 or bug-1"


@dataclass(frozen=True)
class MemoryRef:
    kind: str | None  # None: a bare number
    id: int


def parse_ref(text: str) -> MemoryRef:
    match = _REF.match(text)
    if match is None:
        raise UsageError(f"invalid memory id {text!r}", REF_HINT)
    kind = match.group(1).lower() if match.group(1) else None
    return MemoryRef(kind, int(match.group(2)))


@dataclass(frozen=True)
class MemoryContext:
    """What orient puts in a session's context."""

    hits: list[MemoryHit]
    do_not_repeat: list[str]
    known_bugs: list[str]


class MemoryService:
    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: MemorySettings,
        timezone: str = "UTC",
        events: Path | None = None,
    ) -> None:
        self.conn = conn
        self.settings = settings
        self.timezone = timezone
        self.events = events

    @classmethod
    def of(cls, app: Praxis) -> MemoryService:
        settings = app.config.settings
        return cls(app.db, settings.memory, settings.instance.timezone, app.data_dir.events)

    # --- the session ---------------------------------------------------------------------

    def context_for(self, query: str, run_key: str, now: str) -> MemoryContext:
        """Memories for a session's context: those the query finds — noted as retrieved, so a
        session that ends well reinforces them — else the most recent ones (not noted: they are
        there for lack of a match, and reinforcing them would keep the heaviest heavy forever);
        and the open operational rows matching the query."""
        from praxis.clock import parse_timestamp

        hits = (
            search(self.conn, query, parse_timestamp(now), CONTEXT_LIMIT) if query.strip() else []
        )
        decay_mod.note_retrieved(self.conn, run_key, [(h.tier, h.id) for h in hits], now)
        if not hits:
            hits = recent(self.conn)
        dnr, bugs = ops.open_lines(self.conn, query, now)
        return MemoryContext(hits, dnr, bugs)

    def remember_session(
        self, capture: SessionCapture, goal_id: str | None, now: str
    ) -> tuple[int, bool]:
        """The session's hot memory: bounded and cleaned, flagged when it failed or was cut."""
        with transaction(self.conn, join=True):
            return store.add_hot_memory(
                self.conn,
                capture.text(self.settings.max_chars),
                capture.outcome,
                capture.tags(goal_id),
                SESSION_IMPORTANCE,
                now,
                flags=capture.flags,
                origin="session",
                session_id=capture.session_id,
            )

    def record_failure(self, failure: ops.Failure, now: str) -> tuple[int, int]:
        """The operational rows of a failed session: (do-not-repeat id, known-bug id)."""
        with transaction(self.conn, join=True):
            return ops.record_failure(self.conn, failure, self.settings.max_chars, now)

    def reinforce_session(self, run_key: str, ended_well: bool, now: str) -> int:
        with transaction(self.conn, join=True):
            return decay_mod.reinforce_session(self.conn, run_key, ended_well, now)

    def decay(self, now: str) -> int:
        """Decay once per local day per memory; records the run, and an event when any changed."""
        from praxis.clock import load_timezone

        s = self.settings
        with transaction(self.conn, join=True):
            changed = decay_mod.decay(self.conn, now, load_timezone(self.timezone), s)
            self._record_run("decay", now, {"decayed": changed})
        if changed:
            self._event(
                "memory:decayed",
                f"Decayed {changed} cold memories not reinforced for {s.decay_after_days} days "
                f"(×{s.decay_factor:g}, floor {s.decay_floor:g}).",
            )
        return changed

    # --- the operator and the tools ------------------------------------------------------

    def add(
        self,
        text: str,
        tags: list[str],
        now: str,
        *,
        importance: float = OPERATOR_IMPORTANCE,
        origin: str = "operator",
    ) -> tuple[int, bool]:
        """A hot memory from the operator (refused when longer than `memory.max_chars`) or a
        tool (cleaned and cut to `memory.max_chars`: it is model output)."""
        max_chars = self.settings.max_chars
        text = text.strip()
        if not text:
            raise UsageError("memory text must not be empty", "pass the text to remember")
        if origin == "operator" and len(text) > max_chars:
            raise UsageError(
                f"memory text is {len(text):,} characters; at most {max_chars:,} are kept "
                "(memory.max_chars)",
                "shorten it, or raise memory.max_chars in praxis.toml",
            )
        if not (math.isfinite(importance) and 0.0 <= importance <= 1.0):
            raise UsageError(
                f"importance must be between 0 and 1, got {importance}",
                "pass e.g. --importance 0.6",
            )
        if origin != "operator":
            text = bounded(text, max_chars)
        cleaned = clean_tags([origin, *tags])
        with transaction(self.conn, join=True):
            return store.add_hot_memory(
                self.conn, text, None, cleaned, importance, now, origin=origin
            )

    def search(self, query: str, now: str, limit: int = 10, tier: str = "all") -> list[MemoryHit]:
        from praxis.clock import parse_timestamp

        tiers = ("hot", "cold") if tier == "all" else (tier,)
        return search(self.conn, query, parse_timestamp(now), limit, tiers)

    def list_tier(self, tier: str, limit: int) -> list[Memory | ops.OpMemory]:
        found: list[Memory | ops.OpMemory] = []
        tiers = {"all": ("hot", "cold"), "hot": ("hot",), "cold": ("cold",)}.get(tier, ())
        for kind in tiers:
            found += store.list_memories(self.conn, kind, limit)
        if tier in ("ops", "all"):
            found += ops.list_ops(self.conn, limit)
        return found

    def get(self, text: str, kinds: tuple[str, ...] = KINDS) -> Memory | ops.OpMemory:
        ref = parse_ref(text)
        candidates = (ref.kind,) if ref.kind else kinds
        if ref.kind is not None and ref.kind not in kinds:
            raise UsageError(f"{ref.kind}-{ref.id} is not a {' or '.join(kinds)} memory", REF_HINT)
        found = [m for m in (self._one(kind, ref.id) for kind in candidates) if m is not None]
        if not found:
            raise PraxisError(f"memory {text.strip()} not found", REF_HINT)
        if len(found) > 1:
            listed = " and ".join(m.ref for m in found)
            raise UsageError(
                f"memory id {ref.id} is ambiguous: {listed} exist", f"name one, e.g. {found[0].ref}"
            )
        return found[0]

    def forget(self, text: str) -> str:
        memory = self.get(text)
        with transaction(self.conn, join=True):
            if isinstance(memory, Memory):
                store.delete_memory(self.conn, memory.tier, memory.id)
            else:
                ops.delete_op(self.conn, memory.kind, memory.id)
        return memory.ref

    def resolve(self, text: str, now: str) -> list[str]:
        """Close a known bug or do-not-repeat row (and its twin of the other kind)."""
        memory = self.get(text, ("dnr", "bug"))
        assert isinstance(memory, ops.OpMemory)
        if not memory.open:
            raise StateError(
                f"{memory.ref} is already resolved (at {memory.resolved_at})",
                "a repeat of the failure reopens it",
            )
        with transaction(self.conn, join=True):
            return ops.resolve(self.conn, memory.kind, memory.id, now)

    def consolidate(
        self, now: str, dry_run: bool = False, progress: Progress = NO_PROGRESS
    ) -> ConsolidationResult:
        """Move aged / over-capacity hot memories to cold (see `consolidate`). A dry run does
        the same work in a transaction it rolls back."""
        from dataclasses import replace

        from praxis.clock import parse_timestamp
        from praxis.memory.consolidate import consolidate

        if self.conn.in_transaction:
            raise StateError("consolidation needs its own transaction")
        how = " (dry run)" if dry_run else ""
        progress.step(f"moving aged and over-capacity hot memories to cold memory{how}")
        with transaction(self.conn, rollback=dry_run):
            result = consolidate(self.conn, parse_timestamp(now), self.settings)
            if not dry_run:
                self._record_run("consolidate", now, result.counts())
        if dry_run:
            return replace(result, dry_run=True)
        if result.moved:
            self._event(
                "memory:consolidated",
                f"Consolidated {result.moved} hot memories into cold memory "
                f"(new={result.created} merged={result.merged} reinforced={result.reinforced} "
                f"contradictions={result.contradictions}).",
            )
        return result

    def stats(self) -> MemoryStats:
        return memory_stats(self.conn, self.settings.hot_capacity)

    def last_run(self, kind: str) -> MemoryRun | None:
        return last_run(self.conn, kind)

    # --- internals -----------------------------------------------------------------------

    def _one(self, kind: str, memory_id: int) -> Memory | ops.OpMemory | None:
        if kind in ("hot", "cold"):
            return store.get_memory(self.conn, kind, memory_id)
        return ops.get_op(self.conn, kind, memory_id)

    def _record_run(self, kind: str, now: str, counts: dict[str, int]) -> None:
        self.conn.execute(
            "INSERT INTO memory_runs(kind, ran_at, counts_json) VALUES (?, ?, ?)",
            (kind, now, store.dumps(counts)),
        )
        self.conn.execute(
            "DELETE FROM memory_runs WHERE kind = ? AND id NOT IN "
            "(SELECT id FROM memory_runs WHERE kind = ? ORDER BY id DESC LIMIT ?)",
            (kind, kind, RUNS_KEPT),
        )

    def _event(self, kind: str, detail: str) -> None:
        if self.events is not None:
            from praxis.events import emit_event

            emit_event(self.events, kind, detail)


def clean_tags(raw: list[str]) -> list[str]:
    tags: list[str] = []
    for item in raw:
        tag = bounded(clean(str(item)), TAG_MAX_CHARS)
        if tag and tag not in tags:
            tags.append(tag)
    return tags[: MAX_TAGS + 1]
