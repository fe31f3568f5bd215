"""Re-home an imported config: `instance.data_dir` becomes the target, and the database and
state-file paths become safe paths inside it (the original's rules, reference §17.2)."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import NamedTuple

from praxis.config.edit import set_value
from praxis.errors import UsageError

DEFAULT_DATABASE = "database.sqlite"
DEFAULT_STATE = "session_state.json"


class Rehomed(NamedTuple):
    database: str
    state_file: str


def configured_paths(praxis_toml: Path, source_dir: str, where: str) -> Rehomed:
    """Where the database and the state file go in the target, from the bundle's praxis.toml."""
    try:
        data = tomllib.loads(praxis_toml.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"bundle {where} has no data/praxis.toml", "use a bundle made by `praxis export state`"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"bundle {where}: data/praxis.toml is not valid TOML: {exc}",
            "fix it in the bundle or export again",
        ) from None
    database = _table(data, "database").get("path", "praxis.db")
    state = _table(data, "runtime").get("state_file", DEFAULT_STATE)
    return Rehomed(
        inside(str(database), source_dir, DEFAULT_DATABASE),
        inside(str(state), source_dir, DEFAULT_STATE),
    )


def inside(value: str, source_dir: str, fallback: str) -> str:
    """A configured path, made relative to the data dir.

    Relative paths are kept (normalised); an absolute path under the source data dir keeps its
    remainder; any other absolute path keeps only its file name; anything unusable (empty, `..`)
    becomes `fallback`.
    """
    text = value.strip()
    if not text or "\x00" in text:
        return fallback
    path = PurePosixPath(text)
    if path.is_absolute():
        source = PurePosixPath(source_dir) if source_dir else None
        if source is not None and source.is_absolute() and path.is_relative_to(source):
            path = path.relative_to(source)
        else:
            path = PurePosixPath(path.name)
    elif PureWindowsPath(text).is_absolute():
        path = PurePosixPath(PureWindowsPath(text).name)
    parts = [p for p in path.parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return fallback
    return PurePosixPath(*parts).as_posix()


def rewrite(praxis_toml: Path, target: Path, paths: Rehomed) -> None:
    """Write the target's data dir and the re-homed paths into praxis.toml (comments kept)."""
    set_value(praxis_toml, "instance", "data_dir", str(target))
    set_value(praxis_toml, "database", "path", paths.database)
    set_value(praxis_toml, "runtime", "state_file", paths.state_file)


def _table(data: dict[str, object], name: str) -> dict[str, object]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}
