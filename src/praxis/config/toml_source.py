"""Reading TOML config files with errors that name the file, the line, the key and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from praxis.errors import ConfigError

_LINE_RE = re.compile(r"at line (\d+)")


class TomlSource(NamedTuple):
    """A parsed TOML file plus its text, so validation errors can point at a line."""

    path: Path
    text: str
    data: dict[str, Any]

    def line_of(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        return locate(self.text, table, key, index)

    def error(
        self,
        message: str,
        hint: str,
        table: str = "",
        key: str | None = None,
        index: int | None = None,
    ) -> ConfigError:
        return ConfigError(message, hint, path=str(self.path), line=self.line_of(table, key, index))


def read_toml(path: Path, *, missing_ok: bool = False) -> TomlSource | None:
    """Parse `path`; a syntax error becomes a ConfigError naming the file and line."""
    import tomllib

    from praxis.safe_read import CONFIG_MAX_BYTES, read_text_regular

    try:
        text = read_text_regular(path, max_bytes=CONFIG_MAX_BYTES, config=True)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise ConfigError(
            f"{path} does not exist", "run `praxis init` to create the default files"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            "file is not valid UTF-8", "save the file as UTF-8 text", path=str(path)
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE_RE.search(str(exc))
        line = int(found.group(1)) if found else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        reason = str(exc).split(" (at ", 1)[0]
        raise ConfigError(
            f"invalid TOML: {reason}",
            "fix the syntax on that line (TOML: key = value, strings in quotes)",
            path=str(path),
            line=line,
        ) from None
    return TomlSource(path=path, text=text, data=data)


def locate(text: str, table: str, key: str | None = None, index: int | None = None) -> int | None:
    """Best-effort line number of `key` inside `[table]` (or the index-th `[[table]]`)."""
    current = ""
    seen_arrays: dict[str, int] = {}
    header_line: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[["):
            name = _header(line)
            seen_arrays[name] = seen_arrays.get(name, -1) + 1
            current = f"{name}#{seen_arrays[name]}"
            if _matches(current, table, index) and key is None:
                return number
            if _matches(current, table, index):
                header_line = number
            continue
        if line.startswith("["):
            current = _header(line)
            if current == table and key is None:
                return number
            if current == table:
                header_line = number
            continue
        if key is not None and _matches(current, table, index):
            name = line.split("=", 1)[0].strip().strip('"')
            if "=" in line and name == key:
                return number
    return header_line


def _header(line: str) -> str:
    """`[a.b]  # comment` → `a.b` (also for `[[a.b]]`)."""
    return line.split("#", 1)[0].strip().strip("[]").strip()


def _matches(current: str, table: str, index: int | None) -> bool:
    if index is None:
        return current == table
    return current == f"{table}#{index}"
