"""events.jsonl: one JSON object per line, `{"emitted_at", "event": {"kind", "detail"}}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

_TAIL_BYTES = 16_384


class Event(NamedTuple):
    kind: str
    detail: str
    emitted_at: str


def count_events(path: Path) -> int:
    """Number of complete lines, counted in chunks (no parsing)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return 0
    count = 0
    with handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def last_event(path: Path) -> Event | None:
    """The newest well-formed event, reading only the file's tail."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    for line in reversed(tail.splitlines()):
        event = parse_event(line)
        if event is not None:
            return event
    return None


def parse_event(line: str) -> Event | None:
    try:
        raw = json.loads(line)
        inner = raw["event"]
        return Event(
            str(inner["kind"]), str(inner.get("detail", "")), str(raw.get("emitted_at", ""))
        )
    except (ValueError, KeyError, TypeError):
        return None


def emit_event(path: Path, kind: str, detail: str) -> None:
    """Append one event (a single write), stamped with the one clock; secrets are redacted."""
    from praxis import clock
    from praxis.files import append_line
    from praxis.redact import redact

    event = {"kind": redact(kind), "detail": redact(detail)}
    # Redacted as data (before JSON escaping) and again as a line by append_line.
    append_line(
        path, json.dumps({"emitted_at": clock.now_text(), "event": event}, ensure_ascii=False)
    )
