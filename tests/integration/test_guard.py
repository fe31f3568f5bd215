"""Loop guard persisted in SQLite: identical calls, 2- and 3-step patterns, resets, and a window
that survives across connections and sessions (the original's never did)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxis.storage.db import open_database
from praxis.tools import guard
from praxis.tools.guard import (
    GuardVerdict,
    check_and_record,
    invocation_hash,
    recent_hashes,
    repeats_at_tail,
)

NOW = "2026-05-01T08:00:00Z"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_database(tmp_path / "praxis.db", NOW)
    yield connection
    connection.close()


def run(conn: sqlite3.Connection, calls: str, run_key: str = "s1") -> list[GuardVerdict]:
    """One invocation per letter; the tool is named after the letter."""
    return [check_and_record(conn, f"h-{c}", f"tool-{c}", run_key, NOW) for c in calls]


def blocked_at(verdicts: list[GuardVerdict]) -> list[int]:
    return [i + 1 for i, v in enumerate(verdicts) if v.blocked]


def test_hash_is_stable_and_covers_every_part() -> None:
    payload = '{"append_text": "hi"}'
    paths = ["JOURNAL.md", "METRICS.md"]
    value = invocation_hash("praxis-data-write", "append 2 bytes to JOURNAL.md", paths, payload)
    assert value == "4261b798dd547921"
    assert invocation_hash("internal-maintenance", "tidy", [], None) == "4a7984c000d31d4d"
    assert invocation_hash("internal-maintenance", "tidy", [], "") == "4a7984c000d31d4d"
    variants = {
        invocation_hash("praxis-data-write", "append 2 bytes to JOURNAL.md", paths[::-1], payload),
        invocation_hash("praxis-data-write", "other", paths, payload),
        invocation_hash("praxis-data-write", "append 2 bytes to JOURNAL.md", paths, None),
        invocation_hash("other-tool", "append 2 bytes to JOURNAL.md", paths, payload),
    }
    assert value not in variants and len(variants) == 4


def test_identical_requests_are_blocked_on_the_third(conn: sqlite3.Connection) -> None:
    verdicts = run(conn, "aaaa")
    assert blocked_at(verdicts) == [3, 4]  # recorded while blocked, so the repeat stays blocked
    assert verdicts[0] == GuardVerdict(False, None, None)
    assert verdicts[2] == GuardVerdict(
        True,
        "tool-a x3",
        "Loop guard blocked tool tool-a after 3 consecutive identical requests.",
    )
    assert verdicts[3].summary == (
        "Loop guard blocked tool tool-a after 4 consecutive identical requests."
    )
    assert conn.execute("SELECT COUNT(*) FROM tool_invocations").fetchone()[0] == 4


def test_two_step_pattern_is_blocked_on_its_third_cycle(conn: sqlite3.Connection) -> None:
    verdicts = run(conn, "ababab")
    assert blocked_at(verdicts) == [6]
    assert verdicts[5] == GuardVerdict(
        True,
        "2-step pattern x3",
        "Loop guard blocked a repeating 2-step tool pattern after 3 consecutive cycles.",
    )


def test_three_step_pattern_is_blocked_on_its_third_cycle(conn: sqlite3.Connection) -> None:
    verdicts = run(conn, "abcabcabc")
    assert blocked_at(verdicts) == [9]
    assert verdicts[8].detail == "3-step pattern x3"
    assert verdicts[8].summary == (
        "Loop guard blocked a repeating 3-step tool pattern after 3 consecutive cycles."
    )


def test_interleaving_resets_the_count(conn: sqlite3.Connection) -> None:
    assert blocked_at(run(conn, "aabaabcaab")) == []  # two cycles, broken by c, start over
    assert blocked_at(run(conn, "cdcecdd")) == []
    assert blocked_at(run(conn, "aabaab")) == []  # not a third cycle of the earlier aab


def test_a_block_of_identical_hashes_is_not_a_pattern() -> None:
    assert repeats_at_tail(["a"] * 4, 1) == 4
    assert repeats_at_tail(["a"] * 4, 2) == 0
    assert repeats_at_tail(["a"] * 6, 3) == 0
    assert repeats_at_tail(["x", "a", "b", "a", "b"], 2) == 2
    assert repeats_at_tail(["a"], 2) == 0


def test_window_persists_across_connections_and_sessions_of_one_goal(tmp_path: Path) -> None:
    path = tmp_path / "praxis.db"
    for session in ("s1", "s2"):
        connection = open_database(path, NOW)
        verdict = check_and_record(connection, "h-a", "tool-a", session, NOW, goal_id="G-002")
        assert not verdict.blocked
        connection.close()
    connection = open_database(path, NOW)
    # Another goal's session is not judged by G-002's calls ...
    assert not check_and_record(connection, "h-a", "tool-a", "s3", NOW, goal_id="G-003").blocked
    # ... but a third session on G-002 repeating the same call is.
    assert check_and_record(connection, "h-a", "tool-a", "s4", NOW, goal_id="G-002").blocked
    keys = [r[0] for r in connection.execute("SELECT session_run_key FROM tool_invocations")]
    assert keys == ["s1", "s2", "s3", "s4"]
    connection.close()


def test_the_window_is_the_conversation_and_the_goal(conn: sqlite3.Connection) -> None:
    run(conn, "aa", run_key="s1")
    assert not run(conn, "a", run_key="s2")[0].blocked  # another conversation, no goal
    assert run(conn, "a", run_key="s1")[0].blocked  # the same conversation: third repeat


def test_reset_clears_the_window(conn: sqlite3.Connection) -> None:
    from praxis.tools.guard import reset

    run(conn, "aab")
    assert reset(conn, "tool-a") == 2
    assert not run(conn, "aa")[1].blocked
    assert reset(conn) == 3


def test_only_the_window_counts(conn: sqlite3.Connection) -> None:
    run(conn, "aa")
    assert check_and_record(conn, "h-a", "tool-a", None, NOW, window=2).blocked
    assert not check_and_record(conn, "h-a", "tool-a", None, NOW, window=1).blocked
    assert not check_and_record(conn, "h-a", "tool-a", None, NOW, limit=6).blocked
    assert check_and_record(conn, "h-a", "tool-a", None, NOW, limit=6).blocked


def test_since_ignores_older_invocations(conn: sqlite3.Connection) -> None:
    check_and_record(conn, "h-a", "tool-a", None, "2026-04-01T00:00:00Z")
    check_and_record(conn, "h-a", "tool-a", None, "2026-04-30T23:00:00+00:00")
    assert recent_hashes(conn, since="2026-04-30T00:00:00Z") == ["h-a"]
    verdict = check_and_record(conn, "h-a", "tool-a", None, NOW, since="2026-04-30T00:00:00Z")
    assert not verdict.blocked
    assert check_and_record(conn, "h-a", "tool-a", None, NOW).blocked


def test_guard_writes_inside_the_callers_transaction(conn: sqlite3.Connection) -> None:
    run(conn, "aa")
    conn.execute("BEGIN IMMEDIATE")
    assert check_and_record(conn, "h-a", "tool-a", "s1", NOW).blocked
    assert conn.in_transaction  # no commit inside the guard
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT COUNT(*) FROM tool_invocations").fetchone()[0] == 2


def test_old_invocations_are_pruned(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "KEEP_ROWS", 50)
    for i in range(300):
        check_and_record(conn, f"h{i}", "tool", None, NOW)
    count, oldest = conn.execute("SELECT COUNT(*), MIN(id) FROM tool_invocations").fetchone()
    assert count == 50 and oldest == 251
    assert recent_hashes(conn, window=3) == ["h297", "h298", "h299"]
