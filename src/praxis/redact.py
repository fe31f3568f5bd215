"""Redact secrets (API keys, bot tokens, Authorization values) from any text we print or store."""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"sk-(?:ant-)?[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\b\d{6,12}:[A-Za-z0-9_\-]{30,}\b"),  # Telegram bot token
    re.compile(r"(?i)(authorization\s*[:=]\s*)(bearer\s+)?[^\s\"',]+"),
    re.compile(r"(?i)(x-api-key\s*[:=]\s*)[^\s\"',]+"),
    re.compile(r"/bot[0-9]{6,12}:[A-Za-z0-9_\-]+"),
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Replace known secret shapes and any literal secret values with `[REDACTED]`."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[REDACTED]")
    for pattern in _PATTERNS:
        text = pattern.sub(_replacement, text)
    return text


def _replacement(match: re.Match[str]) -> str:
    if match.re.groups:
        return (match.group(1) or "") + "[REDACTED]"
    if match.group(0).startswith("/bot"):
        return "/bot[REDACTED]"
    return "[REDACTED]"
