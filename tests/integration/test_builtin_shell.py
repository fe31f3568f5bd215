"""The `shell` built-in against a real data dir: cwd, environment, timeout, caps, refusals."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.config.settings import Settings, ShellSettings
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext, ToolOutcome
from tests.procs import HAVE_PROC, running

NOW = "2026-03-04T05:06:07Z"
SECRET = "sk-ant-shelltestsecret0123456789"
PY = "import os, sys, json; print(json.dumps(dict(os.environ)))"


def settings(app: Praxis, **shell: object) -> Settings:
    base = app.config.settings
    allowed = ("ls", "cat", "echo", "pwd", "sleep", "python3", "head", "wc")
    values: dict[str, object] = {"allowed_commands": allowed, "safe_commands": ("ls", "echo")}
    values.update(shell)
    return base._replace(shell=ShellSettings(**values))  # type: ignore[arg-type]


def run(app: Praxis, argv: object, config: Settings | None = None, **extra: object) -> ToolOutcome:
    ctx = ToolContext(app.data_dir, app.db, config or settings(app), NOW, "run-1", "G-001")
    return builtin_tools()["shell"].run(ctx, {"argv": argv, **extra})


def test_runs_in_the_workspace_and_reports_the_exit_code(app: Praxis) -> None:
    outcome = run(app, ["pwd"])
    workspace = app.data_dir.workspace_dir
    assert outcome.ok
    assert outcome.output == f"exit_code: 0\n{os.path.realpath(workspace)}"
    assert workspace.is_dir()
    assert outcome.summary == "shell pwd -> exit 0"


def test_a_failing_command_is_not_ok_and_shows_stderr(app: Praxis) -> None:
    outcome = run(app, ["cat", "missing.txt"])
    assert not outcome.ok
    assert outcome.output.startswith("exit_code: 1\n")
    assert "missing.txt" in outcome.output
    assert outcome.summary == "shell cat missing.txt -> exit 1"


def test_reads_files_in_the_workspace(app: Praxis) -> None:
    app.data_dir.workspace_dir.mkdir()
    (app.data_dir.workspace_dir / "notes.txt").write_text("one\ntwo\n", encoding="utf-8")
    outcome = run(app, ["wc", "-l", "notes.txt"])
    assert outcome.ok and outcome.output == "exit_code: 0\n2 notes.txt"


def test_commands_outside_the_allow_list_are_refused_before_running(app: Praxis) -> None:
    marker = app.data_dir.workspace_dir / "made"
    outcome = run(app, ["touch", "made"])
    assert not outcome.ok
    assert outcome.output.startswith("command 'touch' is not allowed; allowed: ls, cat, echo")
    assert not marker.exists()
    assert not run(app, ["/bin/echo", "hi"]).ok  # a path is not a bare name
    assert not run(app, ["sh", "-c", "echo hi"]).ok


def test_refusals_do_not_echo_secrets(app: Praxis) -> None:
    outcome = run(app, [SECRET, "x"])
    assert not outcome.ok
    assert outcome.output.startswith("command '[REDACTED]' is not allowed")
    assert SECRET not in outcome.summary
    escaping = run(app, ["cat", "/" + SECRET])
    assert not escaping.ok and SECRET not in escaping.output


def test_an_allowed_name_missing_from_path_is_reported(app: Praxis) -> None:
    config = settings(app, allowed_commands=("no-such-program-praxis",), safe_commands=())
    outcome = run(app, ["no-such-program-praxis"], config)
    assert not outcome.ok and "was not found on PATH" in outcome.output


@pytest.mark.parametrize(
    "arg", ["../praxis.toml", "../.env", "/etc/passwd", "--file=/etc/hostname", "a/../../.env"]
)
def test_arguments_escaping_the_workspace_are_refused(app: Praxis, arg: str) -> None:
    outcome = run(app, ["cat", arg])
    assert not outcome.ok
    assert outcome.output == f"argument {arg!r} names a path outside workspace/"


def test_absolute_data_dir_paths_outside_the_workspace_are_refused(app: Praxis) -> None:
    outcome = run(app, ["cat", str(app.data_dir.root / "praxis.toml")])
    assert not outcome.ok and "outside workspace/" in outcome.output


def test_a_symlink_out_of_the_workspace_is_refused(app: Praxis) -> None:
    workspace = app.data_dir.workspace_dir
    workspace.mkdir()
    (workspace / "cfg").symlink_to(app.data_dir.praxis_toml)
    outcome = run(app, ["cat", "cfg"])
    assert not outcome.ok and "outside workspace/" in outcome.output


def test_a_symlinked_workspace_is_refused(app: Praxis, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app.data_dir.workspace_dir.symlink_to(elsewhere)
    outcome = run(app, ["ls"])
    assert not outcome.ok and "workspace/ must be a real directory" in outcome.output


def test_the_child_environment_is_minimal_and_has_no_secrets(
    app: Praxis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("PRAXIS_TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    monkeypatch.setenv("SOME_OPERATOR_VARIABLE", "kept-out")
    outcome = run(app, ["python3", "-c", PY])
    assert outcome.ok, outcome.output
    child = json.loads(outcome.output.split("\n", 1)[1])
    assert set(child) - {"LC_CTYPE"} == {"PATH", "HOME", "LANG"}  # macOS may add LC_CTYPE
    assert child["HOME"] == str(app.data_dir.workspace_dir)
    assert SECRET not in outcome.output and "AAAAAAAAAA" not in outcome.output


def test_secrets_in_output_are_redacted(app: Praxis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "plain-value-without-prefix-42")
    outcome = run(app, ["echo", SECRET, "plain-value-without-prefix-42"])
    assert outcome.ok
    assert SECRET not in outcome.output and SECRET not in outcome.summary
    assert "plain-value-without-prefix-42" not in outcome.output
    assert outcome.output == "exit_code: 0\n[REDACTED] [REDACTED]"


def test_timeout_kills_the_command_and_its_children(app: Praxis, tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = run(app, ["sleep", "30"], timeout_seconds=0.5)
    assert time.monotonic() - started < 5
    assert not outcome.ok
    assert outcome.output.startswith("timed out after 0.5s")
    assert outcome.summary == "shell sleep 30 -> timed out after 0.5s"


def test_a_grandchild_holding_the_pipe_is_killed_too(app: Praxis) -> None:
    code = "import subprocess, sys; p = subprocess.Popen(['sleep', '60']); print(p.pid, flush=True)"
    started = time.monotonic()
    outcome = run(app, ["python3", "-c", code], timeout_seconds=1)
    assert time.monotonic() - started < 5
    assert not outcome.ok and outcome.output.startswith("timed out after 1s")
    pid = int(outcome.output.split("\n")[1])
    time.sleep(0.2)
    if not HAVE_PROC and running(pid):
        pytest.skip("needs /proc to tell a zombie from a live process")
    assert not running(pid)


def test_the_operator_timeout_caps_the_requested_one(app: Praxis) -> None:
    config = settings(app, timeout_seconds=0.5)
    started = time.monotonic()
    outcome = run(app, ["sleep", "30"], config, timeout_seconds=600)
    assert time.monotonic() - started < 5
    assert outcome.output.startswith("timed out after 0.5s")


def test_huge_output_is_capped_and_the_command_still_finishes(app: Praxis) -> None:
    config = settings(app, max_output_bytes=1000)
    code = "import sys; sys.stdout.write('x' * 5_000_000)"
    outcome = run(app, ["python3", "-c", code], config)
    assert outcome.ok
    body = outcome.output.split("\n")[1]
    assert body == "x" * 1000
    assert outcome.output.endswith("[output truncated: showing the first 1000 of 5000000 bytes]")


def test_stdin_is_closed(app: Praxis) -> None:
    outcome = run(app, ["cat"], timeout_seconds=5)
    assert outcome.ok and outcome.output == "exit_code: 0"


def test_nul_bytes_are_refused(app: Praxis) -> None:
    outcome = run(app, ["echo", "a\x00b"])
    assert not outcome.ok and "NUL" in outcome.output


def test_invalid_arguments_never_raise(app: Praxis) -> None:
    for bad in ("ls -l", [], [1], None):
        outcome = run(app, bad)
        assert not outcome.ok and outcome.output.startswith("invalid arguments: ")
