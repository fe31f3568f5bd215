"""docs/architecture.md is the project's map: it must match the packages, and its layer contracts
(pyproject's [tool.importlinter], run by `make lint`) must catch a broken layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "praxis"


def _packages() -> set[str]:
    return {
        "praxis." + ".".join(p.parent.relative_to(SRC).parts)
        for p in SRC.rglob("__init__.py")
        if p.parent != SRC and "__pycache__" not in p.parts
    }


def test_the_map_names_every_package_and_only_real_ones() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"^\| `(praxis\.[a-z_.]+)` \|", text, re.M))
    assert named == _packages()


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    return found


def test_breaking_a_layer_fails_the_contracts(tmp_path: Path) -> None:
    lint = _lint_imports()
    copy = tmp_path / "src" / "praxis"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")

    def lint_copy() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [lint, "--no-cache"],
            cwd=tmp_path,
            env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    clean = lint_copy()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    pricing = copy / "providers" / "pricing.py"
    pricing.write_text(pricing.read_text() + "\nimport praxis.loop.session  # noqa: E402\n")
    broken = lint_copy()
    assert broken.returncode != 0
    assert "praxis.providers.pricing -> praxis.loop.session" in broken.stdout
