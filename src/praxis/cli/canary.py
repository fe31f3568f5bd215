"""`canary run|status`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.progress import shown

if TYPE_CHECKING:
    from praxis.providers.freeze import CanaryRecord


@click.group()
def canary() -> None:
    """Probe remote models; with freeze_on_model_regression only passing models are used."""


def _line(record: CanaryRecord) -> str:
    return (
        f"{record.provider} {record.model} {record.status} eval_failures={record.eval_failures} "
        f"{record.checked_at}"
    )


@json_command(canary, "run")
@click.option("--provider", type=click.Choice(["claude", "openai", "ollama"]), default=None)
def canary_run(ctx: click.Context, provider: str | None, as_json: bool) -> None:
    """Send `Reply with exactly: PraxisCanaryReady` to each configured remote route."""
    from praxis.operator.canary import run_canaries
    from praxis.report import Report

    with shown(as_json) as progress:
        result = run_canaries(app(ctx), provider, progress)
    report = Report().add("canary_runs", len(result.records))
    for record in result.records:
        report.raw(_line(record))
    for regression in result.regressions:
        report.raw(f"regression: {regression}")
    report.extra("records", [r._asdict() for r in result.records])
    report.extra("regressions", list(result.regressions))
    emit(report, as_json)


@json_command(canary, "status")
def canary_status(ctx: click.Context, as_json: bool) -> None:
    """Show the latest canary record of every (provider, model)."""
    from praxis.operator.canary import latest_canaries
    from praxis.report import Report

    praxis = app(ctx)
    records = latest_canaries(praxis)
    report = Report().add(
        "freeze_on_model_regression", praxis.config.settings.agent.freeze_on_model_regression
    )
    if not records:
        report.add("canaries", "none recorded")
    for record in records:
        report.raw(_line(record))
    report.extra("records", [r._asdict() for r in records])
    emit(report, as_json)
