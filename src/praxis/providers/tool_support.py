"""Routes without tools: a 400 that says the server rejects `tools`, the request without them,
and the per-route memory (provider + model + base_url) kept in the data dir across processes.

A route is tool-less when providers.toml says `tools = false`, or when its server once answered
a request carrying tools with an invalid-request error naming tools / function calling.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from praxis.errors import CallError
from praxis.providers.base import CompletionRequest, Message
from praxis.providers.http_errors import INVALID_REQUEST

FILE_NAME = ".praxis-route-tools.json"  # `.praxis-` files are locked against tool writes

_TOOLS = (
    r"(?:tools?|tool[ _-]?(?:use|calls?|calling|choice)|function[ _-]?(?:calls?|calling)|functions)"
)


@functools.cache
def _rejections() -> re.Pattern[str]:
    """Compiled on the first 4xx only: the pattern costs ~3 ms, on `ask`'s start-up path."""
    return re.compile(
        "|".join(
            (
                # "tools is not supported for this model", "function calling is not enabled"
                rf"\b{_TOOLS}\b['\"`]?\s+(?:is\s+|are\s+)?(?:currently\s+)?not\s+"
                r"(?:supported|enabled|available|allowed)",
                # "registry.ollama.ai/library/x does not support tools"
                r"(?:does\s*not|doesn't|do\s*not|don't|cannot|can\s*not|can't)\s+support\s+"
                rf"(?:the\s+)?(?:use\s+of\s+)?['\"`]?{_TOOLS}\b",
                # Azure/OpenAI: "Unrecognized request argument supplied: tools"
                r"unrecognized\s+request\s+arguments?\s+supplied:[^.]*\b(?:tools|tool_choice|functions)\b",
                # "Unsupported parameter: 'tools'", "unknown field `tools`"
                r"(?:unsupported|unknown|unexpected|unrecognized)\s+"
                r"(?:parameter|argument|field|key|property|param)s?[:\s]+['\"`]?"
                r"(?:tools|tool_choice|functions)\b",
                # pydantic servers: "tools: Extra inputs are not permitted"
                r"\btools\b['\"`]?\W+extra\s+(?:inputs|fields)\s+(?:are|is)\s+not\s+permitted",
                # vLLM without tool parsing; llama.cpp without --jinja
                r"--enable-auto-tool-choice",
                r"\btools?\b[^.]*\brequires?\b[^.]*--jinja",
            )
        ),
        re.IGNORECASE,
    )


def rejects_tools(failure: CallError) -> bool:
    """True for an invalid-request (4xx) error whose message says tools are not supported."""
    if failure.error_class != INVALID_REQUEST:
        return False
    if failure.status is not None and not 400 <= failure.status < 500:
        return False
    return _rejections().search(failure.message) is not None


def without_tools(request: CompletionRequest) -> CompletionRequest:
    """The request with no tools. Earlier tool calls and results (a router may fail over from a
    route that had tools) become plain text, since servers refuse tool turns without tools."""
    if not any(m.tool_calls or m.role == "tool" for m in request.messages):
        return request._replace(tools=())
    return request._replace(tools=(), messages=tuple(_plain(m) for m in request.messages))


def _plain(message: Message) -> Message:
    if message.role == "tool":
        return Message("user", f"[tool result {message.tool_call_id or ''}]\n{message.content}")
    if not message.tool_calls:
        return message
    calls = [
        f"[called {call.name} {json.dumps(dict(call.arguments), sort_keys=True)}]"
        for call in message.tool_calls
    ]
    text = "\n".join([message.content, *calls] if message.content else calls)
    return Message("assistant", text)


class RouteKey(NamedTuple):
    provider: str
    model: str
    base_url: str


class ToolLessRoutes:
    """Routes remembered as tool-less, in `FILE_NAME` in the data dir (only in memory without
    a path). An unreadable file counts as empty: the next rejection is detected and rewrites it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._entries = _load(path)

    def contains(self, key: RouteKey) -> bool:
        return any(_key(entry) == key for entry in self._entries)

    def entries(self) -> list[dict[str, Any]]:
        return list(self._entries)

    def remember(self, key: RouteKey, reason: str, when: str) -> None:
        """Add the route (re-reading the file first, so another process's entries are kept)."""
        from praxis.files import atomic_write_json

        current = _load(self.path) if self.path is not None else self._entries
        if not any(_key(entry) == key for entry in current):
            current = [*current, {**key._asdict(), "detected_at": when, "reason": reason}]
        self._entries = current
        if self.path is not None:
            atomic_write_json(self.path, {"routes": current})


def load_tool_less(path: Path) -> list[RouteKey]:
    """The remembered routes in a file, for doctor and status."""
    return [key for key in (_key(entry) for entry in _load(path)) if key is not None]


def _load(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = raw.get("routes") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return []
    return [item for item in items if _key(item) is not None]


def _key(entry: Any) -> RouteKey | None:
    if not isinstance(entry, dict):
        return None
    values = [entry.get(name) for name in RouteKey._fields]
    strings = [value for value in values if isinstance(value, str)]
    return RouteKey(*strings) if len(strings) == len(values) else None
