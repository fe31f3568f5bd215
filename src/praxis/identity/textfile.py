"""Reading the operator's hand-edited files safely and serialising their in-place edits.

A file Praxis reads from the data dir must be a regular file: a FIFO must not hang the command
(opened non-blocking, checked with fstat on the open descriptor). A file Praxis edits in place
must not be a symlink (the atomic rename would silently replace the link with a copy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from praxis.errors import ConfigError, DataDirError, LockHeld

LOCK_TIMEOUT_SECONDS = 30.0


def read_regular_bytes(path: Path, *, for_edit: bool = False) -> bytes | None:
    """The file's bytes, or None when it does not exist. Refused (praxis.safe_read) when it is
    not a regular file, or, with `for_edit`, when it is a symlink."""
    from praxis.safe_read import read_bytes_regular

    try:
        return read_bytes_regular(path, follow_symlinks=not for_edit)
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise DataDirError(
            f"cannot read {path}: {exc.strerror or exc}", "check the file's permissions"
        ) from None


def read_regular_text(path: Path, *, for_edit: bool = False) -> str | None:
    """The file as text, byte-exact (no newline translation), or None when it does not exist."""
    data = read_regular_bytes(path, for_edit=for_edit)
    return None if data is None else decode_text(data, path)


def decode_text(data: bytes, path: Path, hint: str = "save the file as UTF-8") -> str:
    """`data` read from `path` as UTF-8, or a ConfigError naming the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not valid UTF-8 text (byte {exc.start})", hint, path=str(path)
        ) from None


def require_text(path: Path, *, for_edit: bool = False) -> str:
    """Like read_regular_text, but a missing file is the reference's identity-file error."""
    text = read_regular_text(path, for_edit=for_edit)
    if text is None:
        raise DataDirError(
            f"missing required identity file {path}",
            "run `praxis init` to recreate the seed file, or restore it from a snapshot",
        )
    return text


@contextmanager
def edit_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write edits of one file between Praxis processes."""
    from filelock import Timeout

    from praxis.files import locked

    try:
        with locked(
            path.parent / f".praxis-{path.stem.lower()}.lock", timeout=LOCK_TIMEOUT_SECONDS
        ):
            yield
    except Timeout:
        raise LockHeld(
            f"{path} is being edited by another Praxis process",
            "wait for it to finish and retry",
        ) from None


def edit_in_place(path: Path, change: Callable[[str], str | None], attempts: int = 5) -> bool:
    """Locked read-modify-write of a hand-edited file: `change` gets the text and returns the new
    text (or None for no change). Written atomically; if the file changed while we worked (a tool
    appending to it outside the lock), the edit is redone on the new text. True = written."""
    from praxis.files import atomic_write_text

    with edit_lock(path):
        for _ in range(attempts):
            text = require_text(path, for_edit=True)
            updated = change(text)
            if updated is None:
                return False
            if read_regular_bytes(path, for_edit=True) == text.encode("utf-8"):
                atomic_write_text(path, updated)
                return True
    raise LockHeld(f"{path} kept changing while Praxis edited it", "retry in a moment")
