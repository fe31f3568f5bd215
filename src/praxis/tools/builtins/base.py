"""What every built-in tool shares: its context, its outcome, and argument checking.

Arguments come from a model, so they are untrusted: they are checked against the tool's JSON
Schema by hand (only the keywords our schemas use) and a bad call becomes a failed outcome the
model can read, never an exception.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from praxis.config.settings import Settings
from praxis.errors import PraxisError
from praxis.paths import DataDir

Arguments = Mapping[str, Any]
Schema = Mapping[str, Any]


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


class BuiltinTool(NamedTuple):
    name: str
    description: str
    parameters: Schema  # JSON Schema offered to the model
    requires_approval: Callable[[Arguments, Settings], bool]
    run: Callable[[ToolContext, Arguments], ToolOutcome]


def no_approval(arguments: Arguments, settings: Settings) -> bool:
    return False


def one_line(text: str, limit: int = 120) -> str:
    """`text` on one line (whitespace collapsed), at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def failure(name: str, output: str) -> ToolOutcome:
    """A failed call; the text may echo model input, so secret shapes are redacted."""
    from praxis.redact import redact

    text = redact(output)
    return ToolOutcome(False, text, one_line(f"{name} failed: {text}"))


def guarded(
    name: str, schema: Schema, impl: Callable[[ToolContext, Arguments], ToolOutcome]
) -> Callable[[ToolContext, Arguments], ToolOutcome]:
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


def check_arguments(schema: Schema, arguments: object) -> str | None:
    """The first way `arguments` breaks `schema`, or None when they fit."""
    if not isinstance(arguments, Mapping):
        return "expected a JSON object"
    properties: Mapping[str, Schema] = schema.get("properties", {})
    unknown = sorted(str(key) for key in arguments if key not in properties)
    if unknown:
        return f"unknown argument(s): {', '.join(unknown)}; expected: {', '.join(properties)}"
    missing = [key for key in schema.get("required", ()) if key not in arguments]
    if missing:
        return f"missing required argument(s): {', '.join(missing)}"
    for key, value in arguments.items():
        problem = check_value(properties[key], value, key)
        if problem is not None:
            return problem
    return None


_TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number"}


def _type_ok(kind: str, value: object) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if not math.isfinite(value):
        return False
    # JSON Schema: 5.0 is an integer, 5.5 is not.
    return kind == "number" or float(value).is_integer()


def check_value(schema: Schema, value: object, where: str) -> str | None:
    kind = str(schema.get("type"))
    if not _type_ok(kind, value):
        return f"{where} must be {_TYPE_NAMES.get(kind, 'an array')}"
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return f"{where} must not be empty"
        if len(value) > schema.get("maxLength", math.inf):
            return f"{where} must be at most {schema['maxLength']} characters"
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return f"{where} must have at least {schema['minItems']} item(s)"
        if len(value) > schema.get("maxItems", math.inf):
            return f"{where} must have at most {schema['maxItems']} items"
        for index, item in enumerate(value):
            problem = check_value(schema["items"], item, f"{where}[{index}]")
            if problem is not None:
                return problem
    else:
        if value < schema.get("minimum", -math.inf):
            return f"{where} must be at least {schema['minimum']}"
        if value > schema.get("maximum", math.inf):
            return f"{where} must be at most {schema['maximum']}"
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return f"{where} must be greater than {schema['exclusiveMinimum']}"
    return None


def object_schema(required: tuple[str, ...], **properties: Schema) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }
