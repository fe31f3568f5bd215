"""The budgeted context is what the model receives in decide and act (SPEC §4 "Context is the
prompt"), within budget, and forensics record the hash and size of what was sent."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from praxis.app import Praxis
from praxis.loop.session import run_once
from tests.providers import StubLike


@pytest.fixture
def app(app: Praxis) -> Praxis:
    identity = app.data_dir.identity_md
    identity.write_text(
        identity.read_text().replace(
            "- No hard limits recorded yet.",
            "- Never email the landlord without asking (marker-7731).",
        )
    )
    return app


def test_decide_and_act_receive_the_context(app: Praxis) -> None:
    provider = StubLike()
    result = run_once(app, force=True, provider=provider)
    assert result.outcome == "goal_selected"
    phases = [r.phase for r in provider.requests]
    assert phases == ["decide", "act"]
    for request in provider.requests:
        assert "## identity" in request.context
        assert "marker-7731" in request.context
        assert (
            "## active_goals\n- G-001: Complete the first Praxis foundation run" in request.context
        )
        assert request.context in request.prompt_text()
    state = json.loads(app.state_file.read_text())
    recorded = {p["phase"]: p for p in state["prompts"]}
    for request in provider.requests:
        digest = hashlib.sha256(request.prompt_text().encode()).hexdigest()
        assert recorded[request.phase]["sha256"] == digest
        assert recorded[request.phase]["tokens"] > 100
    settings = app.config.settings
    budget = round(settings.context.window_tokens * settings.agent.context_ceiling_pct)
    assert state["context_tokens"] <= budget
    app.close()
    with sqlite3.connect(app.database_file) as conn:
        rows = conn.execute(
            "SELECT phase, provider, input_tokens FROM provider_attempts"
        ).fetchall()
    assert rows == [("decide", "recorder", 10), ("act", "recorder", 10)]


def test_context_stays_within_a_small_budget(app: Praxis) -> None:
    config = app.data_dir.praxis_toml
    config.write_text(config.read_text().replace("window_tokens = 12000", "window_tokens = 400"))
    (app.data_dir.file("PATTERNS.md")).write_text(
        "# Patterns\n\n" + "- a long pattern line\n" * 2000
    )
    provider = StubLike()
    run_once(app, force=True, provider=provider)
    budget = round(400 * 0.8)
    for request in provider.requests:
        assert -(-len(request.context) // 4) <= budget


def test_repeated_reads_avoided_across_sessions(app: Praxis) -> None:
    run_once(app, force=True, provider=StubLike())
    second = StubLike()
    run_once(app, force=True, task="tidy notes", provider=second)
    state = json.loads(app.state_file.read_text())
    assert state["repeated_reads_avoided"] >= 2
    assert "Unchanged since last read: IDENTITY.md" in second.requests[0].context
    assert "marker-7731" in second.requests[0].context  # the summary keeps the boundary anchor
