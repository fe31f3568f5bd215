"""The only place Praxis reads environment variables.

Values come from the process environment, then from an optional `.env` file in the data dir
(never exported, meant to be readable only by its owner). The process environment wins.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (`praxis --version` reads
if TYPE_CHECKING:  # PRAXIS_NO_FAST_PATH here, and pays for every import)
    from collections.abc import Iterable
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
    """Load a data dir's `.env` (silently absent). A FIFO, device or directory in its place is
    refused (UnsafeFile) instead of hanging every command."""
    global _dotenv
    from praxis.safe_read import CONFIG_MAX_BYTES, read_text_regular

    _dotenv = {}
    try:
        text = read_text_regular(path, max_bytes=CONFIG_MAX_BYTES)
    except (OSError, UnicodeDecodeError):
        return
    _dotenv = parse_dotenv(text)


def clear_dotenv() -> None:
    global _dotenv
    _dotenv = {}


# Variables whose values are secrets whatever the config says; each route's `api_key_env` adds its
# own name (see praxis.redact.register_secrets).
SECRET_NAMES = (
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "PRAXIS_TELEGRAM_BOT_TOKEN",
    "PRAXIS_DASHBOARD_TOKEN",
)
_TOKEN_FILE_MAX_BYTES = 4096


def secret_values(names: Iterable[str] = (), files: Iterable[Path] = ()) -> tuple[str, ...]:
    """The values of the secret variables (SECRET_NAMES plus `names`) from the process environment
    or `.env`, and the contents of the token `files` that exist (regular files only: a FIFO in
    their place must not hang start-up). Blank values are left out."""
    values = [get(name) for name in (*SECRET_NAMES, *names)]
    values += [_read_token_file(path) for path in files]
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _read_token_file(path: Path) -> str | None:
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, _TOKEN_FILE_MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)
