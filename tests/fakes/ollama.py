"""Fake Ollama server: `POST /api/chat`, one JSON object or an NDJSON stream (the default)."""

from __future__ import annotations

from typing import Any

from tests.fakes.base import HOLD, FakeServer, Recorded, Reply, json_reply, ndjson, pieces

_CREATED = "2026-01-01T00:00:00Z"


class FakeOllama(FakeServer):
    vendor = "Ollama"
    stream_format = "ndjson"

    def __init__(self, models: set[str] | None = None) -> None:
        super().__init__(key=None)
        self.models = models  # None: every model name is "pulled"

    def env(self) -> dict[str, str]:
        return {"OLLAMA_HOST": self.url}

    def is_stream(self, request: Recorded) -> bool:
        # Ollama streams unless told otherwise.
        return isinstance(request.json, dict) and request.json.get("stream", True) is not False

    def error(self, status: int, request: Recorded) -> Reply:
        messages = {401: "unauthorized", 429: "too many requests"}
        return json_reply(
            status, {"error": messages.get(status, "llama runner process has terminated")}
        )

    def validate(self, request: Recorded) -> Reply | None:
        if request.path != "/api/chat":
            return Reply(404, [b"404 page not found"], "text/plain")
        body = request.json
        if not isinstance(body, dict):
            return json_reply(400, {"error": "invalid request body"})
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return json_reply(400, {"error": "model is required"})
        if self.models is not None and model not in self.models:
            return json_reply(404, {"error": f"model '{model}' not found"})
        if self.reject_tools and "tools" in body:
            message = f"registry.ollama.ai/library/{model} does not support tools"
            return json_reply(400, {"error": message})
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return json_reply(400, {"error": "messages are required"})
        for message in messages:
            if message.get("role") not in ("system", "user", "assistant", "tool"):
                return json_reply(400, {"error": f"invalid role {message.get('role')}"})
            for call in message.get("tool_calls") or ():
                if not isinstance(call.get("function", {}).get("arguments"), dict):
                    return json_reply(400, {"error": "tool call arguments must be an object"})
        options = body.get("options") or {}
        if not isinstance(options.get("num_predict", 0), int):
            return json_reply(400, {"error": "num_predict must be an integer"})
        return None

    def last_user_text(self, request: Recorded) -> str:
        users = [m for m in request.json["messages"] if m.get("role") == "user"]
        return str(users[-1]["content"]) if users else ""

    def answer(self, request: Recorded, mode: str) -> Reply:
        text = self.tool_text if mode == "tool_call" else self.reply_text(request)
        model = request.json["model"]
        calls = [{"function": {"name": self.tool_name, "arguments": self.tool_arguments}}]
        final = {
            "model": model,
            "created_at": _CREATED,
            "done": True,
            "done_reason": "length" if mode == "length" else "stop",
            "total_duration": 1000,
            "prompt_eval_count": self.usage[0],
            "eval_count": self.usage[1],
        }
        if not self.is_stream(request):
            message: dict[str, Any] = {"role": "assistant", "content": text}
            if mode == "tool_call":
                message["tool_calls"] = calls
            return json_reply(200, {**final, "message": message})

        def line(content: str, **extra: Any) -> bytes:
            message = {"role": "assistant", "content": content, **extra}
            return ndjson(
                {"model": model, "created_at": _CREATED, "message": message, "done": False}
            )

        out = []
        for number, piece in enumerate(pieces(text) if text else ()):
            out.append(line(piece))
            if number == 0:
                out.append(HOLD)
        if mode == "stream_error":
            out.append(ndjson({"error": "llama runner process has terminated"}))
            return Reply(200, out, "application/x-ndjson")
        if mode == "tool_call":
            out.append(line("", tool_calls=calls))
        out.append(ndjson({**final, "message": {"role": "assistant", "content": ""}}))
        return Reply(200, out, "application/x-ndjson")
