"""ClaudeAdapter against the fake Anthropic Messages API over real sockets."""

from __future__ import annotations

import httpx
import pytest

from praxis.providers.base import CompletionRequest, Message, ToolCall
from praxis.providers.claude import ClaudeAdapter
from tests.adapters import SCHEMA, assert_plain_reply, call_error, request
from tests.fakes.anthropic import FakeAnthropic


def adapter(
    fake: FakeAnthropic, base: str | None = None, client: httpx.Client | None = None
) -> ClaudeAdapter:
    key = fake.key or ""
    return ClaudeAdapter("claude-test", base or fake.url, key, "ANTHROPIC_API_KEY", 5.0, client)


def ask(
    messages: tuple[Message, ...] = (Message("user", "What is on my list?"),),
) -> CompletionRequest:
    return request("## Goals\nG-001 tidy notes", messages)


def test_ok_reply_and_the_request_on_the_wire(fake_anthropic: FakeAnthropic) -> None:
    assert_plain_reply(
        adapter(fake_anthropic).call(ask()), "Fake Claude reply to: What is on my list?"
    )
    sent = fake_anthropic.last
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"] == fake_anthropic.key
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json == {
        "model": "claude-test",
        "max_tokens": 220,
        "system": "You are Praxis.\n\n## Goals\nG-001 tidy notes",
        "messages": [{"role": "user", "content": "What is on my list?"}],
        "tools": [{"name": "lookup", "description": "Look something up", "input_schema": SCHEMA}],
    }


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_tool_call_reply(fake_anthropic: FakeAnthropic, stream: bool) -> None:
    fake_anthropic.tool_arguments = {"query": "notes", "limit": 3}
    fake_anthropic.tool_text = "Let me look."
    fake_anthropic.script("tool_call")
    deltas: list[str] = []
    result = adapter(fake_anthropic).call(ask(), deltas.append if stream else None)
    assert result.tool_calls == (
        ToolCall("toolu_fake01", "lookup", {"query": "notes", "limit": 3}),
    )
    assert result.text == "Let me look."
    assert result.stop_reason == "tool_use"
    assert deltas == (["Let ", "me ", "look."] if stream else [])


def test_streaming_request_and_result(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = "Three small words"
    fake_anthropic.usage = (321, 45)
    deltas: list[str] = []
    result = adapter(fake_anthropic).call(ask(), deltas.append)
    assert deltas == ["Three ", "small ", "words"]
    assert result.text == "Three small words"
    assert (result.usage.input_tokens, result.usage.output_tokens) == (321, 45)
    assert fake_anthropic.last.json["stream"] is True
    assert fake_anthropic.last.json["system"].endswith("G-001 tidy notes")


def test_tool_round_trip_is_accepted_by_the_api(fake_anthropic: FakeAnthropic) -> None:
    """The fake rejects non-alternating turns and tool_results without a tool_use, as the API does."""
    call_a = ToolCall("toolu_a", "lookup", {"query": "notes"})
    call_b = ToolCall("toolu_b", "lookup", {"query": "todo"})
    messages = (
        Message("user", "Find my notes"),
        Message("assistant", "", tool_calls=(call_a, call_b)),
        Message("tool", "3 files", tool_call_id="toolu_a"),
        Message("tool", "nothing", tool_call_id="toolu_b"),
        Message("user", "Now summarise"),
    )
    result = adapter(fake_anthropic).call(ask(messages=messages))
    assert result.text.endswith("Now summarise")
    turns = fake_anthropic.last.json["messages"]
    assert [turn["role"] for turn in turns] == ["user", "assistant", "user"]
    assert turns[1]["content"][0] == {
        "type": "tool_use",
        "id": "toolu_a",
        "name": "lookup",
        "input": {"query": "notes"},
    }
    assert [block["type"] for block in turns[2]["content"]] == [
        "tool_result",
        "tool_result",
        "text",
    ]


def test_invalid_request_is_classified_with_the_vendor_message(
    fake_anthropic: FakeAnthropic,
) -> None:
    error = call_error(
        adapter(fake_anthropic), ask(messages=(Message("assistant", "I speak first"),))
    )
    assert (error.error_class, error.status) == ("invalid_request", 400)
    assert "invalid_request_error: messages.0.role" in error.message
    assert error.hint == "check the model name and providers.toml"


@pytest.mark.parametrize("suffix", ["/", "/v1", "/v1/messages", "/v1/messages/"])
def test_full_endpoints_are_cut_back_to_the_base(
    fake_anthropic: FakeAnthropic, suffix: str
) -> None:
    client = adapter(fake_anthropic, fake_anthropic.url + suffix)
    assert client.url == f"{fake_anthropic.url}/v1/messages"
    assert client.call(ask()).text
    assert fake_anthropic.last.path == "/v1/messages"


def test_a_passed_client_is_used_and_left_open(fake_anthropic: FakeAnthropic) -> None:
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]}) as shared:
        claude = adapter(fake_anthropic, client=shared)
        claude.call(ask())
        claude.close()
        assert not shared.is_closed
    assert seen == [f"{fake_anthropic.url}/v1/messages"]


def test_stream_cut_before_message_stop_is_transient(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.delay = 0.2
    claude = ClaudeAdapter("m", fake_anthropic.url, fake_anthropic.key or "", None, 5.0)
    fake_anthropic.script("stall")  # half of message_start, then the server closes the stream
    error = call_error(claude, ask(), lambda _delta: None)
    assert error.error_class == "transient"
    assert error.message == "Claude stream ended before message_stop"
