"""`heartbeat status|check`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command

if TYPE_CHECKING:
    from praxis.heartbeat import Heartbeat
    from praxis.report import Report


@click.group()
def heartbeat() -> None:
    """Read or check heartbeat.json (proof of life for sessions and the daemon)."""


@json_command(heartbeat, "status")
def heartbeat_status(ctx: click.Context, as_json: bool) -> None:
    """Show the last heartbeat."""
    from praxis import clock
    from praxis.heartbeat import read_heartbeat

    beat = read_heartbeat(app(ctx).data_dir)
    emit(_beat_report("heartbeat", beat, clock.age_seconds(beat.updated)), as_json)


@json_command(heartbeat, "check")
@click.option(
    "--max-age-seconds", type=int, default=900, show_default=True, help="Stale after this age."
)
def heartbeat_check(ctx: click.Context, max_age_seconds: int, as_json: bool) -> None:
    """Exit 1 when the heartbeat is older than --max-age-seconds (for health checks)."""
    from praxis.heartbeat import check_heartbeat

    beat, age = check_heartbeat(app(ctx).data_dir, max_age_seconds)
    emit(_beat_report("heartbeat_check", beat, age), as_json)


def _beat_report(first_key: str, beat: Heartbeat, age: int) -> Report:
    from praxis.report import Report

    report = Report().add(first_key, "ok")
    report.fields(beat, "component", "phase", "updated_at", "pid", "process_uptime_ms", "detail")
    return report.add("age_seconds", age)
