"""OpenAIAdapter (Chat Completions and Responses) against the fake OpenAI API over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest

from praxis.providers.base import CompletionRequest, Message, ToolCall
from praxis.providers.openai import OpenAIAdapter
from tests.adapters import FUNCTION_TOOL, SCHEMA, assert_plain_reply, call_error, request
from tests.fakes.openai import FakeOpenAI

SYSTEM = "You are Praxis.\n\n## Goals\nG-001 tidy notes"


Api = Literal["chat", "responses"]


def adapter(fake: FakeOpenAI, api: Api = "chat", base: str | None = None) -> OpenAIAdapter:
    base = base or f"{fake.url}/v1"
    return OpenAIAdapter("gpt-test", base, fake.key, "OPENAI_API_KEY", 5.0, api)


def ask(messages: tuple[Message, ...] = (Message("user", "Plan my day"),)) -> CompletionRequest:
    return request("## Goals\nG-001 tidy notes", messages)


ROUND_TRIP = (
    Message("user", "Find my notes"),
    Message("assistant", "", tool_calls=(ToolCall("call_a", "lookup", {"query": "notes"}),)),
    Message("tool", "3 files", tool_call_id="call_a"),
    Message("user", "Now summarise"),
)


def test_chat_ok_and_the_request_on_the_wire(fake_openai: FakeOpenAI) -> None:
    assert_plain_reply(adapter(fake_openai).call(ask()), "Fake OpenAI reply to: Plan my day")
    sent = fake_openai.last
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {fake_openai.key}"
    assert sent.json == {
        "model": "gpt-test",
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "Plan my day"},
        ],
        "max_completion_tokens": 220,
        "tools": [FUNCTION_TOOL],
    }


def test_responses_ok_and_the_request_on_the_wire(fake_openai: FakeOpenAI) -> None:
    assert_plain_reply(
        adapter(fake_openai, "responses").call(ask()), "Fake OpenAI reply to: Plan my day"
    )
    sent = fake_openai.last
    assert sent.path == "/v1/responses"
    assert sent.json == {
        "model": "gpt-test",
        "instructions": SYSTEM,
        "input": [{"role": "user", "content": "Plan my day"}],
        "max_output_tokens": 220,
        "tools": [
            {
                "type": "function",
                "name": "lookup",
                "description": "Look something up",
                "parameters": SCHEMA,
            }
        ],
    }


@pytest.mark.parametrize("api", ["chat", "responses"])
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_tool_calls_parse(fake_openai: FakeOpenAI, api: Api, stream: bool) -> None:
    fake_openai.tool_arguments = {"query": "notes", "deep": True}
    fake_openai.script("tool_call")
    result = adapter(fake_openai, api).call(ask(), (lambda _d: None) if stream else None)
    assert result.tool_calls == (
        ToolCall("call_fake01", "lookup", {"query": "notes", "deep": True}),
    )
    assert (result.text, result.stop_reason) == ("", "tool_use")


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_streaming_deltas_and_final_usage(fake_openai: FakeOpenAI, api: Api) -> None:
    fake_openai.text = "Plan: rest, then write."
    fake_openai.usage = (900, 33)
    deltas: list[str] = []
    result = adapter(fake_openai, api).call(ask(), deltas.append)
    assert deltas == ["Plan: ", "rest, ", "then ", "write."]
    assert result.text == "Plan: rest, then write."
    assert (result.usage.input_tokens, result.usage.output_tokens) == (900, 33)
    assert fake_openai.last.json["stream"] is True
    if api == "chat":
        assert fake_openai.last.json["stream_options"] == {"include_usage": True}
    else:
        assert "stream_options" not in fake_openai.last.json


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_tool_round_trip_is_accepted_by_the_api(fake_openai: FakeOpenAI, api: Api) -> None:
    """The fake rejects tool results that answer no earlier call, as the real APIs do."""
    result = adapter(fake_openai, api).call(ask(ROUND_TRIP))
    assert result.text.endswith("Now summarise")
    body = fake_openai.last.json
    if api == "chat":
        assert body["messages"][2]["tool_calls"][0]["function"]["arguments"] == '{"query": "notes"}'
        assert body["messages"][3] == {
            "role": "tool",
            "tool_call_id": "call_a",
            "content": "3 files",
        }
    else:
        assert body["input"][1]["type"] == "function_call"
        assert body["input"][2] == {
            "type": "function_call_output",
            "call_id": "call_a",
            "output": "3 files",
        }


@pytest.fixture
def keyless() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(key=None)  # a local OpenAI-compatible server (llama.cpp, vLLM, ...)
    yield server
    server.close()


def test_no_key_sends_no_authorization(keyless: FakeOpenAI) -> None:
    local = OpenAIAdapter("qwen", f"{keyless.url}/v1", None, None, 5.0, "chat")
    assert local.call(ask()).text
    assert "authorization" not in keyless.last.headers
    keyless.script("401")
    hint = call_error(local, ask()).hint
    assert hint is not None and "providers.toml" in hint


@pytest.mark.parametrize(
    ("base", "path"),
    [
        ("/v1/", "/v1/chat/completions"),
        ("/v1/chat/completions", "/v1/chat/completions"),
        ("/v1/responses", "/v1/chat/completions"),
    ],
)
def test_full_endpoints_are_cut_back_to_the_base(
    fake_openai: FakeOpenAI, base: str, path: str
) -> None:
    assert adapter(fake_openai, base=fake_openai.url + base).call(ask()).text
    assert fake_openai.last.path == path


def test_responses_rejects_a_too_small_max_output_tokens(fake_openai: FakeOpenAI) -> None:
    error = call_error(adapter(fake_openai, "responses"), ask()._replace(max_output_tokens=8))
    assert (error.error_class, error.status) == ("invalid_request", 400)
    assert "max_output_tokens" in error.message


def test_wrong_path_is_an_invalid_request(fake_openai: FakeOpenAI) -> None:
    """A base without /v1 (a common mistake) gets the API's 404, named as invalid_request."""
    error = call_error(adapter(fake_openai, base=fake_openai.url), ask())
    assert (error.error_class, error.status) == ("invalid_request", 404)
    assert "Invalid URL (POST /chat/completions)" in error.message
