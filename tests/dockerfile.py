"""The repository's Dockerfile as the deployment tests read it."""

from __future__ import annotations

import re
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per logical line: continuations joined, comments dropped, runs
    of white space folded to one space."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    logical = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in logical.splitlines():
        parts = line.strip().split(None, 1)
        if parts:
            result.append((parts[0].upper(), " ".join(parts[1].split()) if len(parts) > 1 else ""))
    return result
