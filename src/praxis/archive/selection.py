"""Which files of a data dir go into a bundle, and which never do."""

from __future__ import annotations

import os
import stat
from fnmatch import fnmatch
from pathlib import Path
from typing import NamedTuple

from praxis import child_processes
from praxis.errors import DataDirError
from praxis.paths import DASHBOARD_TOKEN_NAME

# Top-level directories that are never exported: snapshots (and other exports) live in backups/.
EXCLUDED_DIRS = ("backups",)


class Local(NamedTuple):
    path: str  # posix, relative to the data dir
    why: str


# Files of this machine and this install rather than of the agent: never in a bundle, skipped when
# an older bundle has them, and on `import --overwrite` the target keeps its own copy. Everything
# else Praxis writes is state or history and travels: heartbeat.json (the last proof of life:
# stale on a new machine until its daemon beats, which is the truth; its pid is only shown),
# daily_jobs.json (today's memory decay is in the database: repeating it would decay twice),
# model_canary.json, boundary_review.json, events.jsonl, logs/praxis-errors.log,
# context_current.md, the state file and the database (without in-flight model calls).
LOCAL_FILES = (
    Local(
        child_processes.FILE_NAME, "process groups of running tool children: this machine's PIDs"
    ),
    Local(DASHBOARD_TOKEN_NAME, "the dashboard's credential: each install makes its own"),
)
_LOCAL_PATHS = frozenset(local.path for local in LOCAL_FILES)
# Named like runtime files (`.praxis-*`) but state: which session journaled "all goals complete"
# (loop/session.py STOP_RECORD). Without it a restored dir could journal it a second time.
STATE_DESPITE_NAME = frozenset({".praxis-stop-condition.json"})
# Secrets, runtime files (locks, the route cache, markers) and SQLite side files, at any depth.
EXCLUDED_PATTERNS = (
    ".env",
    ".env.*",
    ".praxis-*",
    ".*.tmp",
    "*.lock",
    "*.db-wal",
    "*.db-shm",
    "*.db-journal",
    "*.sqlite-wal",
    "*.sqlite-shm",
    "*.sqlite-journal",
)


def excluded(relative: str) -> bool:
    """Whether a data-dir path (posix, relative) is left out of every bundle."""
    if relative in STATE_DESPITE_NAME:
        return False
    if relative in _LOCAL_PATHS:
        return True
    first = relative.split("/", 1)[0]
    if first in EXCLUDED_DIRS:
        return True
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch(name, pattern) for pattern in EXCLUDED_PATTERNS)


def data_files(root: Path, skip: set[Path]) -> list[str]:
    """Every regular file to export, sorted, as posix paths relative to `root`.

    `skip` holds absolute paths exported separately (the database and the state file, and their
    side files). A symlink or any other non-regular file that would be exported is refused:
    following it could copy something from outside the data dir.
    """
    found: list[str] = []
    for directory, dirs, files in os.walk(root, followlinks=False):
        here = Path(directory)
        relative_dir = here.relative_to(root).as_posix()
        prefix = "" if relative_dir == "." else relative_dir + "/"
        keep_dirs = []
        for name in sorted(dirs):
            relative = prefix + name
            if excluded(relative):
                continue
            if (here / name).is_symlink():
                raise _symlink(here / name)
            keep_dirs.append(name)
        dirs[:] = keep_dirs
        for name in sorted(files):
            relative = prefix + name
            path = here / name
            if excluded(relative) or path in skip:
                continue
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:  # removed while we walk (a session is running)
                continue
            if stat.S_ISLNK(mode):
                raise _symlink(path)
            if not stat.S_ISREG(mode):
                raise DataDirError(
                    f"refusing to copy {path}: not a regular file",
                    "remove it (FIFOs, sockets and devices have no place in a data dir)",
                )
            found.append(relative)
    return sorted(found)


def _symlink(path: Path) -> DataDirError:
    return DataDirError(
        f"refusing to copy symlink {path}",
        "replace it with the file it points to, or move it out of the data dir",
    )
