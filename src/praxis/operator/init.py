"""`praxis init`: create (or complete) a data dir without clobbering anything the operator owns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from praxis import clock
from praxis.config import defaults
from praxis.config.edit import set_value
from praxis.config.loader import database_path, load_settings
from praxis.errors import DataDirError, UsageError
from praxis.files import write_if_missing
from praxis.heartbeat import write_heartbeat
from praxis.identity.foundation import seed_documents
from praxis.paths import DataDir
from praxis.storage.db import open_database
from praxis.tools.capabilities import write_capabilities
from praxis.tools.manifest import SEED_MANIFESTS


@dataclass(frozen=True)
class InitResult:
    data_dir: Path
    config: Path
    database: Path
    tools: Path
    created: int
    kept: int


def initialize(
    data_dir: DataDir, name: str | None, timezone: str | None, security_level: int | None
) -> InitResult:
    """Validate everything first, then create whatever is missing. Idempotent."""
    root = data_dir.root
    if root.exists() and not root.is_dir():
        raise DataDirError(f"{root} exists and is not a directory", "choose another --data-dir")
    if timezone is not None:
        clock.load_timezone(timezone)
    if name is not None and not name.strip():
        raise UsageError("instance.name must not be empty", "pass --name with a non-blank name")
    if security_level is not None and not 1 <= security_level <= 4:
        raise UsageError("security.level must be between 1 and 4", "pass --security-level 1..4")

    existing_settings = load_settings(data_dir) if data_dir.praxis_toml.exists() else None
    initialized_at = clock.now_text()
    root.mkdir(parents=True, exist_ok=True)

    created = kept = 0

    def track(was_created: bool) -> None:
        nonlocal created, kept
        if was_created:
            created += 1
        else:
            kept += 1

    if existing_settings is None:
        text = defaults.praxis_toml(
            name or "Praxis", timezone or "UTC", str(root), security_level or 2
        )
        track(write_if_missing(data_dir.praxis_toml, text))
        settings = load_settings(data_dir)
    else:
        settings = existing_settings
        if _declared_data_dir(data_dir) != str(root):
            set_value(data_dir.praxis_toml, "instance", "data_dir", str(root))
        track(False)

    track(write_if_missing(data_dir.providers_toml, defaults.PROVIDERS_TOML))
    track(write_if_missing(data_dir.profiles_toml, defaults.PROFILES_TOML))
    track(write_if_missing(data_dir.budgets_toml, defaults.BUDGETS_TOML))
    track(write_if_missing(data_dir.model_canary, json.dumps({"records": []}, indent=2) + "\n"))
    track(
        write_if_missing(
            data_dir.boundary_review,
            json.dumps({"last_confirmed_at": None, "last_note": None}, indent=2) + "\n",
        )
    )

    db_path = database_path(data_dir, settings)
    db_existed = db_path.exists()
    conn = open_database(db_path, initialized_at)
    track(not db_existed)

    data_dir.criteria_dir.mkdir(parents=True, exist_ok=True)
    data_dir.evals_dir.mkdir(parents=True, exist_ok=True)
    documents = seed_documents(settings.instance.name, settings.instance.timezone, initialized_at)
    for relative, text in documents.items():
        track(write_if_missing(root / relative, text))
    for file_name, text in SEED_MANIFESTS.items():
        track(write_if_missing(data_dir.tools_dir / file_name, text))

    try:
        write_capabilities(data_dir, conn)
    finally:
        conn.close()
    track(not data_dir.heartbeat.exists())
    write_heartbeat(data_dir, "sleep", "Initialized data directory.")
    return InitResult(root, data_dir.praxis_toml, db_path, data_dir.tools_dir, created, kept)


def _declared_data_dir(data_dir: DataDir) -> str | None:
    import tomllib

    raw = tomllib.loads(data_dir.praxis_toml.read_text(encoding="utf-8"))
    instance = raw.get("instance", {})
    value = instance.get("data_dir") if isinstance(instance, dict) else None
    return value if isinstance(value, str) else None
