"""OpenAI adapter: Chat Completions (`api = "chat"`, any OpenAI-compatible server) or the
Responses API (`api = "responses"`), plain or streamed (SSE)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

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
from praxis.providers.base import CompletionRequest, ToolCall, Usage
from praxis.providers.http_adapter import HttpAdapter, WireFormat
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
# OpenAI error `type`/`code` values seen inside a stream, mapped onto our classes.
_STREAM_ERRORS = {
    "server_error": TRANSIENT,
    "rate_limit_exceeded": RATE_LIMIT,
    "insufficient_quota": RATE_LIMIT,
    "invalid_api_key": AUTH,
}


class OpenAIAdapter(HttpAdapter):
    provider = "openai"
    label = LABEL
    endpoints = ("/chat/completions", "/responses", "/completions")

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
        self.api = api
        super().__init__(
            RESPONSES if api == "responses" else CHAT,
            model,
            base_url,
            timeout,
            # local OpenAI-compatible servers take no key
            headers={"authorization": f"Bearer {api_key}"} if api_key else None,
            api_key=api_key,
            key_env=key_env,
            client=client,
        )

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIAdapter(model={self.model!r}, base_url={self.base_url!r}, api={self.api!r})"


def _stream_error(http: HttpClient, error: Any) -> Exception:
    error = error if isinstance(error, dict) else {"message": str(error)}
    kind = str(error.get("code") or error.get("type"))
    return http.error(
        _STREAM_ERRORS.get(kind, INVALID_REQUEST),
        f"stream failed: {kind}: {error.get('message')}",
    )


def chat_body(model: str, request: CompletionRequest, stream: bool = False) -> dict[str, Any]:
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
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
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

    end = "[DONE]"

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.texts: list[str] = []
        self.calls: dict[int, dict[str, str]] = {}
        self.usage = Usage()
        self.stop: str | None = None
        self.done = False

    def feed(self, event: str, data: str) -> str | None:
        if data.strip() == "[DONE]":  # the closing line, not JSON
            self.done = True
            return None
        chunk = load_json(LABEL, data)
        if chunk.get("error"):
            raise _stream_error(self.http, chunk["error"])
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


def responses_body(model: str, request: CompletionRequest, stream: bool = False) -> dict[str, Any]:
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
    if stream:
        body["stream"] = True
    return body


class _ResponsesStream:
    """Responses API events: text arrives as deltas; the final event carries the whole response."""

    end = "response.completed"

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.response: Any = None
        self.done = False

    def feed(self, event: str, data: str) -> str | None:
        payload = load_json(LABEL, data)
        kind = event or payload["type"]
        if kind == "error":
            raise _stream_error(self.http, payload)
        if kind == "response.failed":
            raise _stream_error(self.http, payload["response"].get("error") or {})
        if kind in ("response.completed", "response.incomplete"):
            self.response, self.done = payload["response"], True
            return None
        return str(payload["delta"]) if kind == "response.output_text.delta" else None

    def result(self) -> AdapterResult:
        return parse_response(self.response)


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


CHAT = WireFormat("chat/completions", chat_body, parse_chat, _ChatStream)
RESPONSES = WireFormat("responses", responses_body, parse_response, _ResponsesStream)
