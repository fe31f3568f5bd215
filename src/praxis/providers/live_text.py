"""Streamed text across retries and failover.

A streamed attempt can fail after some of its text was passed on (`ask --stream` printed it).
The next attempt — a retry, or the next route — starts its answer from the beginning, so the
text already passed on is void. A text sink that cares has a `void()` method; the route calls it
when an attempt that passed text fails. Plain callables are fed as before.
"""

from __future__ import annotations

from collections.abc import Callable


class AttemptText:
    """The caller's `on_text` for one attempt, remembering whether it passed any text."""

    def __init__(self, sink: Callable[[str], None]) -> None:
        self.sink = sink
        self.passed = False

    def __call__(self, text: str) -> None:
        self.passed = True
        self.sink(text)

    def failed(self) -> None:
        """The attempt failed: if it passed text, tell the sink that text is void."""
        void = getattr(self.sink, "void", None)
        if self.passed and callable(void):
            void()
