"""Request bodies and reply parsing per vendor, without sockets (the fakes cover the wire)."""

from __future__ import annotations

from typing import Any

import pytest

from praxis.errors import CallError
from praxis.providers import claude, ollama, openai
from praxis.providers.base import CompletionRequest, Message, ToolCall, ToolSpec

TOOL = ToolSpec("lookup", "Look something up", {"type": "object", "properties": {}})
CALL_A = ToolCall("call_a", "lookup", {"query": "notes"})
CALL_B = ToolCall("call_b", "lookup", {"query": "todo"})


def conversation(**overrides: Any) -> CompletionRequest:
    fields: dict[str, Any] = {
        "phase": "act",
        "system": "You are Praxis.",
        "context": "## Context\nGoal G-001",
        "messages": (
            Message("user", "Find the notes"),
            Message("assistant", "Looking.", tool_calls=(CALL_A, CALL_B)),
            Message("tool", "3 files", tool_call_id="call_a"),
            Message("tool", "empty", tool_call_id="call_b"),
            Message("user", "Summarise"),
        ),
        "max_output_tokens": 180,
        "tools": (TOOL,),
    }
    fields.update(overrides)
    return CompletionRequest(**fields)


def test_claude_body_merges_tool_results_into_one_user_turn() -> None:
    body = claude.request_body("claude-x", conversation())
    assert body["system"] == "You are Praxis.\n\n## Context\nGoal G-001"
    assert body["max_tokens"] == 180
    assert [turn["role"] for turn in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][0] == {"role": "user", "content": "Find the notes"}
    assert body["messages"][1]["content"] == [
        {"type": "text", "text": "Looking."},
        {"type": "tool_use", "id": "call_a", "name": "lookup", "input": {"query": "notes"}},
        {"type": "tool_use", "id": "call_b", "name": "lookup", "input": {"query": "todo"}},
    ]
    assert body["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_a", "content": "3 files"},
        {"type": "tool_result", "tool_use_id": "call_b", "content": "empty"},
        {"type": "text", "text": "Summarise"},
    ]
    assert body["tools"] == [
        {
            "name": "lookup",
            "description": "Look something up",
            "input_schema": dict(TOOL.parameters),
        }
    ]


def test_claude_body_without_tools_or_context() -> None:
    request = conversation(context="", tools=(), messages=(Message("user", "hi"),))
    body = claude.request_body("m", request)
    assert body["system"] == "You are Praxis."
    assert "tools" not in body
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_claude_reply_parsing_and_stop_reasons() -> None:
    reply = {
        "content": [
            {"type": "text", "text": "Part one. "},
            {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"q": 1}},
            {"type": "text", "text": "Part two."},
        ],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 40, "output_tokens": 9},
    }
    result = claude.parse_reply(reply)
    assert result.text == "Part one. Part two."
    assert result.tool_calls == (ToolCall("t1", "lookup", {"q": 1}),)
    assert (result.usage.input_tokens, result.usage.output_tokens) == (40, 9)
    assert result.stop_reason == "tool_use"
    reply = {**reply, "content": [{"type": "text", "text": "cut"}], "stop_reason": "max_tokens"}
    assert claude.parse_reply(reply).stop_reason == "max_tokens"


@pytest.mark.parametrize(
    "reply",
    [
        {
            "content": [{"type": "text", "text": "  "}],
            "usage": {"input_tokens": 1, "output_tokens": 1},
        },
        {"content": [{"type": "text", "text": "hi"}]},
        {"content": "hi", "usage": {"input_tokens": 1, "output_tokens": 1}},
        {
            "content": [{"type": "text", "text": "hi"}],
            "usage": {"input_tokens": "1", "output_tokens": 1},
        },
        [],
    ],
)
def test_claude_malformed_replies(reply: Any) -> None:
    with pytest.raises(CallError) as caught:
        claude.parse_reply(reply)
    assert caught.value.error_class == "malformed_reply"
    assert caught.value.message.startswith("Claude returned a malformed reply")


def test_openai_chat_body() -> None:
    body = openai.chat_body("gpt-x", conversation())
    assert body["max_completion_tokens"] == 180
    messages = body["messages"]
    assert messages[0] == {"role": "system", "content": "You are Praxis.\n\n## Context\nGoal G-001"}
    assert messages[2]["tool_calls"][0] == {
        "id": "call_a",
        "type": "function",
        "function": {"name": "lookup", "arguments": '{"query": "notes"}'},
    }
    assert messages[3] == {"role": "tool", "tool_call_id": "call_a", "content": "3 files"}
    assert messages[5] == {"role": "user", "content": "Summarise"}
    assert body["tools"][0] == {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Look something up",
            "parameters": dict(TOOL.parameters),
        },
    }


def test_openai_chat_reply_parsing() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": '{"q": 2}'}}
    reply = {
        "choices": [
            {"message": {"content": None, "tool_calls": [call]}, "finish_reason": "tool_calls"}
        ],
        "usage": {"prompt_tokens": 30, "completion_tokens": 5},
    }
    result = openai.parse_chat(reply)
    assert result.tool_calls == (ToolCall("c1", "lookup", {"q": 2}),)
    assert (result.text, result.stop_reason, result.usage.total) == ("", "tool_use", 35)
    cut = {"choices": [{"message": {"content": "abc"}, "finish_reason": "length"}]}
    assert openai.parse_chat(cut).stop_reason == "max_tokens"
    assert openai.parse_chat(cut).usage.total == 0  # compatible servers may omit usage
    bad = {
        **reply,
        "choices": [
            {"message": {"tool_calls": [{**call, "function": {"name": "x", "arguments": "{oops"}}]}}
        ],
    }
    with pytest.raises(CallError) as caught:
        openai.parse_chat(bad)
    assert caught.value.error_class == "malformed_reply"
    with pytest.raises(CallError):
        openai.parse_chat({"choices": []})


def test_openai_responses_body() -> None:
    body = openai.responses_body("gpt-x", conversation())
    assert body["instructions"] == "You are Praxis.\n\n## Context\nGoal G-001"
    assert body["max_output_tokens"] == 180
    assert body["input"] == [
        {"role": "user", "content": "Find the notes"},
        {"role": "assistant", "content": "Looking."},
        {
            "type": "function_call",
            "call_id": "call_a",
            "name": "lookup",
            "arguments": '{"query": "notes"}',
        },
        {
            "type": "function_call",
            "call_id": "call_b",
            "name": "lookup",
            "arguments": '{"query": "todo"}',
        },
        {"type": "function_call_output", "call_id": "call_a", "output": "3 files"},
        {"type": "function_call_output", "call_id": "call_b", "output": "empty"},
        {"role": "user", "content": "Summarise"},
    ]
    assert body["tools"] == [
        {
            "type": "function",
            "name": "lookup",
            "description": "Look something up",
            "parameters": dict(TOOL.parameters),
        }
    ]


def test_openai_responses_reply_parsing() -> None:
    reply = {
        "status": "incomplete",
        "incomplete_details": {"reason": "max_output_tokens"},
        "output": [
            {"type": "reasoning", "summary": []},
            {
                "type": "message",
                "content": [
                    {"type": "output_text", "text": "Half"},
                    {"type": "refusal", "refusal": "x"},
                ],
            },
        ],
        "usage": {"input_tokens": 20, "output_tokens": 180},
    }
    result = openai.parse_response(reply)
    assert (result.text, result.stop_reason, result.usage.output_tokens) == (
        "Half",
        "max_tokens",
        180,
    )
    with pytest.raises(CallError):
        openai.parse_response({"output": [], "usage": {}})


def test_ollama_body_and_tool_names() -> None:
    body = ollama.request_body("llama3.2", conversation(), stream=False)
    assert body["stream"] is False
    assert body["options"] == {"num_predict": 180}
    assert body["messages"][0] == {
        "role": "system",
        "content": "You are Praxis.\n\n## Context\nGoal G-001",
    }
    assert body["messages"][2]["tool_calls"][1] == {
        "type": "function",
        "function": {"name": "lookup", "arguments": {"query": "todo"}},
    }
    assert body["messages"][3] == {"role": "tool", "content": "3 files", "tool_name": "lookup"}
    assert body["tools"][0]["function"]["name"] == "lookup"


def test_ollama_reply_parsing() -> None:
    reply = {
        "message": {
            "content": "",
            "tool_calls": [{"function": {"name": "lookup", "arguments": {"q": 1}}}],
        },
        "done_reason": "stop",
        "eval_count": 4,
    }
    result = ollama.parse_reply(reply)
    assert result.tool_calls == (ToolCall("call_1", "lookup", {"q": 1}),)
    assert result.stop_reason == "tool_use"
    assert (result.usage.input_tokens, result.usage.output_tokens) == (0, 4)  # cached prompt
    cut = {"message": {"content": "abc"}, "done_reason": "length", "prompt_eval_count": 3}
    assert ollama.parse_reply(cut).stop_reason == "max_tokens"
    with pytest.raises(CallError):
        ollama.parse_reply({"response": "generate-style reply"})
