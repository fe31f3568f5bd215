"""Start-up fast path: `status [--json]` and `ask WORDS… [--json]` without importing click.

Click and its imports cost more than the whole rest of `praxis status` (SPEC §14 wants status and
stub ask within 6× of a bare interpreter). Only the plainest forms are taken here; anything else
(other flags, --help, errors in the arguments) goes to the click app, which owns the full syntax.
The commands call the same services and views as their click twins.
"""

from __future__ import annotations

from collections.abc import Callable


def _split_globals(args: list[str]) -> tuple[str | None, list[str]]:
    """(data dir option, the rest) when args start with only the global options we understand."""
    data_dir: str | None = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--data-dir" and index + 1 < len(args):
            data_dir = args[index + 1]
            index += 2
        elif arg.startswith("--data-dir="):
            data_dir = arg.split("=", 1)[1]
            index += 1
        elif arg == "--debug":
            index += 1
        else:
            break
    return data_dir, args[index:]


def fast_command(args: list[str]) -> Callable[[], int] | None:
    data_dir, rest = _split_globals(args)
    if not rest:
        return None
    command, options = rest[0], rest[1:]
    if command in ("--version", "-V") and not options:
        return _version
    as_json = "--json" in options
    others = [o for o in options if o != "--json"]
    if command == "status" and not others:
        return lambda: _status(data_dir, as_json)
    if command == "ask" and others and not any(o.startswith("-") for o in others):
        return lambda: _ask(data_dir, others, as_json)
    return None


def _version() -> int:
    import sys

    from praxis import __version__

    sys.stdout.write(f"praxis {__version__}\n")
    return 0


def _status(data_dir: str | None, as_json: bool) -> int:
    from praxis.app import Praxis
    from praxis.cli.views import write
    from praxis.operator.status import build_status

    app = Praxis.open(data_dir)
    try:
        write(build_status(app), as_json)
    finally:
        app.close()
    return 0


def _ask(data_dir: str | None, words: list[str], as_json: bool) -> int:
    from praxis.app import Praxis
    from praxis.ask.service import ask
    from praxis.cli.views import ask_report, write

    app = Praxis.open(data_dir)
    app.require_initialized()
    result = ask(app.config, app.data_dir, tuple(words), (), "reject")
    write(ask_report(result, as_json), as_json)
    return 0
