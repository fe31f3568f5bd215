"""Progress of long work: what a service reports while it works, for a surface to show.

A service calls `progress.step(text)` at each natural step of its work (a phase, a model call, a
tool run, a file copied out of N) and never knows whether or how it is shown: the CLI passes its
transient terminal line (`praxis.cli.progress`), everything else `NO_PROGRESS`. Texts are plain
words on one line; a renderer shows them redacted and clipped, so a caller need not.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def step(self, text: str) -> None:
        """The work is now at `text` (e.g. `decide: asking openai gpt-5.4-mini`); a renderer
        shows it, with the time since, until the next step."""
        ...

    def done(self) -> None:
        """Nothing is in progress until the next step (a renderer clears its line: others may
        print now)."""
        ...


class _Silent:
    def step(self, text: str) -> None:
        pass

    def done(self) -> None:
        pass


NO_PROGRESS: Progress = _Silent()


class Prefixed:
    """`progress` with `prefix: ` before each step's text (e.g. `reflect: eval 1/2: ...`)."""

    def __init__(self, progress: Progress, prefix: str) -> None:
        self.progress = progress
        self.prefix = prefix

    def step(self, text: str) -> None:
        self.progress.step(f"{self.prefix}: {text}")

    def done(self) -> None:
        self.progress.done()
