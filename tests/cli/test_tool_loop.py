"""The act phase's tool loop end to end: the installed `praxis` against the fake Anthropic server
scripted to call tools — results go back to the model, approvals end the session, approved calls
run once later, repeats are stopped by the loop guard, MCP tools go through the same path."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import PraxisRunner, use_backend
from tests.fakes.anthropic import FakeAnthropic
from tests.records import rows

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _claude_calls(
    runner: PraxisRunner,
    fake: FakeAnthropic,
    modes: tuple[str, ...],
    tool: str,
    **arguments: object,
) -> None:
    """Point the data dir at the fake Claude, scripted with `modes`: each "tool_call" reply calls
    `tool` with `arguments`."""
    use_backend(runner.data_dir, "claude")
    fake.tool_name = tool
    fake.tool_arguments = arguments
    fake.script(*modes)


def _tool_results(body: dict[str, object]) -> list[str]:
    found = []
    for message in body["messages"]:  # type: ignore[union-attr]
        content = message.get("content")  # type: ignore[union-attr]
        if isinstance(content, list):
            found += [
                str(block.get("content")) for block in content if block.get("type") == "tool_result"
            ]
    return found


def test_allowed_tool_runs_and_its_result_reaches_the_model(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    # decide, act → tool call, act → final note
    modes = ("ok", "tool_call", "ok")
    _claude_calls(
        initialized,
        fake_anthropic,
        modes,
        "memory-write",
        text="The ficus needs water on Mondays.",
        tags=["plants"],
    )
    fake_anthropic.text = "Noted the watering schedule."
    result = initialized(
        "run", "--once", "--task", "remember the ficus", env={**fake_anthropic.env(), **DAY}
    )
    assert result.returncode == 0, result.stderr
    assert result.lines()["outcome"] == "task_selected"
    act_requests = [r.json for r in fake_anthropic.requests[1:]]
    offered = {tool["name"] for tool in act_requests[0]["tools"]}
    assert {
        "praxis-data-write",
        "file-read",
        "memory-search",
        "memory-write",
        "goal-complete",
        "shell",
    } <= offered
    results = _tool_results(act_requests[1])
    assert any(text.startswith("Saved memory #") for text in results), results
    assert rows(
        initialized.data_dir, "SELECT tool_name, status, requested_by FROM approval_requests"
    ) == [("memory-write", "executed", "model")]
    assert "agent:tool_call" in (initialized.data_dir / "events.jsonl").read_text()
    assert "### praxis-data-write" in (initialized.data_dir / "CAPABILITIES.md").read_text()


def test_approval_needed_parks_the_session_and_runs_once_after_approval(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _claude_calls(
        initialized,
        fake_anthropic,
        ("ok", "tool_call"),
        "praxis-data-write",
        write_paths=["JOURNAL.md"],
        append_text="- Model wants this noted.",
    )
    env = {**fake_anthropic.env(), **DAY}
    first = initialized("run", "--once", "--task", "note it", env=env)
    assert first.returncode == 0, first.stderr
    assert first.lines()["outcome"] == "awaiting_approval"
    assert "#1 pending praxis-data-write paths=JOURNAL.md" in initialized("queue").stdout
    assert "Model wants this noted" not in (initialized.data_dir / "JOURNAL.md").read_text()
    assert initialized("approve", "1").returncode == 0
    second = initialized("run", "--once", env=env)
    assert second.lines()["outcome"] == "task_selected", second.stdout
    assert second.lines()["resumed"] == "true"
    assert "appended to 1 of 1 file(s)" in _tool_results(fake_anthropic.requests[-1].json)
    journal = (initialized.data_dir / "JOURNAL.md").read_text()
    assert journal.count("- Model wants this noted.") == 1
    third = initialized("run", "--once", "--task", "anything else", env=env)
    assert third.lines()["outcome"] == "task_selected"
    assert (initialized.data_dir / "JOURNAL.md").read_text().count("- Model wants this noted.") == 1
    assert initialized("approve", "1").returncode == 1


def test_repeating_call_is_stopped_by_the_loop_guard(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    modes = ("ok", "tool_call", "tool_call", "tool_call", "ok")
    _claude_calls(initialized, fake_anthropic, modes, "memory-search", query="plants")
    result = initialized("run", "--once", "--task", "search", env={**fake_anthropic.env(), **DAY})
    assert result.returncode == 0, result.stderr
    assert result.lines()["outcome"] == "blocked_loop_guard"
    assert (
        "Loop guard blocked tool memory-search after 3 consecutive identical requests."
        in result.lines()["summary"]
    )
    statuses = [
        r[0] for r in rows(initialized.data_dir, "SELECT status FROM approval_requests ORDER BY id")
    ]
    assert statuses == ["executed", "executed", "blocked"]


def test_shell_outside_the_allow_list_is_refused(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    modes = ("ok", "tool_call", "ok")
    _claude_calls(initialized, fake_anthropic, modes, "shell", argv=["rm", "-rf", "notes"])
    result = initialized("run", "--once", "--task", "clean", env={**fake_anthropic.env(), **DAY})
    assert result.lines()["outcome"] == "task_selected"
    assert any("not allowed" in text for text in _tool_results(fake_anthropic.requests[2].json))
    assert rows(initialized.data_dir, "SELECT status FROM approval_requests") == [("failed",)]


def test_mcp_tool_listed_and_called_through_approval(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    pytest.importorskip("mcp_server_time")
    command = f"{sys.executable} -m mcp_server_time --local-timezone UTC"
    registered = initialized(
        "tools",
        "register",
        "--name",
        "time",
        "--kind",
        "mcp",
        "--description",
        "Time zone tools",
        "--level",
        "2",
        "--command",
        command,
    )
    assert registered.returncode == 0, registered.stderr
    assert "time [mcp] level=2 approval=true" in initialized("tools", "list").stdout
    _claude_calls(
        initialized,
        fake_anthropic,
        ("ok", "tool_call"),
        "time__convert_time",
        source_timezone="UTC",
        time="12:00",
        target_timezone="Asia/Tokyo",
    )
    env = {**fake_anthropic.env(), **DAY}
    first = initialized("run", "--once", "--task", "what time in Tokyo", env=env)
    assert first.lines()["outcome"] == "awaiting_approval", first.stdout + first.stderr
    offered = {tool["name"] for tool in fake_anthropic.requests[1].json["tools"]}
    assert "time__convert_time" in offered
    assert "#1 pending time.convert_time" in initialized("queue").stdout
    initialized("approve", "1")
    second = initialized("run", "--once", env=env)
    assert second.lines()["outcome"] == "task_selected", second.stdout + second.stderr
    assert any("Tokyo" in text for text in _tool_results(fake_anthropic.requests[-1].json))
    row = rows(
        initialized.data_dir, "SELECT status, result_summary FROM approval_requests WHERE id = 1"
    )
    assert row == [("executed", "time.convert_time ok")]
