"""The `praxis` command: the fast path for the hot commands, else click, inside the one error
boundary (cli/boundary.py)."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (or collections.abc)
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from praxis.cli.fastpath import fast_command, parse_globals

    options = parse_globals(sys.argv[1:] if argv is None else argv)
    command = fast_command(options)
    if command is not None and not command.guarded:
        return command()  # `--version`: nothing can fail, nothing more to import
    from praxis.cli.boundary import run_cli

    return run_cli(options.argv, command)
