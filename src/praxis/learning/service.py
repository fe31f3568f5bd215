"""The learning runtime (reference §11): `learn note|run|list|accept|dismiss`.

A run: read GOALS.md (a malformed file stops the run before anything is written), summarise
changed learning sources into LEARNINGS.md, analyse the newest 10 sessions with Argus, mine
candidates, queue the new ones the throttle allows and record the run (one transaction), then
sync PROPOSALS.md. Runs and opportunity changes hold one lock, so the daemon's daily run and an
operator's `learn run` never interleave.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from praxis import clock
from praxis.errors import LockHeld, PraxisError
from praxis.learning import store
from praxis.learning.store import LearningRun, Opportunity
from praxis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from praxis.app import Praxis

LOCK_NAME = ".praxis-learning.lock"
LOCK_TIMEOUT_SECONDS = 60.0
ARGUS_LIMIT = 10
LIST_LIMIT = 10


class RunSummary(NamedTuple):
    processed: int
    changed: int
    created: list[Opportunity]
    throttle_reached: bool
    held_back: int
    notes: list[str]
    completed_at: str


class ActionResult(NamedTuple):
    opportunity: Opportunity
    promoted_goal: str | None
    created_goal: bool


class Listing(NamedTuple):
    last_run: LearningRun | None
    counts: dict[str, int]
    by_status: dict[str, list[Opportunity]]  # newest first, LIST_LIMIT each


@contextmanager
def learning_lock(app: Praxis) -> Iterator[None]:
    from filelock import Timeout

    from praxis.files import locked

    try:
        with locked(app.data_dir.file(LOCK_NAME), timeout=LOCK_TIMEOUT_SECONDS):
            yield
    except Timeout:
        raise LockHeld(
            "another Praxis process is running the learning runtime",
            "wait for it to finish and retry",
        ) from None


def run_learning(app: Praxis, progress: Progress = NO_PROGRESS) -> RunSummary:
    from praxis.analysis.argus import analyze
    from praxis.events import emit_event
    from praxis.identity.goals import load_goals
    from praxis.learning import mining, proposals, throttle
    from praxis.learning.sources import process_sources
    from praxis.storage.transaction import transaction

    conn = app.db
    with learning_lock(app):
        now = clock.now()
        now_text = clock.format_timestamp(now)
        goals = load_goals(app.data_dir)
        progress.step("scanning learning sources")
        scan = process_sources(app.data_dir, conn, now_text)
        progress.step(f"analysing the newest {ARGUS_LIMIT} sessions")
        report = analyze(conn, ARGUS_LIMIT)
        progress.step("mining opportunities")
        found = mining.candidates(conn, report, goals, now)
        progress.step(f"queueing {len(found)} candidate(s)")
        with transaction(conn):
            queued = throttle.queue(conn, found, now, now_text)
            notes = [*scan.notes, *(f"Queued opportunity: {c.title}." for _, c in queued.created)]
            if queued.held_back:
                notes.append(
                    f"Throttle reached ({throttle.DAILY_LIMIT} a day, {throttle.WEEKLY_LIMIT} a "
                    f"week): {len(queued.held_back)} candidate(s) held back for a later run."
                )
            store.record_run(
                conn, scan.processed, scan.changed, len(queued.created), notes, now_text
            )
        created = [o for i, _ in queued.created if (o := store.get_opportunity(conn, i))]
        progress.step("writing PROPOSALS.md")
        proposals.sync(app.data_dir, conn)
    emit_event(
        app.data_dir.events,
        "learning:run",
        f"Learning run: {scan.changed} of {scan.processed} sources changed, "
        f"{len(created)} opportunities queued.",
    )
    return RunSummary(
        scan.processed,
        scan.changed,
        created,
        queued.throttle_reached,
        len(queued.held_back),
        notes,
        now_text,
    )


def add_note(app: Praxis, text: str) -> tuple[str, str]:
    """(summary, appended_at) of a `learn note`."""
    from praxis.learning.notes import add_note as append

    noted = append(app.data_dir, text, clock.now_text())
    return noted.summary, noted.appended_at


def listing(app: Praxis) -> Listing:
    conn = app.db
    return Listing(
        store.latest_run(conn),
        store.count_by_status(conn),
        {s: store.list_opportunities(conn, s, LIST_LIMIT) for s in store.STATUSES},
    )


def _find(app: Praxis, opportunity_id: int) -> Opportunity:
    found = store.get_opportunity(app.db, opportunity_id)
    if found is None:
        raise PraxisError(
            f"opportunity {opportunity_id} was not found",
            "list them with `praxis learn list --all`",
        )
    return found


def accept(app: Praxis, opportunity_id: int) -> ActionResult:
    """Promote the opportunity to a goal in GOALS.md (edited in place; an open or done goal with
    the same title is reused), mark it accepted and link the goal."""
    from praxis.events import emit_event
    from praxis.identity.goal_edit import add_goal
    from praxis.learning import proposals
    from praxis.storage.transaction import transaction

    with learning_lock(app):
        current = _find(app, opportunity_id)
        goal, created = add_goal(app.data_dir.goals_md, current.title)
        with transaction(app.db):
            store.set_status(app.db, opportunity_id, "accepted", goal.id, clock.now_text())
        proposals.sync(app.data_dir, app.db)
        updated = _find(app, opportunity_id)
    emit_event(
        app.data_dir.events,
        "learning:accepted",
        f"Opportunity #{opportunity_id} accepted as goal {goal.id}.",
    )
    return ActionResult(updated, goal.id, created)


def dismiss(app: Praxis, opportunity_id: int) -> ActionResult:
    """Mark it dismissed (a goal it was promoted to stays, and stays linked)."""
    from praxis.learning import proposals
    from praxis.storage.transaction import transaction

    with learning_lock(app):
        _find(app, opportunity_id)
        with transaction(app.db):
            store.set_status(app.db, opportunity_id, "dismissed", None, clock.now_text())
        proposals.sync(app.data_dir, app.db)
        updated = _find(app, opportunity_id)
    return ActionResult(updated, updated.goal_id, False)
