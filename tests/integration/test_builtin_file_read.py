"""`file-read` against a real data dir: readable roots, hostile paths, the anatomy index, caps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from praxis.app import Praxis
from praxis.operator.init import initialize
from praxis.paths import DataDir
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext, ToolOutcome

NOW = "2026-03-04T05:06:07Z"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Praxis]:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", NOW)
    data = DataDir(tmp_path / "d")
    initialize(data, "Praxis", "UTC", 2)
    (data.root / ".env").write_text("ANTHROPIC_API_KEY=sk-ant-secretsecretsecret\n")
    data.workspace_dir.mkdir()
    praxis = Praxis(data)
    yield praxis
    praxis.close()


def read(app: Praxis, path: Any) -> ToolOutcome:
    ctx = ToolContext(app.data_dir, app.db, app.config.settings, NOW, "run-1", None)
    return builtin_tools()["file-read"].run(ctx, {"path": path})


def put(app: Praxis, rel: str, text: str) -> Path:
    path = app.data_dir.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_root_markdown_file_and_indexes_it(app: Praxis) -> None:
    outcome = read(app, "GOALS.md")
    text = app.data_dir.goals_md.read_text(encoding="utf-8")
    assert outcome.ok and outcome.output == text
    assert outcome.summary == f"file-read GOALS.md ({len(text.encode())} bytes)"
    row = app.db.execute(
        "SELECT description, tags_json FROM anatomy_index WHERE path = 'GOALS.md'"
    ).fetchone()
    assert row["description"] == "Goals"
    assert row["tags_json"] == '["tool:file-read"]'


@pytest.mark.parametrize(
    "rel",
    [
        "workspace/notes.txt",
        "goals/criteria/G-001.json",
        "learning/sources/operator-notes.md",
        "evals/foundation-smoke.json",
        "workspace/deep/er/file.md",
        "./workspace/../GOALS.md",
    ],
)
def test_reads_files_under_the_allowed_roots(app: Praxis, rel: str) -> None:
    target = app.data_dir.root / os.path.normpath(rel)
    if not target.exists():
        put(app, os.path.normpath(rel), "hello from " + rel)
    outcome = read(app, rel)
    assert outcome.ok, outcome.output
    assert outcome.output == target.read_text(encoding="utf-8")


def test_a_second_read_of_an_unchanged_file_is_a_summary(app: Praxis) -> None:
    put(app, "workspace/plan.md", "# Garden plan\n\n" + "- [ ] water the roses daily\n" * 400)
    first = read(app, "workspace/plan.md")
    second = read(app, "workspace/plan.md")
    assert first.ok and second.ok
    assert second.output.startswith("Unchanged since last read: workspace/plan.md: Garden plan")
    assert len(second.output) < len(first.output) / 4
    assert second.summary == "file-read workspace/plan.md (unchanged, summary)"
    put(app, "workspace/plan.md", "# Garden plan v2\n")
    assert read(app, "workspace/plan.md").output == "# Garden plan v2\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (".env", "refusing to read locked path .env"),
        ("praxis.toml", "not allowed to read praxis.toml"),
        ("praxis.db", "refusing to read locked path praxis.db"),
        ("tools/praxis-data-write.toml", "not allowed to read tools/praxis-data-write.toml"),
        ("DAY_COUNT", "not allowed to read DAY_COUNT"),
        ("../d/.env", "path escapes the allowed root"),
        ("workspace/../../x", "path escapes the allowed root"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("workspace/a\x00b", "path contains a NUL byte"),
        ("workspace\\..\\.env", "backslashes are not allowed"),
        ("workspace\u2215..\u2215.env", "lookalike separator"),
        ("workspace/" + "a" * 300, "path component is longer than 255 bytes"),
        ("workspace/missing.txt", "no such file in the data directory"),
        ("workspace", "it is a directory"),
    ],
)
def test_hostile_and_forbidden_paths_are_refused(app: Praxis, path: str, message: str) -> None:
    outcome = read(app, path)
    assert not outcome.ok
    assert message in outcome.output
    assert "sk-ant" not in outcome.output
    assert "\n" not in outcome.summary


def test_symlinks_are_refused_anywhere_in_the_path(app: Praxis, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside secret", encoding="utf-8")
    workspace = app.data_dir.workspace_dir
    (workspace / "file-link").symlink_to(outside / "secret.txt")
    (workspace / "dir-link").symlink_to(outside)
    (workspace / "env-link").symlink_to(app.data_dir.dotenv)
    for rel in ("workspace/file-link", "workspace/dir-link/secret.txt", "workspace/env-link"):
        outcome = read(app, rel)
        assert not outcome.ok and "symlink" in outcome.output, rel
        assert "outside secret" not in outcome.output and "sk-ant" not in outcome.output


def test_a_symlinked_data_dir_is_refused(app: Praxis, tmp_path: Path) -> None:
    alias = DataDir(tmp_path / "alias")
    alias.root.symlink_to(app.data_dir.root)
    ctx = ToolContext(alias, app.db, app.config.settings, NOW, None, None)
    outcome = builtin_tools()["file-read"].run(ctx, {"path": "GOALS.md"})
    assert not outcome.ok and "symlink" in outcome.output


def test_hard_links_and_fifos_are_refused(app: Praxis, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("outside", encoding="utf-8")
    os.link(outside, app.data_dir.workspace_dir / "hard")
    os.mkfifo(app.data_dir.workspace_dir / "pipe")
    hard = read(app, "workspace/hard")
    assert not hard.ok and "hard links" in hard.output
    fifo = read(app, "workspace/pipe")  # must not hang
    assert not fifo.ok and "not a regular file" in fifo.output


def test_big_files_are_refused_and_long_ones_capped(app: Praxis) -> None:
    put(app, "workspace/big.txt", "x" * 1_048_577)
    big = read(app, "workspace/big.txt")
    assert not big.ok and "more than the 1048576-byte limit" in big.output
    put(app, "workspace/long.txt", "y" * 40_000)
    long = read(app, "workspace/long.txt")
    assert long.ok
    assert long.output == "y" * 16_384 + "\n[truncated: showing the first 16384 of 40000 bytes]"


def test_non_utf8_content_is_read_with_replacements(app: Praxis) -> None:
    (app.data_dir.workspace_dir / "bin").write_bytes(b"ok\xff\xfe")
    outcome = read(app, "workspace/bin")
    assert outcome.ok and outcome.output.startswith("ok")


def test_invalid_arguments(app: Praxis) -> None:
    for bad in (None, 3, ["GOALS.md"], ""):
        outcome = read(app, bad)
        assert not outcome.ok and outcome.output.startswith("invalid arguments: path must")
