"""What every built-in tool shares: its context, its outcome, and how it is run.

Arguments come from a model, so they are untrusted: they are checked against the tool's JSON
Schema (`schema.py`) before the tool runs, and a bad call becomes a failed outcome the model can
read, never an exception.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from praxis.config.settings import Settings
from praxis.errors import PraxisError
from praxis.paths import DataDir
from praxis.text import one_line
from praxis.tools.builtins.schema import Schema, check_arguments

Arguments = Mapping[str, Any]
SUMMARY_CHARS = 120  # a failed call's one-line summary


class ToolContext(NamedTuple):
    data_dir: DataDir
    conn: sqlite3.Connection
    settings: Settings
    now: str
    run_key: str | None
    goal_id: str | None  # the goal this session selected, if any


class ToolOutcome(NamedTuple):
    ok: bool
    output: str  # text sent back to the model
    summary: str  # one line for events, CAPABILITIES.md and the queue


ToolFunction = Callable[[ToolContext, Arguments], ToolOutcome]
ApprovalRule = Callable[[Arguments, Settings], bool]


class BuiltinTool(NamedTuple):
    name: str
    description: str
    parameters: Schema  # JSON Schema offered to the model
    requires_approval: ApprovalRule
    run: ToolFunction


def no_approval(arguments: Arguments, settings: Settings) -> bool:
    return False


def builtin_tool(
    name: str,
    description: str,
    parameters: Schema,
    impl: ToolFunction,
    requires_approval: ApprovalRule = no_approval,
) -> BuiltinTool:
    """The tool `impl` implements, run behind argument validation (`guarded`). The description
    the model is shown is a string of its own, not `impl`'s docstring: `python -OO` drops those."""
    return BuiltinTool(
        name, description, parameters, requires_approval, guarded(name, parameters, impl)
    )


def failure(name: str, output: str) -> ToolOutcome:
    """A failed call; the text may echo model input, so secret shapes are redacted."""
    from praxis.redact import redact

    text = redact(output)
    return ToolOutcome(False, text, one_line(f"{name} failed: {text}", SUMMARY_CHARS))


def guarded(name: str, schema: Schema, impl: ToolFunction) -> ToolFunction:
    """`impl` behind argument validation; expected failures become failed outcomes."""

    def run(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
        problem = check_arguments(schema, arguments)
        if problem is not None:
            return failure(name, f"invalid arguments: {problem}")
        try:
            return impl(ctx, arguments)
        except PraxisError as exc:
            return failure(name, exc.message)

    return run
