"""`learn note|run|list|accept|dismiss`: the learning runtime (reference §11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.progress import shown

if TYPE_CHECKING:
    from praxis.learning.service import ActionResult
    from praxis.learning.store import Opportunity
    from praxis.report import Report


@click.group()
def learn() -> None:
    """Learning notes, runs and opportunities."""


@learn.command(
    "note",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("text", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def note(ctx: click.Context, text: tuple[str, ...]) -> None:
    """Append an operational note to LEARNINGS.md (every word is part of the note, also words
    that start with `-`, e.g. `learn note Prefer pip install --require-hashes`)."""
    from praxis.learning.service import add_note
    from praxis.report import Report

    summary, appended_at = add_note(app(ctx), " ".join(text))
    report = Report().add("learning", "noted").add("kind", "operational-note")
    emit(report.add("appended_at", appended_at).add("summary", summary))


@json_command(learn, "run")
def run(ctx: click.Context, as_json: bool) -> None:
    """Summarise changed learning sources, mine opportunities, sync PROPOSALS.md."""
    from praxis.learning.service import run_learning
    from praxis.report import Report

    with shown(as_json) as progress:
        summary = run_learning(app(ctx), progress)
    report = Report().add("learning", "ok")
    report.add("sources_processed", summary.processed)
    report.add("sources_changed", summary.changed)
    report.add("opportunities_created", len(summary.created))
    report.add("throttle_reached", summary.throttle_reached)
    report.extra("held_back", summary.held_back)
    report.extra("opportunities", [o.as_json() for o in summary.created])
    _list(report, "notes", summary.notes)
    emit(report, as_json)


@json_command(learn, "list")
@click.option("--all", "show_all", is_flag=True, help="Also list accepted and dismissed ones.")
def list_opportunities(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """The last run and the newest opportunities (10 per status)."""
    from praxis.learning.service import listing
    from praxis.report import Report

    found = listing(app(ctx))
    report = Report().add("learning", "ready")
    last = found.last_run
    report.add("last_run", last.line() if last else "none", last.as_json() if last else None)
    statuses = ("pending", "accepted", "dismissed") if show_all or as_json else ("pending",)
    for status in statuses:
        report.add(f"{status}_opportunities", found.counts[status])
    for status in statuses:
        items = found.by_status[status]
        _list(report, status, [_line(o) for o in items], [o.as_json() for o in items])
    emit(report, as_json)


@json_command(learn, "accept")
@click.argument("opportunity_id", metavar="ID", type=int)
def accept(ctx: click.Context, opportunity_id: int, as_json: bool) -> None:
    """Accept an opportunity: it becomes a goal in GOALS.md that the next session can select."""
    from praxis.learning.service import accept as accept_opportunity

    emit(_action("accept", accept_opportunity(app(ctx), opportunity_id)), as_json)


@json_command(learn, "dismiss")
@click.argument("opportunity_id", metavar="ID", type=int)
def dismiss(ctx: click.Context, opportunity_id: int, as_json: bool) -> None:
    """Dismiss an opportunity (it is never proposed again)."""
    from praxis.learning.service import dismiss as dismiss_opportunity

    emit(_action("dismiss", dismiss_opportunity(app(ctx), opportunity_id)), as_json)


def _line(o: Opportunity) -> str:
    goal = f" -> {o.goal_id}" if o.goal_id else ""
    return f"- #{o.id} [{o.kind}] {o.title}{goal}"


def _list(report: Report, key: str, lines: list[str], data: object = None) -> None:
    """`key: none`, or `key:` and one `- ...` line each (JSON: the list)."""
    value = lines if data is None else data
    if not lines:
        report.add(key, "none", value)
        return
    report.raw(f"{key}:")
    for line in lines:
        report.raw(line if line.startswith("- ") else f"- {line}")
    report.extra(key, value)


def _action(action: str, result: ActionResult) -> Report:
    from praxis.report import Report

    o = result.opportunity
    report = Report().add("learning", "updated").add("action", action)
    report.add("opportunity_id", o.id).add("status", o.status)
    report.add("title", o.title).add("summary", o.summary)
    if result.promoted_goal:
        report.add("promoted_goal", result.promoted_goal)
        report.add("created_goal", result.created_goal)
    return report.extra("opportunity", o.as_json())
