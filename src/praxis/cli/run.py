"""`run --once` (one session) and `run` (the daemon)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit
from praxis.cli.progress import shown
from praxis.text import one_line

if TYPE_CHECKING:
    from praxis.loop.session import RunResult
    from praxis.operator.daemon import Tick


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
@click.option(
    "--max-sessions",
    type=int,
    default=None,
    help="Daemon: exit after N sessions have run (deferred or skipped ticks do not count).",
)
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
        from praxis.cli.boundary import crashes_contained
        from praxis.operator.daemon import run_daemon

        # The crash log goes to the data dir the command line chose.
        chosen = ctx.obj.data_dir_option
        args = [*(["--data-dir", chosen] if chosen else []), "run"]
        with shown() as progress:  # on a terminal: between the tick lines, never on stdout
            result = run_daemon(
                praxis,
                interval_minutes=interval_minutes,
                max_sessions=max_sessions,
                force=force,
                on_tick=_print_tick,
                contain=lambda: crashes_contained(args),
                progress=progress,
            )
        report = Report()
        report.add("daemon", "stopped")
        report.add("sessions", result.sessions)
        report.add("reason", result.reason)
        emit(report)
        return
    from praxis.loop.session import run_once

    with shown() as progress:
        outcome = run_once(praxis, force=force, task=task, progress=progress)
    report = Report()
    report.add("outcome", outcome.outcome)
    report.add("phase", outcome_phase(outcome))
    report.add("resumed", outcome.resumed)
    report.add("goal", outcome.goal or "-")
    report.add("task", outcome.task or "-")
    # One fact per line, whatever the model wrote.
    report.add("summary", one_line(outcome.summary))
    emit(report)


def outcome_phase(result: RunResult) -> str:
    """`sleep` when the session finished; `act` while parked on an approval; else checkpointed."""
    if result.finished:
        return "sleep"
    return "act" if result.outcome == "awaiting_approval" else "checkpointed"


def tick_line(tick: Tick) -> str:
    """One stdout line for a daemon tick that did not fail."""
    result = tick.result
    if tick.kind == "skipped":
        return f"{tick.at} tick skipped: {one_line(tick.message)}"
    if result is None:
        return f"{tick.at} {tick.kind}: {one_line(tick.message)}"
    if tick.kind == "no_session":
        return f"{tick.at} no session ({result.outcome}): {one_line(result.summary)}"
    if result.finished and result.session_id is not None:
        head = f"session #{result.session_id} {result.outcome}"
    elif outcome_phase(result) == "act":
        head = "session parked awaiting_approval (resumes after `praxis approve|reject ID`)"
    else:
        head = "session checkpointed (stopped early; the next run resumes it)"
    line = f"{tick.at} {head} goal={result.goal or '-'}"
    return line + (f" task={one_line(result.task)}" if result.task else "")


def _print_tick(tick: Tick) -> None:
    """Print as it happens (click.echo flushes); a closed stdout never stops the daemon."""
    try:
        if tick.kind == "error":
            click.echo(f"error: {one_line(tick.message)}", err=True)
            if tick.hint:
                click.echo(f"hint: {one_line(tick.hint)}", err=True)
        else:
            click.echo(tick_line(tick))
    except OSError:
        pass  # events.jsonl has every tick too
