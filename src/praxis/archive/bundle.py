"""The bundle format (format_version 1): layout, manifest, checksums and member names.

A bundle is a directory (or the same tree in a `.tar.gz`):

    manifest.json
    data/<every regular data-dir file except the database and the state file>
    runtime/database.sqlite        (a consistent copy made with SQLite's backup API)
    runtime/session_state.json     (when the data dir has one)

The manifest has the original's keys plus `praxis_version` and `sha256` (bundle path -> digest).
Bundles written by the Rust original have neither; they import without checksums.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from praxis.errors import UsageError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data"
RUNTIME = "runtime"
DATABASE_MEMBER = "runtime/database.sqlite"
STATE_MEMBER = "runtime/session_state.json"
TARBALL_SUFFIXES = (".tar.gz", ".tgz")


def is_tarball(path: Path) -> bool:
    return path.name.endswith(TARBALL_SUFFIXES)


@dataclass(frozen=True)
class Manifest:
    format_version: int
    exported_at: str
    source_data_dir: str
    database_path: str
    state_file: str
    schema_version: int
    state_present: bool
    data_files: tuple[str, ...]
    praxis_version: str | None = None
    sha256: dict[str, str] = field(default_factory=dict)

    def members(self) -> list[str]:
        """Every file member the manifest promises, as bundle paths."""
        found = [f"{DATA}/{name}" for name in self.data_files]
        found.append(DATABASE_MEMBER)
        if self.state_present:
            found.append(STATE_MEMBER)
        return found

    def to_json(self) -> str:
        value: dict[str, Any] = {
            "format_version": self.format_version,
            "praxis_version": self.praxis_version,
            "exported_at": self.exported_at,
            "source_data_dir": self.source_data_dir,
            "database_path": self.database_path,
            "state_file": self.state_file,
            "schema_version": self.schema_version,
            "state_present": self.state_present,
            "data_files": list(self.data_files),
            "sha256": dict(sorted(self.sha256.items())),
        }
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def parse_manifest(text: str, where: str) -> Manifest:
    """Validate a manifest; every problem is bad input (exit 2) naming `where`."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise _bad(where, f"manifest.json is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise _bad(where, "manifest.json must hold a JSON object")
    version = raw.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise UsageError(
            f"bundle {where} has format_version {version}; this Praxis reads format_version "
            f"{FORMAT_VERSION}",
            "export it again with a matching Praxis version",
        )
    files = raw.get("data_files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise _bad(where, "manifest.json data_files must be a list of paths")
    names = [str(member_path(f"{DATA}/{f}", where))[len(DATA) + 1 :] for f in files]
    if len(set(names)) != len(names):
        raise _bad(where, "manifest.json lists a data file twice")
    schema = raw.get("schema_version")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise _bad(where, "manifest.json schema_version must be a whole number")
    digests = raw.get("sha256", {})
    if digests is None:
        digests = {}
    if not isinstance(digests, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in digests.items()
    ):
        raise _bad(where, "manifest.json sha256 must map bundle paths to digests")
    version_text = raw.get("praxis_version")
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        exported_at=str(raw.get("exported_at", "")),
        source_data_dir=str(raw.get("source_data_dir", "")),
        database_path=str(raw.get("database_path") or "praxis.db"),
        state_file=str(raw.get("state_file") or "session_state.json"),
        schema_version=schema,
        state_present=bool(raw.get("state_present", False)),
        data_files=tuple(names),
        praxis_version=str(version_text) if version_text is not None else None,
        sha256=dict(digests),
    )
    if manifest.praxis_version is not None:
        missing = [m for m in manifest.members() if m not in manifest.sha256]
        if missing:
            raise _bad(where, f"manifest.json has no sha256 for {missing[0]}")
    return manifest


def member_path(name: str, where: str = "bundle") -> PurePosixPath:
    """A safe relative member name, normalised; anything that could escape is refused.

    Refused: empty names, NUL, backslashes, absolute paths, drive letters, `..` components.
    `.` components and repeated or trailing slashes are normalised away.
    """
    if not name or "\x00" in name or "\\" in name:
        raise _unsafe(where, name)
    if name.startswith("/") or (len(name) >= 2 and name[0].isalpha() and name[1] == ":"):
        raise _unsafe(where, name)
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." for part in parts):
        raise _unsafe(where, name)
    return PurePosixPath(*parts)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unsafe(where: str, name: str) -> UsageError:
    return UsageError(
        f"bundle {where}: unsafe member name {name!r}",
        "only relative paths inside the bundle are allowed; use a bundle made by `praxis export`",
    )


def _bad(where: str, what: str) -> UsageError:
    return UsageError(f"bundle {where}: {what}", "use a bundle made by `praxis export state`")
