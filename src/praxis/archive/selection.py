"""Which files of a data dir go into a bundle, and which never do."""

from __future__ import annotations

import os
import stat
from fnmatch import fnmatch
from pathlib import Path

from praxis.errors import DataDirError

# Top-level directories that are never exported: snapshots (and other exports) live in backups/.
EXCLUDED_DIRS = ("backups",)
# Secrets, runtime files (locks, route caches, markers) and SQLite side files, at any depth.
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
