"""Adaptive allocation: feedback file, outcome classes, multipliers and their rescaling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.config.settings import DEFAULT_CONTEXT_BUDGET, BudgetEntry
from praxis.context.adaptive import (
    Adaptation,
    SourceStats,
    classify,
    load_adaptation,
    multiplier,
    record_feedback,
    weights,
)

NOW = "2026-03-04T05:06:07Z"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", NOW)
    return tmp_path / "context_adaptation.json"


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        ("review_failed", "failure"),
        ("eval_failed", "failure"),
        ("blocked_loop_guard", "failure"),
        ("budget_exhausted", "failure"),
        ("provider_failed", "failure"),
        ("deferred_quiet_hours", None),
        ("goal_selected", "success"),
        ("task_selected", "success"),
        ("stop_condition_met", "success"),
    ],
)
def test_classify(outcome: str, kind: str | None) -> None:
    assert classify(outcome) == kind


def test_missing_file_is_empty(path: Path) -> None:
    assert load_adaptation(path) == Adaptation()
    assert not path.exists()


def test_feedback_counts_each_unique_source_once(path: Path) -> None:
    record_feedback(path, "goal_selected", ["identity", "task", "identity"])
    record_feedback(path, "review_failed", ["identity"])
    data = json.loads(path.read_text())
    assert data == {
        "updated_at": NOW,
        "sources": {
            "identity": {"successful_sessions": 1, "unsuccessful_sessions": 1},
            "task": {"successful_sessions": 1, "unsuccessful_sessions": 0},
        },
    }
    loaded = load_adaptation(path)
    assert loaded.updated_at == NOW
    assert loaded.sources["identity"] == SourceStats(1, 1)


def test_quiet_hours_deferral_is_ignored(path: Path) -> None:
    record_feedback(path, "deferred_quiet_hours", ["identity"])
    assert not path.exists()


def test_the_same_session_is_counted_once(path: Path) -> None:
    record_feedback(path, "goal_selected", ["identity"], session_key="run-1")
    record_feedback(path, "goal_selected", ["identity"], session_key="run-1")
    assert load_adaptation(path).sources["identity"] == SourceStats(1, 0)
    record_feedback(path, "goal_selected", ["identity"], session_key="run-2")
    record_feedback(path, "goal_selected", ["identity"])
    loaded = load_adaptation(path)
    assert loaded.sources["identity"] == SourceStats(3, 0)
    assert loaded.last_session == "run-2"


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        "null",
        '{"sources": [1]}',
        "\xff\xfe",
        "[" * 100_000,
    ],
)
def test_corrupt_files_start_fresh(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    assert load_adaptation(path).sources == {}
    record_feedback(path, "goal_selected", ["task"])
    assert load_adaptation(path).sources == {"task": SourceStats(1, 0)}


def test_bad_values_inside_a_valid_file_are_ignored(path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "updated_at": 5,
                "sources": {
                    "a": {"successful_sessions": -3, "unsuccessful_sessions": "2"},
                    "b": {"successful_sessions": True, "unsuccessful_sessions": 4},
                    "c": "nope",
                },
            }
        )
    )
    loaded = load_adaptation(path)
    assert loaded.updated_at is None
    assert dict(loaded.sources) == {"a": SourceStats(0, 0), "b": SourceStats(0, 4)}


def test_an_unreadable_path_is_empty_and_not_fatal(tmp_path: Path) -> None:
    directory = tmp_path / "context_adaptation.json"
    directory.mkdir()
    assert load_adaptation(directory) == Adaptation()
    assert record_feedback(directory, "goal_selected", ["task"]) is False


def test_recording_reports_success(path: Path) -> None:
    assert record_feedback(path, "goal_selected", ["task"]) is True
    assert record_feedback(path, "deferred_quiet_hours", ["task"]) is False


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        (None, 1.0),
        (SourceStats(0, 0), 1.0),
        (SourceStats(1, 0), 1.0 + (2 / 3 - 0.5) * 0.4),
        (SourceStats(0, 1), 1.0 + (1 / 3 - 0.5) * 0.4),
        (SourceStats(1000, 0), 1.2 - 0.4 / 1002 * 0.5 * 2),
        (SourceStats(0, 10**9), 0.8 + 0.4 / (10**9 + 2)),
    ],
)
def test_multiplier(stats: SourceStats | None, expected: float) -> None:
    assert multiplier(stats) == pytest.approx(expected)
    assert 0.8 <= multiplier(stats) <= 1.2


def test_weights_without_stats_are_one() -> None:
    factors = weights(Adaptation(), DEFAULT_CONTEXT_BUDGET)
    assert factors == {e.source: pytest.approx(1.0) for e in DEFAULT_CONTEXT_BUDGET}


def test_successful_sources_gain_and_the_sum_is_kept() -> None:
    entries = [BudgetEntry("a", 1, 0.5), BudgetEntry("b", 2, 0.5)]
    adaptation = Adaptation(sources={"a": SourceStats(9, 0), "b": SourceStats(0, 9)})
    factors = weights(adaptation, entries)
    assert factors["a"] > 1.0 > factors["b"]
    assert 0.5 * factors["a"] + 0.5 * factors["b"] == pytest.approx(1.0)
    # raw multipliers 1 + (10/11 − .5)·.4 and 1 + (1/11 − .5)·.4, rescaled to keep the sum 1.0
    raw_a, raw_b = 1 + (10 / 11 - 0.5) * 0.4, 1 + (1 / 11 - 0.5) * 0.4
    assert factors["a"] == pytest.approx(raw_a * 2 / (raw_a + raw_b))


def test_tiny_shares_keep_the_floor() -> None:
    entries = [BudgetEntry("a", 1, 0.01), BudgetEntry("b", 2, 0.5)]
    adaptation = Adaptation(sources={"a": SourceStats(0, 50)})
    factors = weights(adaptation, entries)
    # 0.01 × 0.81 is floored back to 0.01, so nothing moves (without the floor a would shrink)
    assert factors == {"a": pytest.approx(1.0), "b": pytest.approx(1.0)}


@given(
    pcts=st.lists(st.floats(0.001, 1.0), min_size=1, max_size=12),
    stats=st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=12, max_size=12),
)
@settings(max_examples=150, deadline=None)
def test_weighted_pcts_keep_their_sum(pcts: list[float], stats: list[tuple[int, int]]) -> None:
    entries = [BudgetEntry(f"s{i}", i, pct) for i, pct in enumerate(pcts)]
    adaptation = Adaptation(sources={f"s{i}": SourceStats(*stats[i]) for i in range(len(pcts))})
    factors = weights(adaptation, entries)
    assert sum(e.max_pct * factors[e.source] for e in entries) == pytest.approx(sum(pcts))
    assert all(factor > 0 for factor in factors.values())
