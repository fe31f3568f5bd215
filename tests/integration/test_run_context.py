"""What the loop asks of a provider is what it declares (`metered`, `supports_tools`), never its
name; a session state of an older shape resumes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.ask.service import ask
from praxis.errors import BudgetExceeded
from praxis.loop.session import run_once
from praxis.loop.tool_loop import NO_TOOLS_NOTE
from praxis.providers.base import Reply
from praxis.providers.router import Router
from praxis.providers.stub import StubProvider
from tests.conftest import InProcessRunner
from tests.providers import StubLike

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


@pytest.fixture
def app(app: Praxis) -> Praxis:
    budgets = app.data_dir.budgets_toml
    # A daily cap smaller than one call's worst case: only a metered provider is held to it.
    budgets.write_text(budgets.read_text().replace("max_tokens = 1000000", "max_tokens = 50", 1))
    return app


def test_only_a_metered_provider_is_held_to_the_period_limits(app: Praxis) -> None:
    free = StubLike(metered=False)
    assert run_once(app, force=True, provider=free).outcome == "goal_selected"
    assert free.calls == 2
    metered = StubLike(metered=True)
    blocked = run_once(app, force=True, task="tidy notes", provider=metered)
    assert blocked.outcome == "budget_exhausted"
    assert blocked.summary.startswith("daily budget blocked:")
    assert metered.calls == 0


def test_the_no_tools_note_is_for_metered_models_only(app: Praxis) -> None:
    budgets = app.data_dir.budgets_toml
    budgets.write_text(budgets.read_text().replace("max_tokens = 50", "max_tokens = 1000000", 1))
    quiet = run_once(app, force=True, task="one", provider=StubLike(metered=False))
    assert NO_TOOLS_NOTE not in quiet.summary
    noted = run_once(app, force=True, task="two", provider=StubLike(metered=True))
    assert f"({NO_TOOLS_NOTE})" in noted.summary


def test_ask_meters_by_declaration(app: Praxis) -> None:
    def asked(metered: bool) -> Reply:
        return ask(app.config, app.data_dir, ["hi"], [], "reject", StubLike(metered)).reply

    assert asked(False).text  # offline path: the ask budget only, the database untouched
    assert not app.database_file.with_name("praxis.db-wal").exists()
    with pytest.raises(BudgetExceeded, match="daily budget blocked"):
        asked(True)


def test_stub_routes_and_routers_declare_what_they_are() -> None:
    assert StubProvider.metered is False
    assert Router([]).metered is True
    from praxis.providers.route import RouteProvider

    assert RouteProvider.metered is True


def test_an_unfinished_state_of_the_rust_original_resumes(cli: InProcessRunner) -> None:
    """Its attempts name the cost `estimated_cost_micros` and have no ledger row: they count
    against the run limit and reach the ledger when the session ends."""
    state = cli.data_dir / "session_state.json"
    state.write_text(
        json.dumps(
            {
                "current_phase": "Decide",
                "started_at": "2026-05-01T11:00:00Z",
                "updated_at": "2026-05-01T11:01:00Z",
                "completed_at": None,
                "selected_goal_id": None,
                "selected_goal_title": None,
                "requested_task": None,
                "orientation_summary": "Loaded.",
                "action_summary": None,
                "last_outcome": None,
                "resume_count": 0,
                "tool_invocation_hashes": [],
                "provider_attempts": [
                    {
                        "phase": "decide",
                        "provider": "claude",
                        "model": "claude-x",
                        "success": False,
                        "input_tokens": 0,
                        "output_tokens": 0,
                        "estimated_cost_micros": 0,
                        "error": "timeout",
                    }
                ],
                "file_reads": [],
                "repeated_reads_avoided": 0,
                "context_sources": [],
            },
            indent=2,
        )
    )
    run = cli("run", "--once", env=DAY)
    assert run.returncode == 0, run.stderr
    assert run.lines()["resumed"] == "true"
    assert run.lines()["outcome"] == "goal_selected"
    with sqlite3.connect(cli.data_dir / "praxis.db") as conn:
        rows = conn.execute(
            "SELECT provider, success, error, session_id FROM provider_attempts ORDER BY id"
        ).fetchall()
    assert ("claude", 0, "timeout", 1) in rows
    assert json.loads(state.read_text())["provider_attempts"][0]["cost_micros"] == 0


def test_conversations_of_old_sessions_are_dropped_at_the_snapshot_horizon(tmp_path: Path) -> None:
    from praxis.loop.conversation_store import Conversation, forget_old, load
    from praxis.providers.base import Message
    from praxis.storage.db import open_database

    conn = open_database(tmp_path / "praxis.db", "2026-05-01T12:00:00Z")
    for number in range(1, 8):
        key = f"run-{number}"
        conn.execute(
            "INSERT INTO sessions(run_key, day, session_num, started_at, ended_at, outcome) "
            "VALUES (?, 1, ?, 't', 't', 'task_selected')",
            (key, number),
        )
        Conversation(conn, key).add(Message("user", f"hello {number}"))
    assert forget_old(conn, keep_sessions=3) == 4  # sessions 1..4 are past the horizon
    assert [len(load(conn, f"run-{n}")) for n in range(1, 8)] == [0, 0, 0, 0, 1, 1, 1]
    conn.close()
