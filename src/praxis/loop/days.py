"""DAY_COUNT: advances on the first session of each new local day (reference §20.1 item 6)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from praxis import clock
from praxis.errors import PraxisError
from praxis.files import atomic_write_text
from praxis.identity.foundation import read_day_count
from praxis.paths import DataDir


def day_for_new_session(
    data_dir: DataDir, conn: sqlite3.Connection, timezone: str, now: datetime
) -> int:
    """The day number a session starting `now` belongs to."""
    current = read_day_count(data_dir)
    row = conn.execute("SELECT started_at, day FROM sessions ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return current + 1
    zone = clock.load_timezone(timezone)
    try:
        last_date = clock.parse_timestamp(str(row["started_at"])).astimezone(zone).date()
    except PraxisError:  # an unparseable legacy timestamp counts as another day
        return max(current, int(row["day"])) + 1
    if now.astimezone(zone).date() > last_date:
        return max(current, int(row["day"])) + 1
    return max(current, int(row["day"]))


def store_day(data_dir: DataDir, day: int) -> None:
    """Set DAY_COUNT (idempotent: a resumed session writes the same value again)."""
    if read_day_count(data_dir) != day:
        atomic_write_text(data_dir.day_count, f"{day}\n")
