"""OllamaAdapter against the fake Ollama server over real sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from praxis.providers.base import CompletionRequest, Message, ToolCall
from praxis.providers.ollama import OllamaAdapter
from tests.adapters import FUNCTION_TOOL, assert_plain_reply, call_error, request
from tests.fakes.ollama import FakeOllama


def ask(messages: tuple[Message, ...] = (Message("user", "Any news?"),)) -> CompletionRequest:
    return request("## Memory\nlikes tea", messages)


def test_ok_reply_and_the_request_on_the_wire(fake_ollama: FakeOllama) -> None:
    result = OllamaAdapter("llama3.2", fake_ollama.url, 5.0).call(ask())
    assert_plain_reply(result, "Fake Ollama reply to: Any news?")
    sent = fake_ollama.last
    assert sent.path == "/api/chat"
    assert "authorization" not in sent.headers
    assert sent.json == {
        "model": "llama3.2",
        "messages": [
            {"role": "system", "content": "You are Praxis.\n\n## Memory\nlikes tea"},
            {"role": "user", "content": "Any news?"},
        ],
        "stream": False,
        "options": {"num_predict": 220},
        "tools": [FUNCTION_TOOL],
    }


def test_streaming_ndjson_deltas_and_final_counts(fake_ollama: FakeOllama) -> None:
    fake_ollama.text = "Nothing new today."
    fake_ollama.usage = (77, 5)
    deltas: list[str] = []
    result = OllamaAdapter("llama3.2", fake_ollama.url, 5.0).call(ask(), deltas.append)
    assert deltas == ["Nothing ", "new ", "today."]
    assert (result.text, result.usage.input_tokens, result.usage.output_tokens) == (
        "Nothing new today.",
        77,
        5,
    )
    assert fake_ollama.last.json["stream"] is True


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_tool_calls_get_generated_ids(fake_ollama: FakeOllama, stream: bool) -> None:
    fake_ollama.tool_arguments = {"query": "tea"}
    fake_ollama.script("tool_call")
    result = OllamaAdapter("llama3.2", fake_ollama.url, 5.0).call(
        ask(), (lambda _d: None) if stream else None
    )
    assert result.tool_calls == (ToolCall("call_1", "lookup", {"query": "tea"}),)
    assert result.stop_reason == "tool_use"


def test_tool_round_trip(fake_ollama: FakeOllama) -> None:
    messages = (
        Message("user", "Find tea notes"),
        Message("assistant", "", tool_calls=(ToolCall("call_1", "lookup", {"query": "tea"}),)),
        Message("tool", "green, black", tool_call_id="call_1"),
    )
    assert OllamaAdapter("llama3.2", fake_ollama.url, 5.0).call(ask(messages)).text
    wire = fake_ollama.last.json["messages"]
    assert wire[2]["tool_calls"] == [
        {"type": "function", "function": {"name": "lookup", "arguments": {"query": "tea"}}}
    ]
    assert wire[3] == {"role": "tool", "content": "green, black", "tool_name": "lookup"}


@pytest.mark.parametrize(
    "suffix", ["", "/", "/api/generate", "/api/chat", "/api", "/v1/chat/completions"]
)
def test_full_endpoints_are_cut_back_to_the_base(fake_ollama: FakeOllama, suffix: str) -> None:
    """The original posted to the base url verbatim (reference §20.2 item 1)."""
    assert OllamaAdapter("llama3.2", fake_ollama.url + suffix, 5.0).call(ask()).text
    assert fake_ollama.last.path == "/api/chat"


def test_host_without_scheme_like_ollama_host(fake_ollama: FakeOllama) -> None:
    host = fake_ollama.url.removeprefix("http://")
    assert OllamaAdapter("llama3.2", host, 5.0).call(ask()).text


@pytest.fixture
def picky() -> Iterator[FakeOllama]:
    server = FakeOllama(models={"llama3.2"})
    yield server
    server.close()


def test_unknown_model_is_an_invalid_request(picky: FakeOllama) -> None:
    error = call_error(OllamaAdapter("no-such-model", picky.url, 5.0), ask())
    assert (error.error_class, error.status) == ("invalid_request", 404)
    assert error.message == "Ollama request failed with 404: model 'no-such-model' not found"
    assert error.hint == "check the model name and providers.toml"
