"""Typed reads of one TOML table, with errors that point at the offending key."""

from __future__ import annotations

from typing import Any, NamedTuple

from praxis.config.toml_source import TomlSource
from praxis.errors import ConfigError


class TableReader(NamedTuple):
    source: TomlSource
    table: str
    values: dict[str, Any]
    position: int | None = None  # which [[table]] entry (None for a plain table)

    @classmethod
    def of(cls, source: TomlSource, table: str) -> TableReader:
        raw = source.data.get(table, {})
        if not isinstance(raw, dict):
            raise source.error(
                f"[{table}] must be a table", f"write it as a [{table}] section", table
            )
        return cls(source, table, raw)

    def fail(self, key: str, message: str, hint: str) -> ConfigError:
        return self.source.error(message, hint, self.table, key, self.position)

    def has(self, key: str) -> bool:
        return key in self.values

    def _name(self, key: str) -> str:
        return f"{self.table}.{key}" if self.table else key

    def string(self, key: str, default: str | None = None) -> str:
        value = self.values.get(key, default)
        if not isinstance(value, str):
            if value is None:
                raise self.fail(key, f"{self._name(key)} is required", f'add {key} = "..."')
            raise self.fail(
                key, f"{self._name(key)} must be a string", f'quote the value: {key} = "..."'
            )
        return value

    def optional_string(self, key: str) -> str | None:
        if key not in self.values:
            return None
        return self.string(key)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(
                key, f"{self._name(key)} must be true or false", f"write {key} = true or false"
            )
        return value

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            if value is None:
                raise self.fail(key, f"{self._name(key)} is required", f"add {key} = <number>")
            raise self.fail(
                key, f"{self._name(key)} must be a whole number", f"write {key} = <number>"
            )
        return value

    def positive_integer(self, key: str, default: int, example: int | None = None) -> int:
        """A whole number > 0 (`{table}.{key} must be greater than 0`)."""
        value = self.integer(key, default)
        if value <= 0:
            raise self.fail(
                key,
                f"{self._name(key)} must be greater than 0",
                f"set {key} = {example or default}",
            )
        return value

    def positive_number(self, key: str, default: float) -> float:
        """A number > 0 (`{table}.{key} must be greater than 0`)."""
        value = self.number(key, default)
        if value <= 0:
            raise self.fail(
                key, f"{self._name(key)} must be greater than 0", f"set {key} = {default:g}"
            )
        return value

    def number(self, key: str, default: float | None = None) -> float:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            if value is None:
                raise self.fail(key, f"{self._name(key)} is required", f"add {key} = <number>")
            raise self.fail(key, f"{self._name(key)} must be a number", f"write {key} = <number>")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        if key not in self.values:
            return None
        return self.number(key)

    def string_list(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.values.get(key, default if default is not None else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(
                key, f"{self._name(key)} must be a list of strings", f'write {key} = ["..."]'
            )
        return list(value)

    def tables(self, key: str) -> list[TableReader]:
        """The entries of an array of tables `[[table.key]]`."""
        value = self.values.get(key, [])
        name = self._name(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"{name} must be an array of tables", f"use [[{name}]] entries")
        return [TableReader(self.source, name, entry, index) for index, entry in enumerate(value)]
