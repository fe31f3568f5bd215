"""OpenAI adapter: Chat Completions (`api = "chat"`, any OpenAI-compatible server) or the
Responses API (`api = "responses"`), plain or streamed (SSE)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from typing import TYPE_CHECKING, Any, Literal

from praxis.providers.adapter import (
    AdapterResult,
    HttpClient,
    TextCallback,
    count,
    finish,
    function_tools,
    iter_sse,
    load_json,
    normalise_base,
    parse_arguments,
    reading,
)
from praxis.providers.base import CompletionRequest, ToolCall, Usage
from praxis.providers.http_errors import AUTH, INVALID_REQUEST, RATE_LIMIT, TRANSIENT

if TYPE_CHECKING:
    import httpx

LABEL = "OpenAI"
_FINISH = {
    "stop": "end",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
}
_ENDPOINTS = ("/chat/completions", "/responses", "/completions")
# OpenAI error `type`/`code` values seen inside a stream, mapped onto our classes.
_STREAM_ERRORS = {
    "server_error": TRANSIENT,
    "rate_limit_exceeded": RATE_LIMIT,
    "insufficient_quota": RATE_LIMIT,
    "invalid_api_key": AUTH,
}


class OpenAIAdapter:
    provider = "openai"

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str | None,
        key_env: str | None,
        timeout: float,
        api: Literal["chat", "responses"] = "chat",
        client: httpx.Client | None = None,
    ) -> None:
        self.model = model
        self.api = api
        self.base_url = normalise_base(base_url, _ENDPOINTS)
        self.url = f"{self.base_url}/{'responses' if api == 'responses' else 'chat/completions'}"
        self._headers = {"content-type": "application/json"}
        if api_key:  # local OpenAI-compatible servers take no key
            self._headers["authorization"] = f"Bearer {api_key}"
        secrets = (api_key,) if api_key else ()
        self.http = HttpClient(
            LABEL, self.url, timeout, secrets=secrets, key_env=key_env, client=client
        )

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIAdapter(model={self.model!r}, base_url={self.base_url!r}, api={self.api!r})"

    def close(self) -> None:
        self.http.close()

    def call(
        self, request: CompletionRequest, on_text: TextCallback | None = None
    ) -> AdapterResult:
        if self.api == "responses":
            body = responses_body(self.model, request)
            if on_text is None:
                return parse_response(self.http.post_json(self._headers, body))
            body["stream"] = True
            with closing(self.http.stream_lines(self._headers, body)) as lines:
                return self._stream_responses(lines, on_text)
        body = chat_body(self.model, request)
        if on_text is None:
            return parse_chat(self.http.post_json(self._headers, body))
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
        with closing(self.http.stream_lines(self._headers, body)) as lines:
            return self._stream_chat(lines, on_text)

    def _stream_chat(self, lines: Iterator[str], on_text: TextCallback) -> AdapterResult:
        state = _ChatStream()
        for _event, data in iter_sse(lines):
            if data.strip() == "[DONE]":
                return state.result()
            chunk = load_json(LABEL, data)
            with reading(LABEL):
                if chunk.get("error"):
                    raise self._stream_error(chunk["error"])
                delta = state.feed(chunk)
            if delta:
                on_text(delta)
        raise self.http.error(TRANSIENT, "stream ended before [DONE]")

    def _stream_responses(self, lines: Iterator[str], on_text: TextCallback) -> AdapterResult:
        for event, data in iter_sse(lines):
            payload = load_json(LABEL, data)
            with reading(LABEL):
                kind = event or payload["type"]
                if kind == "error":
                    raise self._stream_error(payload)
                if kind == "response.failed":
                    raise self._stream_error(payload["response"].get("error") or {})
                if kind in ("response.completed", "response.incomplete"):
                    return parse_response(payload["response"])
                # Text arrives as deltas; the final event carries the whole response.
                delta = str(payload["delta"]) if kind == "response.output_text.delta" else None
            if delta:
                on_text(delta)
        raise self.http.error(TRANSIENT, "stream ended before response.completed")

    def _stream_error(self, error: Any) -> Exception:
        error = error if isinstance(error, dict) else {"message": str(error)}
        kind = str(error.get("code") or error.get("type"))
        return self.http.error(
            _STREAM_ERRORS.get(kind, INVALID_REQUEST),
            f"stream failed: {kind}: {error.get('message')}",
        )


def chat_body(model: str, request: CompletionRequest) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": request.instructions()}]
    for message in request.messages:
        if message.role == "tool":
            messages.append(
                {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
            )
        elif message.tool_calls:
            calls = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": json.dumps(dict(call.arguments))},
                }
                for call in message.tool_calls
            ]
            messages.append(
                {"role": "assistant", "content": message.content or None, "tool_calls": calls}
            )
        else:
            messages.append({"role": message.role, "content": message.content})
    body: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "max_completion_tokens": request.max_output_tokens,
    }
    if request.tools:
        body["tools"] = function_tools(request.tools)
    return body


def parse_chat(data: Any) -> AdapterResult:
    with reading(LABEL):
        choice = data["choices"][0]
        message = choice["message"]
        calls = [
            ToolCall(
                str(call["id"]),
                str(call["function"]["name"]),
                parse_arguments(LABEL, call["function"].get("arguments")),
            )
            for call in message.get("tool_calls") or ()
        ]
        usage = data.get("usage") or {}  # compatible servers may omit it
        result = (
            str(message.get("content") or ""),
            calls,
            Usage(count(usage, "prompt_tokens"), count(usage, "completion_tokens")),
            _FINISH.get(str(choice.get("finish_reason"))),
        )
    return finish(LABEL, *result)


class _ChatStream:
    """Accumulates chat.completion.chunk objects; tool-call pieces are keyed by their index."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.calls: dict[int, dict[str, str]] = {}
        self.usage = Usage()
        self.stop: str | None = None

    def feed(self, chunk: dict[str, Any]) -> str | None:
        if chunk.get("usage"):
            usage = chunk["usage"]
            self.usage = Usage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"))
        text = None
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            if delta.get("content"):
                text = str(delta["content"])
                self.texts.append(text)
            for piece in delta.get("tool_calls") or ():
                call = self.calls.setdefault(int(piece.get("index", 0)), {"arguments": ""})
                if piece.get("id"):
                    call["id"] = str(piece["id"])
                function = piece.get("function") or {}
                if function.get("name"):
                    call["name"] = str(function["name"])
                call["arguments"] += str(function.get("arguments") or "")
            if choice.get("finish_reason"):
                self.stop = _FINISH.get(str(choice["finish_reason"]))
        return text

    def result(self) -> AdapterResult:
        with reading(LABEL):
            calls = [
                ToolCall(c["id"], c["name"], parse_arguments(LABEL, c["arguments"]))
                for _, c in sorted(self.calls.items())
            ]
        return finish(LABEL, "".join(self.texts), calls, self.usage, self.stop)


def responses_body(model: str, request: CompletionRequest) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for message in request.messages:
        if message.role == "tool":
            items.append(
                {
                    "type": "function_call_output",
                    "call_id": message.tool_call_id,
                    "output": message.content,
                }
            )
            continue
        if message.content or not message.tool_calls:
            items.append({"role": message.role, "content": message.content})
        for call in message.tool_calls:
            items.append(
                {
                    "type": "function_call",
                    "call_id": call.id,
                    "name": call.name,
                    "arguments": json.dumps(dict(call.arguments)),
                }
            )
    body: dict[str, Any] = {
        "model": model,
        "instructions": request.instructions(),
        "input": items,
        "max_output_tokens": request.max_output_tokens,
    }
    if request.tools:
        body["tools"] = [
            {
                "type": "function",
                "name": t.name,
                "description": t.description,
                "parameters": dict(t.parameters),
            }
            for t in request.tools
        ]
    return body


def parse_response(data: Any) -> AdapterResult:
    """A Responses API `response` object: `message` and `function_call` output items."""
    texts: list[str] = []
    calls: list[ToolCall] = []
    with reading(LABEL):
        for item in data["output"]:
            if item["type"] == "message":
                texts.extend(
                    str(part["text"]) for part in item["content"] if part["type"] == "output_text"
                )
            elif item["type"] == "function_call":
                arguments = parse_arguments(LABEL, item["arguments"])
                calls.append(ToolCall(str(item["call_id"]), str(item["name"]), arguments))
        usage = Usage(count(data["usage"], "input_tokens"), count(data["usage"], "output_tokens"))
        stop: str | None = "end" if data.get("status") == "completed" else None
        reason = (data.get("incomplete_details") or {}).get("reason")
        if data.get("status") == "incomplete" and reason == "max_output_tokens":
            stop = "max_tokens"
    return finish(LABEL, "".join(texts), calls, usage, stop)
