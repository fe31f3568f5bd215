"""One clock for everything that records time.

`PRAXIS_FIXED_NOW` (RFC 3339) pins it for every writer; stored timestamps are RFC 3339 UTC with `Z`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

from praxis import env
from praxis.errors import ConfigError, UsageError


def parse_timestamp(value: str) -> datetime:
    """Parse an RFC 3339 timestamp (``Z`` or an offset) into an aware UTC datetime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"invalid timestamp {value}", "use RFC 3339, e.g. 2026-05-01T08:00:00Z"
        ) from exc
    if parsed.tzinfo is None:
        raise UsageError(
            f"invalid timestamp {value}: missing timezone", "add Z or an offset such as +00:00"
        )
    return parsed.astimezone(UTC)


def now() -> datetime:
    """The current time in UTC, or the pinned `PRAXIS_FIXED_NOW`."""
    fixed = env.get("PRAXIS_FIXED_NOW")
    if fixed:
        try:
            return parse_timestamp(fixed)
        except UsageError as exc:
            raise ConfigError(
                f"invalid PRAXIS_FIXED_NOW value {fixed}",
                "set it to an RFC 3339 timestamp such as 2026-05-01T08:00:00Z, or unset it",
            ) from exc
    return datetime.now(UTC).replace(microsecond=0)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with a `Z` suffix, whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_text() -> str:
    return format_timestamp(now())


def load_timezone(name: str) -> tzinfo:
    """Resolve an IANA timezone name; raise ConfigError if unknown."""
    if name in ("UTC", "Etc/UTC"):
        return UTC  # the same offsets as zoneinfo's UTC, without loading the tz database
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        raise ConfigError(
            f"invalid timezone {name}", "use an IANA name such as UTC or Europe/Berlin"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(
            f"invalid timezone {name}", "use an IANA name such as UTC or Europe/Berlin"
        ) from exc


def parse_hhmm(value: str) -> tuple[int, int]:
    """Parse `HH:MM` (24-hour) into (hour, minute); raise ValueError when malformed."""
    parts = value.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(value)
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValueError(value)
    return hour, minute


def in_quiet_hours(moment: datetime, zone: tzinfo, start: str, end: str) -> bool:
    """Whether `moment` falls in the quiet window [start, end) in the operator's timezone.

    start == end means never quiet; a window with start > end wraps midnight.
    """
    local = moment.astimezone(zone)
    minute_of_day = local.hour * 60 + local.minute
    sh, sm = parse_hhmm(start)
    eh, em = parse_hhmm(end)
    begin, finish = sh * 60 + sm, eh * 60 + em
    if begin == finish:
        return False
    if begin < finish:
        return begin <= minute_of_day < finish
    return minute_of_day >= begin or minute_of_day < finish


def quiet_hours_end(moment: datetime, zone: tzinfo, start: str, end: str) -> datetime | None:
    """When the quiet window that `moment` falls in ends (UTC), or None when it is not quiet.

    A window that wraps midnight ends on the next local day. Across DST the end is the first
    instant at which `in_quiet_hours` turns false: the first occurrence of a repeated wall time
    (or the second, when `moment` is already in the repeated hour), and the transition itself
    when the end's wall time is skipped.
    """
    if not in_quiet_hours(moment, zone, start, end):
        return None
    local = moment.astimezone(zone)
    eh, em = parse_hhmm(end)
    day = local.date()
    if local.hour * 60 + local.minute >= eh * 60 + em:
        day += timedelta(days=1)  # past midnight's far side: the window wraps
    wall = datetime.combine(day, time(eh, em))
    candidates = sorted(wall.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))
    after = [c for c in candidates if c > moment and not in_quiet_hours(c, zone, start, end)]
    if not after:  # cannot happen for a real tz; stay safe rather than loop
        return candidates[-1]
    found = after[0]
    if found.astimezone(zone).replace(tzinfo=None) == wall:
        return found
    # The end's wall time does not exist (clocks jumped over it): find the jump by bisection.
    low, high = int(max(moment, candidates[0]).timestamp()), int(found.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if in_quiet_hours(datetime.fromtimestamp(middle, UTC), zone, start, end):
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def age_seconds(then: datetime, moment: datetime | None = None) -> int:
    """Whole seconds from `then` to now (negative when `then` is in the future)."""
    delta: timedelta = (moment or now()) - then
    return int(delta.total_seconds())
