"""Shared pieces of the thin CLI: the app handle, output, and `--json`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.report import Report

F = TypeVar("F", bound=Callable[..., Any])


class CliState:
    def __init__(self, data_dir_option: str | None, debug: bool) -> None:
        self.data_dir_option = data_dir_option
        self.debug = debug
        self._app: Praxis | None = None

    def app(self, *, initialized: bool = True) -> Praxis:
        if self._app is None:
            from praxis.app import Praxis

            self._app = Praxis.open(self.data_dir_option)
        if initialized:
            self._app.require_initialized()
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def state(ctx: click.Context) -> CliState:
    found = ctx.find_object(CliState)
    assert found is not None
    return found


def app(ctx: click.Context, *, initialized: bool = True) -> Praxis:
    return state(ctx).app(initialized=initialized)


JSON_HELP = "Print one JSON object instead of lines."


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help=JSON_HELP)(func)


def json_command(
    group: click.Group | None = None, name: str | None = None
) -> Callable[[Callable[..., None]], click.Command]:
    """A command of `group` (a top-level one without it) that is passed the click context first
    and `--json` as `as_json` last: `def f(ctx, <the options above it>, as_json)`."""

    def decorate(func: Callable[..., None]) -> click.Command:
        make = click.command(name) if group is None else group.command(name)
        command = make(click.pass_context(func))
        # Last, as if it were the decorator nearest the function: --help lists it after the rest.
        command.params.append(click.Option(["--json", "as_json"], is_flag=True, help=JSON_HELP))
        return command

    return decorate


def emit(report: Report, as_json: bool = False) -> None:
    from praxis.cli.views import write

    write(report, as_json)


def not_available(command: str) -> None:
    from praxis.errors import NotAvailable

    raise NotAvailable(
        f"{command} is not available yet",
        "this command is part of the planned surface; see README.md for what works today",
    )
