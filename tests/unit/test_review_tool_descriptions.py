"""The descriptions the model is shown for built-in tools survive `python -OO` (which drops
docstrings): a tool without a description is a tool the model cannot choose well."""

from __future__ import annotations

import subprocess
import sys

SHOW = (
    "from praxis.tools.builtins import builtin_tools\n"
    "for tool in builtin_tools().values(): print(tool.name, len(tool.description))\n"
)


def test_every_builtin_tool_has_a_description_even_without_docstrings() -> None:
    shown = subprocess.run(
        [sys.executable, "-OO", "-c", SHOW], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    lengths = dict(line.split() for line in shown if line)
    assert set(lengths) == {"file-read", "memory-search", "memory-write", "goal-complete", "shell"}
    assert all(int(length) >= 40 for length in lengths.values()), lengths
