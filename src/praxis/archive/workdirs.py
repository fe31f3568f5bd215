"""Hidden work dirs of import, export and snapshots: locked while in use, swept once stale.

Each of these commands builds its result in a hidden directory beside where it lands:

    import     .<target>.import-XXXXXXXX   the restored data dir            beside the target
               .<target>.bundle-XXXXXXXX   a .tar.gz bundle, unpacked       beside the target
    export     .<output>.XXXXXXXX.export   the bundle being written         beside the output
    snapshots  .snapshot-XXXXXXXX.tmp      the snapshot being written       in backups/

(XXXXXXXX: tempfile's 8 random characters.) The process that made one holds an exclusive flock on
it until it is done; kill -9 releases the lock with the process. The next run of the same command
sweeps every dir of exactly its shape whose lock it can take (its owner is gone), and `doctor`
counts those beside its data dir and in backups/. A dir in use is never touched; one that cannot
be locked at all (a filesystem without flock) is never swept; only our own user's dirs count.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from praxis.paths import DataDir

_RANDOM = "[a-z0-9_]{8}"  # tempfile's random part
_ATTEMPTS = 10
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Shape(NamedTuple):
    """A work dir's name: `prefix`, then tempfile's 8 random characters, then `suffix`."""

    prefix: str
    suffix: str = ""

    def matches(self, name: str) -> bool:
        pattern = re.escape(self.prefix) + _RANDOM + re.escape(self.suffix)
        return re.fullmatch(pattern, name) is not None


def import_staging(target: Path) -> Shape:
    return Shape(f".{target.name}.import-")


def import_unpacked(target: Path) -> Shape:
    return Shape(f".{target.name}.bundle-")


def export_work(output: Path) -> Shape:
    return Shape(f".{output.name}.", ".export")


SNAPSHOT_WORK = Shape(".snapshot-", ".tmp")


@contextlib.contextmanager
def held_dir(parent: Path, shape: Shape) -> Iterator[Path]:
    """A new private dir of `shape` in `parent`, locked until the block ends. The caller removes
    it (or renames it away) inside the block."""
    fd, path = _create(parent, shape)
    try:
        yield path
    finally:
        if fd is not None:
            os.close(fd)


def sweep(parent: Path, shape: Shape, dispose: Callable[[Path], None] | None = None) -> int:
    """Dispose of (by default: remove) every stale work dir of `shape` in `parent`, each while
    holding its lock; returns how many went. Best effort: one that resists stays for doctor."""
    done = 0
    for path in _candidates(parent, shape):
        fd = _claim(path)
        if fd is None:
            continue
        try:
            (dispose or shutil.rmtree)(path)
            done += 1
        except OSError:
            continue
        finally:
            os.close(fd)
    return done


def stale(parent: Path, shape: Shape) -> list[Path]:
    """The work dirs of `shape` in `parent` that nobody holds (left by a killed command)."""
    found = []
    for path in _candidates(parent, shape):
        fd = _claim(path)
        if fd is not None:
            os.close(fd)
            found.append(path)
    return found


def leftovers(data_dir: DataDir) -> list[Path]:
    """Stale work dirs of killed imports into this data dir and of killed snapshots (`doctor`)."""
    root = data_dir.root
    return [
        *stale(root.parent, import_staging(root)),
        *stale(root.parent, import_unpacked(root)),
        *stale(data_dir.backups_dir, SNAPSHOT_WORK),
    ]


def _create(parent: Path, shape: Shape) -> tuple[int | None, Path]:
    for _ in range(_ATTEMPTS):
        path = Path(tempfile.mkdtemp(prefix=shape.prefix, suffix=shape.suffix, dir=parent))
        try:
            fd = os.open(path, _DIR_FLAGS)
        except FileNotFoundError:
            continue  # a sweep took it before we held it
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits out a sweep or doctor looking at it
        except OSError:  # no flock on this filesystem: unlocked, and so never swept either
            os.close(fd)
            return None, path
        if _same(fd, path):
            return fd, path
        os.close(fd)  # a sweep removed it while we waited: take another
    raise FileExistsError(f"no work dir could be made in {parent}")


def _candidates(parent: Path, shape: Shape) -> list[Path]:
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    found = []
    for entry in entries:
        if not shape.matches(entry.name):
            continue
        try:
            ours = entry.is_dir(follow_symlinks=False) and (
                entry.stat(follow_symlinks=False).st_uid == os.getuid()
            )
        except OSError:
            continue
        if ours:
            found.append(Path(entry.path))
    return sorted(found)


def _claim(path: Path) -> int | None:
    """A descriptor holding `path`'s lock when nobody else holds it; None otherwise."""
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a running command (or no flock here): not ours to touch
        os.close(fd)
        return None
    if not _same(fd, path):
        os.close(fd)
        return None
    return fd


def _same(fd: int, path: Path) -> bool:
    """`path` still names the directory open at `fd`."""
    held = os.fstat(fd)
    try:
        now = os.lstat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
