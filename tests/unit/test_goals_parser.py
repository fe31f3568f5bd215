"""GOALS.md parser: reference §5.5 syntax, every error message with its line, and ★ fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from praxis.errors import EXIT_FAILED, EXIT_USAGE, ConfigError, DataDirError
from praxis.identity.goals import (
    Goal,
    load_goals,
    next_goal_id,
    parse_goals,
    render_goal,
    render_goals,
)
from praxis.paths import DataDir


def test_parses_open_and_done_goals_in_file_order() -> None:
    text = (
        "# Goals\n\n- [ ] G-001: Ship foundation\n- [x] G-002: Done already\n- [X] G-003: Big X\n"
    )
    goals = parse_goals(text)
    assert [(g.id, g.title, g.done, g.line) for g in goals] == [
        ("G-001", "Ship foundation", False, 3),
        ("G-002", "Done already", True, 4),
        ("G-003", "Big X", True, 5),
    ]
    assert goals[0] == Goal("G-001", "Ship foundation", False, 3, None, (), None)


def test_seed_goals_file_parses() -> None:
    from praxis.identity.foundation import seed_documents

    seed = seed_documents("Praxis", "UTC", "2026-01-01T00:00:00Z")["GOALS.md"]
    assert [g.id for g in parse_goals(seed)] == ["G-001"]


def test_id_and_title_split_on_first_colon_and_trimmed() -> None:
    (goal,) = parse_goals("- [ ]   G-7  :  Fix: the parser  \n")
    assert goal.id == "G-7"
    assert goal.title == "Fix: the parser"


def test_ids_are_free_form() -> None:
    (goal,) = parse_goals("- [ ] launch-site: Build it\n")
    assert goal.id == "launch-site"


@pytest.mark.parametrize(
    "line",
    [
        "-[ ] G-001: no space",
        "- [] G-001: empty box",
        "* [ ] G-001: star bullet",
        " - [ ] G-001: indented",
        "- [ ]G-001: no space after box",
        "- [y] G-001: other mark",
        "Prose mentioning - [ ] G-001: inline",
        "## G-001: heading",
    ],
)
def test_non_goal_lines_are_ignored(line: str) -> None:
    assert parse_goals(f"# Goals\n{line}\n") == []


def test_metadata_lines_attach_to_the_goal_above() -> None:
    text = (
        "# Goals\n\n"
        "- [ ] G-002: Ship dependent work\n"
        "  parent: G-010\n"
        "  blocked_by: G-001, external-api\n"
        "  wake_when: env:PRAXIS_GO\n"
        "- [ ] G-003: Next\n"
    )
    first, second = parse_goals(text)
    assert first.parent == "G-010"
    assert first.blocked_by == ("G-001", "external-api")
    assert first.wake_when == "env:PRAXIS_GO"
    assert second == Goal("G-003", "Next", False, 7)


def test_metadata_value_keeps_colons_after_the_key() -> None:
    (goal,) = parse_goals("- [ ] G-1: t\n  wake_when: after:2026-05-01T08:00:00Z\n")
    assert goal.wake_when == "after:2026-05-01T08:00:00Z"


def test_blocked_by_drops_empty_items_and_may_be_empty() -> None:
    (goal,) = parse_goals("- [ ] G-1: t\n  blocked_by: , G-2 ,,G-3,\n")
    assert goal.blocked_by == ("G-2", "G-3")
    (empty,) = parse_goals("- [ ] G-1: t\n  blocked_by:\n")
    assert empty.blocked_by == ()


def test_metadata_block_ends_at_blank_line_or_unindented_line() -> None:
    text = "- [ ] G-1: t\n\n  parent: G-9\n- [ ] G-2: u\nprose\n  blocked_by: G-1\n"
    one, two = parse_goals(text)
    assert one.parent is None
    assert two.blocked_by == ()


def test_whitespace_only_line_ends_the_metadata_block() -> None:
    one, two = parse_goals("- [ ] G-1: t\n  \n  nonsense without colon\n- [ ] G-2: u\n")
    assert (one.id, two.id) == ("G-1", "G-2")


def test_crlf_line_endings_parse_like_lf() -> None:
    text = "# Goals\r\n- [ ] G-1: Title\r\n  parent: G-2\r\n- [x] G-2: Parent\r\n"
    one, two = parse_goals(text)
    assert (one.title, one.parent, two.title, two.done) == ("Title", "G-2", "Parent", True)


def test_utf8_bom_does_not_hide_the_first_goal() -> None:
    assert [g.id for g in parse_goals("\ufeff- [ ] G-1: first\n")] == ["G-1"]


def test_form_feed_does_not_shift_line_numbers() -> None:
    goals = parse_goals("# Goals\x0c notes\n- [ ] G-1: t\n")
    assert goals[0].line == 2


def _error(text: str, path: str = "/d/GOALS.md") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_goals(text, path)
    assert info.value.exit_code == EXIT_USAGE
    assert info.value.hint
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# Goals\n\n- [ ] G-001 missing colon\n", 3, "expected G-001: title"),
        ("- [x] no colon here\n", 1, "expected G-001: title"),
        ("# G\n- [ ] \n", 2, "expected G-001: title"),
        ("# Goals\n- [ ] : title only\n", 2, "expected non-empty id and title"),
        ("# Goals\n\n\n- [ ] G-001:   \n", 4, "expected non-empty id and title"),
        ("- [X]  :  \n", 1, "expected non-empty id and title"),
    ],
)
def test_goal_syntax_errors_name_the_line(text: str, line: int, message: str) -> None:
    error = _error(text)
    assert str(error) == f"/d/GOALS.md line {line}: invalid goal syntax on line {line}, {message}"
    assert error.line == line
    assert error.path == "/d/GOALS.md"


def test_metadata_without_colon_is_rejected() -> None:
    error = _error("# Goals\n- [ ] G-1: t\n  parent G-2\n")
    assert error.message == (
        "/d/GOALS.md line 3: invalid goal metadata on line 3, expected key: value"
    )


def test_unknown_metadata_key_is_rejected() -> None:
    error = _error("- [ ] G-1: t\n  parent: G-2\n  owner: me\n")
    assert error.message == "/d/GOALS.md line 3: unsupported goal metadata key owner on line 3"


def test_indented_prose_with_colon_under_a_goal_is_an_unknown_key() -> None:
    error = _error("- [ ] G-1: t\n  - note: something\n")
    assert "unsupported goal metadata key - note on line 2" in error.message
    assert "un-indent" in (error.hint or "")


@pytest.mark.parametrize("key", ["parent", "wake_when"])
def test_empty_parent_or_wake_when_is_rejected(key: str) -> None:
    error = _error(f"# Goals\n- [ ] G-1: t\n  {key}:   \n")
    assert error.message == f"/d/GOALS.md line 3: {key} metadata on line 3 must not be empty"


def test_duplicate_goal_ids_name_both_lines() -> None:
    error = _error("# Goals\n- [ ] G-001: a\n- [ ] G-002: b\n- [x] G-001: c\n")
    assert error.message == "/d/GOALS.md line 4: duplicate goal id G-001 on lines 2 and 4"
    assert error.line == 4


def test_duplicate_metadata_key_is_rejected_instead_of_dropping_a_blocker() -> None:
    error = _error("- [ ] G-1: t\n  blocked_by: G-2\n  blocked_by: G-3\n")
    assert "duplicate goal metadata key blocked_by on line 3 for goal G-1" in error.message


def test_default_path_label() -> None:
    with pytest.raises(ConfigError, match=r"^GOALS.md line 1: invalid goal syntax on line 1"):
        parse_goals("- [ ] nope\n")


def test_unknown_parent_and_blocker_ids_are_not_parse_errors() -> None:
    (goal,) = parse_goals("- [ ] G-1: t\n  parent: G-404\n  blocked_by: G-405\n")
    assert goal.parent == "G-404"
    assert goal.blocked_by == ("G-405",)


def test_next_goal_id_uses_highest_numeric_g_id() -> None:
    goals = parse_goals("- [ ] G-009: a\n- [ ] G-12: b\n- [ ] G-x1: c\n- [ ] other: d\n")
    assert next_goal_id(goals) == "G-013"
    assert next_goal_id([]) == "G-001"
    assert next_goal_id(parse_goals("- [ ] G-+5: a\n- [ ] G-٣: b\n")) == "G-001"


def test_render_goal_round_trips() -> None:
    goal = Goal("G-004", "Title", True, 3, "G-001", ("G-002", "G-003"), "env:X")
    assert render_goal(goal) == [
        "- [x] G-004: Title",
        "  parent: G-001",
        "  blocked_by: G-002, G-003",
        "  wake_when: env:X",
    ]
    assert parse_goals(render_goals([goal])) == [goal]


def test_load_goals_reads_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "GOALS.md").write_text("# Goals\n- [ ] G-1: t\n", encoding="utf-8")
    assert [g.id for g in load_goals(DataDir(tmp_path))] == ["G-1"]


def test_load_goals_error_names_the_real_path(tmp_path: Path) -> None:
    (tmp_path / "GOALS.md").write_text("# Goals\n- [ ] broken\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_goals(DataDir(tmp_path))
    assert info.value.message.startswith(f"{tmp_path / 'GOALS.md'} line 2: ")


def test_missing_goals_file_hints_at_init(tmp_path: Path) -> None:
    with pytest.raises(DataDirError) as info:
        load_goals(DataDir(tmp_path))
    assert info.value.exit_code == EXIT_FAILED
    assert "missing required identity file" in info.value.message
    assert "praxis init" in (info.value.hint or "")


def test_non_utf8_goals_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "GOALS.md").write_bytes(b"# Goals\n- [ ] G-1: caf\xe9\n")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_goals(DataDir(tmp_path))
