"""Which process owns an in-flight reservation, and whether it is still alive.

A reservation records the pid and a marker: boot id, pid namespace and the process's start time
(Linux `/proc`). A pid that is alive but started at another time (or in another boot) is a reused
pid, not the owner. A process in another pid namespace (another container sharing the data dir)
cannot be seen from here: it is `FOREIGN`, and the caller decides by the reservation's age. Where
`/proc` is missing (macOS) the marker is None and a live pid counts as alive.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal, NamedTuple

PROC = Path("/proc")
Liveness = Literal["alive", "gone", "foreign"]
ALIVE: Liveness = "alive"
GONE: Liveness = "gone"
FOREIGN: Liveness = "foreign"


class Owner(NamedTuple):
    pid: int
    marker: str | None


@functools.cache
def _boot_id() -> str | None:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


@functools.cache
def _pid_namespace() -> str:
    try:
        return os.readlink(PROC / "self/ns/pid").removeprefix("pid:").strip("[]")
    except OSError:
        return "-"


def _stat(pid: int) -> tuple[str, str] | None:
    """(state letter, start time in clock ticks) of a live /proc entry, else None."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()  # the name in parentheses may hold spaces
    return (fields[0], fields[19]) if len(fields) > 19 else None


def _marker(pid: int) -> str | None:
    boot, stat = _boot_id(), _stat(pid)
    return f"{boot}/{_pid_namespace()}/{stat[1]}" if boot and stat else None


def current_owner() -> Owner:
    return _owner(os.getpid())  # keyed by pid: a forked child is its own owner


@functools.cache
def _owner(pid: int) -> Owner:
    return Owner(pid, _marker(pid))


def owner_alive(pid: int | None, marker: str | None) -> bool:
    return liveness(pid, marker) != GONE


def liveness(pid: int | None, marker: str | None) -> Liveness:
    """GONE when the process ended, is a zombie, or its pid now belongs to another process;
    FOREIGN when it ran in another pid namespace; else ALIVE."""
    if pid is None or pid <= 0:
        return GONE
    mine = current_owner()
    if (pid, marker) == tuple(mine):
        return ALIVE
    boot, _, rest = (marker or "").partition("/")
    namespace, _, started = rest.partition("/")
    if marker and mine.marker:
        if boot != _boot_id():
            return GONE  # written before a reboot: that process is gone whatever the pid says
        if namespace != _pid_namespace():
            return FOREIGN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return GONE
    except OSError:
        pass  # another user's process (EPERM): it exists
    stat = _stat(pid)
    if stat is not None and stat[0] in ("Z", "X"):
        return GONE  # killed, not yet reaped by its parent
    if not marker or not mine.marker:
        return ALIVE
    return ALIVE if stat is not None and stat[1] == started else GONE
