"""`watchdog`: restart a stalled daemon when its heartbeat goes stale."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit
from praxis.text import one_line

if TYPE_CHECKING:
    from praxis.operator.watchdog import Check
    from praxis.report import Report


@click.command(
    epilog="The restart command is an argv: --restart-command is split like a shell would "
    "(shlex) but never run by one; or give it after `--`, e.g. "
    "`praxis watchdog --once -- systemctl --user restart praxis.service`."
)
@click.option(
    "--max-age-seconds",
    type=int,
    default=900,
    show_default=True,
    help="The heartbeat is stale after this age (as `heartbeat check`).",
)
@click.option(
    "--restart-command",
    metavar="CMD",
    default=None,
    help="Run this when the heartbeat is stale (argv, no shell).",
)
@click.option(
    "--once",
    is_flag=True,
    help="Check once (cron, systemd timers): exit 0 fresh, 1 stale after one restart.",
)
@click.option(
    "--interval-seconds",
    type=float,
    default=60.0,
    show_default=True,
    help="Loop: seconds between checks.",
)
@click.option(
    "--backoff-seconds",
    type=float,
    default=10.0,
    show_default=True,
    help="Loop: minimum wait after a restart before the next one; doubles up to 600 s, "
    "reset when the heartbeat is fresh again.",
)
@click.option(
    "--restart-timeout-seconds",
    type=float,
    default=120.0,
    show_default=True,
    help="Kill the restart command's process group after this long.",
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED, metavar="[-- COMMAND…]")
@click.pass_context
def watchdog(
    ctx: click.Context,
    max_age_seconds: int,
    restart_command: str | None,
    once: bool,
    interval_seconds: float,
    backoff_seconds: float,
    restart_timeout_seconds: float,
    command: tuple[str, ...],
) -> None:
    """Check the heartbeat; when stale, record an event and run the restart command.

    Without --once it checks every --interval-seconds until SIGTERM/SIGINT.
    """
    from praxis.operator.watchdog import (
        WatchdogSettings,
        check_once,
        parse_restart_command,
        run_watchdog,
    )
    from praxis.report import Report

    settings = WatchdogSettings(
        max_age_seconds=max_age_seconds,
        restart_argv=parse_restart_command(restart_command, command),
        restart_timeout_seconds=restart_timeout_seconds,
        interval_seconds=interval_seconds,
        backoff_seconds=backoff_seconds,
    )
    data_dir = app(ctx).data_dir
    if once:
        check = check_once(data_dir, settings)
        emit(_once_report(check, max_age_seconds))
        if not check.fresh:
            from praxis.errors import CheckFailed

            raise CheckFailed(
                check.reason,
                f"the restart command ran (restart: {check.restart.text}); "
                "the next check shows whether the daemon is back"
                if check.restart is not None
                else "check that `praxis run` (the daemon) is running, "
                "or pass --restart-command to restart it",
            )
        return
    result = run_watchdog(data_dir, settings, on_check=_print_check)
    emit(Report().add("watchdog", "stopped").fields(result, "checks", "restarts", "reason"))


def _once_report(check: Check, max_age_seconds: int) -> Report:
    from praxis.report import Report

    report = Report()
    report.add("watchdog", "fresh" if check.fresh else "stale")
    report.add("age_seconds", check.age_seconds if check.age_seconds is not None else "unknown")
    report.add("max_age_seconds", max_age_seconds)
    report.add("phase", check.phase or "unknown")
    report.add("restart", check.restart.text if check.restart is not None else "none")
    if check.restart is not None and check.restart.output_tail:
        report.add("restart_output", one_line(check.restart.output_tail))
    return report


def _print_check(check: Check) -> None:
    """One line per change of state and per restart; a closed stdout never stops the loop."""
    lines = []
    if check.changed:
        age = check.age_seconds if check.age_seconds is not None else "unknown"
        state = "fresh" if check.fresh else "stale"
        lines.append(f"{check.at} watchdog: {state} age_seconds={age} phase={check.phase or '-'}")
    if check.restart is not None:
        line = f"{check.at} restart: {check.restart.text}"
        if check.next_restart_in is not None:
            line += f" next_restart_after_seconds={check.next_restart_in:.1f}"
        lines.append(line)
    from praxis.redact import redact

    for line in lines:
        with contextlib.suppress(OSError):  # events.jsonl has every stale check and restart too
            click.echo(redact(line))
