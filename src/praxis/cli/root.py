"""The click group and the registration of every command group."""

from __future__ import annotations

import importlib

import click

from praxis import __version__
from praxis.cli.common import CliState

# Command name -> "module:attribute". Modules are imported only when their command runs (or for
# --help), so `praxis status` does not pay for every command group at start-up.
COMMANDS = {
    "init": "core:init",
    "status": "core:status",
    "doctor": "core:doctor",
    "ask": "ask:ask",
    "run": "run:run",
    "goals": "goals:goals",
    "heartbeat": "heartbeat:heartbeat",
    "forensics": "forensics:forensics",
    "evals": "evals:evals",
    "canary": "canary:canary",
    "usage": "usage:usage",
    "tools": "tools:tools",
    "queue": "tools:queue",
    "approve": "tools:approve",
    "reject": "tools:reject",
    # Planned commands: registered so --help shows the whole surface (see cli/planned.py).
    "memory": "planned:memory",
    "learn": "planned:learn",
    "agents": "planned:agents",
    "boundaries": "planned:boundaries",
    "argus": "planned:argus",
    "watchdog": "planned:watchdog",
    "telegram": "planned:telegram",
    "serve": "planned:serve",
    "export": "planned:export",
    "snapshots": "planned:snapshots",
    "import": "planned:import_",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"praxis.cli.{module_name}")
        command = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=LazyGroup,
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
@click.version_option(
    __version__, "--version", "-V", prog_name="praxis", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, debug: bool) -> None:
    ctx.obj = CliState(data_dir_option=data_dir, debug=debug)
    ctx.call_on_close(ctx.obj.close)
