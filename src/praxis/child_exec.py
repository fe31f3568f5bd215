"""Start a program so that it dies with Praxis, for children Praxis cannot give a `preexec_fn`.

    python -I -S .../praxis/child_exec.py PARENT_PID ALARM_SECONDS PID_FILE -- PROGRAM [ARG...]

MCP servers are spawned by the `mcp` SDK, which takes only a command, its arguments, an
environment and a cwd. Praxis passes this wrapper as the command instead; in the new process it

1. asks the kernel for SIGKILL when its parent thread ends (Linux `PR_SET_PDEATHSIG`; the request
   survives `execve`, except into a set-user-ID, set-group-ID or file-capability program), and
   dies at once if PARENT_PID is already gone;
2. sets an `alarm()` of ALARM_SECONDS (0: none), which survives `exec` too;
3. writes its pid to PID_FILE (empty: none), so Praxis can record the process group;
4. `exec`s PROGRAM in its own place: same pid, same stdin, stdout and stderr.

It writes nothing on stdout (MCP speaks JSON-RPC there); a PROGRAM that cannot be run gets one line
on stderr and exit status 127. It imports only `os` and `sys` (and `ctypes` to reach libc), so it
runs by path with `-I -S` (no site-packages, no PYTHON* variables): about 4 ms over a bare
interpreter start, ~13 ms in all. `child_processes` shares its PDEATHSIG step.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing would cost ~5 ms here
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NoReturn

PR_SET_PDEATHSIG = 1
SIGKILL = 9  # the same number on Linux and macOS; `signal` would import enum (~5 ms)
USAGE = "usage: child_exec.py PARENT_PID ALARM_SECONDS PID_FILE -- PROGRAM [ARG...]\n"


def _libc() -> Any | None:
    if os.name != "posix":
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def prctl_function() -> Callable[..., int] | None:
    """libc's `prctl`, ready to call (resolve it before forking); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    function = getattr(_libc(), "prctl", None)
    if function is None:
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


def die_with_parent(prctl: Callable[..., int] | None, parent: int) -> None:
    """In the child: SIGKILL when the parent (thread) ends; now, if it already has."""
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os.kill(os.getpid(), SIGKILL)


def _write_pid(path: str) -> None:
    """Best effort: without it the server still runs, and still dies with Praxis."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)  # made by Praxis, mode 600
    except OSError:
        return
    try:
        os.write(fd, str(os.getpid()).encode("ascii"))
    except OSError:
        return
    finally:
        os.close(fd)


def main(argv: list[str]) -> NoReturn:
    if len(argv) < 5 or argv[3] != "--" or not argv[0].isdigit() or not argv[1].isdigit():
        os.write(2, USAGE.encode())
        os._exit(2)
    parent, seconds, pid_file, command = int(argv[0]), int(argv[1]), argv[2], argv[4:]
    libc = _libc()
    die_with_parent(prctl_function(), parent)
    if seconds and libc is not None:
        libc.alarm(seconds)
    if pid_file:
        _write_pid(pid_file)
    try:
        os.execvp(command[0], command)
    except OSError as exc:
        os.write(2, f"praxis: cannot run {command[0]}: {exc.strerror or exc}\n".encode())
    os._exit(127)


if __name__ == "__main__":
    main(sys.argv[1:])
