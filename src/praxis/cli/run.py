"""`run --once` (one session) and `run` (the daemon)."""

from __future__ import annotations

import click

from praxis.cli.common import app, emit


@click.command()
@click.option("--once", is_flag=True, help="Run exactly one session and exit.")
@click.option("--force", is_flag=True, help="Run even during quiet hours.")
@click.option("--task", default=None, help="An operator task for this session (instead of a goal).")
@click.option(
    "--interval-minutes",
    type=float,
    default=60.0,
    show_default=True,
    help="Daemon: minutes between sessions.",
)
@click.option("--max-sessions", type=int, default=None, help="Daemon: exit after N sessions.")
@click.pass_context
def run(
    ctx: click.Context,
    once: bool,
    force: bool,
    task: str | None,
    interval_minutes: float,
    max_sessions: int | None,
) -> None:
    """Run one session (--once), or run sessions on a schedule until stopped (SIGTERM/SIGINT)."""
    from praxis.report import Report

    praxis = app(ctx)
    if not once:
        from praxis.loop.daemon import run_daemon

        result = run_daemon(
            praxis, interval_minutes=interval_minutes, max_sessions=max_sessions, force=force
        )
        report = Report()
        report.add("daemon", "stopped")
        report.add("sessions", result.sessions)
        report.add("reason", result.reason)
        emit(report)
        return
    from praxis.loop.session import run_once

    outcome = run_once(praxis, force=force, task=task)
    report = Report()
    report.add("outcome", outcome.outcome)
    report.add("phase", "sleep" if outcome.finished else "checkpointed")
    report.add("resumed", outcome.resumed)
    report.add("goal", outcome.goal or "-")
    report.add("task", outcome.task or "-")
    # One fact per line, whatever the model wrote.
    report.add("summary", " ".join(outcome.summary.split()))
    emit(report)
