"""`praxis init` as an operator runs it: files, idempotence, validation, re-homing."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PraxisRunner
from tests.records import file_digests

SPEC_FILES = [
    "IDENTITY.md",
    "GOALS.md",
    "ROADMAP.md",
    "JOURNAL.md",
    "METRICS.md",
    "PATTERNS.md",
    "LEARNINGS.md",
    "AGENTS.md",
    "CAPABILITIES.md",
    "PROPOSALS.md",
    "DAY_COUNT",
    "praxis.toml",
    "providers.toml",
    "budgets.toml",
    "profiles.toml",
    "model_canary.json",
    "boundary_review.json",
    "heartbeat.json",
    "praxis.db",
    "goals/criteria/G-001.json",
    "evals/foundation-smoke.json",
    "learning/sources/operator-notes.md",
    "tools/internal-maintenance.toml",
    "tools/praxis-data-write.toml",
]


def test_init_creates_every_spec_file(praxis: PraxisRunner) -> None:
    result = praxis("init", "--name", "Praxis", "--timezone", "UTC")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "initialized: ok"
    assert lines[1] == f"data_dir: {praxis.data_dir}"
    assert lines[2] == f"config: {praxis.data_dir / 'praxis.toml'}"
    assert lines[3] == f"database: {praxis.data_dir / 'praxis.db'}"
    assert lines[4] == f"tools: {praxis.data_dir / 'tools'}"
    assert result.lines()["created"] == str(len(SPEC_FILES))
    for name in SPEC_FILES:
        assert (praxis.data_dir / name).is_file(), name
    goals = (praxis.data_dir / "GOALS.md").read_text()
    assert goals == "# Goals\n\n- [ ] G-001: Complete the first Praxis foundation run\n"
    identity = (praxis.data_dir / "IDENTITY.md").read_text()
    assert "- Name: Praxis\n- Timezone: UTC\n" in identity
    assert "## Boundaries" in identity
    toml = (praxis.data_dir / "praxis.toml").read_text()
    assert "context_ceiling_pct = 0.8\n" in toml
    assert "0.800000" not in toml and "0.0500000" not in toml


def test_second_init_changes_nothing_but_the_heartbeat(initialized: PraxisRunner) -> None:
    before = file_digests(initialized.data_dir)
    result = initialized("init", "--name", "Other", "--timezone", "Europe/Berlin")
    assert result.returncode == 0, result.stderr
    assert result.lines()["created"] == "0"
    after = file_digests(initialized.data_dir)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed <= {"heartbeat.json", "praxis.db"}, changed
    assert "- Name: Praxis" in (initialized.data_dir / "IDENTITY.md").read_text()


def test_init_keeps_operator_edits_and_comments(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    edited = config.read_text().replace('name = "Praxis"', 'name = "Jarvis"  # my agent')
    config.write_text(edited)
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text(goals.read_text() + "- [ ] G-002: Water the plants\n")
    assert initialized("init").returncode == 0
    assert config.read_text() == edited
    assert "G-002: Water the plants" in goals.read_text()


def test_init_rehomes_data_dir_preserving_comments(
    initialized: PraxisRunner, tmp_path: Path
) -> None:
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text().replace("[security]", "# operator comment\n[security]"))
    moved = tmp_path / "moved"
    shutil.move(str(initialized.data_dir), moved)
    runner = PraxisRunner(moved, initialized.env)
    result = runner("init")
    assert result.returncode == 0, result.stderr
    text = (moved / "praxis.toml").read_text()
    assert f'data_dir = "{moved}"' in text
    assert "# operator comment" in text
    assert "# IANA name" in text


def test_invalid_timezone_exits_2_and_creates_nothing(praxis: PraxisRunner) -> None:
    result = praxis("init", "--timezone", "Mars/Olympus_Mons")
    assert result.returncode == 2
    assert result.stderr.startswith("error: invalid timezone Mars/Olympus_Mons\nhint: ")
    assert "Traceback" not in result.stderr
    assert not praxis.data_dir.exists()


def test_invalid_security_level_exits_2(praxis: PraxisRunner) -> None:
    result = praxis("init", "--security-level", "7")
    assert result.returncode == 2
    assert "security.level must be between 1 and 4" in result.stderr
    assert not praxis.data_dir.exists()


def test_init_with_broken_existing_config_changes_nothing(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text() + "\nbroken = [\n")
    (initialized.data_dir / "GOALS.md").unlink()
    before = file_digests(initialized.data_dir)
    result = initialized("init")
    assert result.returncode == 2
    assert f"{config} line" in result.stderr
    assert file_digests(initialized.data_dir) == before


def test_data_dir_from_environment_and_after_subcommand(
    praxis: PraxisRunner, tmp_path: Path
) -> None:
    target = tmp_path / "envdir"
    result = PraxisRunner(praxis.data_dir, {**praxis.env, "PRAXIS_DATA_DIR": str(target)})
    # --data-dir on the command line wins over the environment.
    assert result("init").returncode == 0
    assert praxis.data_dir.is_dir() and not target.exists()
    created = praxis.bare("init", env={"PRAXIS_DATA_DIR": str(target)})
    assert created.returncode == 0, created.stderr
    assert (target / "praxis.toml").is_file()
    status = praxis.bare("status", "--data-dir", str(praxis.data_dir))
    assert f"data_dir: {praxis.data_dir}" in status.stdout


def test_default_data_dir_uses_xdg_then_home(praxis: PraxisRunner, tmp_path: Path) -> None:
    status = praxis.bare("status")
    assert f"data_dir: {tmp_path / 'home' / '.local' / 'share' / 'praxis'}" in status.stdout
    status = praxis.bare("status", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert f"data_dir: {tmp_path / 'xdg' / 'praxis'}" in status.stdout
