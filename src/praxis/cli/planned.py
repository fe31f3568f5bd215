"""Commands of the full surface (SPEC §2) that later milestones build.

They are registered now so `--help` shows the whole surface; running one exits 1 with
`error: <command> is not available yet`.
"""

from __future__ import annotations

import click

from praxis.cli.common import not_available


def _stub(ctx: click.Context, **_: object) -> None:
    not_available(ctx.command_path.removeprefix("praxis "))


def _planned(name: str, help_text: str, *params: click.Parameter) -> click.Command:
    return click.Command(
        name, params=list(params), help=help_text, callback=click.pass_context(_stub)
    )


def _group(name: str, help_text: str, commands: list[click.Command]) -> click.Group:
    group = click.Group(name, help=help_text)
    for command in commands:
        group.add_command(command)
    return group


def _opt(*decls: str, **attrs: object) -> click.Option:
    return click.Option(list(decls), **attrs)  # type: ignore[arg-type]


telegram = _group(
    "telegram",
    "Steer Praxis from Telegram.",
    [
        _planned("doctor", "Check Telegram settings."),
        _planned("poll-once", "Process pending updates once."),
        _planned(
            "run",
            "Long-poll for updates.",
            _opt("--cycles", type=int, default=0, show_default=True),
            _opt("--sleep-ms", type=int, default=1500, show_default=True),
        ),
        _planned(
            "send",
            "Send a message.",
            _opt("--chat-id", type=int, required=True),
            _opt("--text", required=True),
        ),
    ],
)

serve = _planned(
    "serve",
    "Serve the local dashboard.",
    _opt("--host", default="127.0.0.1", show_default=True),
    _opt("--port", type=int, default=8787, show_default=True),
)
