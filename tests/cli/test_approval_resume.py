"""The operator in the loop (issue 9): an approval pauses the model's work, the operator's decision
resumes it with the tool's real result, and outcomes say what really happened.

A fake OpenAI server (Chat Completions over real sockets) is scripted to call tools; most tests run
the CLI in-process, the kill -9 ones run the installed command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import InProcessRunner, PraxisRunner, use_backend
from tests.fakes.openai import FakeOpenAI
from tests.records import rows

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
NOTES = "Buy oat milk.\nCall the plumber on Friday.\n"


def _goal_with_notes(
    cli: InProcessRunner, fake: FakeOpenAI, criteria: bool = True
) -> dict[str, str]:
    """G-001 done, G-002 'Summarize the notes' open, workspace/notes.txt present, the backend
    the fake OpenAI; the environment to run with."""
    assert cli("goals", "done", "G-001").returncode == 0
    assert cli("goals", "add", "Summarize the notes").returncode == 0
    workspace = cli.data_dir / "workspace"
    workspace.mkdir(exist_ok=True)
    (workspace / "notes.txt").write_text(NOTES)
    if criteria:
        (cli.data_dir / "goals" / "criteria" / "G-002.json").write_text(
            json.dumps(
                {
                    "goal_id": "G-002",
                    "done_when": ["the notes exist"],
                    "verify_with": "shell",
                    "commands": ["test -f workspace/notes.txt"],
                }
            )
        )
    use_backend(cli.data_dir, "openai")
    return {**fake.env(), **DAY}


def _tool_messages(body: dict[str, Any]) -> list[str]:
    return [str(m["content"]) for m in body["messages"] if m.get("role") == "tool"]


def _goals(data_dir: Path) -> str:
    return (data_dir / "GOALS.md").read_text()


def _cat_then_complete(fake: FakeOpenAI) -> None:
    fake.calls.extend(
        [
            ("shell", {"argv": ["cat", "notes.txt"]}),
            ("goal-complete", {"goal_id": "G-002", "evidence": "Read notes.txt: 2 items."}),
        ]
    )


def test_approve_resumes_the_conversation_with_the_real_output(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    env = _goal_with_notes(cli, fake_openai)
    _cat_then_complete(fake_openai)
    # decide, act → shell (needs approval): the session parks
    fake_openai.script("ok", "tool_call")
    first = cli("run", "--once", env=env)
    assert first.returncode == 0, first.stderr
    assert first.lines()["outcome"] == "awaiting_approval"
    assert first.lines()["phase"] == "act"
    assert "praxis approve 1" in first.lines()["summary"]
    queue = cli("queue").stdout
    assert "#1 pending shell" in queue and "argv=cat notes.txt" in queue
    assert cli("status").lines()["phase"] == "act"
    assert "Summarize the notes" not in (cli.data_dir / "JOURNAL.md").read_text()
    # Still waiting: the next run makes no model call and stays parked.
    waiting = cli("run", "--once", env=env)
    assert waiting.lines()["outcome"] == "awaiting_approval"
    assert len(fake_openai.requests) == 2

    assert cli("approve", "1").returncode == 0
    fake_openai.script("tool_call", "ok")  # → goal-complete, then the final note
    fake_openai.text = "Summarized the notes: oat milk and the plumber."
    second = cli("run", "--once", env=env)
    assert second.returncode == 0, second.stderr
    lines = second.lines()
    assert lines["outcome"] == "goal_selected", second.stdout
    assert lines["resumed"] == "true"
    assert lines["goal"] == "G-002: Summarize the notes"
    resumed = fake_openai.requests[2].json
    assert NOTES.strip() in _tool_messages(resumed)[0]
    assert "- [x] G-002: Summarize the notes" in _goals(cli.data_dir)
    assert rows(cli.data_dir, "SELECT id, tool_name, status FROM approval_requests") == [
        (1, "shell", "executed"),
        (2, "goal-complete", "executed"),
    ]
    shown = cli("queue", "show", "1").stdout
    assert "Call the plumber on Friday." in shown
    journal = (cli.data_dir / "JOURNAL.md").read_text()
    assert journal.count("- Goal: G-002: Summarize the notes") == 1
    assert "- Completed: G-002: Summarize the notes" in journal
    # forensics shows the stored conversation, tool output included.
    messages = cli("forensics", "latest", "--messages").stdout
    assert "-> call shell" in messages and "Buy oat milk." in messages


def test_reject_resumes_the_conversation_with_the_rejection(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    env = _goal_with_notes(cli, fake_openai, criteria=False)
    fake_openai.calls.append(("shell", {"argv": ["cat", "notes.txt"]}))
    fake_openai.script("ok", "tool_call")
    assert cli("run", "--once", env=env).lines()["outcome"] == "awaiting_approval"
    rejected = cli("reject", "1", "--reason", "not now")
    assert rejected.returncode == 0, rejected.stderr
    fake_openai.text = "Understood; I will not read the notes."
    result = cli("run", "--once", env=env)
    assert result.lines()["outcome"] == "goal_selected", result.stdout
    told = _tool_messages(fake_openai.requests[2].json)
    assert len(told) == 1 and "rejected" in told[0] and "not now" in told[0]
    assert "Call the plumber" not in json.dumps(fake_openai.requests[2].json)
    assert rows(cli.data_dir, "SELECT status FROM approval_requests") == [("rejected",)]
    # No criteria file: the goal stays open and the session says how to close it.
    assert "- [ ] G-002" in _goals(cli.data_dir)
    assert "praxis goals done G-002" in result.lines()["summary"]


def test_operator_approved_runs_are_never_blocked_but_a_looping_model_is(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    env = _goal_with_notes(cli, fake_openai, criteria=False)
    cat = ("shell", {"argv": ["cat", "notes.txt"]})
    fake_openai.calls.extend([cat, cat, cat])
    fake_openai.script("ok", "tool_call")
    assert cli("run", "--once", env=env).lines()["outcome"] == "awaiting_approval"
    cli("approve", "1")
    fake_openai.script("tool_call")  # the model asks for the same call again
    assert cli("run", "--once", env=env).lines()["outcome"] == "awaiting_approval"
    cli("approve", "2")
    fake_openai.script("tool_call", "ok")  # and a third time: the model is looping
    result = cli("run", "--once", env=env)
    assert result.lines()["outcome"] == "blocked_loop_guard", result.stdout
    assert rows(cli.data_dir, "SELECT status FROM approval_requests ORDER BY id") == [
        ("executed",),
        ("executed",),
        ("blocked",),
    ]
    reset = cli("tools", "guard", "reset", "--tool", "shell")
    assert reset.returncode == 0 and reset.lines()["cleared"] == "3"
    assert "tools:guard_reset" in (cli.data_dir / "events.jsonl").read_text()


def test_truncated_reply_and_quoted_goal_complete_are_not_success(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    env = _goal_with_notes(cli, fake_openai, criteria=False)
    fake_openai.text = "I started listing the notes and then"
    fake_openai.script("ok", "length")
    cut = cli("run", "--once", env=env)
    assert cut.lines()["outcome"] == "truncated_reply"
    assert "I started listing" not in cut.lines()["summary"]
    assert "cut at the output limit" in cut.lines()["summary"]
    fake_openai.text = 'As the prompt says: GOAL COMPLETE. "GOAL COMPLETE"'
    quoted = cli("run", "--once", env=env)
    assert quoted.lines()["outcome"] == "goal_selected"
    assert "- [ ] G-002" in _goals(cli.data_dir)
    assert "Reviewer skipped G-002: it has no criteria file" in quoted.lines()["summary"]
    assert "Reviewer passed" not in quoted.lines()["summary"]
    system = fake_openai.requests[-1].json["messages"][0]["content"]
    assert "GOAL COMPLETE" not in system


def test_approved_internal_maintenance_runs_the_no_adapter_execution(
    cli: InProcessRunner,
) -> None:
    request = cli("tools", "request", "--name", "internal-maintenance", "--summary", "tidy up")
    assert request.returncode == 0, request.stderr
    if request.lines()["request"] == "pending":
        assert cli("approve", "1").returncode == 0
    result = cli("run", "--once", env=DAY)
    assert result.lines()["outcome"] == "tool_executed", result.stdout
    assert "Internal maintenance completed without external side effects." in result.stdout
    assert "missing" not in result.stdout


def test_session_waiting_too_long_expires(cli: InProcessRunner, fake_openai: FakeOpenAI) -> None:
    env = _goal_with_notes(cli, fake_openai, criteria=False)
    fake_openai.calls.append(("shell", {"argv": ["cat", "notes.txt"]}))
    fake_openai.script("ok", "tool_call")
    assert cli("run", "--once", env=env).lines()["outcome"] == "awaiting_approval"
    later = {**fake_openai.env(), "PRAXIS_FIXED_NOW": "2026-05-04T12:00:00Z"}
    result = cli("run", "--once", env=later)
    assert result.lines()["outcome"] == "approval_expired", result.stdout
    assert result.lines()["phase"] == "sleep"
    assert len(fake_openai.requests) == 2
    assert rows(cli.data_dir, "SELECT status FROM approval_requests") == [("rejected",)]
    assert "- Outcome: approval_expired" in (cli.data_dir / "JOURNAL.md").read_text()
    # The next run starts a fresh session for the same goal.
    fresh = cli("run", "--once", env=later)
    assert fresh.lines()["resumed"] == "false"


def _crash_during_memory_write(
    runner: PraxisRunner, fake: FakeOpenAI, crash_at: str
) -> dict[str, str]:
    """A task session whose model calls memory-write, killed (-9) at `crash_at`; the env to
    resume with."""
    use_backend(runner.data_dir, "openai")
    fake.calls.append(("memory-write", {"text": "The ficus needs water on Mondays."}))
    fake.script("ok", "tool_call")
    env = {**fake.env(), **DAY}
    crashed = runner.subprocess(  # a real process: PRAXIS_CRASH_AT kills it (-9)
        "run", "--once", "--task", "remember the ficus", env={**env, "PRAXIS_CRASH_AT": crash_at}
    )
    assert crashed.returncode == -9, crashed.stderr
    assert len(fake.requests) == 2
    return env


def test_kill_after_a_tool_result_continues_without_repeating_it(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    env = _crash_during_memory_write(initialized, fake_openai, "act:after_tool_result")
    fake_openai.text = "Noted the watering schedule."
    resumed = initialized("run", "--once", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.lines()["outcome"] == "task_selected"
    assert resumed.lines()["resumed"] == "true"
    assert resumed.lines()["summary"].startswith("Noted the watering schedule.")
    assert len(fake_openai.requests) == 3  # one more model call, no call made twice
    assert any("Saved memory #" in t for t in _tool_messages(fake_openai.requests[2].json))
    assert rows(initialized.data_dir, "SELECT tool_name, status FROM approval_requests") == [
        ("memory-write", "executed")
    ]
    journal = (initialized.data_dir / "JOURNAL.md").read_text()
    assert journal.count("- Task: remember the ficus") == 1


def test_kill_after_the_model_asked_runs_the_call_once(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    env = _crash_during_memory_write(initialized, fake_openai, "act:after_model_reply")
    resumed = initialized("run", "--once", env=env)
    assert resumed.lines()["outcome"] == "task_selected", resumed.stdout
    assert len(fake_openai.requests) == 3
    assert rows(initialized.data_dir, "SELECT status FROM approval_requests") == [("executed",)]
