"""Comment-preserving edits of TOML files Praxis owns a value in (tomlkit)."""

from __future__ import annotations

from pathlib import Path

from praxis.files import atomic_write_text


def set_value(path: Path, table: str, key: str, value: object) -> bool:
    """Set `[table] key = value` in place, keeping comments and layout. True if the file changed."""
    import tomlkit

    text = path.read_text(encoding="utf-8")
    document = tomlkit.parse(text)
    section = document.get(table)
    if section is None:
        section = tomlkit.table()
        document[table] = section
    if section.get(key) == value:
        return False
    section[key] = value
    new_text = tomlkit.dumps(document)
    if new_text == text:
        return False
    atomic_write_text(path, new_text)
    return True
