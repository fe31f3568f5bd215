"""Goal selection: every rule of reference §5.5, plus the per-goal explanations."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from praxis.identity.goals import Goal, parse_goals
from praxis.identity.planner import (
    COMPLETE_SUMMARY,
    Selection,
    choose_goal,
    explain,
    file_exists_within,
)

NOW = datetime(2026, 4, 3, 12, 0, 0, tzinfo=UTC)


def pick(text: str, root: Path | None = None, env: dict[str, str] | None = None) -> Selection:
    values = env or {}
    return choose_goal(parse_goals(text), root or Path("/nonexistent"), NOW, values.get)


def reasons(selection: Selection) -> dict[str, tuple[str, ...]]:
    return {c.goal.id: c.reasons for c in selection.checks}


def test_no_goals_or_all_done_is_complete() -> None:
    for text in ("# Goals\n", "- [x] G-1: a\n- [X] G-2: b\n"):
        selection = pick(text)
        assert (selection.kind, selection.goal, selection.outcome) == (
            "complete",
            None,
            "stop_condition_met",
        )
        assert selection.summary == COMPLETE_SUMMARY


def test_first_open_goal_in_file_order_wins_a_tie() -> None:
    selection = pick("- [x] G-1: done\n- [ ] G-3: c\n- [ ] G-2: b\n")
    assert selection.goal is not None and selection.goal.id == "G-3"
    assert selection.outcome == "goal_selected"
    assert [c.goal.id for c in selection.skipped] == ["G-2"]
    assert explain(selection.skipped[0], selection.goal) == "ready, ranked after G-3 (unblocks 0)"


def test_prefers_the_goal_that_unblocks_the_most_open_goals() -> None:
    text = (
        "- [ ] G-1: plain\n"
        "- [ ] G-2: unblocks one\n"
        "- [ ] G-3: unblocks two\n"
        "- [ ] G-4: a\n  blocked_by: G-3\n"
        "- [ ] G-5: b\n  blocked_by: G-3, G-2\n"
    )
    selection = pick(text)
    assert selection.goal is not None and selection.goal.id == "G-3"
    assert "unblocks 2 goals" in selection.summary
    order = [c.goal.id for c in selection.checks]
    assert order[:3] == ["G-3", "G-2", "G-1"]


def test_done_dependents_do_not_count_and_repeats_count_once() -> None:
    text = (
        "- [ ] G-1: first\n"
        "- [ ] G-2: second\n"
        "- [x] G-3: done dependent\n  blocked_by: G-2\n"
        "- [ ] G-4: repeats\n  blocked_by: G-1, G-1\n"
        "- [ ] G-5: other\n  blocked_by: G-2\n"
    )
    checks = {c.goal.id: c for c in pick(text).checks}
    assert checks["G-1"].unblocks == 1
    assert checks["G-2"].unblocks == 1


def test_parent_of_an_open_goal_is_skipped_for_its_child() -> None:
    selection = pick("- [ ] G-010: Parent\n- [ ] G-011: Child\n  parent: G-010\n")
    assert selection.goal is not None and selection.goal.id == "G-011"
    assert reasons(selection)["G-010"] == ("parent of open goal G-011",)


def test_parent_with_only_done_children_is_eligible() -> None:
    selection = pick("- [ ] G-1: Parent\n- [x] G-2: Child\n  parent: G-1\n")
    assert selection.goal is not None and selection.goal.id == "G-1"


def test_parent_lists_all_open_children() -> None:
    text = "- [ ] G-1: P\n- [ ] G-2: a\n  parent: G-1\n- [ ] G-3: b\n  parent: G-1\n"
    assert reasons(pick(text))["G-1"] == ("parent of open goals G-2, G-3",)


def test_blocked_until_every_blocker_is_done() -> None:
    text = "- [ ] G-1: a\n  blocked_by: G-2, G-3\n- [x] G-2: b\n- [ ] G-3: c\n"
    selection = pick(text)
    assert selection.goal is not None and selection.goal.id == "G-3"
    assert reasons(selection)["G-1"] == ("blocked by G-3 (open)",)
    done = pick(text.replace("- [ ] G-3", "- [x] G-3"))
    assert done.goal is not None and done.goal.id == "G-1"


def test_unknown_blocker_blocks_forever_and_is_explained() -> None:
    selection = pick("- [ ] G-1: a\n  blocked_by: G-9\n")
    assert selection.kind == "waiting"
    assert selection.outcome == "waiting_on_dependencies"
    assert selection.summary == "1 open goals are waiting on dependencies or triggers."
    assert reasons(selection)["G-1"] == ("blocked by G-9 (unknown id)",)


def test_dependency_cycle_is_waiting_and_named() -> None:
    selection = pick("- [ ] G-1: a\n  blocked_by: G-2\n- [ ] G-2: b\n  blocked_by: G-1\n")
    assert selection.kind == "waiting"
    assert reasons(selection)["G-1"] == ("blocked by G-2 (open in a dependency cycle)",)


def test_child_blocked_by_its_own_parent_is_a_cycle() -> None:
    selection = pick("- [ ] G-1: P\n- [ ] G-2: child\n  parent: G-1\n  blocked_by: G-1\n")
    assert selection.kind == "waiting"
    assert reasons(selection) == {
        "G-1": ("parent of open goal G-2 in a dependency cycle",),
        "G-2": ("blocked by G-1 (open in a dependency cycle)",),
    }


def test_goal_blocked_by_itself_is_a_cycle() -> None:
    assert reasons(pick("- [ ] G-1: a\n  blocked_by: G-1\n")) == {
        "G-1": ("blocked by G-1 (open in a dependency cycle)",)
    }


def test_unknown_parent_is_a_note_not_a_blocker() -> None:
    selection = pick("- [ ] G-1: a\n  parent: G-404\n")
    assert selection.goal is not None and selection.goal.id == "G-1"
    assert selection.checks[0].notes == ("parent G-404 is not a goal in GOALS.md",)


def test_file_exists_is_relative_to_the_data_dir(tmp_path: Path) -> None:
    text = "- [ ] G-1: a\n  wake_when: file_exists:inbox/ready.flag\n"
    asleep = pick(text, tmp_path)
    assert asleep.kind == "waiting"
    assert reasons(asleep)["G-1"] == ("waiting for file_exists:inbox/ready.flag",)
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "ready.flag").write_text("", encoding="utf-8")
    assert pick(text, tmp_path).kind == "selected"


@pytest.mark.parametrize(
    "hostile",
    ["/etc/passwd", "../outside.flag", "inbox/../../outside.flag", "", "a\x00b", "escape/x"],
)
def test_file_exists_never_looks_outside_the_data_dir(tmp_path: Path, hostile: str) -> None:
    root = tmp_path / "data"
    (root / "inbox").mkdir(parents=True)
    (tmp_path / "outside.flag").write_text("", encoding="utf-8")
    os.symlink(tmp_path, root / "escape")
    (tmp_path / "x").write_text("", encoding="utf-8")
    assert not file_exists_within(root, hostile)
    selection = pick(f"- [ ] G-1: a\n  wake_when: file_exists:{hostile}\n", root)
    assert selection.kind == "waiting"


def test_env_wake_condition_needs_the_variable_present() -> None:
    text = "- [ ] G-1: a\n  wake_when: env:PRAXIS_GO\n"
    assert pick(text).kind == "waiting"
    assert reasons(pick(text))["G-1"] == ("waiting for env:PRAXIS_GO",)
    assert pick(text, env={"PRAXIS_GO": ""}).kind == "selected"
    assert pick("- [ ] G-1: a\n  wake_when: env:\n").kind == "waiting"


def test_env_wake_condition_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    goals = parse_goals("- [ ] G-1: a\n  wake_when: env:PRAXIS_TEST_WAKE\n")
    monkeypatch.delenv("PRAXIS_TEST_WAKE", raising=False)
    assert choose_goal(goals, Path("/nonexistent"), NOW).kind == "waiting"
    monkeypatch.setenv("PRAXIS_TEST_WAKE", "1")
    assert choose_goal(goals, Path("/nonexistent"), NOW).kind == "selected"


@pytest.mark.parametrize(
    ("stamp", "awake"),
    [
        ("2026-04-03T12:00:00Z", True),
        ("2026-04-03T11:59:59Z", True),
        ("2026-04-03T12:00:01Z", False),
        ("2026-04-03T14:00:00+02:00", True),
        ("2026-04-03T13:00:01+01:00", False),
    ],
)
def test_after_wake_condition_compares_parsed_times(stamp: str, awake: bool) -> None:
    selection = pick(f"- [ ] G-1: a\n  wake_when: after:{stamp}\n")
    assert (selection.kind == "selected") is awake
    if not awake:
        assert reasons(selection)["G-1"] == (f"waiting for after:{stamp}",)


def test_after_uses_the_pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from praxis import clock

    goals = parse_goals("- [ ] G-1: a\n  wake_when: after:2026-05-01T08:00:00Z\n")
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T07:59:59Z")
    assert choose_goal(goals, Path("/x"), clock.now()).kind == "waiting"
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T08:00:00Z")
    assert choose_goal(goals, Path("/x"), clock.now()).kind == "selected"


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("after:tomorrow", "wake_when after:tomorrow is not an RFC 3339 timestamp (never wakes)"),
        (
            "after:2026-04-01",
            "wake_when after:2026-04-01 is not an RFC 3339 timestamp (never wakes)",
        ),
        ("cron:* * * * *", "unsupported wake_when cron:* * * * * (never wakes)"),
        ("always", "unsupported wake_when always (never wakes)"),
    ],
)
def test_invalid_or_unknown_wake_conditions_never_wake(condition: str, reason: str) -> None:
    selection = pick(f"- [ ] G-1: a\n  wake_when: {condition}\n")
    assert selection.kind == "waiting"
    assert reasons(selection)["G-1"] == (reason,)


def test_all_reasons_are_listed_together() -> None:
    text = (
        "- [ ] G-1: p\n  blocked_by: G-2, G-77\n  wake_when: env:NOPE\n"
        "- [ ] G-2: child\n  parent: G-1\n  wake_when: env:NOPE\n"
    )
    selection = pick(text)
    assert selection.kind == "waiting"
    assert selection.summary == "2 open goals are waiting on dependencies or triggers."
    assert reasons(selection)["G-1"] == (
        "parent of open goal G-2",
        "blocked by G-2 (open)",
        "blocked by G-77 (unknown id)",
        "waiting for env:NOPE",
    )
    check = selection.checks[0]
    assert explain(check, None) == "; ".join(check.reasons)


def test_selected_goal_is_never_in_skipped_and_every_open_goal_is_checked() -> None:
    goals = [Goal(f"G-{i}", f"t{i}", i % 3 == 0, i) for i in range(1, 10)]
    selection = choose_goal(goals, Path("/x"), NOW, {}.get)
    assert len(selection.checks) == sum(1 for g in goals if not g.done)
    assert selection.goal not in [c.goal for c in selection.skipped]
