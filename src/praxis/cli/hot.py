"""The hot commands' one behaviour: `--version`, `status` and `ask`, without click.

The start-up fast path (cli/fastpath.py) and the click commands (cli/root.py, cli/core.py,
cli/ask.py) both call these, so the two paths cannot drift apart. Each handler prints its result
and raises PraxisError for an expected failure; the caller's boundary turns that into error/hint
lines and an exit code.

`--version` loads this module: no `typing`, `collections` or `pathlib` at import time.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from praxis.app import Praxis


def version() -> None:
    from praxis import __version__

    sys.stdout.write(f"praxis {__version__}\n")


def status(app: Praxis, as_json: bool) -> None:
    """What this instance is doing; on an uninitialized data dir, how to initialize it."""
    from praxis.cli.views import status_report, write
    from praxis.operator.status import build_status

    write(status_report(build_status(app)), as_json)


def ask(
    app: Praxis,
    words: Sequence[str],
    as_json: bool,
    files: Sequence[str] = (),
    attachment_policy: str = "reject",
) -> None:
    """Answer one prompt statelessly (the whole answer at once; `--stream` is click's alone)."""
    from praxis.ask.attachments import parse_policy
    from praxis.ask.service import ask as run_ask
    from praxis.cli.views import ask_report, write

    policy = parse_policy(attachment_policy)
    app.require_initialized()
    result = run_ask(app.config, app.data_dir, tuple(words), tuple(files), policy)
    write(ask_report(result, as_json), as_json)
