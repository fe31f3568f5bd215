"""In-place GOALS.md edits: only the owned bytes change, writes are atomic, ids are right."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from praxis.errors import EXIT_FAILED, EXIT_USAGE, ConfigError, StateError, UsageError
from praxis.identity import goal_edit
from praxis.identity.goal_edit import add_goal, mark_done, reopen
from praxis.identity.goals import parse_goals

HAND_WRITTEN = (
    "# Goals\n"
    "\n"
    "Some prose the operator wrote.   \n"
    "<!-- a comment -->\n"
    "- [ ] G-001: Complete the first run\n"
    "  wake_when: env:PRAXIS_GO\n"
    "\n"
    "## Later\n"
    "- [X] G-002: Shipped: with colon\n"
    "  blocked_by: G-001\n"
    "* not a goal\n"
    "\ttabbed line\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "GOALS.md"
    path.write_bytes(text.encode("utf-8"))
    return path


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_mark_done_flips_only_that_line(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal = mark_done(path, "G-001")
    assert goal.done and goal.id == "G-001" and goal.line == 5
    assert read(path) == HAND_WRITTEN.replace("- [ ] G-001", "- [x] G-001")


def test_reopen_flips_capital_x_back_to_open(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal = reopen(path, "G-002")
    assert not goal.done
    assert read(path) == HAND_WRITTEN.replace("- [X] G-002", "- [ ] G-002")


def test_mark_done_then_reopen_restores_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    mark_done(path, "G-001")
    reopen(path, "G-001")
    assert read(path) == HAND_WRITTEN


@pytest.mark.parametrize(
    "text",
    [
        "# Goals\r\n- [ ] G-1: crlf\r\n  parent: G-2\r\n- [x] G-2: p\r\n",
        "# Goals\n- [ ] G-1: no trailing newline",
        "\ufeff- [ ] G-1: bom on the goal line\n",
        "# Goals\x0c\u2028 prose\x85\n- [ ] G-1: odd\x0bseparators\n",
    ],
)
def test_edits_keep_line_endings_bom_and_odd_bytes(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    mark_done(path, "G-1")
    assert read(path) == text.replace("- [ ] G-1", "- [x] G-1")
    reopen(path, "G-1")
    assert read(path) == text


def test_unknown_id_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    for edit in (mark_done, reopen):
        with pytest.raises(UsageError) as info:
            edit(path, "G-404")
        assert info.value.exit_code == EXIT_USAGE
        assert info.value.message == "unknown goal id G-404 in GOALS.md"
        assert "goals list" in (info.value.hint or "")
    assert read(path) == HAND_WRITTEN


def test_already_in_that_state_is_a_state_error(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    with pytest.raises(StateError) as info:
        mark_done(path, "G-002")
    assert info.value.exit_code == EXIT_FAILED
    assert info.value.message == "goal G-002 is already done"
    with pytest.raises(StateError, match="goal G-001 is already open"):
        reopen(path, "G-001")
    assert read(path) == HAND_WRITTEN


def test_malformed_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    text = "# Goals\n- [ ] G-1: ok\n- [ ] broken line\n"
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match="line 3: invalid goal syntax on line 3"):
        mark_done(path, "G-1")
    with pytest.raises(ConfigError):
        add_goal(path, "New")
    assert read(path) == text


def test_add_goal_appends_with_next_id_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal, created = add_goal(path, "  Write the docs  ")
    assert created
    assert (goal.id, goal.title, goal.done, goal.line) == ("G-003", "Write the docs", False, 13)
    assert read(path) == HAND_WRITTEN + "- [ ] G-003: Write the docs\n"


def test_add_goal_with_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal, _ = add_goal(path, "Child", parent="G-001", blocked_by=["G-002", " G-001", "G-002", ""])
    assert goal.parent == "G-001"
    assert goal.blocked_by == ("G-002", "G-001")
    assert read(path) == HAND_WRITTEN + (
        "- [ ] G-003: Child\n  parent: G-001\n  blocked_by: G-002, G-001\n"
    )


@pytest.mark.parametrize(
    ("before", "title", "parent", "goal_id", "after"),
    [
        pytest.param(
            "# Goals\n- [ ] G-009: last",
            "Next",
            None,
            "G-010",
            "# Goals\n- [ ] G-009: last\n- [ ] G-010: Next\n",
            id="adds_a_missing_final_newline_only",
        ),
        pytest.param(
            "# Goals\r\n- [ ] G-1: a\r\n",
            "b",
            "G-1",
            "G-002",
            "# Goals\r\n- [ ] G-1: a\r\n- [ ] G-002: b\r\n  parent: G-1\r\n",
            id="follows_crlf_files",
        ),
        pytest.param(
            "",
            "First",
            None,
            "G-001",
            "# Goals\n\n- [ ] G-001: First\n",
            id="empty_file_gets_a_heading",
        ),
    ],
)
def test_add_goal_keeps_the_files_line_endings(
    tmp_path: Path, before: str, title: str, parent: str | None, goal_id: str, after: str
) -> None:
    path = write(tmp_path, before)
    goal, _ = add_goal(path, title, parent=parent)
    assert goal.id == goal_id
    assert read(path) == after


def test_add_goal_reuses_an_exact_title(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal, created = add_goal(path, "Shipped: with colon")
    assert not created
    assert goal.id == "G-002"
    assert read(path) == HAND_WRITTEN
    other, created = add_goal(path, "shipped: with colon")
    assert created and other.id == "G-003"


def test_add_goal_validates_parent_and_blockers(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    with pytest.raises(UsageError, match=r"unknown goal id G-9 in GOALS.md \(from --parent\)"):
        add_goal(path, "x", parent="G-9")
    with pytest.raises(UsageError, match=r"unknown goal id G-8 in GOALS.md \(from --blocked-by\)"):
        add_goal(path, "x", blocked_by=["G-001", "G-8"])
    assert read(path) == HAND_WRITTEN


@pytest.mark.parametrize("title", ["", "   ", "two\nlines", "cr\rinside", "bell\x07", "ls\u2028x"])
def test_add_goal_rejects_bad_titles(tmp_path: Path, title: str) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    with pytest.raises(UsageError, match="goal title must"):
        add_goal(path, title)
    assert read(path) == HAND_WRITTEN


def test_edits_preserve_file_mode_and_leave_no_temp_files(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    os.chmod(path, 0o600)
    mark_done(path, "G-001")
    add_goal(path, "More")
    assert path.stat().st_mode & 0o777 == 0o600
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".praxis-goals.lock", "GOALS.md"]


def test_edit_goes_through_atomic_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    calls: list[Path] = []

    def failing_write(target: Path, text: str) -> None:
        calls.append(target)
        raise OSError("disk full")

    monkeypatch.setattr(goal_edit, "atomic_write_text", failing_write)
    with pytest.raises(OSError, match="disk full"):
        mark_done(path, "G-001")
    assert calls == [path]
    assert read(path) == HAND_WRITTEN


def test_concurrent_adds_get_distinct_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "# Goals\n")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            add_goal(path, f"goal {n}")
        except BaseException as exc:  # collected and re-raised by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    goals = parse_goals(read(path))
    assert sorted(g.id for g in goals) == [f"G-{n:03}" for n in range(1, 9)]
    assert sorted(g.title for g in goals) == sorted(f"goal {n}" for n in range(8))
