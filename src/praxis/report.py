"""A command result: ordered `key: value` facts that render as text lines or one JSON object."""

from __future__ import annotations

import json
from typing import Any

_SAME: Any = object()


class Report:
    """Ordered facts. Text: one `key: value` per line; JSON: the same keys (plus extras)."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []
        self.data: dict[str, Any] = {}

    def add(self, key: str, value: object, json_value: Any = _SAME) -> Report:
        """Add a `key: value` line; `json_value` is the JSON form when it differs."""
        self.lines.append((key, _text(value)))
        self.data[key] = value if json_value is _SAME else json_value
        return self

    def fields(self, record: object, *names: str) -> Report:
        """One `name: value` line per attribute of `record`, in the order named."""
        for name in names:
            self.add(name, getattr(record, name))
        return self

    def extra(self, key: str, value: Any) -> Report:
        """A JSON-only field (no text line)."""
        self.data[key] = value
        return self

    def raw(self, line: str) -> Report:
        """A text-only line that is not `key: value` (list items)."""
        self.lines.append(("", line))
        return self

    def to_text(self) -> str:
        """The lines, with every secret redacted (this is what reaches stdout)."""
        from praxis.redact import redact

        return redact("\n".join(f"{k}: {v}" if k else v for k, v in self.lines))

    def to_json(self) -> str:
        """The JSON object; strings redacted as data, so escaping cannot hide a secret."""
        from praxis.redact import redact, redact_value

        return redact(
            json.dumps(redact_value(self.data), indent=2, ensure_ascii=False, default=str)
        )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    return str(value)
