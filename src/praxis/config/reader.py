"""Typed reads of one TOML table, with errors that point at the offending key."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from praxis.config.toml_source import TomlSource
from praxis.errors import ConfigError

# Whole numbers must fit SQLite's INTEGER and JSON's exact range; other numbers must be finite and
# of a size any duration or amount could have (1e12 seconds is 31,000 years).
MAX_INTEGER = 2**53
MAX_NUMBER = 1e12


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

    @classmethod
    def whole_file(cls, source: TomlSource) -> TableReader:
        """The file itself as a table: its keys are the top-level tables and arrays of tables."""
        return cls(source, "", source.data)

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

    def nonblank_string(
        self,
        key: str,
        default: str | None = None,
        *,
        message: str | None = None,
        hint: str | None = None,
    ) -> str:
        """A string with more than white space (`{table}.{key} must not be empty`)."""
        value = self.string(key, default)
        if not value.strip():
            raise self.fail(
                key,
                message or f"{self._name(key)} must not be empty",
                hint or f'set {key} = "{default}"',
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

    def integer(self, key: str, default: int | None = None, maximum: int | None = None) -> int:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            if value is None:
                raise self.fail(key, f"{self._name(key)} is required", f"add {key} = <number>")
            raise self.fail(
                key, f"{self._name(key)} must be a whole number", f"write {key} = <number>"
            )
        self._check_range(key, value, maximum if maximum is not None else MAX_INTEGER)
        return value

    def positive_integer(
        self, key: str, default: int, example: int | None = None, maximum: int | None = None
    ) -> int:
        """A whole number > 0 (`{table}.{key} must be greater than 0`)."""
        value = self.integer(key, default, maximum)
        if value <= 0:
            raise self.fail(
                key,
                f"{self._name(key)} must be greater than 0",
                f"set {key} = {example or default}",
            )
        return value

    def positive_number(self, key: str, default: float, maximum: float | None = None) -> float:
        """A finite number > 0 (`{table}.{key} must be greater than 0`)."""
        value = self.number(key, default, maximum)
        if value <= 0:
            raise self.fail(
                key, f"{self._name(key)} must be greater than 0", f"set {key} = {default:g}"
            )
        return value

    def number(self, key: str, default: float | None = None, maximum: float | None = None) -> float:
        """A finite number: TOML's `nan` and `inf` are refused (they pass every `<` check)."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            if value is None:
                raise self.fail(key, f"{self._name(key)} is required", f"add {key} = <number>")
            raise self.fail(key, f"{self._name(key)} must be a number", f"write {key} = <number>")
        if isinstance(value, float) and not math.isfinite(value):
            example = f"{default:g}" if default is not None else "<number>"
            raise self.fail(
                key,
                f"{self._name(key)} must be a finite number, got {value}",
                f"write {key} = {example}",
            )
        self._check_range(key, value, maximum if maximum is not None else MAX_NUMBER)
        return float(value)

    def _check_range(self, key: str, value: float, maximum: float) -> None:
        if abs(value) > maximum:
            raise self.fail(
                key,
                f"{self._name(key)} is out of range ({_show(value)}); the limit is {_show(maximum)}",
                f"write {key} = <a number up to {_show(maximum)}>",
            )

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

    def nonempty_tables(self, key: str, message: str, hint: str) -> list[TableReader]:
        """The entries of `[[table.key]]`, at least one (`message` and `hint` say so otherwise)."""
        entries = self.tables(key)
        if not entries:
            raise self.fail(key, message, hint)
        return entries


def _show(value: float) -> str:
    """A number as an operator wrote it: 86,400 or 1e+300, never 86400.0."""
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) < 1e15 and value.is_integer():
        return f"{int(value):,}"
    return f"{value:g}"
