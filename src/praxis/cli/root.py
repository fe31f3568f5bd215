"""The click group and the registration of every command group."""

from __future__ import annotations

import importlib

import click

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
    "export": "archive:export",
    "import": "archive:import_",
    "snapshots": "archive:snapshots",
    "agents": "agents:agents",
    "boundaries": "boundaries:boundaries",
    "memory": "memory:memory",
    "watchdog": "watchdog:watchdog",
    "learn": "learn:learn",
    "argus": "argus:argus",
    # Planned commands: registered so --help shows the whole surface (see cli/planned.py).
    "telegram": "planned:telegram",
    "serve": "planned:serve",
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Working commands first; the planned ones under their own heading, never beside them."""
        rows: dict[bool, list[tuple[str, click.Command]]] = {False: [], True: []}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows[is_planned(name)].append((name, command))
        names = [name for group in rows.values() for name, _ in group]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        for planned, title in ((False, "Commands"), (True, PLANNED_HEADING)):
            if rows[planned]:
                with formatter.section(title):
                    formatter.write_dl(
                        [
                            (name, command.get_short_help_str(limit))
                            for name, command in rows[planned]
                        ]
                    )


PLANNED_HEADING = "Planned (not available yet)"


def is_planned(name: str) -> bool:
    """A command registered for --help whose module is still cli/planned.py."""
    return COMMANDS.get(name, "").startswith("planned:")


def _version(ctx: click.Context, _param: click.Parameter, wanted: bool) -> None:
    """`--version` / `-V`: the same handler as the fast path's."""
    if wanted and not ctx.resilient_parsing:
        from praxis.cli.hot import version

        version()
        ctx.exit(0)


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
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, debug: bool) -> None:
    ctx.obj = CliState(data_dir_option=data_dir, debug=debug)
    ctx.call_on_close(ctx.obj.close)
