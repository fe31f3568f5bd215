"""Every adapter against its fake over real sockets: each fault mode, plain and streamed."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from praxis.errors import CallError
from praxis.providers.adapter import Adapter
from praxis.providers.base import CompletionRequest, Message, ToolSpec
from praxis.providers.claude import ClaudeAdapter
from praxis.providers.ollama import OllamaAdapter
from praxis.providers.openai import OpenAIAdapter
from tests.adapters import call_error
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.base import FakeServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

TIMEOUT = 5.0  # generous: a loaded CI box must not turn an ok reply into a timeout
SHORT = 0.3  # for the tests that wait for a timeout on purpose
TOOLS = (ToolSpec("lookup", "Look something up", {"type": "object"}),)
REQUEST = CompletionRequest("ask", "Be brief.", "ctx", (Message("user", "hello"),), 64, TOOLS)

Build = Callable[[str, str | None, float], Adapter]  # (fake url, api key, timeout) -> adapter
LABELS = {"claude": "Claude", "openai": "OpenAI", "ollama": "Ollama"}


def _claude(url: str, key: str | None, timeout: float = TIMEOUT) -> Adapter:
    return ClaudeAdapter("claude-test", url, key or "", "ANTHROPIC_API_KEY", timeout)


def _chat(url: str, key: str | None, timeout: float = TIMEOUT) -> Adapter:
    return OpenAIAdapter("gpt-test", f"{url}/v1", key, "OPENAI_API_KEY", timeout, "chat")


def _responses(url: str, key: str | None, timeout: float = TIMEOUT) -> Adapter:
    return OpenAIAdapter("gpt-test", f"{url}/v1", key, "OPENAI_API_KEY", timeout, "responses")


def _ollama(url: str, key: str | None, timeout: float = TIMEOUT) -> Adapter:
    return OllamaAdapter("llama-test", url, timeout)


VENDORS: dict[str, tuple[Callable[[], FakeServer], Build]] = {
    "claude": (FakeAnthropic, _claude),
    "openai-chat": (FakeOpenAI, _chat),
    "openai-responses": (FakeOpenAI, _responses),
    "ollama": (FakeOllama, _ollama),
}


class Pair:
    def __init__(self, fake: FakeServer, adapter: Adapter) -> None:
        self.fake = fake
        self.adapter = adapter


def _pair(name: str, timeout: float) -> Iterator[Pair]:
    make_fake, build = VENDORS[name]
    fake = make_fake()
    fake.delay = 1.0
    adapter = build(fake.url, fake.key, timeout)
    yield Pair(fake, adapter)
    adapter.close()
    fake.close()


@pytest.fixture(params=sorted(VENDORS))
def pair(request: pytest.FixtureRequest) -> Iterator[Pair]:
    yield from _pair(request.param, TIMEOUT)


@pytest.fixture(params=sorted(VENDORS))
def short_pair(request: pytest.FixtureRequest) -> Iterator[Pair]:
    """An adapter whose timeout is short, for the tests that wait for one."""
    yield from _pair(request.param, SHORT)


def call(pair: Pair, stream: bool, mode: str) -> CallError:
    pair.fake.script(mode)
    deltas: list[str] = []
    return call_error(pair.adapter, REQUEST, deltas.append if stream else None)


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize(
    ("mode", "error_class", "status"),
    [
        ("500", "transient", 500),
        ("429", "rate_limit", 429),
        ("401", "auth", 401),
        ("disconnect", "transient", None),
        ("malformed", "malformed_reply", None),
    ],
)
def test_fault_modes_are_classified(
    pair: Pair, stream: bool, mode: str, error_class: str, status: int | None
) -> None:
    error = call(pair, stream, mode)
    assert (error.error_class, error.status) == (error_class, status)
    assert error.hint
    assert error.message.startswith(LABELS[pair.adapter.provider] + " ")
    assert len(pair.fake.requests) == 1  # exactly one HTTP call, no retries inside an adapter
    if mode == "429":
        assert error.retry_after == 1.0


def test_stream_errors_after_the_header_are_transient(pair: Pair) -> None:
    error = call(pair, True, "stream_error")
    assert error.error_class == "transient"
    assert "stream failed" in error.message


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_no_answer_in_time_is_a_transient_timeout(short_pair: Pair, stream: bool) -> None:
    error = call(short_pair, stream, "timeout")
    assert error.error_class == "transient" and error.status is None
    assert error.message.endswith(f"timed out after {SHORT:g}s")


def test_a_stalled_stream_times_out(short_pair: Pair) -> None:
    error = call(short_pair, True, "stall")
    assert error.error_class == "transient"
    assert "timed out" in error.message


def test_retry_after_is_configurable_and_optional(pair: Pair) -> None:
    pair.fake.retry_after = "7"
    assert call(pair, False, "429").retry_after == 7.0
    pair.fake.retry_after = None
    assert call(pair, False, "429").retry_after is None


def test_scripted_modes_are_consumed_in_order_then_ok(pair: Pair) -> None:
    pair.fake.script("500", "ok")
    with pytest.raises(CallError):
        pair.adapter.call(REQUEST)
    assert pair.adapter.call(REQUEST).text
    assert pair.adapter.call(REQUEST).text  # default mode is ok
    assert len(pair.fake.requests) == 3


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_streamed_deltas_arrive_live(pair: Pair, stream: bool) -> None:
    """The fake holds the rest of the reply until on_text has seen the first delta."""
    pair.fake.text = "one two three"
    pair.fake.hold_seconds = 2.0
    deltas: list[str] = []

    def on_text(delta: str) -> None:
        deltas.append(delta)
        pair.fake.release.set()

    result = pair.adapter.call(REQUEST, on_text if stream else None)
    assert result.text == "one two three"
    assert result.usage.input_tokens == 12 and result.usage.output_tokens == 7
    if stream:
        assert deltas == ["one ", "two ", "three"]
        assert pair.fake.released_in_time is True
    else:
        assert deltas == []


@pytest.mark.parametrize("name", ["claude", "openai-chat", "openai-responses"])
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_wrong_key_is_auth_and_never_shown(name: str, stream: bool) -> None:
    make_fake, build = VENDORS[name]
    fake = make_fake()
    wrong = "plain-wrong-key-value-0042"  # no sk- shape: only the literal redaction catches it
    adapter = build(fake.url, wrong, TIMEOUT)
    try:
        with pytest.raises(CallError) as caught:
            adapter.call(REQUEST, (lambda _d: None) if stream else None)
    finally:
        adapter.close()
        fake.close()
    error = caught.value
    assert error.error_class == "auth" and error.status == 401
    assert (
        wrong not in error.message and wrong not in str(error) and wrong not in (error.hint or "")
    )
    assert "[REDACTED]" in error.message  # the fake echoed the key; we hid it
    env = "ANTHROPIC_API_KEY" if name == "claude" else "OPENAI_API_KEY"
    assert error.hint is not None and f"check {env}" in error.hint
    assert wrong not in repr(adapter)


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_connection_refused_is_transient(name: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, build = VENDORS[name]
    adapter = build(f"http://127.0.0.1:{port}", "sk-unused-0000000000", TIMEOUT)
    with pytest.raises(CallError) as caught:
        adapter.call(REQUEST)
    adapter.close()
    assert caught.value.error_class == "transient"
    assert "could not connect" in caught.value.message
