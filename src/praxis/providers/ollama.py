"""Ollama adapter: `POST {base}/api/chat`, one JSON reply or an NDJSON stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from praxis.providers.adapter import (
    AdapterResult,
    HttpClient,
    count,
    finish,
    function_tools,
    load_json,
    parse_arguments,
    reading,
)
from praxis.providers.base import CompletionRequest, Message, ToolCall, Usage
from praxis.providers.http_adapter import HttpAdapter, WireFormat
from praxis.providers.http_errors import TRANSIENT

if TYPE_CHECKING:
    import httpx

LABEL = "Ollama"
_DONE = {"stop": "end", "length": "max_tokens"}


class OllamaAdapter(HttpAdapter):
    provider = "ollama"
    label = LABEL
    # pasted endpoints, its OpenAI-compatible /v1 ones included
    endpoints = ("/api/chat", "/api/generate", "/api", "/v1/chat/completions", "/v1")

    def __init__(
        self, model: str, base_url: str, timeout: float, client: httpx.Client | None = None
    ) -> None:
        url = base_url.strip()
        if "://" not in url:  # OLLAMA_HOST is often written as host:port
            url = f"http://{url}"
        super().__init__(CHAT, model, url, timeout, client=client)


def _json_lines(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """NDJSON: one chunk a line, no event names."""
    return (("", line) for line in lines if line.strip())


class _Stream:
    """Accumulates NDJSON chunks; the last (`done`) one carries the usage and the stop reason."""

    end = "done"

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.texts: list[str] = []
        self.raw_calls: list[Any] = []
        self.last: Any = None
        self.done = False

    def feed(self, event: str, data: str) -> str | None:
        chunk = load_json(LABEL, data)
        if chunk.get("error"):  # a failure after the 200 header was sent
            raise self.http.error(TRANSIENT, f"stream failed: {chunk['error']}")
        message = chunk.get("message") or {}
        self.raw_calls.extend(message.get("tool_calls") or ())
        text = str(message.get("content") or "")
        self.texts.append(text)
        self.last, self.done = chunk, bool(chunk.get("done"))
        return text

    def result(self) -> AdapterResult:
        calls, usage, stop = _tool_calls(self.raw_calls), _usage(self.last), _stop(self.last)
        return finish(LABEL, "".join(self.texts), calls, usage, stop)


def request_body(model: str, request: CompletionRequest, stream: bool = False) -> dict[str, Any]:
    system = {"role": "system", "content": request.instructions()}
    body: dict[str, Any] = {
        "model": model,
        "messages": [system, *wire_messages(request.messages)],
        "stream": stream,
        "options": {"num_predict": request.max_output_tokens},
    }
    if request.tools:
        body["tools"] = function_tools(request.tools)
    return body


def wire_messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    """Ollama names a tool result by the tool's name (`tool_name`), found via the call id."""
    names: dict[str, str] = {}
    wire: list[dict[str, Any]] = []
    for message in messages:
        item: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.tool_calls:
            item["tool_calls"] = [
                {"type": "function", "function": {"name": c.name, "arguments": dict(c.arguments)}}
                for c in message.tool_calls
            ]
            names.update((c.id, c.name) for c in message.tool_calls)
        if message.role == "tool" and message.tool_call_id in names:
            item["tool_name"] = names[message.tool_call_id]
        wire.append(item)
    return wire


def parse_reply(data: Any) -> AdapterResult:
    with reading(LABEL):
        message = data["message"]
        result = (
            str(message.get("content") or ""),
            _tool_calls(message.get("tool_calls") or ()),
            _usage(data),
            _stop(data),
        )
    return finish(LABEL, *result)


def _tool_calls(raw: Any) -> list[ToolCall]:
    calls = []
    for number, call in enumerate(raw, start=1):
        function = call["function"]
        arguments = parse_arguments(LABEL, function.get("arguments") or {})
        calls.append(
            ToolCall(str(call.get("id") or f"call_{number}"), str(function["name"]), arguments)
        )
    return calls


def _usage(data: Any) -> Usage:
    return Usage(count(data, "prompt_eval_count"), count(data, "eval_count"))


def _stop(data: Any) -> str | None:
    return _DONE.get(str(data.get("done_reason")))


CHAT = WireFormat("api/chat", request_body, parse_reply, _Stream, frames=_json_lines)
