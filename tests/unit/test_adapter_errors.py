"""CallError classification, hints, excerpts, Retry-After parsing, and the shared wire helpers."""

from __future__ import annotations

import pytest

from praxis.errors import CallError
from praxis.providers.adapter import finish, iter_sse, normalise_base, parse_arguments
from praxis.providers.base import Usage
from praxis.providers.http_errors import (
    EXCERPT_CHARS,
    classify_status,
    parse_retry_after,
    status_error,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, "auth"),
        (403, "auth"),
        (429, "rate_limit"),
        (500, "transient"),
        (503, "transient"),
        (529, "transient"),
        (400, "invalid_request"),
        (404, "invalid_request"),
        (422, "invalid_request"),
        (409, "invalid_request"),
    ],
)
def test_status_classes(status: int, expected: str) -> None:
    assert classify_status(status) == expected


def test_status_error_message_hint_and_vendor_detail() -> None:
    body = '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}'
    error = status_error("Claude", 500, body, {}, secrets=(), key_env="ANTHROPIC_API_KEY")
    assert isinstance(error, CallError)
    assert error.message == "Claude request failed with 500: api_error: Internal server error"
    assert error.hint == "the provider or network is unavailable; Praxis retries a few times"
    assert (error.error_class, error.status, error.retry_after) == ("transient", 500, None)
    assert error.retryable


def test_auth_hint_names_the_env_var_and_rate_limit_hint() -> None:
    auth = status_error("OpenAI", 401, "{}", {}, secrets=(), key_env="MY_OPENAI_KEY")
    assert auth.hint is not None and "check MY_OPENAI_KEY" in auth.hint
    assert not auth.retryable
    limited = status_error(
        "OpenAI", 429, "slow down", {"Retry-After": "3"}, secrets=(), key_env=None
    )
    assert limited.hint == "wait or lower usage (the provider is rate limiting this key)"
    assert limited.retry_after == 3.0
    invalid = status_error(
        "Ollama", 404, '{"error":"model \'x\' not found"}', {}, secrets=(), key_env=None
    )
    assert invalid.hint == "check the model name and providers.toml"
    assert invalid.message == "Ollama request failed with 404: model 'x' not found"


def test_excerpt_is_bounded_one_line_and_redacted() -> None:
    secret = "plain-secret-value-42"
    body = f"line one\n\n{secret} sk-abcdefghijklmnop " + "x" * 1000
    error = status_error("Claude", 502, body, {}, secrets=(secret,), key_env=None)
    detail = error.message.split(": ", 1)[1]
    assert len(detail) <= EXCERPT_CHARS
    assert "\n" not in error.message
    assert secret not in error.message and "sk-abcdefghijklmnop" not in error.message
    assert "[REDACTED]" in error.message


def test_empty_body_is_named() -> None:
    error = status_error("Claude", 503, "", {}, secrets=(), key_env=None)
    assert error.message == "Claude request failed with 503: (empty body)"


def test_retry_after_seconds_ms_date_and_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_retry_after({"Retry-After": "12"}) == 12.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({"Retry-After": "-4"}) == 0.0
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T08:00:00Z")
    assert parse_retry_after({"Retry-After": "Fri, 01 May 2026 08:00:30 GMT"}) == 30.0
    assert parse_retry_after({"Retry-After": "Fri, 01 May 2026 07:00:00 GMT"}) == 0.0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
        ("http://127.0.0.1:11434/", "http://127.0.0.1:11434"),
        ("http://127.0.0.1:11434/api/generate", "http://127.0.0.1:11434"),
        ("http://127.0.0.1:11434/api/chat/", "http://127.0.0.1:11434"),
        ("http://127.0.0.1:11434/api", "http://127.0.0.1:11434"),
    ],
)
def test_normalise_ollama_bases(url: str, expected: str) -> None:
    assert normalise_base(url, ("/api/chat", "/api/generate", "/api")) == expected


def test_normalise_openai_keeps_v1_but_drops_endpoints() -> None:
    suffixes = ("/chat/completions", "/responses")
    assert normalise_base("https://api.openai.com/v1", suffixes) == "https://api.openai.com/v1"
    assert (
        normalise_base("https://api.openai.com/v1/chat/completions//", suffixes)
        == "https://api.openai.com/v1"
    )
    assert normalise_base("http://h/v1/Responses", suffixes) == "http://h/v1"


def test_iter_sse_joins_data_lines_and_skips_comments() -> None:
    lines = [
        ": keep-alive",
        "event: a",
        "data: one",
        "data: two",
        "",
        "data: {}",
        "",
        "",
        "data: x",
    ]
    # the last event is never closed by a blank line: the stream was cut, so it is dropped
    assert list(iter_sse(lines)) == [("a", "one\ntwo"), ("", "{}")]


def test_parse_arguments_accepts_objects_and_json_strings_only() -> None:
    assert parse_arguments("X", {"a": 1}) == {"a": 1}
    assert parse_arguments("X", '{"a": 1}') == {"a": 1}
    assert parse_arguments("X", "") == {}
    for bad in ("{not json", "[1, 2]", 3):
        with pytest.raises(CallError) as caught:
            parse_arguments("X", bad)
        assert caught.value.error_class == "malformed_reply"


def test_an_empty_answer_is_malformed_and_says_why() -> None:
    with pytest.raises(CallError) as caught:
        finish("OpenAI", "  \n", [], Usage(10, 180), "max_tokens")
    assert caught.value.error_class == "malformed_reply"
    assert caught.value.message == (
        "OpenAI returned a malformed reply: no text and no tool calls before the output token limit"
    )
