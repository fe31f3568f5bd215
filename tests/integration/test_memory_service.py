"""The memory service against a real data dir: consolidation (age, capacity, near-duplicates,
contradictions), decay once a day, reinforcement once a session, search, operational memory,
and the migration of rows the Rust original wrote."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.config.settings import MemorySettings
from praxis.errors import PraxisError, StateError, UsageError
from praxis.memory.operational import Failure
from praxis.memory.service import MemoryService, parse_ref

NOW = "2026-05-01T12:00:00Z"
OLD = "2026-04-10T08:00:00Z"  # 21 days before NOW: past memory.hot_days (14)


def service(app: Praxis, **settings: object) -> MemoryService:
    return MemoryService(app.db, MemorySettings()._replace(**settings), "UTC", app.data_dir.events)


def rows(app: Praxis, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in app.db.execute(sql)]


# --- consolidation ---


def test_three_old_near_duplicates_become_one_cold_memory(app: Praxis) -> None:
    memory = service(app)
    ids = [
        memory.add("The backup job runs every night at two on the NAS", [], OLD)[0],
        memory.add("the backup job runs   every night at two on the NAS.", ["ops"], OLD)[0],
        memory.add("The backup job runs every night at two on the NAS box", [], OLD)[0],
    ]
    young, _ = memory.add("The plants on the balcony need water", [], NOW)
    result = memory.consolidate(NOW)
    assert (result.moved, result.by_age, result.created, result.merged) == (3, 3, 1, 3)
    assert result.hot_remaining == 1
    [cold] = rows(app, "SELECT id, weight, source_ids, last_reinforced, tags FROM cold_memories")
    assert float(cold[1]) > 1.0  # type: ignore[arg-type]
    assert sorted(json.loads(str(cold[2]))) == sorted(ids)
    assert cold[3] == NOW
    assert json.loads(str(cold[4])) == ["operator", "ops"]
    assert rows(app, "SELECT id FROM hot_memories") == [(young,)]
    assert rows(app, "SELECT COUNT(*) FROM hot_fts") == [(1,)]
    hits = memory.search("backup NAS", NOW)
    assert [h.ref for h in hits] == [f"cold-{cold[0]}"]
    assert memory.last_run("consolidate") is not None
    assert "memory:consolidated" in app.data_dir.events.read_text()


def test_capacity_moves_the_oldest_beyond_it(app: Praxis) -> None:
    memory = service(app, hot_capacity=3)
    topics = ["kites", "tea", "taxes", "bikes", "maps"]
    for day, topic in enumerate(topics, start=25):
        memory.add(f"A note about {topic}", [], f"2026-04-{day:02d}T08:00:00Z")
    result = memory.consolidate(NOW)
    assert (result.moved, result.by_age, result.by_capacity) == (2, 0, 2)
    hot = [str(r[0]) for r in rows(app, "SELECT content FROM hot_memories ORDER BY id")]
    assert hot == ["A note about taxes", "A note about bikes", "A note about maps"]
    assert memory.stats().hot == 3 and memory.stats().cold == 2


def test_contradictions_are_linked_not_overwritten(app: Praxis) -> None:
    memory = service(app)
    memory.add("The garden sprinkler is enabled on weekdays", [], OLD)
    memory.add("The garden sprinkler is disabled on weekdays", [], "2026-04-11T08:00:00Z")
    result = memory.consolidate(NOW)
    assert (result.created, result.merged, result.contradictions) == (2, 0, 1)
    found = rows(app, "SELECT id, content, contradicts FROM cold_memories ORDER BY id")
    (first, text_a, links_a), (second, text_b, links_b) = found
    assert (text_a, text_b) == (
        "The garden sprinkler is enabled on weekdays",
        "The garden sprinkler is disabled on weekdays",
    )
    assert json.loads(str(links_a)) == [second] and json.loads(str(links_b)) == [first]


def test_a_later_duplicate_reinforces_the_existing_cold_memory(app: Praxis) -> None:
    memory = service(app)
    first, _ = memory.add("Renew the car insurance in March", [], OLD)
    memory.consolidate("2026-04-30T12:00:00Z")
    second, _ = memory.add("renew the car insurance in march!", ["car"], "2026-04-12T08:00:00Z")
    result = memory.consolidate(NOW)
    assert (result.created, result.reinforced, result.merged) == (0, 1, 1)
    [(weight, sources, reinforced)] = rows(
        app, "SELECT weight, source_ids, last_reinforced FROM cold_memories"
    )
    assert weight == pytest.approx(1.1)
    assert json.loads(str(sources)) == [first, second]
    assert reinforced == NOW


def test_dry_run_changes_nothing(app: Praxis) -> None:
    memory = service(app)
    memory.add("An old note", [], OLD)
    before = rows(app, "SELECT * FROM hot_memories")
    result = memory.consolidate(NOW, dry_run=True)
    assert result.dry_run and result.moved == 1 and result.created == 1
    assert rows(app, "SELECT * FROM hot_memories") == before
    assert rows(app, "SELECT COUNT(*) FROM cold_memories") == [(0,)]
    assert memory.last_run("consolidate") is None


def test_different_sessions_are_not_merged(app: Praxis) -> None:
    memory = service(app)
    texts = [
        "Task: water the garden. Outcome: task_selected. Done: Watered the beds. "
        "Evidence: review skipped; evals 1/1 passed.",
        "Task: file the tax return. Outcome: task_selected. Done: Filed it online. "
        "Evidence: review skipped; evals 1/1 passed.",
    ]
    for text in texts:
        memory.add(text, [], OLD)
    assert memory.consolidate(NOW).created == 2


# --- decay ---


def _cold(app: Praxis, weight: float, reinforced: str) -> int:
    from praxis.memory.store import add_cold_memory

    return add_cold_memory(app.db, "old lesson", weight, [], [], reinforced, reinforced)


def _weight(app: Praxis, memory_id: int) -> float:
    return float(
        app.db.execute("SELECT weight FROM cold_memories WHERE id = ?", (memory_id,)).fetchone()[0]
    )


def test_decay_once_per_day_counting_only_changed_rows(app: Praxis) -> None:
    memory = service(app)
    stale = _cold(app, 1.0, "2026-01-30T12:00:00Z")  # 91 days before NOW
    fresh = _cold(app, 1.0, "2026-02-02T12:00:00Z")  # 88 days
    floor = _cold(app, 0.25, "2025-01-01T00:00:00Z")
    near = _cold(app, 0.255, "2025-01-01T00:00:00Z")
    assert memory.decay(NOW) == 2  # stale and near; the floor row does not change
    assert memory.decay("2026-05-01T18:00:00Z") == 0  # same day: nothing again
    assert _weight(app, stale) == pytest.approx(0.97)
    assert _weight(app, near) == pytest.approx(0.25)
    assert _weight(app, floor) == pytest.approx(0.25)
    assert _weight(app, fresh) == pytest.approx(1.0)
    assert memory.decay("2026-05-02T08:00:00Z") == 1  # next day: stale once more
    assert _weight(app, stale) == pytest.approx(0.97 * 0.97)
    assert "Decayed 2 cold memories" in app.data_dir.events.read_text()
    run = memory.last_run("decay")
    assert run is not None and run.counts == {"decayed": 1}


def test_decay_days_follow_the_operators_timezone(app: Praxis) -> None:
    memory = MemoryService(app.db, MemorySettings(), "Asia/Tokyo")
    stale = _cold(app, 1.0, "2025-01-01T00:00:00Z")
    assert memory.decay("2026-05-01T08:00:00Z") == 1  # 17:00 JST, May 1
    assert memory.decay("2026-05-01T14:00:00Z") == 0  # 23:00 JST, May 1
    assert memory.decay("2026-05-01T16:00:00Z") == 1  # 01:00 JST, May 2
    assert _weight(app, stale) == pytest.approx(0.97 * 0.97)


# --- reinforcement ---


def test_reinforced_once_per_session_and_only_when_it_ended_well(app: Praxis) -> None:
    memory = service(app)
    hot, _ = memory.add("The dog eats at six", [], NOW, importance=0.5)
    cold = _cold(app, 1.0, "2026-01-01T00:00:00Z")
    context = memory.context_for("dog eats lesson", "run-1", NOW)
    assert {h.ref for h in context.hits} >= {f"hot-{hot}"}
    memory.context_for("old lesson", "run-1", NOW)  # a re-run orient replaces the notes
    memory.context_for("dog eats", "run-1", NOW)
    assert memory.reinforce_session("run-1", True, "2026-05-01T13:00:00Z") == 1
    assert memory.reinforce_session("run-1", True, "2026-05-01T13:00:00Z") == 0
    importance, count = app.db.execute(
        "SELECT importance, access_count FROM hot_memories WHERE id = ?", (hot,)
    ).fetchone()
    assert (importance, count) == (pytest.approx(0.55), 1)
    memory.context_for("old lesson", "run-2", NOW)
    assert memory.reinforce_session("run-2", False, NOW) == 0
    assert _weight(app, cold) == pytest.approx(1.0)
    memory.context_for("old lesson", "run-3", NOW)
    assert memory.reinforce_session("run-3", True, NOW) == 1
    assert _weight(app, cold) == pytest.approx(1.1)


# --- search ---


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(", "*", "col:x", "^start", "(a", "a)b", "'", "café", "-x", "{}"],
)
def test_fts_syntax_in_a_query_never_crashes(app: Praxis, query: str) -> None:
    memory = service(app)
    memory.add("café and NEAR notes", [], NOW)
    memory.search(query, NOW)  # no exception
    memory.context_for(query, "run-x", NOW)


def test_all_words_first_then_any_word(app: Praxis) -> None:
    memory = service(app)
    both, _ = memory.add("Water the garden before noon", [], NOW)
    one, _ = memory.add("The garden shed key is under the pot", [], NOW)
    assert [h.id for h in memory.search("garden noon", NOW)] == [both]
    assert {h.id for h in memory.search("garden lawnmower", NOW)} == {both, one}


def test_flagged_memories_rank_down(app: Praxis) -> None:
    memory = service(app)
    app.db.execute("BEGIN")
    from praxis.memory.store import add_hot_memory

    flagged, _ = add_hot_memory(
        app.db, "Invoice run for May", None, [], 0.7, NOW, flags=["review_failed"]
    )
    plain, _ = add_hot_memory(app.db, "Invoice run for June", None, [], 0.7, NOW)
    app.db.execute("COMMIT")
    assert [h.id for h in memory.search("invoice run", NOW)] == [plain, flagged]
    recent = [h.id for h in memory.context_for("", "run-y", NOW).hits if h.tier == "hot"]
    assert recent == [plain, flagged]


def test_recent_ones_rank_above_old_ones(app: Praxis) -> None:
    memory = service(app)
    old, _ = memory.add("Quarterly report draft", [], "2026-01-01T00:00:00Z")
    new, _ = memory.add("Quarterly report draft v2", [], NOW)
    assert [h.id for h in memory.search("quarterly report", NOW)] == [new, old]


def test_tool_text_is_cleaned_and_capped_operator_text_refused(app: Praxis) -> None:
    memory = service(app, max_chars=100)
    junk = "## Junk\n```\n" + " ".join(f"word{i}" for i in range(200)) + " !!!!!!!!!!"
    memory_id, _ = memory.add(junk, [], NOW, origin="tool")
    [(content,)] = rows(app, f"SELECT content FROM hot_memories WHERE id = {memory_id}")
    assert str(content).startswith("Junk word0 word1 ")
    assert len(str(content)) <= 100 and str(content).endswith("…")
    repeated, _ = memory.add("ok " * 50 + "!!!!!!!!", [], NOW, origin="tool")
    [(content,)] = rows(app, f"SELECT content FROM hot_memories WHERE id = {repeated}")
    assert content == "ok ok !!!"
    with pytest.raises(UsageError, match="at most 100"):
        memory.add("x" * 101, [], NOW)
    with pytest.raises(UsageError, match="between 0 and 1"):
        memory.add("fine", [], NOW, importance=float("nan"))


# --- operational memory ---


def test_a_repeated_failure_bumps_the_counter_and_resolve_closes_it(app: Praxis) -> None:
    memory = service(app)
    failed = Failure("tidy the garage", "eval_failed", "s1", None, 1)
    assert memory.record_failure(failed, NOW) == (1, 1)
    later = "2026-05-01T13:00:00Z"
    again = replace(failed, symptoms="s2", session_id=2)
    assert memory.record_failure(again, later) == (1, 1)
    assert rows(app, "SELECT id, count, last_seen_at FROM do_not_repeat") == [(1, 2, later)]
    assert rows(app, "SELECT id, count, symptoms FROM known_bugs") == [(1, 2, "s2")]
    found = memory.context_for("garage", "r", NOW)
    assert found.do_not_repeat == [
        "- Do not treat tidy the garage as complete until reviewer and eval checks pass "
        "cleanly. [eval_failed] (seen 2 times)"
    ]
    assert len(found.known_bugs) == 1
    assert memory.resolve("dnr-1", later) == ["dnr-1", "bug-1"]
    found = memory.context_for("garage", "r", NOW)
    assert (found.do_not_repeat, found.known_bugs) == ([], [])
    with pytest.raises(StateError, match="already resolved"):
        memory.resolve("bug-1", later)
    memory.record_failure(
        replace(failed, severity="review_failed", symptoms="s3", session_id=3), later
    )
    assert rows(app, "SELECT count, resolved_at FROM do_not_repeat") == [(3, None)]


def test_operational_lookup_matches_words(app: Praxis) -> None:
    memory = service(app)
    memory.record_failure(Failure("clean the garage shelves", "eval_failed", "s", None, 1), NOW)
    memory.record_failure(Failure("bake bread", "eval_failed", "s", None, 2), NOW)
    found = memory.context_for("garage cleanup", "r", NOW)
    assert len(found.do_not_repeat) == 1 and "garage shelves" in found.do_not_repeat[0]
    assert [b.split(" -> ")[0] for b in found.known_bugs] == ["- clean the garage shelves"]
    nothing = memory.context_for("kitchen", "r", NOW)
    assert (nothing.do_not_repeat, nothing.known_bugs) == ([], [])
    assert len(memory.context_for("", "r", NOW).do_not_repeat) == 2


def test_ids(app: Praxis) -> None:
    assert parse_ref("hot-12").kind == "hot" and parse_ref("BUG:3").id == 3
    assert parse_ref(" 7 ").kind is None
    for bad in ("x-1", "hot-", "", "1.5", "hot-99999999999999999999"):
        with pytest.raises(UsageError):
            parse_ref(bad)
    memory = service(app)
    memory.add("one", [], NOW)
    _cold(app, 1.0, NOW)
    with pytest.raises(UsageError, match="ambiguous: hot-1 and cold-1"):
        memory.get("1")
    with pytest.raises(PraxisError, match="memory hot-5 not found"):
        memory.get("hot-5")
    assert memory.forget("cold-1") == "cold-1"
    assert memory.get("1").ref == "hot-1"


def test_forget_removes_the_search_entry(app: Praxis) -> None:
    memory = service(app)
    memory_id, _ = memory.add("Secret garden gate code", [], NOW)
    assert memory.search("garden gate", NOW)
    memory.forget(f"hot-{memory_id}")
    assert memory.search("garden gate", NOW) == []
    assert rows(app, "SELECT COUNT(*) FROM hot_fts") == [(0,)]


# --- the migration ---


def test_migration_repairs_rows_the_original_wrote(tmp_path: Path) -> None:
    from praxis.storage.db import available_migrations, migrate

    path = tmp_path / "praxis.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for migration in available_migrations():
        if migration.version < 21:
            conn.executescript(migration.sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, 'x')", (migration.version,))
    statement = "Do not treat G-001: x as complete until reviewer and eval checks pass cleanly."
    for stamp in ("2026-03-01 10:00:00", "2026-03-02 10:00:00"):
        conn.execute(
            "INSERT INTO do_not_repeat(statement, severity, created_at) VALUES (?, 'review_failed', ?)",
            (statement, stamp),
        )
        conn.execute(
            "INSERT INTO known_bugs(signature, symptoms, fix_summary, resolved_at, last_seen_at) "
            "VALUES ('G-001: x', 's', 'f', ?, ?)",
            (stamp, stamp),
        )
    conn.execute(
        "INSERT INTO cold_memories(content, created_at, last_reinforced) "
        "VALUES ('c', '2026-01-01 00:00:00', '2026-01-01T00:00:00+00:00')"
    )
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, path, NOW) == [21]
    assert conn.execute("SELECT count, last_seen_at, signature FROM do_not_repeat").fetchall() == [
        (2, "2026-03-02T10:00:00Z", statement.lower())
    ]
    assert conn.execute("SELECT count, resolved_at FROM known_bugs").fetchall() == [(2, None)]
    assert conn.execute("SELECT created_at, last_reinforced FROM cold_memories").fetchall() == [
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    ]
    conn.close()
