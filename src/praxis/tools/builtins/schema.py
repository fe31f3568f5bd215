"""The part of JSON Schema the built-in tools declare their parameters in, and the check of a
model's arguments against it: by hand, only the keywords these schemas use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]


def object_schema(required: tuple[str, ...], **properties: Schema) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }


def string_schema(max_length: int, description: str | None = None) -> dict[str, Any]:
    """A non-empty string of at most `max_length` characters."""
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": max_length}
    if description is not None:
        schema["description"] = description
    return schema


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
