"""Check commands: `sh -c` in the data dir, no secrets, a timeout that kills the whole group."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from praxis import env
from praxis.quality.commands import (
    OUTPUT_LIMIT_BYTES,
    CheckOutcome,
    child_environment,
    failure_finding,
    run_check,
)
from tests.procs import gone_within


def test_passing_command(tmp_path: Path) -> None:
    outcome = run_check("echo hello", tmp_path)
    assert outcome.ok and outcome.exit_code == 0 and not outcome.timed_out
    assert outcome.output_tail == "hello\n"
    assert outcome.duration_ms >= 0


def test_failing_command_keeps_exit_code_and_stderr(tmp_path: Path) -> None:
    outcome = run_check("echo first; echo broken >&2; exit 3", tmp_path)
    assert not outcome.ok
    assert outcome.exit_code == 3
    assert "first" in outcome.output_tail and "broken" in outcome.output_tail


def test_cwd_is_the_given_dir(tmp_path: Path) -> None:
    (tmp_path / "marker.txt").write_text("x")
    assert run_check("test -f marker.txt", tmp_path).ok
    assert run_check("pwd", tmp_path).output_tail.strip() == str(tmp_path.resolve())


def test_stdin_is_closed(tmp_path: Path) -> None:
    outcome = run_check("cat; echo done", tmp_path, timeout_seconds=5)
    assert outcome.ok and outcome.output_tail == "done\n"


def test_not_a_login_shell(tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / ".profile").write_text("export PROFILE_LOADED=yes\n")
    outcome = run_check('echo "[${PROFILE_LOADED}]"; echo "$0"', tmp_path)
    lines = outcome.output_tail.splitlines()
    assert lines[0] == "[]"
    assert not lines[1].startswith("-")


def test_timeout_kills_the_shell_and_background_children(tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = run_check("sleep 5 & echo $! > child.pid; sleep 5", tmp_path, timeout_seconds=0.5)
    assert time.monotonic() - started < 3
    assert outcome.timed_out and not outcome.ok and outcome.exit_code is None
    child = int((tmp_path / "child.pid").read_text())
    assert gone_within(child, 2)


def test_background_child_does_not_outlive_a_finished_check(tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = run_check("sleep 30 & echo $! > child.pid; echo started", tmp_path, 10)
    assert outcome.ok and outcome.output_tail == "started\n"
    assert time.monotonic() - started < 3
    assert gone_within(int((tmp_path / "child.pid").read_text()), 2)


def test_output_is_capped_to_the_tail(tmp_path: Path) -> None:
    outcome = run_check("i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done", tmp_path)
    assert outcome.ok
    assert len(outcome.output_tail.encode()) <= OUTPUT_LIMIT_BYTES
    assert outcome.output_tail.endswith("line1999\n")


def test_provider_keys_and_tokens_are_not_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-parentsecretvalue1234")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-anothersecret5678")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_tokenvalue_abcdef")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "awssecretvalue")
    monkeypatch.setenv("PRAXIS_TELEGRAM_ALLOWED_CHAT_IDS", "424242")
    monkeypatch.setenv("INNOCENT_LOOKING", "sk-hiddenintheValue99")
    monkeypatch.setenv("PRAXIS_CHECK_VISIBLE", "plain-value")
    output = run_check("env", tmp_path).output_tail
    for hidden in (
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "GITHUB_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "PRAXIS_TELEGRAM_ALLOWED_CHAT_IDS",
        "INNOCENT_LOOKING",
        "parentsecretvalue",
        "hiddenintheValue",
    ):
        assert hidden not in output
    assert "PRAXIS_CHECK_VISIBLE=plain-value" in output
    assert "PATH=" in output


def test_secrets_in_output_are_redacted(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=dotenvonlysecret42\n")
    env.load_dotenv(tmp_path / ".env")
    outcome = run_check("cat .env; echo sk-ant-literalkeyvalue123", tmp_path)
    assert "dotenvonlysecret42" not in outcome.output_tail
    assert "literalkeyvalue123" not in outcome.output_tail
    assert "[REDACTED]" in outcome.output_tail


def test_child_environment_reports_dropped_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-droppedvalue12345")
    kept, dropped = child_environment()
    assert "OPENAI_API_KEY" not in kept
    assert "sk-droppedvalue12345" in dropped


def test_failure_finding_formats() -> None:
    failed = CheckOutcome(False, 1, "noise\nlast line here\n\n  \n", False, 3)
    assert failure_finding("test -f X", failed, 60) == "`test -f X` failed: last line here"
    silent = CheckOutcome(False, 1, "", False, 3)
    assert failure_finding("false", silent, 60) == "`false` failed: command exited without output"
    long = CheckOutcome(False, 1, "y" * 500, False, 3)
    assert failure_finding("c", long, 60) == "`c` failed: " + "y" * 200
    timed = CheckOutcome(False, None, "", True, 500)
    assert failure_finding("sleep 9", timed, 60) == "`sleep 9` timed out after 60s"
    assert failure_finding("sleep 9", timed, 0.5) == "`sleep 9` timed out after 0.5s"
