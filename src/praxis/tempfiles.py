"""Stale temp files left by killed atomic writes: found, counted (`doctor`), removed (session start).

`praxis.files.atomic_write_bytes` writes `.{name}.{8 random chars}.tmp` (tempfile.mkstemp) next to
the file and renames it over the target; a process killed in between leaves the temp file. Only
the data dir's own folders are searched (not workspace/ or backups/), only regular files with that
exact name shape, and only those untouched for a minute: a write in progress is never removed.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

from praxis.paths import DataDir

if TYPE_CHECKING:
    from praxis.app import Praxis

STALE_AFTER_SECONDS = 60.0
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_FOLDERS = ("", "goals", "goals/criteria", "evals", "tools", "learning", "learning/sources", "logs")


def stale_temp_files(
    data_dir: DataDir, extra_dirs: tuple[Path, ...] = (), now: float | None = None
) -> list[Path]:
    """Temp files of killed writes, oldest first. `extra_dirs`: e.g. the configured state file's
    and database's folders when they are not the data dir itself."""
    moment = time.time() if now is None else now
    folders = dict.fromkeys([*(data_dir.root / name for name in _FOLDERS), *extra_dirs])
    found: list[tuple[float, Path]] = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not TEMP_NAME.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and moment - info.st_mtime >= STALE_AFTER_SECONDS:
                found.append((info.st_mtime, Path(entry.path)))
    return [path for _, path in sorted(found)]


def remove_stale_temp_files(data_dir: DataDir, extra_dirs: tuple[Path, ...] = ()) -> int:
    """Remove them; returns how many went (one that vanished meanwhile is not counted)."""
    removed = 0
    for path in stale_temp_files(data_dir, extra_dirs):
        try:
            path.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: best effort, doctor counts it
            continue
        removed += 1
    return removed


def clean_session_start(app: Praxis) -> int:
    """Run at the start of a session: the data dir's folders plus the state file's folder."""
    return remove_stale_temp_files(app.data_dir, (app.state_file.parent,))
