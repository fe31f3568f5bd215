"""Crash points for durability tests: `PRAXIS_CRASH_AT=<name>` makes the process SIGKILL itself there.

This is how the kill -9 tests stop a session at an exact point (a phase boundary or the middle of
reflect) without racing a timer. Unset in normal use, it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

from praxis import env


def crash_point(name: str) -> None:
    if env.get("PRAXIS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
