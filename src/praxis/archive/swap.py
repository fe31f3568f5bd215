"""Put a staged directory in place of a target, atomically where the OS allows it."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from praxis.faults import crash_point

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    errno = ctypes.get_errno()
    import errno as errnos

    if errno in (errnos.EINVAL, errnos.ENOSYS, errnos.EOPNOTSUPP):
        return False  # the filesystem cannot exchange: fall back to two renames
    raise OSError(errno, os.strerror(errno), str(first))


def replace_dir(staged: Path, target: Path, keep_as: Path | None) -> None:
    """Make `staged` the new `target`.

    With `keep_as`, the existing target ends up at `keep_as` (never deleted). The target is
    swapped in one atomic step where the OS can (Linux); elsewhere it is renamed aside and the
    staged dir renamed in, with the old one put back if the second rename fails.
    """
    if keep_as is None:
        os.rename(staged, target)  # a missing or empty target: one atomic rename
    elif _exchange(staged, target):
        crash_point("swap:exchanged")
        os.rename(staged, keep_as)  # `staged` now holds the old target
    else:
        os.rename(target, keep_as)
        try:
            os.rename(staged, target)
        except OSError:
            os.rename(keep_as, target)
            raise
    _fsync_dir(target.parent)


def free_name(base: Path) -> Path:
    """`base`, or `base-2`, `base-3`, ... whichever does not exist yet."""
    candidate, number = base, 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
