"""`forensics latest|session`: a session's checkpoints and the prompts it sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_option

if TYPE_CHECKING:
    from praxis.analysis.forensics import SessionForensics
    from praxis.report import Report


@click.group()
def forensics() -> None:
    """Inspect the checkpoints a session recorded."""


@forensics.command("latest")
@json_option
@click.pass_context
def forensics_latest(ctx: click.Context, as_json: bool) -> None:
    """The most recent session's checkpoints."""
    from praxis.analysis.forensics import latest

    praxis = app(ctx)
    emit(_report(latest(praxis.db, str(praxis.database_file))), as_json)


@forensics.command("session")
@click.option("--started-at", default=None, help="The session's start time (RFC 3339).")
@click.option("--id", "session_id", type=int, default=None, help="The session's id.")
@json_option
@click.pass_context
def forensics_session(
    ctx: click.Context, started_at: str | None, session_id: int | None, as_json: bool
) -> None:
    """One session's checkpoints, by --id or --started-at."""
    from praxis.analysis.forensics import by_session_id, by_started_at
    from praxis.errors import UsageError

    praxis = app(ctx)
    if session_id is not None:
        emit(_report(by_session_id(praxis.db, session_id)), as_json)
    elif started_at is not None:
        emit(_report(by_started_at(praxis.db, started_at)), as_json)
    else:
        raise UsageError("pass --id or --started-at", "e.g. praxis forensics session --id 3")


def _report(found: SessionForensics) -> Report:
    from praxis.report import Report

    report = Report()
    report.add("session_started_at", found.started_at)
    report.add("snapshot_count", len(found.snapshots))
    if found.session_id is not None:
        report.add("session_id", found.session_id)
    for prompt in found.prompts:
        report.raw(
            f"prompt: {prompt.get('phase')} sha256={str(prompt.get('sha256'))[:16]} "
            f"tokens={prompt.get('tokens')}"
        )
    for snap in found.snapshots:
        report.raw(
            f"- {snap.recorded_at} {snap.checkpoint} phase={snap.phase} outcome={snap.outcome}"
        )
    report.extra("snapshots", [s.__dict__ for s in found.snapshots])
    report.extra("prompts", list(found.prompts))
    return report
