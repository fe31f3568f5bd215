"""The only place Praxis reads environment variables.

Values come from the process environment, then from an optional `.env` file in the data dir
(never exported, meant to be readable only by its owner). The process environment wins.
"""

from __future__ import annotations

import os
from pathlib import Path

_dotenv: dict[str, str] = {}


def get(name: str) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    # An empty variable (e.g. a compose pass-through of an unset host value) does not hide .env.
    return _dotenv.get(name, value)


def is_set(name: str) -> bool:
    value = get(name)
    return value is not None and value.strip() != ""


def snapshot() -> dict[str, str]:
    """A copy of the process environment (for child processes); `.env` values are not added."""
    return dict(os.environ)


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse `KEY=value` lines; `#` comments, blank lines and an `export ` prefix are allowed."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key:
            values[key] = value
    return values


def load_dotenv(path: Path) -> None:
    """Load a data dir's `.env` (silently absent)."""
    global _dotenv
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        _dotenv = {}
        return
    except (OSError, UnicodeDecodeError):
        _dotenv = {}
        return
    _dotenv = parse_dotenv(text)


def clear_dotenv() -> None:
    global _dotenv
    _dotenv = {}
