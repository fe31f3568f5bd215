"""The click group and the registration of every command group."""

from __future__ import annotations

import click

from praxis import __version__
from praxis.cli.common import CliState


@click.group(
    help="Praxis: a self-hosted runtime for one operator's personal AI agent.\n\n"
    "Everything lives in one data directory (--data-dir, PRAXIS_DATA_DIR, or the platform default).",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--data-dir",
    metavar="PATH",
    help="Data directory (default: $PRAXIS_DATA_DIR, else ~/.local/share/praxis).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(__version__, "--version", "-V", prog_name="praxis", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, debug: bool) -> None:
    ctx.obj = CliState(data_dir_option=data_dir, debug=debug)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from praxis.cli import core, goals, heartbeat, planned

    for module in (core, goals, heartbeat, planned):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
