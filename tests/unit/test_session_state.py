"""session_state.json: typed records inside, the same JSON outside, older shapes still load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from praxis.errors import InvalidDataFile
from praxis.loop.state import SessionState, load_state, save_state
from praxis.loop.state_records import (
    AttemptRecord,
    PromptRecord,
    ReflectProgress,
    ToolCallRecord,
)
from praxis.providers.base import Attempt
from praxis.quality.evals import EvalResult, EvalSummary
from praxis.quality.reviewer import ReviewResult

STAMP = "2026-05-01T12:00:00Z"


def _state(**changes: object) -> SessionState:
    state = SessionState("act", STAMP, STAMP, "run-1", selected_goal_id="G-001")
    for key, value in changes.items():
        setattr(state, key, value)
    return state


def _full() -> SessionState:
    review = ReviewResult("passed", "Reviewer passed.", ("a finding",), "G-001", 1, True, True)
    evals = EvalSummary((EvalResult("E-1", "smoke", "passed", "high", "ok", None),), 1, 0, 0, 0)
    return _state(
        last_outcome="goal_selected",
        provider_attempts=[
            AttemptRecord(Attempt("decide", "openai", "m", True, 10, 5, 7, True, 12), 3),
            AttemptRecord(Attempt("act", "claude", "c", False, error_class="frozen")),
        ],
        prompts=[PromptRecord("decide", "ab" * 32, 120, 400)],
        tool_calls=[ToolCallRecord("shell", "pending", 4, "waiting for approval")],
        reflect=ReflectProgress(STAMP, "goal_selected", review, evals, 9, 2, True),
    )


def test_records_round_trip_through_the_same_json_shape(tmp_path: Path) -> None:
    state = _full()
    path = tmp_path / "session_state.json"
    save_state(path, state)
    assert load_state(path) == state
    data = json.loads(path.read_text())
    assert data["current_phase"] == "Act"
    assert data["provider_attempts"][0] == {
        "phase": "decide",
        "provider": "openai",
        "model": "m",
        "success": True,
        "input_tokens": 10,
        "output_tokens": 5,
        "cost_micros": 7,
        "cost_known": True,
        "latency_ms": 12,
        "error": None,
        "error_class": None,
        "row_id": 3,
    }
    assert data["prompts"] == [
        {"phase": "decide", "sha256": "ab" * 32, "tokens": 120, "context_chars": 400}
    ]
    assert data["tool_calls"] == [
        {"tool": "shell", "kind": "pending", "request_id": 4, "summary": "waiting for approval"}
    ]
    assert data["reflect"]["review"]["findings"] == ["a finding"]
    assert data["reflect"]["evals"]["results"][0]["eval_id"] == "E-1"
    assert {k: v for k, v in data["reflect"].items() if k not in ("review", "evals")} == {
        "ended_at": STAMP,
        "initial_outcome": "goal_selected",
        "session_id": 9,
        "session_num": 2,
        "feedback_recorded": True,
    }


def test_a_fresh_state_keeps_an_empty_reflect_object(tmp_path: Path) -> None:
    path = tmp_path / "session_state.json"
    save_state(path, _state())
    assert json.loads(path.read_text())["reflect"] == {}


def test_older_shapes_load(tmp_path: Path) -> None:
    """The Rust original's attempt (estimated_cost_micros, no ledger row), a prompt without
    sizes, a reflect half done, as earlier versions wrote them."""
    path = tmp_path / "session_state.json"
    path.write_text(
        json.dumps(
            {
                "current_phase": "Reflect",
                "started_at": STAMP,
                "updated_at": STAMP,
                "completed_at": None,
                "last_outcome": "task_selected",
                "resume_count": 1,
                "tool_invocation_hashes": ["x"],
                "file_reads": [{"path": "IDENTITY.md", "reason": "identity"}],
                "provider_attempts": [
                    {
                        "phase": "decide",
                        "provider": "claude",
                        "model": "claude-x",
                        "success": True,
                        "input_tokens": 30,
                        "output_tokens": 4,
                        "estimated_cost_micros": 21,
                        "error": None,
                    }
                ],
                "prompts": [{"phase": "decide", "sha256": "cd"}],
                "reflect": {"ended_at": STAMP, "initial_outcome": "task_selected"},
            }
        )
    )
    state = load_state(path)
    assert state is not None
    assert state.current_phase == "reflect" and state.run_key == f"legacy-{STAMP}"
    (record,) = state.provider_attempts
    assert record == AttemptRecord(Attempt("decide", "claude", "claude-x", True, 30, 4, 21))
    assert state.prompts == [PromptRecord("decide", "cd")]
    assert state.reflect == ReflectProgress(STAMP, "task_selected")
    assert state.file_reads == {}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "provider_attempts",
            [{"phase": "act", "provider": "p", "model": "m", "success": True, "input_tokens": "x"}],
            'provider_attempts[0].input_tokens must be a whole number ≥ 0, got "x"',
        ),
        (
            "provider_attempts",
            [{"provider": "p", "model": "m", "success": True}],
            "provider_attempts[0].phase must be a string, got nothing",
        ),
        (
            "tool_calls",
            [{"tool": "shell", "kind": "exploded", "request_id": None, "summary": ""}],
            'tool_calls[0].kind must be a call verdict (ran, failed, pending, ...), got "exploded"',
        ),
        ("prompts", ["decide"], 'prompts must be a list of objects, got ["decide"]'),
        ("reflect", {"review": {"status": "passed"}}, "reflect.review must be a review result"),
        ("reflect", {"session_id": -1}, "reflect.session_id must be a whole number ≥ 0 or null"),
        ("last_outcome", "won", 'last_outcome must be a session outcome or null, got "won"'),
    ],
)
def test_a_mistyped_record_is_refused_naming_its_key(
    tmp_path: Path, key: str, value: object, expected: str
) -> None:
    path = tmp_path / "session_state.json"
    record = json.loads(_full().to_json())
    record[key] = value
    path.write_text(json.dumps(record))
    with pytest.raises(InvalidDataFile) as refused:
        load_state(path)
    assert refused.value.message.startswith(f"session state {path}: {expected}")
