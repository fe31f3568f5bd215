"""`goals`: view GOALS.md, see what the planner would pick and why, and edit goals safely."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from praxis.cli.common import app, emit, json_command, json_option

if TYPE_CHECKING:
    from praxis.identity.goals import Goal
    from praxis.report import Report


def _goal_json(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.id,
        "title": goal.title,
        "done": goal.done,
        "line": goal.line,
        "parent": goal.parent,
        "blocked_by": list(goal.blocked_by),
        "wake_when": goal.wake_when,
    }


def _edit_report(state: str, goal: Goal) -> Report:
    from praxis.report import Report

    report = Report().add("goal", state).add("id", goal.id).add("title", goal.title)
    return report.extra("done", goal.done).extra("line", goal.line)


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def goals(ctx: click.Context, as_json: bool) -> None:
    """View and edit GOALS.md (default: list)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_goals, as_json=as_json)


@json_command(goals, "list")
def list_goals(ctx: click.Context, as_json: bool) -> None:
    """Show every goal with its metadata, as written in GOALS.md."""
    from praxis.identity.goals import render_goal
    from praxis.identity.service import list_goals as goals_in_file
    from praxis.report import Report

    found = goals_in_file(app(ctx))
    closed = sum(1 for g in found if g.done)
    opened = len(found) - closed
    report = Report().add("goals", f"open={opened} done={closed}", [_goal_json(g) for g in found])
    report.extra("open", opened).extra("done", closed)
    for goal in found:
        for line in render_goal(goal):
            report.raw(line)
    emit(report, as_json)


@json_command(goals, "next")
def next_goal(ctx: click.Context, as_json: bool) -> None:
    """Show which goal the planner would pick next, and why the others wait."""
    from praxis.identity.planner import explain
    from praxis.identity.service import next_goal as pick
    from praxis.report import Report

    selection = pick(app(ctx))
    goal = selection.goal
    report = Report()
    report.add(
        "next", f"{goal.id}: {goal.title}" if goal else "none", _goal_json(goal) if goal else None
    )
    report.add("outcome", selection.outcome)
    report.add("reason", selection.summary)
    skipped = selection.skipped
    skipped_json = [
        {"id": c.goal.id, "title": c.goal.title, "eligible": c.eligible, "reasons": list(c.reasons)}
        for c in skipped
    ]
    if skipped:
        report.raw("skipped:").extra("skipped", skipped_json)
        for check in skipped:
            report.raw(f"- {check.goal.id}: {explain(check, goal)}")
    else:
        report.add("skipped", "none", [])
    notes = [f"{c.goal.id}: {note}" for c in selection.checks for note in c.notes]
    if notes:
        report.raw("warnings:").extra("warnings", notes)
        for note in notes:
            report.raw(f"- {note}")
    emit(report, as_json)


@json_command(goals, "add")
@click.argument("title", nargs=-1, required=True)
@click.option("--parent", metavar="ID", help="Make the new goal a child of this goal.")
@click.option(
    "--blocked-by",
    "blocked_by",
    metavar="ID",
    multiple=True,
    help="A goal that must be done first (repeatable, or comma-separated).",
)
def add(
    ctx: click.Context,
    title: tuple[str, ...],
    parent: str | None,
    blocked_by: tuple[str, ...],
    as_json: bool,
) -> None:
    """Append a goal to GOALS.md (an existing goal with the same title is reused)."""
    from praxis.identity.service import add_goal

    blockers = [part for value in blocked_by for part in value.split(",")]
    goal, created = add_goal(app(ctx), " ".join(title), parent, blockers)
    emit(_edit_report("added" if created else "exists", goal), as_json)


@json_command(goals, "done")
@click.argument("goal_id", metavar="ID")
def done(ctx: click.Context, goal_id: str, as_json: bool) -> None:
    """Mark a goal done (`- [x]`), editing only its line."""
    from praxis.identity.service import mark_done

    emit(_edit_report("done", mark_done(app(ctx), goal_id)), as_json)


@json_command(goals, "reopen")
@click.argument("goal_id", metavar="ID")
def reopen(ctx: click.Context, goal_id: str, as_json: bool) -> None:
    """Reopen a done goal (`- [ ]`), editing only its line."""
    from praxis.identity.service import reopen as reopen_goal

    emit(_edit_report("reopened", reopen_goal(app(ctx), goal_id)), as_json)


COMMANDS = [goals]
