"""Classified provider-call errors: what went wrong, whether retrying can help, how to fix it.

An adapter makes one HTTP call and raises `CallError`; the layer above decides on retries
(`transient`, `rate_limit` after `retry_after`) and failover. Messages never carry secrets.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from praxis.errors import CallError
from praxis.redact import redact
from praxis.text import one_line

AUTH = "auth"
RATE_LIMIT = "rate_limit"
TRANSIENT = "transient"
INVALID_REQUEST = "invalid_request"
MALFORMED_REPLY = "malformed_reply"
ERROR_CLASSES = (AUTH, RATE_LIMIT, TRANSIENT, INVALID_REQUEST, MALFORMED_REPLY)

EXCERPT_CHARS = 300


def classify_status(status: int) -> str:
    if status in (401, 403):
        return AUTH
    if status == 429:
        return RATE_LIMIT
    if status >= 500:
        return TRANSIENT
    return INVALID_REQUEST


def hint_for(error_class: str, label: str, key_env: str | None) -> str:
    if error_class == AUTH:
        if key_env:
            return f"check {key_env}: it must hold a valid {label} API key"
        return f"check the {label} server's credentials and base_url in providers.toml"
    if error_class == RATE_LIMIT:
        return "wait or lower usage (the provider is rate limiting this key)"
    if error_class == TRANSIENT:
        return "the provider or network is unavailable; Praxis retries a few times"
    if error_class == MALFORMED_REPLY:
        return f"check that base_url in providers.toml points at a {label} API"
    return "check the model name and providers.toml"


def excerpt(text: str, secrets: tuple[str, ...] = ()) -> str:
    """A one-line, redacted, bounded piece of a reply body (or an error detail)."""
    return one_line(redact(text, secrets), EXCERPT_CHARS)


def vendor_detail(body: str) -> str:
    """The vendor's own error message when the body is a known error shape, else the body."""
    try:
        data: Any = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, str):  # Ollama: {"error": "..."}
            return error
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            kind = error.get("type") or error.get("code")
            return f"{kind}: {error['message']}" if isinstance(kind, str) else error["message"]
    return body


def status_error(
    label: str,
    status: int,
    body: str,
    headers: Mapping[str, str],
    *,
    secrets: tuple[str, ...],
    key_env: str | None,
) -> CallError:
    """The CallError for a non-2xx reply."""
    error_class = classify_status(status)
    detail = excerpt(vendor_detail(body), secrets) or "(empty body)"
    retry_after = parse_retry_after(headers) if error_class in (RATE_LIMIT, TRANSIENT) else None
    return CallError(
        f"{label} request failed with {status}: {detail}",
        hint_for(error_class, label, key_env),
        error_class=error_class,
        status=status,
        retry_after=retry_after,
    )


def call_error(
    label: str,
    error_class: str,
    what: str,
    *,
    secrets: tuple[str, ...] = (),
    key_env: str | None = None,
    status: int | None = None,
) -> CallError:
    """A CallError that is not a plain HTTP status: transport faults, bad replies, stream errors."""
    return CallError(
        f"{label} {excerpt(what, secrets)}",
        hint_for(error_class, label, key_env),
        error_class=error_class,
        status=status,
    )


def malformed(label: str, detail: str, secrets: tuple[str, ...] = ()) -> CallError:
    return call_error(
        label, MALFORMED_REPLY, f"returned a malformed reply: {detail}", secrets=secrets
    )


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` (seconds or an HTTP date)."""
    millis = _header(headers, "retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = _header(headers, "retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    from praxis import clock

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - clock.now()).total_seconds())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # plain dicts are case-sensitive; httpx.Headers is not
        lowered = {key.lower(): val for key, val in headers.items()}
        value = lowered.get(name)
    return value
