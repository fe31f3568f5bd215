"""Fake OpenAI API under `/v1`: Chat Completions and Responses, JSON or SSE."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.base import HOLD, FakeServer, Recorded, Reply, json_reply, pieces, sse

FAKE_OPENAI_KEY = "sk-fake-openai-0123456789abcdef"


def error_body(message: str, kind: str = "invalid_request_error", code: str | None = None) -> Any:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class FakeOpenAI(FakeServer):
    vendor = "OpenAI"

    def __init__(self, key: str | None = FAKE_OPENAI_KEY) -> None:
        super().__init__(key)
        self.tool_id = "call_fake01"

    def env(self) -> dict[str, str]:
        """Environment that points Praxis at this fake (the base url includes /v1)."""
        values = {"OPENAI_BASE_URL": f"{self.url}/v1"}
        if self.key:
            values["OPENAI_API_KEY"] = self.key
        return values

    def error(self, status: int, request: Recorded) -> Reply:
        if status == 401:
            return json_reply(401, error_body("Incorrect API key provided", code="invalid_api_key"))
        if status == 429:
            return json_reply(
                429, error_body("Rate limit reached", "requests", "rate_limit_exceeded")
            )
        return json_reply(status, error_body("The server had an error", "server_error"))

    def validate(self, request: Recorded) -> Reply | None:
        if request.path not in ("/v1/chat/completions", "/v1/responses"):
            return json_reply(404, error_body(f"Invalid URL (POST {request.path})"))
        if self.key is not None:
            presented = request.headers.get("authorization", "")
            if presented != f"Bearer {self.key}":
                # Echo what was sent (the real API masks it) to prove callers redact keys.
                message = f"Incorrect API key provided: {presented.removeprefix('Bearer ')}"
                return json_reply(401, error_body(message, code="invalid_api_key"))
        body = request.json
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return json_reply(400, error_body("you must provide a model parameter"))
        if self.reject_tools and "tools" in body:
            return json_reply(400, error_body("tools is not supported for this model", code="400"))
        check = _chat_problem if request.path.endswith("/chat/completions") else _responses_problem
        problem = check(body)
        return json_reply(400, error_body(problem)) if problem else None

    def last_user_text(self, request: Recorded) -> str:
        body = request.json
        items = body.get("messages") or body.get("input")
        if isinstance(items, str):
            return items
        users = [m for m in items if isinstance(m, dict) and m.get("role") == "user"]
        return str(users[-1]["content"]) if users else ""

    def answer(self, request: Recorded, mode: str) -> Reply:
        text = self.tool_text if mode == "tool_call" else self.reply_text(request)
        if request.path.endswith("/responses"):
            return self._responses(request, mode, text)
        return self._chat(request, mode, text)

    # ---- Chat Completions ----

    def _chat(self, request: Recorded, mode: str, text: str) -> Reply:
        body = request.json
        usage = {"prompt_tokens": self.usage[0], "completion_tokens": self.usage[1]}
        usage["total_tokens"] = sum(usage.values())
        finish = {"tool_call": "tool_calls", "length": "length"}.get(mode, "stop")
        call: dict[str, Any] = {
            "id": self.tool_id,
            "type": "function",
            "function": {"name": self.tool_name, "arguments": json.dumps(self.tool_arguments)},
        }
        if not self.is_stream(request):
            message: dict[str, Any] = {
                "role": "assistant",
                "content": text or None,
                "refusal": None,
            }
            if mode == "tool_call":
                message["tool_calls"] = [call]
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            return json_reply(200, {**_chat_head(body), "choices": [choice], "usage": usage})
        with_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            extra = {"usage": None} if with_usage else {}
            return sse(
                None, {**_chat_head(body, "chat.completion.chunk"), "choices": [choice], **extra}
            )

        out = [chunk({"role": "assistant", "content": ""})]
        for number, piece in enumerate(pieces(text) if text else ()):
            out.append(chunk({"content": piece}))
            if number == 0:
                out.append(HOLD)
        if mode == "stream_error":
            error = error_body("The server had an error", "server_error", "server_error")
            return Reply(200, [*out, sse(None, error)], "text/event-stream")
        if mode == "tool_call":
            arguments = json.dumps(self.tool_arguments)
            first = {**call, "index": 0, "function": {"name": self.tool_name, "arguments": ""}}
            out.append(chunk({"tool_calls": [first]}))
            for part in (arguments[: len(arguments) // 2], arguments[len(arguments) // 2 :]):
                out.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]}))
        out.append(chunk({}, finish))
        if with_usage:
            out.append(
                sse(
                    None,
                    {**_chat_head(body, "chat.completion.chunk"), "choices": [], "usage": usage},
                )
            )
        out.append(b"data: [DONE]\n\n")
        return Reply(200, out, "text/event-stream")

    # ---- Responses ----

    def _responses(self, request: Recorded, mode: str, text: str) -> Reply:
        output: list[dict[str, Any]] = []
        if text:
            part = {"type": "output_text", "text": text, "annotations": []}
            output.append(
                {
                    "type": "message",
                    "id": "msg_fake01",
                    "status": "completed",
                    "role": "assistant",
                    "content": [part],
                }
            )
        if mode == "tool_call":
            output.append(
                {
                    "type": "function_call",
                    "id": "fc_fake01",
                    "call_id": self.tool_id,
                    "name": self.tool_name,
                    "arguments": json.dumps(self.tool_arguments),
                    "status": "completed",
                }
            )
        usage = {"input_tokens": self.usage[0], "output_tokens": self.usage[1]}
        usage["total_tokens"] = sum(usage.values())
        response = {
            "id": "resp_fake01",
            "object": "response",
            "created_at": 1767225600,
            "status": "completed",
            "model": request.json["model"],
            "output": output,
            "incomplete_details": None,
            "usage": usage,
        }
        if not self.is_stream(request):
            return json_reply(200, response)
        sequence = iter(range(1000))

        def event(kind: str, **data: Any) -> bytes:
            return sse(kind, {"type": kind, "sequence_number": next(sequence), **data})

        started = {**response, "status": "in_progress", "output": [], "usage": None}
        out = [event("response.created", response=started)]
        for number, piece in enumerate(pieces(text) if text else ()):
            out.append(
                event(
                    "response.output_text.delta",
                    item_id="msg_fake01",
                    output_index=0,
                    content_index=0,
                    delta=piece,
                )
            )
            if number == 0:
                out.append(HOLD)
        if mode == "stream_error":
            out.append(
                event("error", code="server_error", message="The server had an error", param=None)
            )
            return Reply(200, out, "text/event-stream")
        for index, item in enumerate(output):
            out.append(event("response.output_item.done", output_index=index, item=item))
        out.append(event("response.completed", response=response))
        return Reply(200, out, "text/event-stream")


def _chat_head(body: dict[str, Any], kind: str = "chat.completion") -> dict[str, Any]:
    return {"id": "chatcmpl-fake01", "object": kind, "created": 1767225600, "model": body["model"]}


def _chat_problem(body: dict[str, Any]) -> str | None:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "Missing required parameter: 'messages'."
    if "stream_options" in body and body.get("stream") is not True:
        return "The 'stream_options' parameter is only allowed when 'stream' is enabled."
    tokens = body.get("max_completion_tokens")
    if tokens is not None and (not isinstance(tokens, int) or tokens < 1):
        return "Invalid 'max_completion_tokens': expected a positive integer."
    call_ids: set[str] = set()
    for number, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("system", "developer", "user", "assistant", "tool"):
            return f"Invalid value for 'messages[{number}].role'."
        for call in message.get("tool_calls") or ():
            if call.get("type") != "function" or not isinstance(
                call["function"].get("arguments"), str
            ):
                return f"Invalid 'messages[{number}].tool_calls': arguments must be a string."
            call_ids.add(call.get("id"))
        if role == "tool" and message.get("tool_call_id") not in call_ids:
            return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."
    for number, tool in enumerate(body.get("tools") or ()):
        if tool.get("type") != "function" or not (tool.get("function") or {}).get("name"):
            return f"Missing required parameter: 'tools[{number}].function.name'."
    return None


def _responses_problem(body: dict[str, Any]) -> str | None:
    items = body.get("input")
    if not (isinstance(items, str) and items) and not (isinstance(items, list) and items):
        return "Missing required parameter: 'input'."
    tokens = body.get("max_output_tokens")
    if tokens is not None and (not isinstance(tokens, int) or tokens < 16):
        return f"Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got {tokens} instead."
    call_ids: set[str] = set()
    for item in items if isinstance(items, list) else ():
        kind = item.get("type", "message")
        if kind == "function_call":
            if not isinstance(item.get("arguments"), str):
                return "Invalid type for 'input[].arguments': expected a string."
            call_ids.add(item.get("call_id"))
        elif kind == "function_call_output":
            if item.get("call_id") not in call_ids:
                return f"No tool call found for function call output with call_id {item.get('call_id')}."
        elif kind != "message" or item.get("role") not in (
            "user",
            "assistant",
            "system",
            "developer",
        ):
            return "Invalid value for 'input[].role'."
    for number, tool in enumerate(body.get("tools") or ()):
        if tool.get("type") != "function" or not tool.get("name"):
            return f"Missing required parameter: 'tools[{number}].name'."
    return None
