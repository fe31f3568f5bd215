"""Text shaping every module shares: one line, and a bounded cut marked with an ellipsis.

Pure functions with no imports, so the start-up path (`ask`, provider errors) can use them.
Two marks, one convention: `...` in output lines, prompts and error messages; `…` (one
character) in the markdown records an operator reads (memory, JOURNAL.md, LEARNINGS.md).
"""

from __future__ import annotations

DOTS = "..."
ELLIPSIS = "…"


def one_line(text: str, limit: int | None = None) -> str:
    """`text` with every run of whitespace (newlines included) made one space and the ends
    trimmed; with `limit`, cut to at most that many characters by `clip`."""
    flat = " ".join(text.split())
    return flat if limit is None else clip(flat, limit)


def clip(text: str, limit: int, ellipsis: str = DOTS) -> str:
    """`text` when it has at most `limit` characters; else its start, trailing whitespace
    dropped, followed by `ellipsis`: at most `limit` characters in all. When `limit` leaves no
    room for more than the mark, just the start (trailing whitespace dropped)."""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[: max(limit, 0)].rstrip()
    return text[: limit - len(ellipsis)].rstrip() + ellipsis
