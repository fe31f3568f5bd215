"""Issue 10 (session side): a killed tool call is never run again without the operator; another
--task never mixes into an unfinished session; a malformed GOALS.md changes nothing."""

from __future__ import annotations

import os

import pytest

from tests.conftest import InProcessRunner, PraxisRunner, use_backend
from tests.fakes.openai import FakeOpenAI
from tests.records import rows

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def test_a_call_killed_while_it_ran_needs_the_operator_to_run_again(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(initialized.data_dir, "openai")
    (initialized.data_dir / "workspace").mkdir(exist_ok=True)
    ls = ("shell", {"argv": ["ls"]})  # a safe command: normally it runs without approval
    fake_openai.calls.extend([ls, ls])
    fake_openai.script("ok", "tool_call")
    env = {**fake_openai.env(), **DAY}
    crashed = initialized.subprocess(  # a real process: PRAXIS_CRASH_AT kills it (-9)
        "run", "--once", "--task", "list", env={**env, "PRAXIS_CRASH_AT": "tool:claimed"}
    )
    assert crashed.returncode == -9
    fake_openai.script("tool_call")  # told it was interrupted, the model asks again
    resumed = initialized("run", "--once", env=env)
    assert resumed.lines()["outcome"] == "awaiting_approval", resumed.stdout + resumed.stderr
    told = [m["content"] for m in fake_openai.requests[2].json["messages"] if m["role"] == "tool"]
    assert len(told) == 1 and "may have partly run" in told[0]
    assert rows(initialized.data_dir, "SELECT status, status_note FROM approval_requests") == [
        ("failed", "interrupted"),
        ("pending", None),
    ]


def test_another_task_is_not_mixed_into_an_unfinished_session(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    (cli.data_dir / "workspace").mkdir(exist_ok=True)
    (cli.data_dir / "workspace" / "a.txt").write_text("A\n")
    fake_openai.calls.append(("shell", {"argv": ["cat", "a.txt"]}))
    fake_openai.script("ok", "tool_call")
    env = {**fake_openai.env(), **DAY}
    parked = cli("run", "--once", "--task", "task A", env=env)
    assert parked.lines()["outcome"] == "awaiting_approval"
    state_before = (cli.data_dir / "session_state.json").read_text()
    refused = cli("run", "--once", "--task", "task B", env=env)
    assert refused.returncode == 1
    assert "unfinished" in refused.stderr and "--force" in refused.stderr
    assert (cli.data_dir / "session_state.json").read_text() == state_before
    assert len(fake_openai.requests) == 2
    # The same task continues it; --force with another task abandons it.
    same = cli("run", "--once", "--task", "task A", env=env)
    assert same.lines()["outcome"] == "awaiting_approval"
    fake_openai.text = "B is done."
    forced = cli("run", "--once", "--force", "--task", "task B", env=env)
    assert forced.lines()["outcome"] == "task_selected", forced.stdout + forced.stderr
    assert forced.lines()["task"] == "task B"
    assert forced.lines()["resumed"] == "false"
    assert "task A" not in str(fake_openai.requests[-1].json)
    assert rows(cli.data_dir, "SELECT status FROM approval_requests") == [("rejected",)]


def test_malformed_goals_change_nothing(cli: InProcessRunner) -> None:
    goals = cli.data_dir / "GOALS.md"
    goals.write_text(goals.read_text() + "- [ ] G-001: a duplicate id\n")
    before = {
        p.name: p.read_bytes()
        for p in cli.data_dir.iterdir()
        if p.is_file() and p.name not in ("praxis.db-wal", "praxis.db-shm")
    }
    result = cli("run", "--once", env=DAY)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "GOALS.md" in result.stderr
    after = {
        p.name: p.read_bytes()
        for p in cli.data_dir.iterdir()
        if p.is_file() and p.name not in ("praxis.db-wal", "praxis.db-shm")
    }
    assert after.keys() == before.keys()
    assert {k for k in before if before[k] != after[k]} <= {"praxis.db"}
    assert rows(cli.data_dir, "SELECT COUNT(*) FROM session_snapshots") == [(0,)]


def test_overlong_task_is_refused(cli: InProcessRunner) -> None:
    result = cli("run", "--once", "--task", "x" * 5000, env=DAY)
    assert result.returncode == 2
    assert "at most 2,000" in result.stderr


@pytest.mark.timeout(20)  # a read that blocked on the FIFO would hang here
def test_status_answers_with_a_fifo_in_place_of_the_state_file(initialized: PraxisRunner) -> None:
    state = initialized.data_dir / "session_state.json"
    state.unlink(missing_ok=True)
    os.mkfifo(state)
    result = initialized("status")
    assert result.returncode == 0, result.stderr
    assert "last_outcome: state_file_unreadable" in result.stdout
