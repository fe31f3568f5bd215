"""What the adapter tests send through the fake vendor servers and what the fakes answer: one
tool, one request shape, the fakes' plain reply, a vendor error caught."""

from __future__ import annotations

import pytest

from praxis.errors import CallError
from praxis.providers.adapter import Adapter, AdapterResult, TextCallback
from praxis.providers.base import CompletionRequest, Message, ToolSpec

SCHEMA = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
TOOLS = (ToolSpec("lookup", "Look something up", SCHEMA),)
# The tool as OpenAI's Chat Completions and Ollama take it.
FUNCTION_TOOL = {
    "type": "function",
    "function": {"name": "lookup", "description": "Look something up", "parameters": SCHEMA},
}


def request(context: str, messages: tuple[Message, ...]) -> CompletionRequest:
    """An ask with the system prompt "You are Praxis.", `context`, `messages`, room for 220
    output tokens, and the lookup tool."""
    return CompletionRequest("ask", "You are Praxis.", context, messages, 220, TOOLS)


def assert_plain_reply(result: AdapterResult, text: str) -> None:
    """The fakes' plain reply: `text`, 12 tokens in and 7 out, a normal end."""
    assert result.text == text
    usage = result.usage
    assert (usage.input_tokens, usage.output_tokens, result.stop_reason) == (12, 7, "end")


def call_error(
    adapter: Adapter, request: CompletionRequest, on_text: TextCallback | None = None
) -> CallError:
    """The CallError `adapter` raises for `request` (streamed with `on_text`)."""
    with pytest.raises(CallError) as caught:
        adapter.call(request, on_text)
    return caught.value
