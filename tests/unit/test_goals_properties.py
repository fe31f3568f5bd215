"""Property tests: parser totality, round trips, byte-exact edits, and planner invariants."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.errors import ConfigError
from praxis.identity.goal_edit import add_goal, mark_done, reopen
from praxis.identity.goals import Goal, parse_goals, render_goal, render_goals
from praxis.identity.planner import choose_goal

NOW = datetime(2026, 4, 3, 12, 0, 0, tzinfo=UTC)

# Identifier-ish ids: no `:` (splits the title), `,` (splits blocked_by) or whitespace.
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)
titles = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
wakes = st.sampled_from(
    [
        "env:PRAXIS_GO",
        "env:PRAXIS_NEVER",
        "after:2026-01-01T00:00:00Z",
        "after:2027-01-01T00:00:00Z",
        "file_exists:flag",
        "bogus:x",
    ]
)


@st.composite
def goal_lists(draw: st.DrawFn, with_wake: bool = True) -> list[Goal]:
    goal_ids = draw(st.lists(ids, min_size=0, max_size=12, unique=True))
    pool = [*goal_ids, "G-unknown"]
    goals = []
    for goal_id in goal_ids:
        goals.append(
            Goal(
                id=goal_id,
                title=draw(titles),
                done=draw(st.booleans()),
                line=0,
                parent=draw(st.none() | st.sampled_from(pool)),
                blocked_by=tuple(draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))),
                wake_when=draw(st.none() | wakes) if with_wake else None,
            )
        )
    return goals


def with_lines(goals: list[Goal], first_line: int = 3) -> list[Goal]:
    """The line numbers `render_goals` gives (heading + blank line first)."""
    placed, line = [], first_line
    for goal in goals:
        placed.append(goal._replace(line=line))
        line += len(render_goal(goal))
    return placed


@given(goal_lists())
def test_parse_render_round_trip(goals: list[Goal]) -> None:
    assert parse_goals(render_goals(goals)) == with_lines(goals)


fragments = st.sampled_from(
    [
        "- [ ] ",
        "- [x] ",
        "- [X] ",
        "  ",
        ":",
        ",",
        "\n",
        "\r\n",
        "\r",
        "G-001",
        "parent",
        "blocked_by",
        "wake_when",
        "env:",
        "\ufeff",
        "\x00",
        "\u2028",
        " ",
        "-",
        "[",
    ]
)


@given(st.lists(fragments | st.text(max_size=8), max_size=40).map("".join))
@settings(max_examples=300)
def test_parser_only_ever_raises_config_error(text: str) -> None:
    try:
        goals = parse_goals(text)
    except ConfigError as error:
        assert error.line is not None and error.line >= 1
        assert error.hint
        return
    assert all(g.id and g.title and g.id == g.id.strip() for g in goals)
    assert len({g.id for g in goals}) == len(goals)


prose = st.one_of(
    st.just(""),
    st.from_regex(r"[#A-Za-z*>][^\n\r]{0,20}", fullmatch=True),
)


@st.composite
def goal_files(draw: st.DrawFn) -> tuple[str, list[Goal]]:
    goals = draw(goal_lists())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = [draw(prose)]
    for goal in goals:
        lines.extend(render_goal(goal))
        lines.extend(draw(st.lists(prose, max_size=2)))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return text, goals


def _in_tmp(text: str) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    holder = tempfile.TemporaryDirectory()
    path = Path(holder.name) / "GOALS.md"
    path.write_bytes(text.encode("utf-8"))
    return holder, path


@given(goal_files(), st.data())
@settings(max_examples=60, deadline=None)
def test_done_then_reopen_restores_every_byte(
    file: tuple[str, list[Goal]], data: st.DataObject
) -> None:
    text, goals = file
    open_goals = [g for g in goals if not g.done]
    if not open_goals:
        return
    target = data.draw(st.sampled_from(open_goals))
    holder, path = _in_tmp(text)
    with holder:
        done = mark_done(path, target.id)
        after = path.read_bytes().decode("utf-8")
        assert done.done
        changed = [
            (a, b) for a, b in zip(text.split("\n"), after.split("\n"), strict=True) if a != b
        ]
        assert len(changed) == 1
        reopen(path, target.id)
        assert path.read_bytes().decode("utf-8") == text


@given(goal_files(), titles)
@settings(max_examples=60, deadline=None)
def test_add_goal_only_appends(file: tuple[str, list[Goal]], title: str) -> None:
    text, goals = file
    holder, path = _in_tmp(text)
    with holder:
        goal, created = add_goal(path, title)
        after = path.read_bytes().decode("utf-8")
        if not created:
            assert after == text
            assert goal.title == title
            return
        assert after.startswith(text)
        parsed = parse_goals(after)
        assert parsed[-1] == goal
        assert [(g.id, g.title, g.done) for g in parsed[:-1]] == [
            (g.id, g.title, g.done) for g in goals
        ]
        assert goal.id not in {g.id for g in goals}


@given(goal_lists(), st.booleans())
def test_selected_goal_obeys_every_rule(goals: list[Goal], go: bool) -> None:
    goals = with_lines(goals)
    env = {"PRAXIS_GO": "1"} if go else {}
    selection = choose_goal(goals, Path("/nonexistent-root"), NOW, env.get)
    by_id = {g.id: g for g in goals}
    open_goals = [g for g in goals if not g.done]
    if not open_goals:
        assert selection.kind == "complete" and selection.checks == ()
        return
    assert len(selection.checks) == len(open_goals)
    if selection.kind == "waiting":
        assert selection.goal is None
        assert all(not c.eligible and c.reasons for c in selection.checks)
        return
    chosen = selection.goal
    assert selection.kind == "selected" and chosen is not None
    assert not chosen.done
    assert not any(g.parent == chosen.id for g in open_goals)
    assert all(b in by_id and by_id[b].done for b in chosen.blocked_by)
    assert chosen.wake_when in (None, "after:2026-01-01T00:00:00Z") or (
        go and chosen.wake_when == "env:PRAXIS_GO"
    )
    eligible = [c for c in selection.checks if c.eligible]
    best = max(c.unblocks for c in eligible)
    assert selection.checks[0].goal == chosen
    assert selection.checks[0].unblocks == best
    assert chosen.line == min(c.goal.line for c in eligible if c.unblocks == best)
    assert chosen not in [c.goal for c in selection.skipped]
