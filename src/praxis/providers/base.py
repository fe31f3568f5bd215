"""The provider interface: requests, replies, attempts and the one `complete` method.

Every backend (stub, Claude, OpenAI, Ollama) is a `Provider`; routing, failover, budgets and
canary gating are wrappers around providers, never logic inside an adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

if TYPE_CHECKING:
    from praxis.providers.spend import CallLedger

_NO_SUBJECT: Mapping[str, str] = MappingProxyType({})

Phase = Literal["ask", "decide", "act", "canary"]
Role = Literal["user", "assistant", "tool"]


def estimate_tokens(text: str) -> int:
    """Worst-case-ish token estimate used until a real tokenizer is wired in: ceil(chars / 4)."""
    return -(-len(text) // 4)


class ToolCall(NamedTuple):
    """A call the model asked for; `id` ties the tool's result message back to it."""

    id: str
    name: str
    arguments: Mapping[str, Any]


class ToolSpec(NamedTuple):
    """A tool offered to the model; `parameters` is a JSON Schema object."""

    name: str
    description: str
    parameters: Mapping[str, Any]


class Message(NamedTuple):
    """One conversation turn. A `tool` message answers the call named by `tool_call_id`."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None


class CompletionRequest(NamedTuple):
    """Everything one model call needs; adapters translate it to their wire format.

    `system` is the instruction block, `context` the rendered budgeted context (sent with the
    system block; may be empty). `subject` names what the call is about (goal_id, goal_title,
    task, planned, prompt) so the stub can answer deterministically and forensics can label it.
    """

    phase: str  # one of Phase: ask, decide, act, canary
    system: str
    context: str
    messages: tuple[Message, ...]
    max_output_tokens: int
    tools: tuple[ToolSpec, ...] = ()
    subject: Mapping[str, str] = _NO_SUBJECT

    def instructions(self) -> str:
        """System block as sent: the instructions followed by the context, when there is one."""
        return f"{self.system}\n\n{self.context}" if self.context else self.system

    def prompt_text(self) -> str:
        """The full text sent (instructions, tools, messages), for hashing and token counting."""
        parts = [self.instructions()]
        if self.tools:
            import json

            for tool in self.tools:
                schema = json.dumps(tool.parameters, sort_keys=True, ensure_ascii=False)
                parts.append(f"tool {tool.name}: {tool.description}\n{schema}")
        for message in self.messages:
            parts.append(_render_message(message))
        return "\n\n".join(parts)

    def prompt_hash(self) -> str:
        import hashlib  # lazily: hashlib (OpenSSL) costs ~5 ms and stub `ask` never hashes

        return hashlib.sha256(self.prompt_text().encode("utf-8")).hexdigest()

    def prompt_tokens(self) -> int:
        return estimate_tokens(self.prompt_text())


def _render_message(message: Message) -> str:
    lines = [f"{message.role}: {message.content}"]
    if message.tool_call_id is not None:
        lines[0] = f"{message.role} [{message.tool_call_id}]: {message.content}"
    if message.tool_calls:
        import json

        for call in message.tool_calls:
            arguments = json.dumps(call.arguments, sort_keys=True, ensure_ascii=False)
            lines.append(f"call {call.id} {call.name} {arguments}")
    return "\n".join(lines)


class Usage(NamedTuple):
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


class Attempt(NamedTuple):
    """One call to one route, successful or not: one usage-ledger row.

    `cost_known` is False for a remote model without a price (counted as unknown, never as 0).
    `error_class` is one of auth, rate_limit, transient, invalid_request, malformed_reply, other.
    """

    phase: str
    provider: str
    model: str
    success: bool
    input_tokens: int = 0
    output_tokens: int = 0
    cost_micros: int = 0
    cost_known: bool = True
    latency_ms: int = 0
    error: str | None = None
    error_class: str | None = None


class Reply(NamedTuple):
    """The answer of the route that succeeded, plus every attempt made to get it.

    `stop_reason` is normalised: "end", "max_tokens", "tool_use", or None when unknown.
    `tools_dropped` is True when the request offered tools but the answering route got none
    (`tools = false` in providers.toml, or its server rejects tools); keep it the LAST field.
    """

    text: str
    provider: str
    model: str
    usage: Usage
    attempts: tuple[Attempt, ...]
    tool_calls: tuple[ToolCall, ...] = ()
    stop_reason: str | None = None
    tools_dropped: bool = False

    @property
    def cost_micros(self) -> int:
        return sum(attempt.cost_micros for attempt in self.attempts)

    @property
    def cost_known(self) -> bool:
        return all(attempt.cost_known for attempt in self.attempts)


class Provider(Protocol):
    name: str
    model: str
    # Whether its calls spend (real models, even local ones: daily and monthly limits apply and
    # the ledger keeps them); False for the offline stub only. Callers never check the name.
    metered: bool

    @property
    def supports_tools(self) -> bool:
        """Whether a request's tools can reach the model (the stub and routes with
        `tools = false` or a server that rejects tools: False; their requests go without)."""
        ...

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        """One logical call. `ledger` checks spending limits before every attempt and records
        each attempt; `on_text` receives streamed text deltas where the backend streams."""
        ...
