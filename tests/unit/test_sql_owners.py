"""One writer per table group (issue 11, docs/architecture.md "Where SQL lives"): every INSERT,
UPDATE, DELETE or REPLACE in src/praxis names a table its module owns. Reports (status,
analysis/, the audit, learning's mining) may read across tables; only the owner changes rows.

A new table in a migration fails `test_every_table_has_one_owner` until it is given an owner here
and in the map.
"""

from __future__ import annotations

import re
from pathlib import Path

import praxis
from praxis.storage.db import open_database

SRC = Path(praxis.__file__).parent
# Owner module (or package, for the memory tiers) -> the tables only it writes.
OWNERS: dict[str, frozenset[str]] = {
    "praxis.storage.db": frozenset({"schema_migrations"}),
    "praxis.storage.sessions": frozenset({"sessions", "session_snapshots"}),
    "praxis.storage.attempts": frozenset({"provider_attempts", "token_ledger"}),
    "praxis.tools.approvals": frozenset({"approval_requests"}),
    "praxis.tools.guard": frozenset({"tool_invocations"}),
    "praxis.loop.conversation_store": frozenset({"conversation_messages"}),
    "praxis.quality.runs_store": frozenset({"review_runs", "eval_runs"}),
    "praxis.learning.store": frozenset({"learning_runs", "learning_sources", "opportunities"}),
    "praxis.context.anatomy": frozenset({"anatomy_index"}),
    "praxis.memory": frozenset(
        {
            "hot_memories",
            "cold_memories",
            "hot_fts",
            "cold_fts",
            "memory_retrievals",
            "memory_runs",
            "do_not_repeat",
            "known_bugs",
        }
    ),
}
WRITE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"
    r"(?P<table>\{[^}]*\}|[a-z_][a-z0-9_]*)"
)  # case-sensitive: SQL keywords are written in capitals, prose says "update", "delete"


def owner_of(module: str) -> str | None:
    """The OWNERS key that covers `module` (itself, or the package it is in)."""
    for owner in OWNERS:
        if module == owner or module.startswith(owner + "."):
            return owner
    return None


def violations(source: str, module: str) -> list[str]:
    """Each write in `source` to a table `module` does not own, as `module:line: table`."""
    owner = owner_of(module)
    owned = OWNERS.get(owner, frozenset()) if owner else frozenset()
    found: list[str] = []
    for match in WRITE.finditer(source):
        table = match.group("table")
        dynamic = table.startswith("{")  # an f-string table: only an owner may choose one
        if (dynamic and owner is None) or (not dynamic and table not in owned):
            line = source.count("\n", 0, match.start()) + 1
            found.append(f"{module}:{line}: {table}")
    return found


def _modules() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((module, path.read_text(encoding="utf-8")))
    return found


def test_every_write_names_a_table_its_module_owns() -> None:
    found = [v for module, source in _modules() for v in violations(source, module)]
    assert found == [], "writes outside the table's owner (docs/architecture.md):\n" + "\n".join(
        found
    )


def test_every_table_has_one_owner(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "praxis.db", "2026-01-01T00:00:00Z")
    try:
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
            and not re.search(r"_fts_(config|content|data|docsize|idx)$", row[0])
        }
    finally:
        conn.close()
    owned = [table for tables_ in OWNERS.values() for table in tables_]
    assert len(owned) == len(set(owned)), "a table has two owners"
    assert tables == set(owned)


def test_the_check_catches_a_write_from_outside_the_owner() -> None:
    report = 'conn.execute("UPDATE sessions SET outcome = ? WHERE id = ?", (o, i))\n'
    assert violations(report, "praxis.analysis.argus") == ["praxis.analysis.argus:1: sessions"]
    assert violations(report, "praxis.storage.sessions") == []
    dynamic = 'conn.execute(f"DELETE FROM {table} WHERE id = ?", (i,))\n'
    assert violations(dynamic, "praxis.memory.decay") == []
    assert violations(dynamic, "praxis.operator.status") == ["praxis.operator.status:1: {table}"]
    # Reads are free; prose is not SQL.
    assert violations('"SELECT id FROM sessions"  # update the delete', "praxis.analysis.x") == []
