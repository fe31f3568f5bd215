"""`memory-search` and `memory-write` against a real data dir and database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from praxis.app import Praxis
from praxis.memory.store import add_hot_memory
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext, ToolOutcome

NOW = "2026-03-04T05:06:07Z"


def call(app: Praxis, name: str, **arguments: Any) -> ToolOutcome:
    ctx = ToolContext(app.data_dir, app.db, app.config.settings, NOW, "run-1", None)
    return builtin_tools()[name].run(ctx, arguments)


def seed(app: Praxis, *texts: str) -> list[int]:
    ids = [add_hot_memory(app.db, t, None, ["seed"], 0.5, NOW)[0] for t in texts]
    return ids


def test_search_lists_matches_with_id_and_tier(app: Praxis) -> None:
    first, _ = seed(app, "The backup job runs at night", "Tea is best at 80 degrees")
    outcome = call(app, "memory-search", query="backup night")
    assert outcome.ok
    assert outcome.output == f"- [#{first} hot] The backup job runs at night"
    assert outcome.summary == 'memory-search "backup night": 1 match(es)'


def test_search_finds_cold_memories_too(app: Praxis) -> None:
    app.db.execute(
        "INSERT INTO cold_memories(content, weight, tags, source_ids, contradicts, created_at,"
        " last_reinforced) VALUES ('Quarterly taxes are due in April', 0.9, '[]', '[]', '[]',"
        " ?, ?)",
        (NOW, NOW),
    )
    row = app.db.execute("SELECT id, content FROM cold_memories").fetchone()
    app.db.execute("INSERT INTO cold_fts(rowid, content) VALUES (?, ?)", (row[0], row[1]))
    outcome = call(app, "memory-search", query="taxes")
    assert outcome.output == f"- [#{row[0]} cold] Quarterly taxes are due in April"


def test_search_limit_defaults_to_five_and_is_honoured(app: Praxis) -> None:
    seed(app, *(f"garden note number {i}" for i in range(12)))
    assert len(call(app, "memory-search", query="garden").output.splitlines()) == 5
    assert len(call(app, "memory-search", query="garden", limit=2).output.splitlines()) == 2
    assert len(call(app, "memory-search", query="garden", limit=20).output.splitlines()) == 12
    refused = call(app, "memory-search", query="garden", limit=21)
    assert not refused.ok and refused.output == "invalid arguments: limit must be at most 20"


def test_search_with_nothing_found(app: Praxis) -> None:
    seed(app, "something else")
    for query in ("zebra", "!!! ???", 'quote" OR *'):
        outcome = call(app, "memory-search", query=query)
        assert outcome.ok and outcome.output == "No memories matched."


def test_search_output_is_one_line_per_hit(app: Praxis) -> None:
    seed(app, "multi\nline\n\nmemory about kites " + "long " * 200)
    outcome = call(app, "memory-search", query="kites")
    assert len(outcome.output.splitlines()) == 1
    assert len(outcome.output) < 450


def test_write_saves_a_tagged_hot_memory_and_commits(app: Praxis) -> None:
    outcome = call(app, "memory-write", text="The operator prefers short replies.", tags=["prefs"])
    assert outcome.ok
    row = app.db.execute(
        "SELECT id, content, summary, tags, importance, created_at FROM hot_memories"
    ).fetchone()
    assert outcome.output == f"Saved memory #{row['id']}."
    assert outcome.summary == f"memory-write #{row['id']}"
    assert row["content"] == "The operator prefers short replies."
    assert row["summary"] is None
    assert json.loads(row["tags"]) == ["tool", "prefs"]
    assert row["importance"] == pytest.approx(0.6)
    assert row["created_at"] == NOW
    assert not app.db.in_transaction
    # Visible from another connection: committed.
    other = Praxis(app.data_dir)
    try:
        assert other.db.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0] == 1
    finally:
        other.close()
    found = call(app, "memory-search", query="short replies")
    assert found.output.startswith(f"- [#{row['id']} hot]")


def test_write_twice_returns_the_existing_memory(app: Praxis) -> None:
    first = call(app, "memory-write", text="Plants need water")
    again = call(app, "memory-write", text="  plants   NEED water ")
    assert again.ok
    memory_id = first.output.removeprefix("Saved memory #").rstrip(".")
    assert again.output == f"Memory #{memory_id} already holds this text; nothing new was saved."
    assert again.summary == f"memory-write #{memory_id} (duplicate)"
    assert app.db.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0] == 1


def test_write_inside_the_callers_transaction_is_not_committed(app: Praxis) -> None:
    app.db.execute("BEGIN IMMEDIATE")
    assert call(app, "memory-write", text="rolled back later").ok
    assert app.db.in_transaction
    app.db.execute("ROLLBACK")
    assert app.db.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0] == 0


def test_write_refuses_long_blank_and_malformed_text(app: Praxis) -> None:
    too_long = call(app, "memory-write", text="x" * 2001)
    assert too_long.output == "invalid arguments: text must be at most 2000 characters"
    assert call(app, "memory-write", text="x" * 2000).ok
    blank = call(app, "memory-write", text="   \n ")
    assert not blank.ok and blank.output == "text must not be blank"
    assert not call(app, "memory-write", text="x", tags="a,b").ok
    assert not call(app, "memory-write", text="x", tags=[1]).ok
    assert not call(app, "memory-write", text="x", importance=1.0).ok
    assert app.db.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0] == 1


def test_write_tags_are_cleaned(app: Praxis) -> None:
    call(app, "memory-write", text="tag test", tags=["a", " a ", "tool", "two  words"])
    tags = json.loads(app.db.execute("SELECT tags FROM hot_memories").fetchone()[0])
    assert tags == ["tool", "a", "two words"]


def test_write_redacts_secrets(app: Praxis) -> None:
    call(app, "memory-write", text="the key is sk-ant-abcdefghijklmnop1234")
    content = app.db.execute("SELECT content FROM hot_memories").fetchone()[0]
    assert content == "the key is [REDACTED]"
