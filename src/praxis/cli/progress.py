"""The terminal's progress line: a transient spinner on stderr with the latest step of the work
and the seconds since it began (e.g. `⠹ decide: asking openai gpt-5.4-mini 12s`).

Shown only when stderr is a terminal that is not dumb (`TERM=dumb`) and `--json` is not given;
otherwise the command gets `NO_PROGRESS`, so pipes, logs, tests and the daemon's lines are
byte-identical to a run without it. The line is erased when the work ends, fails or is
interrupted, before anything else is printed. rich is imported only once a line is drawn.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from praxis import env
from praxis.progress import NO_PROGRESS, Progress
from praxis.redact import redact
from praxis.text import clip, one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.live import Live

DUMB_TERMINALS = ("dumb", "unknown")
STEP_CHARS = 500  # a step is one line; the terminal's width clips it further
REFRESHES_PER_SECOND = 4
FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
PLAIN_FRAMES = "-\\|/"  # a terminal that cannot show the braille dots


@contextmanager
def shown(as_json: bool = False) -> Iterator[Progress]:
    """The progress to hand the command's service: the terminal line, or `NO_PROGRESS`."""
    if as_json or not on_terminal():
        yield NO_PROGRESS
        return
    line = StatusLine()
    try:
        yield line
    finally:
        line.done()


def on_terminal() -> bool:
    """Whether stderr is an interactive terminal that can redraw a line."""
    if (env.get("TERM") or "") in DUMB_TERMINALS:
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):  # closed
        return False


class StatusLine:
    """A `Progress` drawn as one transient line on stderr (rich's Live), started by the first
    step and erased by `done()`."""

    def __init__(self) -> None:
        self.current = ("", time.monotonic())
        self._live: Live | None = None

    def step(self, text: str) -> None:
        self.current = (clip(one_line(redact(text)), STEP_CHARS), time.monotonic())
        if self._live is None:
            self._live = _live(self)

    def done(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        text, since = self.current
        took = f" {elapsed(time.monotonic() - since)}"
        frames = FRAMES if options.encoding.lower().startswith("utf") else PLAIN_FRAMES
        frame = frames[int(time.monotonic() * REFRESHES_PER_SECOND) % len(frames)]
        room = options.max_width - len(took) - 2
        yield Text.assemble((frame, "cyan"), " ", clip(text, max(room, 1)), (took, "dim"))


def _live(line: StatusLine) -> Live:
    """The line on screen, redrawn a few times a second; nothing else is redirected (stdout
    stays byte-identical: a command prints its result after `done()`)."""
    from rich.console import Console
    from rich.live import Live

    live = Live(
        line,
        console=Console(stderr=True, highlight=False),
        transient=True,
        refresh_per_second=REFRESHES_PER_SECOND,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    live.start(refresh=True)
    # Live hides the cursor until it stops; a process killed outright (kill -9, SIGTERM on
    # `run --once`) would leave the operator's terminal without one.
    live.console.show_cursor(True)
    return live


def elapsed(seconds: float) -> str:
    """`12s`, `3m 05s`, `2h 07m`: the time since a step began."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"
