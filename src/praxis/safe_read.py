"""Reading data-dir files safely: regular files only, never blocking, bounded in size.

A FIFO, a device or a directory put where Praxis expects a file must not hang or confuse a
command: every reader opens non-blocking, checks the open descriptor with fstat and refuses
anything but a regular file with an error that names the file and what it is. A missing file
raises FileNotFoundError as usual, so callers keep their own "missing" handling.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from praxis.errors import ConfigError, PraxisError, UnsafeFile

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
CONFIG_MAX_BYTES = 1024 * 1024  # TOML files, .env, GOALS.md
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse(path: Path, message: str, hint: str, config: bool) -> PraxisError:
    if config:
        return ConfigError(message, hint, path=str(path))
    return UnsafeFile(f"{path}: {message}", hint)


def not_regular(path: Path, mode: int, *, config: bool = False) -> PraxisError:
    return _refuse(
        path,
        f"not a regular file: it is {kind_of(mode)}",
        f"move {path} aside and put a regular file there (restore it from a snapshot; "
        "`praxis init` recreates a missing seed file)",
        config,
    )


def check_regular(path: Path, *, config: bool = False) -> None:
    """Raise unless `path` (following symlinks) is a regular file; stat never blocks."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise not_regular(path, mode, config=config)


def open_regular(path: Path, *, config: bool = False, follow_symlinks: bool = True) -> int:
    """An O_RDONLY descriptor of `path`, refused unless it is a regular file. Caller closes it.
    Without `follow_symlinks` a symlink is refused too (a file about to be edited in place: the
    atomic rename would replace the link with a copy)."""
    flags = _OPEN_FLAGS if follow_symlinks else _OPEN_FLAGS | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise _refuse(
                path,
                "it is a symlink, so it cannot be edited in place",
                f"replace {path} with a regular file (copy the link's target over it)",
                config,
            ) from None
        if exc.errno == errno.ENXIO:  # a socket (or a FIFO on some systems) cannot be opened
            check_regular(path, config=config)
        raise
    regular = False
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(path, mode, config=config)
        regular = True
    finally:
        if not regular:
            os.close(fd)
    return fd


def read_bytes_regular(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    config: bool = False,
    follow_symlinks: bool = True,
) -> bytes:
    """The whole file, refused when it is not a regular file or larger than `max_bytes`."""
    fd = open_regular(path, config=config, follow_symlinks=follow_symlinks)
    try:
        if os.fstat(fd).st_size > max_bytes:
            raise _too_large(path, max_bytes, config)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while we read it
                raise _too_large(path, max_bytes, config)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_regular(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, config: bool = False
) -> str:
    """As read_bytes_regular, decoded as UTF-8 (UnicodeDecodeError propagates)."""
    return read_bytes_regular(path, max_bytes=max_bytes, config=config).decode("utf-8")


def _too_large(path: Path, max_bytes: int, config: bool) -> PraxisError:
    return _refuse(
        path,
        f"file is larger than {max_bytes:,} bytes, more than Praxis reads from it",
        f"move {path} aside (it is not a file Praxis wrote) and restore it from a snapshot",
        config,
    )


def read_tail(path: Path, size: int) -> str:
    """The last `size` bytes of a file as text (files like JOURNAL.md grow without bound); "" when
    it does not exist. A FIFO or device in its place is refused instead of blocking."""
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return ""
    with os.fdopen(fd, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - size))
        return handle.read().decode("utf-8", errors="replace")
