"""`init`, `status`, `doctor`."""

from __future__ import annotations

import click

from praxis.cli.common import app, emit, json_command


@click.command()
@click.option(
    "--name", default=None, help='Instance name (default "Praxis"; ignored if already initialized).'
)
@click.option("--timezone", default=None, help='IANA timezone (default "UTC"), e.g. Europe/Berlin.')
@click.option(
    "--security-level",
    type=int,
    default=None,
    help="1 (strict) .. 4; tools above it are refused (default 2).",
)
@click.pass_context
def init(
    ctx: click.Context, name: str | None, timezone: str | None, security_level: int | None
) -> None:
    """Create the data directory, or complete it. Never overwrites a file you own."""
    from praxis.operator.init import initialize
    from praxis.report import Report

    result = initialize(app(ctx, initialized=False).data_dir, name, timezone, security_level)
    report = Report().add("initialized", "ok")
    emit(report.fields(result, "data_dir", "config", "database", "tools", "created", "kept"))


@json_command()
def status(ctx: click.Context, as_json: bool) -> None:
    """Show what this instance is doing and how it is configured."""
    from praxis.cli.hot import status as show_status

    show_status(app(ctx, initialized=False), as_json)


@json_command()
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check config, files, database and providers; each failure names its fix (exit 1)."""
    from praxis.errors import CheckFailed
    from praxis.operator.doctor import run_doctor

    result = run_doctor(app(ctx))
    emit(result.report, as_json)
    if not result.ok:
        failures = result.failures
        first = failures[0]
        raise CheckFailed(
            f"doctor found {len(failures)} problem(s); first: {first.name}: {first.message}",
            first.hint,
        )
