"""Fake Anthropic Messages API: `POST /v1/messages`, JSON or SSE, validating like the real one."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.base import HOLD, FakeServer, Recorded, Reply, json_reply, pieces, sse

FAKE_ANTHROPIC_KEY = "sk-ant-fake-0123456789abcdef"
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
}


def error_body(status: int, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": _ERROR_TYPES.get(status, "api_error"), "message": message},
    }


class FakeAnthropic(FakeServer):
    vendor = "Claude"

    def __init__(self, key: str | None = FAKE_ANTHROPIC_KEY) -> None:
        super().__init__(key)
        self.tool_id = "toolu_fake01"

    def env(self) -> dict[str, str]:
        """Environment that points Praxis at this fake."""
        return {"ANTHROPIC_BASE_URL": self.url, "ANTHROPIC_API_KEY": self.key or ""}

    def error(self, status: int, request: Recorded) -> Reply:
        messages = {
            401: "invalid x-api-key",
            429: "Number of requests has exceeded your rate limit",
        }
        return json_reply(status, error_body(status, messages.get(status, "Internal server error")))

    def validate(self, request: Recorded) -> Reply | None:
        if request.path != "/v1/messages":
            return json_reply(404, error_body(404, f"Not found: {request.path}"))
        presented = request.headers.get("x-api-key")
        if self.key is not None and presented != self.key:
            # The real API does not echo keys; echoing here proves callers redact them.
            return json_reply(401, error_body(401, f"invalid x-api-key {presented}"))
        if not request.headers.get("anthropic-version"):
            return self._bad("anthropic-version: header is required")
        if self.reject_tools and isinstance(request.json, dict) and "tools" in request.json:
            return self._bad("tools: tool use is not supported for this model")
        problem = _body_problem(request.json)
        return self._bad(problem) if problem else None

    def _bad(self, message: str) -> Reply:
        return json_reply(400, error_body(400, message))

    def last_user_text(self, request: Recorded) -> str:
        content = request.json["messages"][-1]["content"]
        if isinstance(content, str):
            return content
        return " ".join(str(b.get("text") or b.get("content") or "") for b in content)

    def answer(self, request: Recorded, mode: str) -> Reply:
        text = self.tool_text if mode == "tool_call" else self.reply_text(request)
        if self.is_stream(request):
            return self._stream(request, mode, text)
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        if mode == "tool_call":
            content.append(self._tool_block(self.tool_arguments))
        return json_reply(200, self._message(request, content, mode, self.usage[1]))

    def _message(
        self, request: Recorded, content: list[Any], mode: str, output_tokens: int
    ) -> dict[str, Any]:
        return {
            "id": "msg_fake01",
            "type": "message",
            "role": "assistant",
            "model": request.json["model"],
            "content": content,
            "stop_reason": {"tool_call": "tool_use", "length": "max_tokens"}.get(mode, "end_turn"),
            "stop_sequence": None,
            "usage": {"input_tokens": self.usage[0], "output_tokens": output_tokens},
        }

    def _tool_block(self, arguments: Any) -> dict[str, Any]:
        return {"type": "tool_use", "id": self.tool_id, "name": self.tool_name, "input": arguments}

    def _stream(self, request: Recorded, mode: str, text: str) -> Reply:
        start = self._message(request, [], mode, 1)
        start.update(stop_reason=None)
        out = [sse("message_start", {"type": "message_start", "message": start})]
        out.append(sse("ping", {"type": "ping"}))
        index = 0
        if text:
            out.append(_block_start(0, {"type": "text", "text": ""}))
            for number, piece in enumerate(pieces(text)):
                delta = {"type": "text_delta", "text": piece}
                out.append(
                    sse(
                        "content_block_delta",
                        {"type": "content_block_delta", "index": 0, "delta": delta},
                    )
                )
                if number == 0:
                    out.append(HOLD)
            out.append(_block_stop(0))
            index = 1
        if mode == "stream_error":
            error = {
                "type": "error",
                "error": {"type": "overloaded_error", "message": "Overloaded"},
            }
            return Reply(200, [*out, sse("error", error)], "text/event-stream")
        if mode == "tool_call":
            out.append(_block_start(index, self._tool_block({})))
            encoded = json.dumps(self.tool_arguments)
            for part in (encoded[: len(encoded) // 2], encoded[len(encoded) // 2 :]):
                delta = {"type": "input_json_delta", "partial_json": part}
                out.append(
                    sse(
                        "content_block_delta",
                        {"type": "content_block_delta", "index": index, "delta": delta},
                    )
                )
            out.append(_block_stop(index))
        reason = "tool_use" if mode == "tool_call" else "end_turn"
        stop = {"stop_reason": reason, "stop_sequence": None}
        out.append(
            sse(
                "message_delta",
                {"type": "message_delta", "delta": stop, "usage": {"output_tokens": self.usage[1]}},
            )
        )
        out.append(sse("message_stop", {"type": "message_stop"}))
        return Reply(200, out, "text/event-stream")


def _block_start(index: int, block: dict[str, Any]) -> bytes:
    return sse(
        "content_block_start",
        {"type": "content_block_start", "index": index, "content_block": block},
    )


def _block_stop(index: int) -> bytes:
    return sse("content_block_stop", {"type": "content_block_stop", "index": index})


def _body_problem(body: Any) -> str | None:
    """The real API's 400 reasons for the mistakes an adapter can make."""
    if not isinstance(body, dict):
        return "request body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: Field required"
    tokens = body.get("max_tokens")
    if isinstance(tokens, bool) or not isinstance(tokens, int) or tokens < 1:
        return "max_tokens: Field required (a positive integer)"
    if "system" in body and not isinstance(body["system"], str | list):
        return "system: Input should be a valid string"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    tool_ids: set[str] = set()
    for number, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        expected = "user" if number % 2 == 0 else "assistant"
        if role != expected:
            return f"messages.{number}.role: roles must alternate, starting with user (got {role})"
        content = message.get("content")
        if not content or not isinstance(content, str | list):
            return f"messages.{number}.content: must be a non-empty string or list of blocks"
        for block in content if isinstance(content, list) else ():
            kind = block.get("type")
            if kind == "tool_use" and role == "assistant":
                tool_ids.add(block.get("id"))
            elif kind == "tool_result":
                if role != "user" or block.get("tool_use_id") not in tool_ids:
                    return f"messages.{number}: tool_result block(s) without a matching tool_use"
            elif kind != "text" or not isinstance(block.get("text"), str):
                return f"messages.{number}.content: unexpected block {kind}"
    for tool in body.get("tools") or ():
        if not tool.get("name") or not isinstance(tool.get("input_schema"), dict):
            return "tools: each tool needs name and input_schema"
    return None
