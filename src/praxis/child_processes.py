"""Child processes of tools and checks: none outlives a killed Praxis.

Every child (the `shell` tool, criteria and eval commands) runs in its own process group with a
timeout. Three layers stop it when Praxis itself is gone (`kill -9`, a crash, the OOM killer):

1. Linux: the child asks the kernel for SIGKILL when its parent dies (`PR_SET_PDEATHSIG`).
2. Everywhere: the child carries an `alarm()` set a little past its timeout, so with nobody
   left to enforce the timeout, SIGALRM ends it (alarms survive `exec`).
3. While it runs, its process group is recorded in `tool_processes.json` in the data dir; the
   next start (`reap_leftovers`) kills the group of any entry whose owner is gone. This is what
   reaches grandchildren (`cmd &`), which the first two layers do not.

MCP servers, which the `mcp` SDK spawns without a `preexec_fn`, start through `praxis.child_exec`:
it takes steps 1 and 2 itself and `exec`s the server; Praxis records the group (step 3) from the
pid it writes (`praxis.tools.mcp_launch`).

The record is best effort: a data dir that cannot be written must not stop a check from running.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from praxis.child_exec import die_with_parent, prctl_function

FILE_NAME = "tool_processes.json"
LOCK_NAME = ".praxis-tool-processes.lock"
ALARM_GRACE_SECONDS = 5  # the parent's own timeout always fires first
_LOCK_SECONDS = 10.0
_prctl = functools.cache(prctl_function)  # resolved in the parent; the forked child only calls it


def alarm_seconds(timeout: float) -> int:
    """The `alarm()` a child with this timeout carries: a little past it, so ours fires first."""
    return max(1, math.ceil(timeout) + ALARM_GRACE_SECONDS)


def preexec_for(timeout: float) -> Callable[[], None]:
    """The `preexec_fn` for a child with this timeout (runs in the child, before exec)."""
    parent = os.getpid()
    prctl = _prctl()
    seconds = alarm_seconds(timeout)

    def setup() -> None:
        die_with_parent(prctl, parent)
        signal.alarm(seconds)

    return setup


def _start_ticks(pid: int) -> int | None:
    """When `pid` started (clock ticks since boot) on Linux; None when unknown or gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


@functools.cache
def _boot_id() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same_process(pid: int, start: int | None) -> bool:
    """`pid` is still the process that was recorded (not a later one given the same number)."""
    if not _exists(pid):
        return False
    return start is None or _start_ticks(pid) == start


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return []
    try:
        with os.fdopen(fd, "rb") as handle:
            data = json.loads(handle.read(1_000_000) or b"[]")
    except ValueError:
        return []  # a torn or hand-edited file: nothing trustworthy to act on
    entries = data.get("children") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("pgid"), int)]


def _write(path: Path, entries: list[dict[str, Any]]) -> None:
    from praxis.files import atomic_write_text

    if not entries:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    atomic_write_text(path, json.dumps({"children": entries}, indent=2) + "\n", mode=0o600)


def _update(root: Path, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    from praxis.files import locked

    path = root / FILE_NAME
    with contextlib.suppress(OSError), locked(root / LOCK_NAME, timeout=_LOCK_SECONDS):
        before = _read(path)
        after = change(before)
        if after != before:
            _write(path, after)


def register(root: Path, pid: int, kind: str) -> None:
    """Record a child that leads its own process group (`start_new_session=True`)."""
    me = os.getpid()
    entry = {
        "pgid": pid,
        "leader_start": _start_ticks(pid),
        "owner": me,
        "owner_start": _start_ticks(me),
        "boot": _boot_id(),
        "kind": kind,
    }
    _update(root, lambda entries: [*(e for e in entries if e["pgid"] != pid), entry])


def unregister(root: Path, pid: int) -> None:
    _update(root, lambda entries: [e for e in entries if e["pgid"] != pid])


def _leftover(entry: dict[str, Any]) -> bool:
    """True when the entry's owner is gone (so nobody else will stop its group)."""
    owner = entry.get("owner")
    if not isinstance(owner, int):
        return True
    return not _same_process(owner, entry.get("owner_start"))


def _kill_leftover(entry: dict[str, Any]) -> bool:
    pgid: int = entry["pgid"]
    boot = _boot_id()
    if entry.get("boot") and boot and entry["boot"] != boot:
        return False  # recorded before a reboot: that group is long gone
    recorded = entry.get("leader_start")
    current = _start_ticks(pgid)
    if current is not None and recorded is not None and current != recorded:
        return False  # the number now belongs to another process: never kill a stranger
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def reap_leftovers(root: Path) -> int:
    """Kill the process groups recorded by Praxis processes that are gone; how many were."""
    if not (root / FILE_NAME).exists():
        return 0
    killed = 0

    def change(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        nonlocal killed
        kept = []
        for entry in entries:
            if not _leftover(entry):
                kept.append(entry)
            elif _kill_leftover(entry):
                killed += 1
        return kept

    _update(root, change)
    return killed
