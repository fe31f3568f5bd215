"""Pure rules of the learning runtime: the throttle on parsed times, PROPOSALS.md's kept text,
source summaries."""

from __future__ import annotations

from praxis.clock import parse_timestamp
from praxis.learning.proposals import KEEP_MARKER, kept_tail, merge
from praxis.learning.sources import EMPTY_SUMMARY, summarize
from praxis.learning.throttle import remaining_slots

NOW = parse_timestamp("2026-05-10T12:00:00Z")
SEED = (
    "# Proposals\n\n## Pending\n- No pending proposals.\n\n## Accepted\n- No accepted proposals."
    "\n\n## Dismissed\n- No dismissed proposals.\n"
)


def test_throttle_two_a_rolling_day_five_a_rolling_week() -> None:
    assert remaining_slots([], NOW) == 2
    assert remaining_slots(["2026-05-10T01:00:00Z"], NOW) == 1
    assert remaining_slots(["2026-05-09T12:00:01Z", "2026-05-10T00:00:00Z"], NOW) == 0
    assert remaining_slots(["2026-05-09T12:00:00Z"], NOW) == 2  # exactly a day old: outside
    week = ["2026-05-04T00:00:00Z", "2026-05-05T00:00:00Z", "2026-05-06T00:00:00Z"]
    assert remaining_slots(week, NOW) == 2
    assert remaining_slots([*week, "2026-05-07T00:00:00Z"], NOW) == 1
    assert remaining_slots([*week, "2026-05-07T00:00:00Z", "2026-05-08T00:00:00Z"], NOW) == 0
    assert remaining_slots(["2026-05-03T11:59:59Z"] * 9, NOW) == 2


def test_throttle_parses_times_the_original_wrote() -> None:
    # `+02:00` sorts after `Z` as text; as a time it is 10:30 UTC, inside the day.
    assert remaining_slots(["2026-05-10T12:30:00+02:00"], NOW) == 1
    assert remaining_slots(["2026-05-09T13:00:00.123456789+00:00"], NOW) == 1
    assert remaining_slots(["garbage"], NOW) == 1  # unreadable: counted as recent


def test_seed_and_original_files_keep_only_the_operators_lines() -> None:
    assert kept_tail(SEED) == ""
    assert kept_tail(SEED + "- Operator idea\n") == "- Operator idea"
    original = (
        "# Proposals\n\n## Pending\n- [#1] Automate recurring work: task: x (automation)\n"
        "  status: pending\n  created_at: 2026-04-04T10:00:00+00:00\n  linked_goal: -\n"
        "  summary: task: x resurfaced.\n\n## Accepted\n- No accepted proposals.\n\n## Dismissed\n"
        "- No dismissed proposals.\nAppended by a tool"
    )
    assert kept_tail(original) == "Appended by a tool"


def test_merge_keeps_everything_below_the_marker_verbatim() -> None:
    first = merge(SEED, "# Proposals\n\n## Pending\n- No pending proposals.")
    assert first.endswith(f"\n\n{KEEP_MARKER}\n")
    appended = first + "## My notes\n\n- keep   this\n"
    again = merge(appended, "# Proposals\n\n## Pending\n- [#1] New (automation)")
    assert again == (
        f"# Proposals\n\n## Pending\n- [#1] New (automation)\n\n{KEEP_MARKER}\n"
        "## My notes\n\n- keep   this\n"
    )


def test_source_summary() -> None:
    assert summarize("\n# Title\n\n- one\n* two\nthree\n") == "Title; one; two"
    assert summarize("\n\n  \n") == EMPTY_SUMMARY
    assert summarize("#\n-\nreal") == "real"
