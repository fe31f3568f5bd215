"""The `praxis` command: argument normalisation and the one error boundary."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from praxis import __version__

GLOBAL_VALUE_OPTIONS = ("--data-dir",)
GLOBAL_FLAGS = ("--debug",)


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """Move `--data-dir X` / `--debug` to the front so they work before or after the subcommand."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    args = list(argv)
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in GLOBAL_VALUE_OPTIONS and index + 1 < len(args):
            front += [arg, args[index + 1]]
            index += 2
            continue
        if any(arg.startswith(f"{opt}=") for opt in GLOBAL_VALUE_OPTIONS) or arg in GLOBAL_FLAGS:
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        # Fast path: no click import for the most common health probe.
        sys.stdout.write(f"praxis {__version__}\n")
        return 0
    from praxis.cli.boundary import run_cli

    return run_cli(hoist_global_options(args))
