"""Detecting a server that rejects `tools`, the request without them, and the per-route memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from praxis.config.providers import Route
from praxis.errors import BudgetExceeded, CallError
from praxis.providers.adapter import AdapterResult
from praxis.providers.base import CompletionRequest, Message, ToolCall, ToolSpec, Usage
from praxis.providers.http_errors import status_error
from praxis.providers.pricing import Price
from praxis.providers.route import RetryPolicy, RouteProvider
from praxis.providers.router import Router
from praxis.providers.spend import CallLedger, SpendLimit
from praxis.providers.stub import StubProvider
from praxis.providers.tool_support import (
    RouteKey,
    ToolLessRoutes,
    load_tool_less,
    rejects_tools,
    without_tools,
)

TOOLS = (ToolSpec("shell", "Run a command", {"type": "object"}),)
REQUEST = CompletionRequest("act", "system", "", (Message("user", "hi"),), 100, TOOLS)


def _openai(message: str, status: int = 400) -> CallError:
    body = f'{{"error": {{"message": "{message}", "type": "invalid_request_error"}}}}'
    return status_error("OpenAI", status, body, {}, secrets=(), key_env=None)


@pytest.mark.parametrize(
    "message",
    [
        "tools is not supported for this model",
        "Tools are not supported with this model",
        "'tools' is not supported with this model.",
        "registry.ollama.ai/library/gemma:2b does not support tools",
        "This model does not support function calling.",
        "function calling is not enabled for this model",
        "tool use is not supported",
        "Unrecognized request argument supplied: tools",
        "Unsupported parameter: 'tools'",
        "tools: Extra inputs are not permitted",
        '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
        "tools param requires --jinja flag",
    ],
)
def test_tool_rejections_are_recognised(message: str) -> None:
    assert rejects_tools(_openai(message))


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("Missing required parameter: 'tools[0].function.name'.", 400),
        ("Invalid 'tools[0].function.name': string does not match pattern.", 400),
        ("tools: each tool needs name and input_schema", 400),
        (
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding "
            "message with 'tool_calls'.",
            400,
        ),
        ("model 'llama3.2' not found", 404),
        ("tools is not supported for this model", 401),  # auth: never "retry without tools"
        ("tools is not supported for this model", 500),
    ],
)
def test_other_errors_are_not_tool_rejections(message: str, status: int) -> None:
    assert not rejects_tools(_openai(message, status))


def test_without_tools_flattens_tool_turns() -> None:
    assert without_tools(REQUEST) == REQUEST._replace(tools=())
    history = (
        Message("user", "go"),
        Message("assistant", "Looking.", tool_calls=(ToolCall("c1", "shell", {"argv": ["ls"]}),)),
        Message("tool", "a.txt", tool_call_id="c1"),
    )
    plain = without_tools(REQUEST._replace(messages=history))
    assert plain.tools == ()
    assert plain.messages == (
        Message("user", "go"),
        Message("assistant", 'Looking.\n[called shell {"argv": ["ls"]}]'),
        Message("user", "[tool result c1]\na.txt"),
    )


def test_memory_survives_a_corrupt_file_and_keeps_other_writers(tmp_path: Path) -> None:
    path = tmp_path / "routes.json"
    path.write_text("{not json")
    first = ToolLessRoutes(path)
    assert first.entries() == []
    second = ToolLessRoutes(path)
    a = RouteKey("ollama", "gemma", "http://127.0.0.1:11434")
    b = RouteKey("openai", "qwen", "http://127.0.0.1:8080/v1")
    first.remember(a, "does not support tools", "2026-05-01T00:00:00Z")
    second.remember(b, "tools is not supported", "2026-05-01T00:00:01Z")
    assert load_tool_less(path) == [a, b]
    assert ToolLessRoutes(path).contains(a) and not ToolLessRoutes(path).contains(
        a._replace(model="other")
    )
    assert ToolLessRoutes(None).entries() == []


class RejectingAdapter:
    """Answers 400 "tools is not supported" to any request with tools."""

    provider = "openai"
    model = "qwen"

    def __init__(self) -> None:
        self.requests: list[CompletionRequest] = []

    def call(
        self, request: CompletionRequest, on_text: Callable[[str], None] | None = None
    ) -> AdapterResult:
        self.requests.append(request)
        if request.tools:
            raise _openai("tools is not supported for this model")
        return AdapterResult("done", (), Usage(10, 5), "end")

    def close(self) -> None:
        pass


def _route(adapter: RejectingAdapter, tries: int = 1, tools: bool = True) -> RouteProvider:
    return RouteProvider(
        Route("openai", adapter.model, "http://127.0.0.1:8080/v1", tools=tools),
        adapter,
        Price(0.0, 0.0, "local"),
        lambda text: len(text) // 4,
        RetryPolicy(max_tries=tries),
        sleep=lambda _s: None,
    )


def test_the_retry_without_tools_is_not_one_of_the_tries() -> None:
    adapter = RejectingAdapter()
    provider = _route(adapter, tries=1)
    reply = provider.complete(REQUEST)
    assert (reply.text, reply.tools_dropped) == ("done", True)
    assert [bool(r.tools) for r in adapter.requests] == [True, False]
    assert provider.supports_tools is False
    assert provider.tool_less.contains(provider.key)  # in memory only: no data dir here


def test_the_retry_without_tools_still_passes_the_budget_check() -> None:
    ledger = CallLedger([SpendLimit("run", 0, 0, 0, 10_000_000, 10_000_000, max_attempts=1)])
    adapter = RejectingAdapter()
    with pytest.raises(BudgetExceeded, match="attempts=1/1"):
        _route(adapter).complete(REQUEST, ledger)
    assert len(adapter.requests) == 1 and len(ledger.attempts) == 1


def test_supports_tools_of_stub_route_and_router() -> None:
    assert StubProvider.supports_tools is False
    with_tools = _route(RejectingAdapter())
    without = _route(RejectingAdapter(), tools=False)
    assert (with_tools.supports_tools, without.supports_tools) == (True, False)
    assert Router([without, with_tools]).supports_tools is True
    assert Router([without]).supports_tools is False
    reply = without.complete(REQUEST)
    assert reply.tools_dropped is True and not without.adapter.requests[0].tools  # type: ignore[attr-defined]
