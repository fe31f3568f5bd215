"""Regressions for defects found in review: a claimed request never wedges the queue, a resumed
tool run reports what happened, every session has its own journal entry, the safe shell list
cannot read files, reflect never appends through a symlink, a broken canary ledger is a clean
error, the loop guard forgets yesterday, and status still answers with a broken manifest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import PraxisRunner
from tests.fakes.anthropic import FakeAnthropic

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _db(runner: PraxisRunner) -> sqlite3.Connection:
    return sqlite3.connect(runner.data_dir / "praxis.db")


def _request_and_approve(runner: PraxisRunner, text: str = "- approved line") -> None:
    created = runner(
        "tools",
        "request",
        "--name",
        "praxis-data-write",
        "--summary",
        "note",
        "--write-path",
        "LEARNINGS.md",
        "--append-text",
        text,
    )
    assert created.returncode == 0, created.stderr
    assert runner("approve", "1").returncode == 0


def test_interrupted_claim_is_failed_not_wedged(initialized: PraxisRunner) -> None:
    _request_and_approve(initialized)
    with _db(initialized) as conn:
        conn.execute("UPDATE approval_requests SET execution_started_at = '2026-05-01T11:00:00Z'")
    result = initialized("run", "--once", env=DAY)
    assert result.lines()["outcome"] == "goal_selected"  # not stuck on the claimed request
    with _db(initialized) as conn:
        assert conn.execute("SELECT status FROM approval_requests").fetchone() == ("failed",)
    assert "- approved line" not in (initialized.data_dir / "LEARNINGS.md").read_text()


def test_resume_after_the_tool_ran_reports_it_executed(initialized: PraxisRunner) -> None:
    _request_and_approve(initialized)
    # A real process: PRAXIS_CRASH_AT kills it (-9).
    crashed = initialized.subprocess("run", "--once", env={**DAY, "PRAXIS_CRASH_AT": "act:mid"})
    assert crashed.returncode == -9
    resumed = initialized("run", "--once", env=DAY)
    assert resumed.lines()["resumed"] == "true"
    assert resumed.lines()["outcome"] == "tool_executed"
    assert (initialized.data_dir / "LEARNINGS.md").read_text().count("- approved line") == 1


def test_every_session_gets_its_own_journal_entry(initialized: PraxisRunner) -> None:
    for number in range(4):
        result = initialized("run", "--once", "--task", f"chore {number}", env=DAY)
        assert result.returncode == 0
    journal = (initialized.data_dir / "JOURNAL.md").read_text()
    assert [f"- Session: #{n}" in journal for n in range(1, 5)] == [True] * 4


def test_safe_shell_commands_cannot_read_outside_the_workspace(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET\n")
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text().replace('backend = "stub"', 'backend = "claude"'))
    fake_anthropic.tool_name = "shell"
    fake_anthropic.tool_arguments = {"argv": ["ls", f"-d{secret}"]}
    fake_anthropic.script("ok", "tool_call", "ok")
    initialized("run", "--once", "--task", "look", env={**fake_anthropic.env(), **DAY})
    assert "TOPSECRET" not in json.dumps([r.json for r in fake_anthropic.requests])
    with _db(initialized) as conn:
        assert conn.execute("SELECT status FROM approval_requests").fetchone() == ("failed",)


def test_reflect_never_appends_through_a_symlink(initialized: PraxisRunner, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("outside\n")
    journal = initialized.data_dir / "JOURNAL.md"
    journal.unlink()
    journal.symlink_to(outside)
    result = initialized("run", "--once", env=DAY)
    assert result.returncode == 1
    assert "symlink" in result.stderr and "Traceback" not in result.stderr
    assert outside.read_text() == "outside\n"


def test_broken_canary_ledger_is_a_clean_config_error(initialized: PraxisRunner) -> None:
    (initialized.data_dir / "model_canary.json").write_text('{"records": 5}')
    result = initialized("canary", "status")
    assert result.returncode == 2
    assert "model_canary.json" in result.stderr and "Traceback" not in result.stderr
    assert initialized("doctor").returncode == 1


def test_loop_guard_forgets_calls_from_earlier_days(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text().replace('backend = "stub"', 'backend = "claude"'))
    fake_anthropic.tool_name = "memory-search"
    fake_anthropic.tool_arguments = {"query": "plants"}
    outcomes = []
    for day in ("01", "02", "03"):
        fake_anthropic.script("ok", "tool_call", "ok")
        env = {**fake_anthropic.env(), "PRAXIS_FIXED_NOW": f"2026-05-{day}T12:00:00Z"}
        outcomes.append(
            initialized("run", "--once", "--task", "search", env=env).lines()["outcome"]
        )
    assert outcomes == ["task_selected"] * 3


def test_status_answers_with_a_broken_manifest(initialized: PraxisRunner) -> None:
    (initialized.data_dir / "tools" / "bad.toml").write_text("name = \n")
    result = initialized("status")
    assert result.returncode == 0, result.stderr
    assert result.lines()["registered_tools"].startswith("error")
    assert initialized("doctor").returncode == 1


def test_register_refuses_reserved_and_colliding_names(initialized: PraxisRunner) -> None:
    for name in ("praxis-data-write", "shell"):
        result = initialized(
            "tools", "register", "--name", name, "--description", "x", "--kind", "internal"
        )
        assert result.returncode == 2 and "reserved" in result.stderr
    assert (
        initialized(
            "tools", "register", "--name", "a-b", "--description", "x", "--kind", "internal"
        ).returncode
        == 0
    )
    clash = initialized(
        "tools", "register", "--name", "a/b", "--description", "y", "--kind", "internal"
    )
    assert clash.returncode == 2 and "would overwrite a-b" in clash.stderr


def test_resumed_act_does_not_repeat_tool_calls(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text().replace('backend = "stub"', 'backend = "claude"'))
    fake_anthropic.tool_name = "shell"
    fake_anthropic.tool_arguments = {"argv": ["echo", "hi"]}
    fake_anthropic.script("ok", "tool_call", "ok")
    env = {**fake_anthropic.env(), **DAY}
    crashed = initialized.subprocess(  # a real process: PRAXIS_CRASH_AT kills it (-9)
        "run", "--once", "--task", "echo", env={**env, "PRAXIS_CRASH_AT": "act:mid"}
    )
    assert crashed.returncode == -9
    requests_before = len(fake_anthropic.requests)
    resumed = initialized("run", "--once", env=env)
    assert resumed.lines()["resumed"] == "true"
    # The stored conversation already ends with the model's final reply: it is used as it is.
    assert resumed.lines()["summary"].startswith("Fake Claude reply to:")
    assert len(fake_anthropic.requests) == requests_before
    with _db(initialized) as conn:
        assert conn.execute("SELECT COUNT(*) FROM approval_requests").fetchone() == (1,)
        attempts = conn.execute("SELECT COUNT(*) FROM provider_attempts").fetchone()[0]
    assert attempts == 3  # decide + two act calls, all recorded although the phase died
