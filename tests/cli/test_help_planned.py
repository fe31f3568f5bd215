"""`praxis --help` lists commands that are not built yet under their own heading."""

from __future__ import annotations

from praxis.cli.root import COMMANDS, PLANNED_HEADING, is_planned
from tests.conftest import InProcessRunner


def _sections(help_text: str) -> dict[str, list[str]]:
    """Heading -> the command names listed under it."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in help_text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            current = sections.setdefault(line[:-1], [])
        elif current is not None and line.startswith("  ") and not line.startswith("   "):
            current.append(line.split()[0])
    return sections


def test_help_puts_planned_commands_under_their_own_heading(cli: InProcessRunner) -> None:
    result = cli("--help")
    assert result.returncode == 0, result.stderr
    sections = _sections(result.stdout)
    planned = sorted(name for name in COMMANDS if is_planned(name))
    working = sorted(name for name in COMMANDS if not is_planned(name))
    assert planned, "nothing planned left: drop the heading test"
    assert sections[PLANNED_HEADING] == planned
    assert sections["Commands"] == working
    assert "watchdog" in sections["Commands"]
    assert result.stdout.index("Commands:") < result.stdout.index(f"{PLANNED_HEADING}:")


def test_planned_heading_reads_as_such(cli: InProcessRunner) -> None:
    assert PLANNED_HEADING == "Planned (not available yet)"
    assert "Planned (not available yet):\n  " in cli("--help").stdout
