"""The secret values an export or audit must never contain."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from praxis import env

if TYPE_CHECKING:
    from praxis.app import Praxis

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH")
_MIN_LENGTH = 6  # shorter values would redact ordinary words


def known_secrets(app: Praxis) -> tuple[str, ...]:
    """Values of every key we know: provider keys (incl. each route's `api_key_env`), tokens,
    secret-looking environment variables, and every value in the data dir's `.env`."""
    from praxis.errors import PraxisError
    from praxis.quality.commands import child_environment

    values = set(child_environment()[1])
    try:
        routes = app.config.routes
    except PraxisError:
        routes = ()
    for route in routes:
        name = route.key_env
        value = env.get(name) if name else None
        if value:
            values.add(value)
    values.update(_dotenv_secrets(app.data_dir.dotenv))
    # Longest first, so a secret that contains another is replaced whole.
    return tuple(sorted((v for v in values if len(v) >= _MIN_LENGTH), key=len, reverse=True))


def _dotenv_secrets(path: Path) -> list[str]:
    """Values in `.env` whose name or shape says secret (not e.g. OLLAMA_HOST)."""
    from praxis.redact import redact

    if not path.is_file():  # never open a FIFO
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [
        value
        for name, value in env.parse_dotenv(text).items()
        if _SECRET_NAME.search(name.upper()) or redact(value) != value
    ]


def scrub(data: bytes, secrets: tuple[str, ...]) -> bytes:
    """Replace every literal secret value in `data` with `[REDACTED]`."""
    for secret in secrets:
        data = data.replace(secret.encode("utf-8"), b"[REDACTED]")
    return data
