"""`boundaries show|add|confirm`: hard limits in IDENTITY.md and their weekly review."""

from __future__ import annotations

import click

from praxis.cli.common import app, emit, json_command


@click.group()
def boundaries() -> None:
    """Hard limits recorded in IDENTITY.md and their weekly review."""


@json_command(boundaries, "show")
def show(ctx: click.Context, as_json: bool) -> None:
    """Show the recorded rules and whether the weekly review is due."""
    from praxis import clock
    from praxis.operator import boundaries as service
    from praxis.operator.review_state import REVIEW_PROMPT
    from praxis.report import Report

    found = service.show(app(ctx).data_dir, clock.now())
    due_at = found.review.due_at()
    report = Report().add("boundary_review_due", found.due)
    if found.due:
        report.add("boundary_review_prompt", REVIEW_PROMPT)
    if found.review.last_confirmed_at:
        report.add("last_boundary_review", found.review.last_confirmed_at)
    report.extra("last_note", found.review.last_note)
    report.extra("next_review_due_at", clock.format_timestamp(due_at) if due_at else None)
    if found.rules:
        report.raw("boundaries:")
        for rule in found.rules:
            report.raw(f"- {rule}")
        report.extra("boundaries", list(found.rules))
    else:
        report.add("boundaries", "none explicitly recorded", [])
    emit(report, as_json)


@json_command(boundaries, "add")
@click.argument("rule", nargs=-1, required=True)
def add(ctx: click.Context, rule: tuple[str, ...], as_json: bool) -> None:
    """Add a rule to `## Boundaries` in IDENTITY.md (words are joined by spaces)."""
    from praxis.operator.boundaries import add_rule
    from praxis.report import Report

    added = add_rule(app(ctx).data_dir, " ".join(rule))
    report = Report().add("boundary", "added" if added.added else "exists")
    emit(report.add("rule", added.rule), as_json)


@json_command(boundaries, "confirm")
@click.option("--note", help="What you reviewed or changed (stored with the confirmation).")
def confirm(ctx: click.Context, note: str | None, as_json: bool) -> None:
    """Confirm the weekly review; the next one is due 7 days later."""
    from praxis.operator.boundaries import confirm as confirm_review
    from praxis.report import Report

    state = confirm_review(app(ctx).data_dir, note)
    report = Report().add("boundary_review_confirmed", state.last_confirmed_at)
    emit(report.add("note", state.last_note or "-", state.last_note), as_json)
