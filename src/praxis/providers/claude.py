"""Anthropic Messages API adapter: `POST {base}/v1/messages`, plain or streamed (SSE)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from praxis.providers.adapter import (
    AdapterResult,
    HttpClient,
    finish,
    load_json,
    parse_arguments,
    reading,
)
from praxis.providers.base import CompletionRequest, Message, ToolCall, Usage
from praxis.providers.http_adapter import HttpAdapter, WireFormat
from praxis.providers.http_errors import AUTH, INVALID_REQUEST, RATE_LIMIT, TRANSIENT

if TYPE_CHECKING:
    import httpx

LABEL = "Claude"
API_VERSION = "2023-06-01"
_STOP = {
    "end_turn": "end",
    "stop_sequence": "end",
    "max_tokens": "max_tokens",
    "tool_use": "tool_use",
}
# Anthropic's in-stream error types, mapped onto our classes.
_STREAM_ERRORS = {
    "overloaded_error": TRANSIENT,
    "api_error": TRANSIENT,
    "rate_limit_error": RATE_LIMIT,
    "authentication_error": AUTH,
    "permission_error": AUTH,
}


class ClaudeAdapter(HttpAdapter):
    provider = "claude"
    label = LABEL
    endpoints = ("/v1/messages", "/v1")

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str,
        key_env: str | None,
        timeout: float,
        client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            MESSAGES,
            model,
            base_url,
            timeout,
            headers={"x-api-key": api_key, "anthropic-version": API_VERSION},
            api_key=api_key,
            key_env=key_env,
            client=client,
        )


class _StreamState:
    """Accumulates Anthropic stream events into the same result a plain reply gives."""

    end = "message_stop"

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.texts: list[str] = []
        self.blocks: dict[int, dict[str, Any]] = {}
        self.calls: list[ToolCall] = []
        self.input_tokens = self.output_tokens = 0
        self.stop: str | None = None
        self.done = False

    def feed(self, event: str, data: str) -> str | None:
        """Apply one event; return its text delta, if it carries one."""
        payload = load_json(LABEL, data)
        kind = event or payload["type"]
        if kind == "error":
            error = payload.get("error") or {}
            error_class = _STREAM_ERRORS.get(str(error.get("type")), INVALID_REQUEST)
            raise self.http.error(error_class, f"stream failed: {error.get('message')}")
        if kind == "message_stop":
            self.done = True
        elif kind == "message_start":
            usage = payload["message"]["usage"]
            self.input_tokens = _tokens(usage["input_tokens"])
            self.output_tokens = _tokens(usage.get("output_tokens", 0))
        elif kind == "content_block_start":
            self.blocks[int(payload["index"])] = {**payload["content_block"], "partial": ""}
        elif kind == "content_block_delta":
            delta = payload["delta"]
            if delta["type"] == "text_delta":
                self.texts.append(str(delta["text"]))
                return self.texts[-1]
            if delta["type"] == "input_json_delta":
                self.blocks[int(payload["index"])]["partial"] += str(delta["partial_json"])
        elif kind == "content_block_stop":
            block = self.blocks.pop(int(payload["index"]), {})
            if block.get("type") == "tool_use":
                arguments = parse_arguments(LABEL, block["partial"] or block.get("input") or {})
                self.calls.append(ToolCall(str(block["id"]), str(block["name"]), arguments))
        elif kind == "message_delta":
            self.stop = _STOP.get(str(payload["delta"].get("stop_reason")))
            usage = payload.get("usage") or {}
            self.output_tokens = _tokens(usage.get("output_tokens", self.output_tokens))
        return None

    def result(self) -> AdapterResult:
        usage = Usage(self.input_tokens, self.output_tokens)
        return finish(LABEL, "".join(self.texts), self.calls, usage, self.stop)


def _tokens(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"token count {value!r} is not an integer")
    return value


def request_body(model: str, request: CompletionRequest, stream: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "max_tokens": request.max_output_tokens,
        "system": request.instructions(),
        "messages": wire_messages(request.messages),
    }
    if request.tools:
        body["tools"] = [
            {"name": t.name, "description": t.description, "input_schema": dict(t.parameters)}
            for t in request.tools
        ]
    if stream:
        body["stream"] = True
    return body


def wire_messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    """Anthropic turns: tool results ride in a user turn; same-role neighbours are merged."""
    turns: list[dict[str, Any]] = []
    for message in messages:
        role = "assistant" if message.role == "assistant" else "user"
        blocks = _blocks(message)
        if turns and turns[-1]["role"] == role:
            previous = turns[-1]
            if isinstance(previous["content"], str):
                previous["content"] = [{"type": "text", "text": previous["content"]}]
            previous["content"].extend(blocks)
        elif len(blocks) == 1 and blocks[0]["type"] == "text":
            turns.append({"role": role, "content": blocks[0]["text"]})
        else:
            turns.append({"role": role, "content": blocks})
    return turns


def _blocks(message: Message) -> list[dict[str, Any]]:
    if message.role == "tool":
        return [
            {"type": "tool_result", "tool_use_id": message.tool_call_id, "content": message.content}
        ]
    blocks: list[dict[str, Any]] = []
    if message.content or not message.tool_calls:
        blocks.append({"type": "text", "text": message.content})
    for call in message.tool_calls:
        blocks.append(
            {"type": "tool_use", "id": call.id, "name": call.name, "input": dict(call.arguments)}
        )
    return blocks


def parse_reply(data: Any) -> AdapterResult:
    texts: list[str] = []
    calls: list[ToolCall] = []
    with reading(LABEL):
        for block in data["content"]:
            if block["type"] == "text":
                texts.append(str(block["text"]))
            elif block["type"] == "tool_use":
                arguments = parse_arguments(LABEL, block["input"])
                calls.append(ToolCall(str(block["id"]), str(block["name"]), arguments))
        usage = Usage(
            _tokens(data["usage"]["input_tokens"]), _tokens(data["usage"]["output_tokens"])
        )
        stop = _STOP.get(str(data.get("stop_reason")))
    return finish(LABEL, "".join(texts), calls, usage, stop)


MESSAGES = WireFormat("v1/messages", request_body, parse_reply, _StreamState)
