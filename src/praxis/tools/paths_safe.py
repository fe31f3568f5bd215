"""One path inside the data directory: lexical normalisation, and filesystem checks that never
follow a link (each component is `lstat`ed; the final open uses O_NOFOLLOW)."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from praxis.errors import PolicyViolation

MAX_PATH_BYTES = 1024
MAX_COMPONENT_BYTES = 255
# Characters that look like `/` or `\` (or strike through a letter like one) but are not.
LOOKALIKE_SEPARATORS = frozenset(
    "\u2215\u2044\uff0f\u29f8\u2571\u29f5\u29f9\u2216\ufe68\uff3c\u2572\u27cb\u27cd\u2afb\u2afd"
    "\u1735\u0337\u0338\u20e5"
)
_CATEGORY_NAMES = {
    "Cc": "a control character",
    "Cf": "an invisible or bidirectional formatting character",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Zs": "an unusual space",
}
_HINT = "use a plain relative path inside the data directory, e.g. JOURNAL.md"


def shown(path: str) -> str:
    """repr() so control and invisible characters are visible; long paths are cut short."""
    text = repr(path)
    return (
        text
        if len(text) <= 120
        else f"{text[:100]}… ({len(path.encode('utf-8', 'replace'))} bytes)"
    )


def _refuse(message: str, hint: str = _HINT) -> PolicyViolation:
    return PolicyViolation(message, hint)


def _check_characters(path: str) -> None:
    if "\x00" in path:
        raise _refuse(f"path contains a NUL byte: {shown(path)}")
    try:
        size = len(path.encode("utf-8"))
    except UnicodeEncodeError:
        raise _refuse(f"path is not valid UTF-8: {shown(path)}") from None
    if size > MAX_PATH_BYTES:
        raise _refuse(f"path is longer than {MAX_PATH_BYTES} bytes: {shown(path)}")
    if "\\" in path:
        raise _refuse(f"backslashes are not allowed in paths: {shown(path)}", "separate with /")
    for char in path:
        if char in LOOKALIKE_SEPARATORS:
            raise _refuse(
                f"path contains a lookalike separator U+{ord(char):04X}: {shown(path)}",
                "separate with a plain /",
            )
        category = unicodedata.category(char)
        if category in _CATEGORY_NAMES and char != " ":
            what = _CATEGORY_NAMES[category]
            raise _refuse(f"path contains {what} U+{ord(char):04X}: {shown(path)}")
    for form in ("NFC", "NFKC"):
        if unicodedata.normalize(form, path) != path:
            raise _refuse(
                f"path is not in Unicode normal form {form}: {shown(path)}",
                "type the name with plain characters (no compatibility or combining forms)",
            )


def normalise(path: str) -> str:
    """A relative POSIX path with `.` dropped and `..` resolved lexically; refuse anything odd."""
    if path.strip() == "":
        raise _refuse(f"empty paths are not allowed: {shown(path)}")
    _check_characters(path)
    if path.startswith("/"):
        raise _refuse(f"absolute paths are not allowed: {path}")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
            raise _refuse(
                f"path component is longer than {MAX_COMPONENT_BYTES} bytes: {shown(path)}"
            )
        if part != part.strip():
            raise _refuse(f"path components must not start or end with a space: {shown(path)}")
        if part == "..":
            if not parts:
                raise _refuse(f"path escapes the allowed root: {path}", "remove the .. components")
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise _refuse(f"path must name a file inside the data directory: {path}")
    return "/".join(parts)


def is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + "/")


# Files and folders no tool may write (compared case-folded: macOS volumes ignore case).
LOCKED_FILES = frozenset(
    {
        "praxis.toml",
        ".env",
        "providers.toml",
        "budgets.toml",
        "profiles.toml",
        "session_state.json",
        "heartbeat.json",
        "model_canary.json",
        "boundary_review.json",
        "tool_processes.json",  # praxis.child_processes: process groups to reap after a crash
    }
)
LOCKED_DIRS = ("tools", "backups", "evals", "goals/criteria")
# Never readable by a tool: secrets, the raw database, locks, snapshots.
UNREADABLE_FILES = frozenset({".env"})
UNREADABLE_DIRS = ("backups",)


def _is_protected(path: str, files: frozenset[str], dirs: tuple[str, ...]) -> bool:
    """`path` (normalised, compared case-folded) is one of `files`, under one of `dirs`, or the
    database or a lock file at the top level."""
    folded = path.casefold()
    return (
        folded in files
        or folded.split("/", 1)[0].startswith(("praxis.db", ".praxis-"))
        or any(is_under(folded, d) for d in dirs)
    )


def is_locked(path: str) -> bool:
    """`path` is normalised. Config, state, database, lock files, tools/, evals/, backups/."""
    return _is_protected(path, LOCKED_FILES, LOCKED_DIRS)


def is_unreadable(path: str) -> bool:
    return _is_protected(path, UNREADABLE_FILES, UNREADABLE_DIRS)


def _through_link(verb: str, path: str) -> str:
    if verb == "write":
        return f"refusing to write through symlink target {path}"  # the reference's wording
    return f"refusing to read through symlink {path}"


def _checked_root(data_root: Path, verb: str) -> Path:
    root = Path(os.path.abspath(data_root))
    try:
        info = os.lstat(root)
    except OSError as exc:
        raise _refuse(f"cannot use the Praxis data directory {root}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(
            _through_link(verb, str(root)),
            f"the data directory {root} is a symlink; point --data-dir at the real directory",
        )
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(f"the Praxis data directory {root} is not a directory", "run `praxis init`")
    return root


def _walk(root: Path, clean: str, rel: str, verb: str) -> os.stat_result | None:
    """lstat each component below `root`; refuse links. The final component's stat, or None."""
    current = root
    parts = clean.split("/")
    for index, part in enumerate(parts):
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _refuse(f"cannot {verb} {rel}: {exc.strerror}") from None
        if stat.S_ISLNK(info.st_mode):
            hint = f"{current} is a symlink; replace it with a regular file or directory"
            raise _refuse(_through_link(verb, rel), hint)
        if index == len(parts) - 1:
            return info
        if not stat.S_ISDIR(info.st_mode):
            raise _refuse(f"cannot {verb} {rel}: {'/'.join(parts[: index + 1])} is not a directory")
    return None


def _check_file(info: os.stat_result, rel: str, verb: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(f"refusing to {verb} {rel}: it is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(f"refusing to {verb} {rel}: not a regular file")
    if info.st_nlink > 1:
        raise _refuse(
            f"refusing to {verb} {rel}: it has {info.st_nlink} hard links",
            "a hard link may lead outside the data directory; replace it with a plain copy",
        )


def _contained(root: Path, clean: str) -> Path:
    target = root / clean
    if os.path.commonpath([str(root), os.path.normpath(target)]) != str(root):
        raise _refuse("tool request escapes the Praxis data directory")
    return target


def resolve_for_write(data_root: Path, rel: str) -> Path:
    """The path to append to; refuses symlinks anywhere, hard links, non-regular targets."""
    clean = normalise(rel)
    root = _checked_root(data_root, "write")
    info = _walk(root, clean, rel, "write")
    if info is not None:
        _check_file(info, rel, "write")
    return _contained(root, clean)


def resolve_for_read(data_root: Path, rel: str, allowed_roots: Sequence[str]) -> Path:
    """An existing regular file under one of `allowed_roots` ("." = the whole data dir)."""
    clean = normalise(rel)
    if is_unreadable(clean):
        raise _refuse(
            f"refusing to read locked path {rel}", "secrets and snapshots are not readable"
        )
    roots = [r for r in (_root_or_none(a) for a in allowed_roots) if r is not None]
    if not any(r == "" or is_under(clean, r) for r in roots):
        listed = ", ".join(r or "." for r in roots) or "none"
        raise _refuse(f"not allowed to read {rel}", f"readable roots: {listed}")
    root = _checked_root(data_root, "read")
    info = _walk(root, clean, rel, "read")
    if info is None:
        raise _refuse(f"no such file in the data directory: {rel}", "check the path")
    _check_file(info, rel, "read")
    return _contained(root, clean)


def _root_or_none(allowed: str) -> str | None:
    if allowed.strip() in ("", "."):
        return ""
    try:
        return normalise(allowed)
    except PolicyViolation:
        return None  # an unusable allow-list entry permits nothing


def read_bytes_no_follow(path: Path, limit: int) -> bytes:
    """Read up to `limit` bytes of a file resolved by `resolve_for_read`, without following a
    link swapped in since (O_NOFOLLOW; O_NONBLOCK so a FIFO cannot hang us)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse(f"cannot read {path.name}: {exc.strerror}") from None
    try:
        _check_file(os.fstat(fd), path.name, "read")
        return os.read(fd, limit)
    finally:
        os.close(fd)


def _open_failed(target: Path, opened: Path, exc: OSError) -> PolicyViolation:
    # O_NOFOLLOW reports a link as ELOOP (EMLINK on BSDs; ENOTDIR with O_DIRECTORY on Linux).
    if exc.errno in (errno.ELOOP, errno.EMLINK) or opened.is_symlink():
        return _refuse(_through_link("write", opened.name), f"{opened} is a symlink")
    return _refuse(
        f"cannot write {target.name}: {exc.strerror}", "check the data directory's permissions"
    )


def _open_parent(path: Path) -> int:
    """The parent directory's fd, created if missing; the open refuses a symlinked parent."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path.parent, flags)
    except OSError as exc:
        raise _open_failed(path, path.parent, exc) from None


def append_once(path: Path, text: str) -> bool:
    """Append `text` as whole line(s) unless the file already ends with exactly that block.

    One write (O_APPEND) under an exclusive flock, so concurrent appends neither interleave nor
    double up. Returns True when something was written."""
    body = (text + "\n").encode("utf-8")
    dir_fd = _open_parent(path)
    try:
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(path.name, flags, 0o644, dir_fd=dir_fd)
    except OSError as exc:
        raise _open_failed(path, path, exc) from None
    finally:
        os.close(dir_fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        info = os.fstat(fd)
        _check_file(info, path.name, "write")
        size = info.st_size
        tail = os.pread(fd, min(size, len(body) + 1), max(0, size - len(body) - 1))
        # Skip only when the block is whole lines at the end: "xhello\n" does not hold "hello\n".
        if tail.endswith(body) and (size == len(body) or tail[: -len(body)] == b"\n"):
            return False
        block = (b"\n" if size and not tail.endswith(b"\n") else b"") + body
        written = os.write(fd, block)
        while written < len(block):  # a short write on a regular file is rare; finish it
            written += os.write(fd, block[written:])
        os.fsync(fd)
        return True
    finally:
        os.close(fd)
