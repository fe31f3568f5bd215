"""What a `shell` call may name: checked when the model asks (a call that can never pass is
refused then, never queued for approval) and again just before it runs.

- `argv[0]` is a bare name from `[tools.shell] allowed_commands`, found on the fixed PATH.
- No argument names a path outside `workspace/`: lexically (absolute paths, `..`) or through a
  symlink. Option values count too (`--file=/x`, `-f/x`, `@/x`).
- Every existing file an argument names is a regular file with one link, or a directory: never a
  symlink, a hard link (it may be a file outside), a FIFO (it would block), a socket or a device.
- Options that make a program follow symlinks (`-L`, `-H`, `--dereference…`, `grep -R`) or read
  file names from a file (`--files0-from`) need the operator's approval even for a safe command.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

SAFE_PATH = (
    "/opt/homebrew/bin:" if sys.platform == "darwin" else ""
) + "/usr/local/bin:/usr/bin:/bin"
# Long options (and unambiguous prefixes of them, as getopt accepts) that follow symlinks or take
# file names from a file the checks above never see.
_LONG_FOLLOWING = (
    "--dereference",
    "--dereference-args",
    "--dereference-command-line",
    "--dereference-command-line-symlink-to-dir",
    "--dereference-recursive",
    "--copy-links",
    "--files0-from",
)
_SHORT_FOLLOWING = frozenset("LH")
_RECURSIVE_FOLLOWING = {"grep": "R", "egrep": "R", "fgrep": "R"}


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _candidates(arg: str) -> list[str]:
    """The paths an argument may name: itself, an option's value (`--file=x`, `-fx`) and
    anything after an `@` (curl-style "read from file")."""
    found = [arg]
    if arg.startswith("-"):
        found += [arg.partition("=")[2], arg.lstrip("-")[1:]]
    if "@" in arg:
        found.append(arg.partition("@")[2])
    return [candidate for candidate in found if candidate]


def escaping_argument(argv: list[str], workspace: Path) -> str | None:
    """The first argument that names a path outside `workspace`, lexically or via symlinks."""
    lexical_root = os.path.abspath(workspace)
    real_root = os.path.realpath(workspace)
    for arg in argv[1:]:
        for candidate in _candidates(arg):
            joined = os.path.join(lexical_root, candidate)
            if not _inside(os.path.normpath(joined), lexical_root):
                return arg
            if not _inside(os.path.realpath(joined), real_root):
                return arg
    return None


def unsafe_file(argv: list[str], workspace: Path) -> str | None:
    """Why an existing file an argument names may not be handed to a program, or None.

    `lstat` only: a symlink is refused as such, never followed."""
    root = os.path.abspath(workspace)
    for arg in argv[1:]:
        for candidate in _candidates(arg):
            try:
                info = os.lstat(os.path.join(root, candidate))
            except (OSError, ValueError):
                continue  # missing: the program itself reports it
            mode = info.st_mode
            if stat.S_ISDIR(mode):
                continue
            if stat.S_ISLNK(mode):
                return f"argument {arg!r} is a symlink; name the file it points to instead"
            if not stat.S_ISREG(mode):
                return f"argument {arg!r} is not a regular file (a FIFO, socket or device)"
            if info.st_nlink > 1:
                return (
                    f"argument {arg!r} has {info.st_nlink} hard links; it may be a file outside "
                    "workspace/, so it is not read"
                )
    return None


def following_option(argv: list[str]) -> str | None:
    """The first option that follows symlinks or reads file names from a file, or None."""
    recursive = _RECURSIVE_FOLLOWING.get(argv[0], "") if argv else ""
    for arg in argv[1:]:
        if arg == "--":
            return None  # the rest are operands, not options
        if arg.startswith("--"):
            name = arg.partition("=")[0]
            if len(name) > 3 and any(known.startswith(name) for known in _LONG_FOLLOWING):
                return arg
        elif arg == "-follow":  # find's spelling
            return arg
        elif arg.startswith("-") and len(arg) > 1:
            letters = set(arg[1:])
            if letters & _SHORT_FOLLOWING or (recursive and recursive in letters):
                return arg
    return None


def workspace_problem(workspace: Path) -> str | None:
    if workspace.is_symlink() or (workspace.exists() and not workspace.is_dir()):
        return "workspace/ must be a real directory, not a symlink or a file"
    return None


def argv_problem(argv: list[str], allowed: tuple[str, ...], workspace: Path | None) -> str | None:
    """Why this argv can never run (with or without approval), or None."""
    if argv[0] not in allowed:
        listed = ", ".join(allowed) if allowed else "none"
        return f"command {argv[0]!r} is not allowed; allowed: {listed}"
    if any("\x00" in arg for arg in argv):
        return "arguments must not contain NUL bytes"
    if shutil.which(argv[0], path=SAFE_PATH) is None:
        return f"command {argv[0]!r} was not found on PATH {SAFE_PATH}"
    if workspace is None:
        return None
    problem = workspace_problem(workspace)
    if problem is not None:
        return problem
    escaping = escaping_argument(argv, workspace)
    if escaping is not None:
        return f"argument {escaping!r} names a path outside workspace/"
    return unsafe_file(argv, workspace)
