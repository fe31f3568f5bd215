"""`heartbeat status|check`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_option

if TYPE_CHECKING:
    from praxis.heartbeat import Heartbeat
    from praxis.report import Report


@click.group()
def heartbeat() -> None:
    """Read or check heartbeat.json (proof of life for sessions and the daemon)."""


@heartbeat.command("status")
@json_option
@click.pass_context
def heartbeat_status(ctx: click.Context, as_json: bool) -> None:
    """Show the last heartbeat."""
    from praxis import clock
    from praxis.heartbeat import read_heartbeat

    beat = read_heartbeat(app(ctx).data_dir)
    emit(_beat_report("heartbeat", beat, clock.age_seconds(beat.updated)), as_json)


@heartbeat.command("check")
@click.option(
    "--max-age-seconds", type=int, default=900, show_default=True, help="Stale after this age."
)
@json_option
@click.pass_context
def heartbeat_check(ctx: click.Context, max_age_seconds: int, as_json: bool) -> None:
    """Exit 1 when the heartbeat is older than --max-age-seconds (for health checks)."""
    from praxis.heartbeat import check_heartbeat

    beat, age = check_heartbeat(app(ctx).data_dir, max_age_seconds)
    emit(_beat_report("heartbeat_check", beat, age), as_json)


def _beat_report(first_key: str, beat: Heartbeat, age: int) -> Report:
    from praxis.report import Report

    report = Report()
    report.add(first_key, "ok")
    report.add("component", beat.component)
    report.add("phase", beat.phase)
    report.add("updated_at", beat.updated_at)
    report.add("pid", beat.pid)
    report.add("process_uptime_ms", beat.process_uptime_ms)
    report.add("detail", beat.detail)
    report.add("age_seconds", age)
    return report
