"""Ollama adapter: `POST {base}/api/chat`, one JSON reply or an NDJSON stream."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import TYPE_CHECKING, Any

from praxis.providers.adapter import (
    AdapterResult,
    HttpClient,
    TextCallback,
    count,
    finish,
    function_tools,
    load_json,
    normalise_base,
    parse_arguments,
    reading,
)
from praxis.providers.base import CompletionRequest, Message, ToolCall, Usage
from praxis.providers.http_errors import TRANSIENT

if TYPE_CHECKING:
    import httpx

LABEL = "Ollama"
_DONE = {"stop": "end", "length": "max_tokens"}
# Full endpoints an operator may paste (including Ollama's OpenAI-compatible /v1).
_ENDPOINTS = ("/api/chat", "/api/generate", "/api", "/v1/chat/completions", "/v1")


class OllamaAdapter:
    provider = "ollama"

    def __init__(
        self, model: str, base_url: str, timeout: float, client: httpx.Client | None = None
    ) -> None:
        self.model = model
        url = base_url.strip()
        if "://" not in url:  # OLLAMA_HOST is often written as host:port
            url = f"http://{url}"
        self.base_url = normalise_base(url, _ENDPOINTS)
        self.url = f"{self.base_url}/api/chat"
        self.http = HttpClient(LABEL, self.url, timeout, client=client)

    def __repr__(self) -> str:
        return f"OllamaAdapter(model={self.model!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self.http.close()

    def call(
        self, request: CompletionRequest, on_text: TextCallback | None = None
    ) -> AdapterResult:
        body = request_body(self.model, request, stream=on_text is not None)
        headers = {"content-type": "application/json"}
        if on_text is None:
            return parse_reply(self.http.post_json(headers, body))
        with closing(self.http.stream_lines(headers, body)) as lines:
            return self._stream(lines, on_text)

    def _stream(self, lines: Iterator[str], on_text: TextCallback) -> AdapterResult:
        texts: list[str] = []
        raw_calls: list[Any] = []
        for line in lines:
            if not line.strip():
                continue
            chunk = load_json(LABEL, line)
            with reading(LABEL):
                if chunk.get("error"):  # a failure after the 200 header was sent
                    raise self.http.error(TRANSIENT, f"stream failed: {chunk['error']}")
                message = chunk.get("message") or {}
                raw_calls.extend(message.get("tool_calls") or ())
                text = str(message.get("content") or "")
                done = bool(chunk.get("done"))
            if text:
                texts.append(text)
                on_text(text)
            if done:
                with reading(LABEL):
                    calls, usage, stop = _tool_calls(raw_calls), _usage(chunk), _stop(chunk)
                return finish(LABEL, "".join(texts), calls, usage, stop)
        raise self.http.error(TRANSIENT, "stream ended before done")


def request_body(model: str, request: CompletionRequest, *, stream: bool) -> dict[str, Any]:
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
