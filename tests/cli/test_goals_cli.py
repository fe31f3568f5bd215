"""`praxis goals`: run as an operator would, asserting lines, exit codes and GOALS.md bytes."""

from __future__ import annotations

import json

from tests.conftest import PraxisRunner

SEED_LINE = "- [ ] G-001: Complete the first Praxis foundation run"


def goals_file(runner: PraxisRunner) -> str:
    return (runner.data_dir / "GOALS.md").read_bytes().decode("utf-8")


def test_goals_lists_by_default(initialized: PraxisRunner) -> None:
    for args in (("goals",), ("goals", "list")):
        result = initialized(*args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["goals: open=1 done=0", SEED_LINE]


def test_goals_list_json(initialized: PraxisRunner) -> None:
    for args in (("goals", "--json"), ("goals", "list", "--json")):
        data = json.loads(initialized(*args).stdout)
        assert (data["open"], data["done"]) == (1, 0)
        assert data["goals"][0]["id"] == "G-001"
        assert data["goals"][0]["blocked_by"] == []


def test_next_on_a_fresh_install(initialized: PraxisRunner) -> None:
    result = initialized("goals", "next")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "next: G-001: Complete the first Praxis foundation run",
        "outcome: goal_selected",
        "reason: open, unblocked and awake; unblocks 0 goals",
        "skipped: none",
    ]


def test_add_done_reopen_and_next_explain(initialized: PraxisRunner) -> None:
    added = initialized("goals", "add", "Write", "the", "docs", "--blocked-by", "G-001")
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == ["goal: added", "id: G-002", "title: Write the docs"]
    child = initialized("goals", "add", "Outline", "--parent", "G-002", "--blocked-by", "G-404")
    assert child.returncode == 2
    assert child.stderr.startswith("error: unknown goal id G-404 in GOALS.md (from --blocked-by)")
    assert initialized("goals", "add", "Outline", "--parent", "G-002").returncode == 0

    result = initialized("goals", "next")
    assert result.stdout.splitlines() == [
        "next: G-001: Complete the first Praxis foundation run",
        "outcome: goal_selected",
        "reason: open, unblocked and awake; unblocks 1 goal; "
        "first of 2 ready goals (most goals unblocked, then file order)",
        "skipped:",
        "- G-003: ready, ranked after G-001 (unblocks 0)",
        "- G-002: parent of open goal G-003; blocked by G-001 (open)",
    ]

    done = initialized("goals", "done", "G-001")
    assert done.stdout.splitlines()[:2] == ["goal: done", "id: G-001"]
    again = initialized("goals", "done", "G-001")
    assert again.returncode == 1
    assert again.stderr.splitlines()[0] == "error: goal G-001 is already done"
    assert again.stderr.splitlines()[1].startswith("hint: ")

    assert goals_file(initialized) == (
        "# Goals\n\n"
        "- [x] G-001: Complete the first Praxis foundation run\n"
        "- [ ] G-002: Write the docs\n  blocked_by: G-001\n"
        "- [ ] G-003: Outline\n  parent: G-002\n"
    )
    listed = initialized("goals").stdout.splitlines()
    assert listed[0] == "goals: open=2 done=1"

    reopened = initialized("goals", "reopen", "G-001")
    assert reopened.stdout.splitlines()[:2] == ["goal: reopened", "id: G-001"]
    assert SEED_LINE in goals_file(initialized)


def test_add_existing_title_is_reused(initialized: PraxisRunner) -> None:
    before = goals_file(initialized)
    result = initialized("goals", "add", "Complete the first Praxis foundation run", "--json")
    assert json.loads(result.stdout)["goal"] == "exists"
    assert json.loads(result.stdout)["id"] == "G-001"
    assert goals_file(initialized) == before


def test_next_waiting_and_complete(initialized: PraxisRunner) -> None:
    path = initialized.data_dir / "GOALS.md"
    path.write_text(
        "# Goals\n- [ ] G-001: a\n  blocked_by: G-9\n- [ ] G-002: b\n  wake_when: env:PRAXIS_GO\n"
        "- [ ] G-003: c\n  parent: G-404\n  wake_when: after:2030-01-01T00:00:00Z\n",
        encoding="utf-8",
    )
    env = {"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"}
    result = initialized("goals", "next", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "next: none",
        "outcome: waiting_on_dependencies",
        "reason: 3 open goals are waiting on dependencies or triggers.",
        "skipped:",
        "- G-001: blocked by G-9 (unknown id)",
        "- G-002: waiting for env:PRAXIS_GO",
        "- G-003: waiting for after:2030-01-01T00:00:00Z",
        "warnings:",
        "- G-003: parent G-404 is not a goal in GOALS.md",
    ]
    woke = initialized("goals", "next", "--json", env={**env, "PRAXIS_GO": "1"})
    data = json.loads(woke.stdout)
    assert data["next"]["id"] == "G-002"
    assert data["outcome"] == "goal_selected"
    assert [s["id"] for s in data["skipped"]] == ["G-001", "G-003"]

    path.write_text("# Goals\n- [x] G-001: a\n", encoding="utf-8")
    done = initialized("goals", "next")
    assert done.stdout.splitlines()[:3] == [
        "next: none",
        "outcome: stop_condition_met",
        "reason: All current goals are complete. Stop condition reached.",
    ]


def test_malformed_goals_file_exits_2_with_line(initialized: PraxisRunner) -> None:
    path = initialized.data_dir / "GOALS.md"
    path.write_text("# Goals\n\n\n- [ ] G-001 no colon\n", encoding="utf-8")
    for args in (("goals",), ("goals", "next"), ("goals", "done", "G-001"), ("goals", "add", "x")):
        result = initialized(*args)
        assert result.returncode == 2, args
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[0] == (
            f"error: {path} line 4: invalid goal syntax on line 4, expected G-001: title"
        )
        assert lines[1].startswith("hint: ")
    assert path.read_text(encoding="utf-8") == "# Goals\n\n\n- [ ] G-001 no colon\n"


def test_unknown_id_exits_2(initialized: PraxisRunner) -> None:
    result = initialized("goals", "done", "G-404")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: unknown goal id G-404 in GOALS.md"


def test_goals_needs_an_initialized_dir(praxis: PraxisRunner) -> None:
    result = praxis("goals")
    assert result.returncode == 1
    assert "not initialized" in result.stderr
    assert "hint: " in result.stderr
