"""clock.quiet_hours_end: when the quiet window a moment falls in ends (midnight wrap, DST)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from praxis import clock


def _at(text: str) -> datetime:
    return clock.parse_timestamp(text)


@pytest.mark.parametrize(
    ("moment", "start", "end", "ends_at"),
    [
        ("2026-05-01T23:30:00Z", "23:00", "07:00", "2026-05-02T07:00:00Z"),  # before midnight
        ("2026-05-02T03:00:00Z", "23:00", "07:00", "2026-05-02T07:00:00Z"),  # after midnight
        ("2026-05-02T06:59:59Z", "23:00", "07:00", "2026-05-02T07:00:00Z"),
        ("2026-05-01T12:00:00Z", "09:00", "17:00", "2026-05-01T17:00:00Z"),  # same-day window
    ],
)
def test_quiet_window_end_utc(moment: str, start: str, end: str, ends_at: str) -> None:
    found = clock.quiet_hours_end(_at(moment), clock.load_timezone("UTC"), start, end)
    assert found is not None
    assert clock.format_timestamp(found) == ends_at


@pytest.mark.parametrize(
    ("moment", "start", "end"),
    [
        ("2026-05-01T07:00:00Z", "23:00", "07:00"),  # the end itself is awake
        ("2026-05-01T12:00:00Z", "23:00", "07:00"),
        ("2026-05-01T03:00:00Z", "08:00", "08:00"),  # start == end: never quiet
    ],
)
def test_not_quiet_has_no_end(moment: str, start: str, end: str) -> None:
    assert clock.quiet_hours_end(_at(moment), clock.load_timezone("UTC"), start, end) is None


def test_end_is_in_the_operator_timezone() -> None:
    berlin = clock.load_timezone("Europe/Berlin")
    found = clock.quiet_hours_end(_at("2026-04-30T21:30:00Z"), berlin, "22:00", "07:00")
    assert found == datetime(2026, 5, 1, 5, 0, tzinfo=UTC)  # 07:00 CEST


def test_end_skipped_by_spring_forward_is_the_jump() -> None:
    # Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z); 02:30 never happens.
    berlin = clock.load_timezone("Europe/Berlin")
    found = clock.quiet_hours_end(_at("2026-03-29T00:10:00Z"), berlin, "01:00", "02:30")
    assert found == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert not clock.in_quiet_hours(found, berlin, "01:00", "02:30")


def test_end_repeated_by_fall_back() -> None:
    # Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00Z); 02:30 happens twice.
    berlin = clock.load_timezone("Europe/Berlin")
    first = clock.quiet_hours_end(_at("2026-10-24T23:30:00Z"), berlin, "01:00", "02:30")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    # Inside the repeated hour the wall clock is quiet again until the second 02:30.
    second = clock.quiet_hours_end(_at("2026-10-25T01:10:00Z"), berlin, "01:00", "02:30")
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
