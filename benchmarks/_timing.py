"""Timing helpers for the benchmarks: best-of-N wall time of a command, run side by side."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def praxis_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m praxis`. The
    package's bytecode is written first: where PYTHONDONTWRITEBYTECODE is set, a module added
    since `make install` would otherwise be compiled again on every timed start."""
    import compileall

    compileall.compile_dir(Path(__file__).parent.parent / "src", quiet=1)
    script = Path(sys.executable).with_name("praxis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "praxis"]


def best_of(command: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    best = float("inf")
    merged = {**os.environ, **(env or {})}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=merged)
        best = min(best, time.perf_counter() - start)
    return best


def interleaved(
    commands: dict[str, Sequence[str]], runs: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Best time of each command, alternating them so machine noise hits all alike."""
    best = {name: float("inf") for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            best[name] = min(best[name], best_of(command, 1, env))
    return best


def peak_rss_mib(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory of one run of `command` (this child only, via wait4)."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, list(command))
    # ru_maxrss is KiB on Linux, bytes on macOS.
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def timed_run(praxis: Sequence[str], data: Path, task: str) -> float:
    """Wall time of one `run --once --force --task TASK` on `data`."""
    start = time.perf_counter()
    subprocess.run(
        [*praxis, "--data-dir", str(data), "run", "--once", "--force", "--task", task],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def fresh_and_seeded(praxis: Sequence[str], tmp: Path) -> tuple[Path, Path]:
    """Two initialized data dirs under `tmp`: one left fresh, one for the caller to seed."""
    fresh, seeded = tmp / "fresh", tmp / "seeded"
    for data in (fresh, seeded):
        subprocess.run(
            [*praxis, "--data-dir", str(data), "init"], check=True, stdout=subprocess.DEVNULL
        )
    return fresh, seeded


def compare_runs(praxis: Sequence[str], fresh: Path, seeded: Path, task: str, runs: int) -> None:
    """Best of `runs` `run --once` on each dir, side by side; prints the three figures."""
    best = {"fresh": float("inf"), "seeded": float("inf")}
    for _ in range(runs):
        best["fresh"] = min(best["fresh"], timed_run(praxis, fresh, task))
        best["seeded"] = min(best["seeded"], timed_run(praxis, seeded, task))
    print(f"run_once_fresh_ms: {best['fresh'] * 1000:.1f}")
    print(f"run_once_seeded_ms: {best['seeded'] * 1000:.1f}")
    print(f"run_once_ratio: {best['seeded'] / best['fresh']:.2f} (target <= 2)")
