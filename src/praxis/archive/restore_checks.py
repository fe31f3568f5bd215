"""Checks an import runs before anything reaches the target: the bundle tree, the database,
and the restored data dir as a whole (config, identity files, tool manifests)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from praxis import clock
from praxis.errors import PraxisError, UsageError

MIN_SCHEMA = 10  # the Rust original's schema; older databases were never released


def check_tree(bundle: Path, where: str) -> None:
    """Refuse a bundle directory that holds a symlink or any special file, anywhere."""
    for directory, dirs, files in os.walk(bundle, followlinks=False):
        for name in (*dirs, *files):
            path = Path(directory) / name
            mode = os.lstat(path).st_mode
            relative = path.relative_to(bundle).as_posix()
            if stat.S_ISLNK(mode):
                raise UsageError(
                    f"bundle {where}: member {relative} is a symlink",
                    "bundles hold regular files only; use a bundle made by `praxis export`",
                )
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise UsageError(
                    f"bundle {where}: member {relative} is not a regular file or directory",
                    "devices, FIFOs and sockets are refused",
                )


def prepare_database(path: Path, where: str) -> tuple[int, int]:
    """Check the restored database and migrate it: (its schema version, the version after)."""
    from praxis.storage.db import code_schema_version, missing_tables, open_database, schema_version

    member = "runtime/database.sqlite"
    try:
        conn = sqlite3.connect(path)
        try:
            check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
            found = schema_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UsageError(
            f"bundle {where}: {member} is not a valid SQLite database: {exc}",
            "the bundle is damaged; export it again or use another snapshot",
        ) from None
    if check != "ok":
        raise UsageError(
            f"bundle {where}: {member} failed its integrity check: {check}",
            "the bundle is damaged; export it again or use another snapshot",
        )
    newest = code_schema_version()
    if found > newest:
        raise UsageError(
            f"bundle {where} has schema version {found}, newer than this Praxis supports ({newest})",
            "upgrade Praxis (pip install -U praxis-agent) before importing it",
        )
    if found < MIN_SCHEMA:
        raise UsageError(
            f"bundle {where}: expected schema migration version {MIN_SCHEMA} in {member}",
            "use a bundle made by `praxis export state`",
        )
    try:
        conn = open_database(path, clock.now_text())
    except PraxisError as exc:
        raise UsageError(f"bundle {where}: {member}: {exc.message}", exc.hint) from None
    try:
        missing = missing_tables(conn)
        version = schema_version(conn)
    finally:
        conn.close()
    if missing:
        raise UsageError(
            f"bundle {where}: {missing[0]} table is missing from {member}",
            "use a bundle made by `praxis export state`",
        )
    return found, version


def validate_staged(staged: Path, where: str) -> None:
    """The restored dir must load like a data dir: config, identity files, tool manifests."""
    from praxis.config.loader import load_config
    from praxis.identity.foundation import validate_identity
    from praxis.paths import DataDir
    from praxis.tools.manifest import load_registry

    data_dir = DataDir(staged)
    try:
        load_config(data_dir)
        validate_identity(data_dir)
        load_registry(data_dir.tools_dir)
    except PraxisError as exc:
        prefix = f"{staged}{os.sep}"
        raise UsageError(
            f"bundle {where}: {exc.message.replace(prefix, 'data/')}",
            (exc.hint or "").replace(prefix, "data/") or None,
        ) from None
