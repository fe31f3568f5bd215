"""The global options' one parser, and the start-up fast path: hot commands without click.

Click and its imports cost more than the whole rest of `praxis status` (SPEC §14 wants status and
stub ask within 6× of a bare interpreter). `ROUTES` names each hot command, the options it takes
here and its handler in cli/hot.py, which its click twin calls too: one behaviour, two ways in.
Only the plainest forms are taken; anything else (another flag, --help, a malformed line) goes to
click, which owns the full syntax. `PRAXIS_NO_FAST_PATH=1` sends every command to click (the
tests run each fast-path form both ways and compare).

`praxis --version` loads this module: no `typing`, `collections` or `pathlib` at import time.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from praxis.app import Praxis

VALUE_OPTIONS = ("--data-dir",)
FLAGS = ("--debug",)


class GlobalOptions:
    """`--data-dir PATH` / `--data-dir=PATH` / `--debug`, found anywhere before a `--` (so they
    work before or after the subcommand), and the other arguments in their order."""

    __slots__ = ("data_dir", "debug", "front", "rest")

    def __init__(
        self, data_dir: str | None, debug: bool, front: list[str], rest: list[str]
    ) -> None:
        self.data_dir = data_dir  # the last one given, as click takes it
        self.debug = debug
        self.front = front  # the global options as written
        self.rest = rest

    @property
    def argv(self) -> list[str]:
        """The arguments with the global options moved first, where click's group reads them."""
        return self.front + self.rest


def parse_globals(argv: Sequence[str]) -> GlobalOptions:
    args = list(argv)
    found = GlobalOptions(None, False, [], [])
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            found.rest.extend(args[index:])
            break
        if arg in VALUE_OPTIONS and index + 1 < len(args):
            found.front += [arg, args[index + 1]]
            found.data_dir = args[index + 1]
            index += 2
            continue
        name, equals, value = arg.partition("=")
        if equals and name in VALUE_OPTIONS:
            found.front.append(arg)
            found.data_dir = value
        elif arg in FLAGS:
            found.front.append(arg)
            found.debug = True
        else:
            found.rest.append(arg)
        index += 1
    return found


class FastCall:
    """One hot command as the fast path will run it."""

    __slots__ = ("as_json", "data_dir", "route", "words")

    def __init__(self, route: Route, data_dir: str | None, words: list[str], as_json: bool) -> None:
        self.route = route
        self.data_dir = data_dir
        self.words = words
        self.as_json = as_json

    @property
    def guarded(self) -> bool:
        return self.route.guarded

    def __call__(self) -> int:
        self.route.handler(self)
        return 0


class Route:
    """A row of the table: the handler, the flags it takes, whether it takes words (at least
    one is then required), and whether it runs inside the error boundary."""

    __slots__ = ("flags", "guarded", "handler", "words")

    def __init__(
        self,
        handler: Callable[[FastCall], None],
        flags: tuple[str, ...] = (),
        words: bool = False,
        guarded: bool = True,
    ) -> None:
        self.handler = handler
        self.flags = flags
        self.words = words
        self.guarded = guarded


def fast_command(options: GlobalOptions) -> FastCall | None:
    """The fast-path call for these arguments, or None (click runs them)."""
    from praxis import env

    if not options.rest or env.get("PRAXIS_NO_FAST_PATH") not in (None, "", "0"):
        return None
    route = ROUTES.get(options.rest[0])
    if route is None:
        return None
    arguments = options.rest[1:]
    words = [a for a in arguments if a not in route.flags]
    if any(w.startswith("-") for w in words) or bool(words) != route.words:
        return None
    return FastCall(route, options.data_dir, words, "--json" in arguments)


def _version(call: FastCall) -> None:
    from praxis.cli.hot import version

    version()


def _status(call: FastCall) -> None:
    from praxis.cli.hot import status

    _with_app(call, lambda app: status(app, call.as_json))


def _ask(call: FastCall) -> None:
    from praxis.cli.hot import ask

    _with_app(call, lambda app: ask(app, call.words, call.as_json))


def _with_app(call: FastCall, body: Callable[[Praxis], None]) -> None:
    from praxis.app import Praxis

    app = Praxis.open(call.data_dir)
    try:
        body(app)
    finally:
        app.close()


# Command -> how the fast path runs it. `--version` needs no app and cannot fail, so it skips the
# error boundary (and its imports).
ROUTES = {
    "--version": Route(_version, guarded=False),
    "-V": Route(_version, guarded=False),
    "status": Route(_status, flags=("--json",)),
    "ask": Route(_ask, flags=("--json",), words=True),
}
