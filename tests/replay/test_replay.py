"""Run every TOML fixture in tests/replay/fixtures/ (one test each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import clean_env
from tests.replay.harness import FixtureError, run_fixture

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.toml"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fixture(fixture: Path, tmp_path: Path) -> None:
    run_fixture(fixture, tmp_path, clean_env(tmp_path / "home"))


def test_harness_reports_a_failing_expectation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[steps]]\nargs = ["status"]\nstdout = ["status: nonsense"]\n')
    with pytest.raises(FixtureError, match="stdout lacks"):
        run_fixture(bad, tmp_path, clean_env(tmp_path / "home"))
