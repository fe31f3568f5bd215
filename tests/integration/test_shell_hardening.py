"""Issue 10, shell hardening: options that follow symlinks need approval even for a safe command;
files named as arguments must be plain regular files inside workspace/; a call that can never
pass policy is refused when the model asks, never queued for the operator."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from praxis.app import Praxis
from praxis.operator.init import initialize
from praxis.paths import DataDir
from praxis.tools import approvals
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext, ToolOutcome
from praxis.tools.execute import CallVerdict, handle_call
from praxis.tools.registry import resolve_tool

NOW = "2026-03-04T05:06:07Z"


@pytest.fixture
def app(app: Praxis) -> Praxis:
    """The default [tools.shell]: ls, echo, pwd, wc are safe."""
    app.data_dir.workspace_dir.mkdir()
    return app


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory outside the data dir holding a secret file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret-name.txt").write_text("TOPSECRET\n")
    return folder


def call(app: Praxis, argv: list[str]) -> CallVerdict:
    tool = resolve_tool(app, "shell")
    assert tool is not None
    return handle_call(
        app, app.db, tool, {"argv": argv}, requested_by="model", run_key="run-1", goal_id=None
    )


def run(app: Praxis, argv: list[str]) -> ToolOutcome:
    ctx = ToolContext(app.data_dir, app.db, app.config.settings, NOW, "run-1", None)
    return builtin_tools()["shell"].run(ctx, {"argv": argv})


def statuses(app: Praxis) -> list[str]:
    return [r.status for r in approvals.list_requests(app.db, include_all=True)]


@pytest.mark.parametrize(
    "flags",
    [
        ["-LR", "."],
        ["-lL", "."],
        ["-L", "."],
        ["-H", "."],
        ["--dereference", "."],
        ["--dereference-command-line", "."],
        ["--deref", "."],  # getopt accepts unambiguous prefixes
        ["-R", "--dereference-command-line-symlink-to-dir", "."],
    ],
)
def test_symlink_following_options_need_approval_even_for_a_safe_command(
    app: Praxis, outside: Path, flags: list[str]
) -> None:
    (app.data_dir.workspace_dir / "link").symlink_to(outside)
    verdict = call(app, ["ls", *flags])
    assert verdict.kind == "pending", verdict
    assert statuses(app) == ["pending"]
    assert "secret-name" not in verdict.output


def test_the_same_listing_without_following_runs_at_once(app: Praxis, outside: Path) -> None:
    (app.data_dir.workspace_dir / "link").symlink_to(outside)
    verdict = call(app, ["ls", "-lR", "."])
    assert verdict.kind == "ran", verdict
    assert "secret-name" not in verdict.output
    # After `--` an option-looking word is a file name, not an option.
    assert call(app, ["ls", "--", "-L"]).kind == "failed"  # ran: no such file


def test_files0_from_needs_approval(app: Praxis) -> None:
    (app.data_dir.workspace_dir / "names").write_bytes(b"/etc/hostname\0")
    assert call(app, ["wc", "--files0-from=names"]).kind == "pending"


def test_grep_recursion_that_follows_links_needs_approval() -> None:
    from praxis.tools.builtins.shell_policy import following_option

    assert following_option(["grep", "-R", "x", "."]) == "-R"
    assert following_option(["grep", "-r", "x", "."]) is None
    assert following_option(["ls", "-R", "."]) is None
    assert following_option(["find", ".", "-follow"]) == "-follow"


def test_a_hard_link_to_an_outside_file_is_refused(app: Praxis, outside: Path) -> None:
    try:
        os.link(outside / "secret-name.txt", app.data_dir.workspace_dir / "hard.txt")
    except OSError as exc:  # another filesystem, or links not allowed here
        pytest.skip(f"cannot make a hard link: {exc}")
    verdict = call(app, ["wc", "hard.txt"])
    assert verdict.kind == "refused", verdict
    assert "hard.txt" in verdict.output and "2 hard links" in verdict.output
    assert statuses(app) == ["failed"]
    assert not run(app, ["wc", "hard.txt"]).ok  # and at run time, if made since the request


def test_a_fifo_is_refused_instead_of_blocking(app: Praxis) -> None:
    os.mkfifo(app.data_dir.workspace_dir / "pipe")
    started = time.monotonic()
    verdict = call(app, ["wc", "pipe"])
    assert time.monotonic() - started < 5
    assert verdict.kind == "refused" and "not a regular file" in verdict.output
    outcome = run(app, ["wc", "-l", "pipe"])
    assert not outcome.ok and "not a regular file" in outcome.output
    assert time.monotonic() - started < 5


def test_a_symlink_argument_is_refused_even_inside_the_workspace(app: Praxis) -> None:
    workspace = app.data_dir.workspace_dir
    (workspace / "real.txt").write_text("one\n")
    (workspace / "alias.txt").symlink_to(workspace / "real.txt")
    verdict = call(app, ["wc", "alias.txt"])
    assert verdict.kind == "refused" and "is a symlink" in verdict.output
    assert call(app, ["wc", "-l", "real.txt"]).kind == "ran"


def test_option_values_naming_files_are_checked_too(app: Praxis) -> None:
    os.mkfifo(app.data_dir.workspace_dir / "pipe")
    assert call(app, ["wc", "--files0-from=pipe"]).kind == "refused"


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["cat", "/etc/passwd"], "argument '/etc/passwd' names a path outside workspace/"),
        (["cat", "../praxis.toml"], "names a path outside workspace/"),
        (["head", "--file=/etc/hostname"], "names a path outside workspace/"),
        (["rm", "-rf", "."], "command 'rm' is not allowed"),
    ],
)
def test_a_call_that_can_never_run_is_refused_at_request_time(
    app: Praxis, argv: list[str], reason: str
) -> None:
    verdict = call(app, argv)
    assert verdict.kind == "refused", verdict
    assert reason in verdict.output
    assert statuses(app) == ["failed"]  # never `pending`: nothing for the operator to approve
    assert approvals.list_requests(app.db, include_all=False) == []


def test_a_link_out_of_the_workspace_is_refused_at_request_time(app: Praxis, outside: Path) -> None:
    (app.data_dir.workspace_dir / "cfg").symlink_to(outside / "secret-name.txt")
    verdict = call(app, ["cat", "cfg"])
    assert verdict.kind == "refused" and "outside workspace/" in verdict.output


def test_an_allowed_program_missing_from_path_is_refused_at_request_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", NOW)
    data = DataDir(tmp_path / "d2")
    initialize(data, "Praxis", "UTC", 2)
    config = data.praxis_toml
    config.write_text(
        config.read_text().replace('"pwd"]\nsafe', '"pwd", "no-such-program-praxis"]\nsafe')
    )
    praxis = Praxis(data)
    try:
        verdict = call(praxis, ["no-such-program-praxis"])
        assert verdict.kind == "refused" and "was not found on PATH" in verdict.output
    finally:
        praxis.close()


def test_plain_safe_calls_still_run_without_approval(app: Praxis) -> None:
    (app.data_dir.workspace_dir / "notes.txt").write_text("a\nb\n")
    verdict: Any = call(app, ["wc", "-l", "notes.txt"])
    assert verdict.kind == "ran" and "2 notes.txt" in verdict.output
    assert call(app, ["ls", "-la", "."]).kind == "ran"
    assert call(app, ["cat", "notes.txt"]).kind == "pending"  # allowed, not safe: as before
