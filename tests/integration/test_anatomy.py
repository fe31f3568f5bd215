"""Tracked reads against a real SQLite database: the anatomy index and repeated-read avoidance."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxis.context.anatomy import describe, entry_count, relative_name, tracked_read
from praxis.context.tokens import chars_estimate
from praxis.errors import StateError
from praxis.storage.db import open_database

NOW = "2026-02-03T04:05:06Z"
IDENTITY = "# Identity\n\nI am Praxis.\n" + "".join(
    f"- Operator rule {i}: never send messages during quiet hours ({i}).\n" for i in range(60)
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    return data


@pytest.fixture
def conn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", NOW)
    connection = open_database(tmp_path / "p.db", "2026-01-01T00:00:00Z")
    yield connection
    connection.close()


def write(path: Path, text: str, mtime: int = 1_767_225_600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def row(conn: sqlite3.Connection, rel: str) -> sqlite3.Row:
    found = conn.execute("SELECT * FROM anatomy_index WHERE path = ?", (rel,)).fetchone()
    assert found is not None
    return found  # type: ignore[no-any-return]


def read_identity_once(conn: sqlite3.Connection, root: Path) -> tuple[Path, dict[str, str]]:
    """IDENTITY.md written and read once, for phase identity: its path and the session's map
    of what it read."""
    path = write(root / "IDENTITY.md", IDENTITY)
    seen: dict[str, str] = {}
    tracked_read(conn, path, "identity", root, seen)
    return path, seen


def test_first_read_returns_the_content_and_indexes_it(
    conn: sqlite3.Connection, root: Path
) -> None:
    path = write(root / "IDENTITY.md", IDENTITY)
    seen: dict[str, str] = {}
    result = tracked_read(conn, path, "identity", root, seen)
    assert result.content == IDENTITY
    assert not result.avoided
    assert result.tokens == chars_estimate(IDENTITY)
    entry = row(conn, "IDENTITY.md")
    assert entry["description"] == "Identity"
    assert entry["token_estimate"] == chars_estimate(IDENTITY)
    assert entry["last_modified_at"] == "2026-01-01T00:00:00Z"
    assert json.loads(entry["tags_json"]) == ["identity"]
    assert entry["size_bytes"] == len(IDENTITY.encode())
    assert len(entry["content_sha256"]) == 64
    assert entry["last_read_at"] == NOW
    assert list(seen) == ["IDENTITY.md"]
    assert entry_count(conn) == 1


def test_a_repeated_read_in_the_same_session_is_avoided(
    conn: sqlite3.Connection, root: Path
) -> None:
    path, seen = read_identity_once(conn, root)
    again = tracked_read(conn, path, "decide", root, seen)
    assert again.avoided
    assert again.content.startswith("Unchanged since last read: IDENTITY.md: Identity\n")
    assert "Summarized excerpt preserving anchors:" in again.content
    assert again.tokens == chars_estimate(again.content)
    assert again.tokens < chars_estimate(IDENTITY) // 4
    assert json.loads(row(conn, "IDENTITY.md")["tags_json"]) == ["decide"]


def test_a_later_session_avoids_an_unchanged_file_through_the_index(
    conn: sqlite3.Connection, root: Path
) -> None:
    path, _ = read_identity_once(conn, root)
    next_session: dict[str, str] = {}
    result = tracked_read(conn, path, "identity", root, next_session)
    assert result.avoided
    assert "IDENTITY.md" in next_session


def test_the_session_map_alone_is_enough(conn: sqlite3.Connection, root: Path) -> None:
    path, seen = read_identity_once(conn, root)
    conn.execute("DELETE FROM anatomy_index")
    assert tracked_read(conn, path, "identity", root, seen).avoided


def test_a_change_with_the_same_size_and_mtime_is_read_again(
    conn: sqlite3.Connection, root: Path
) -> None:
    path, seen = read_identity_once(conn, root)
    changed = IDENTITY.replace("I am Praxis.", "I am Pravda.")
    write(path, changed)
    result = tracked_read(conn, path, "identity", root, seen)
    assert not result.avoided
    assert result.content == changed
    assert tracked_read(conn, path, "identity", root, seen).avoided


def test_a_touched_file_is_read_again(conn: sqlite3.Connection, root: Path) -> None:
    path, seen = read_identity_once(conn, root)
    write(path, IDENTITY, mtime=1_767_225_700)
    result = tracked_read(conn, path, "identity", root, seen)
    assert not result.avoided
    assert row(conn, "IDENTITY.md")["last_modified_at"] == "2026-01-01T00:01:40Z"


def test_a_small_unchanged_file_comes_back_whole_under_the_note(
    conn: sqlite3.Connection, root: Path
) -> None:
    path = write(root / "AGENTS.md", "# Agents\nBe kind.\n")
    tracked_read(conn, path, "agents", root, {})
    result = tracked_read(conn, path, "agents", root, {})
    assert result.avoided
    assert result.content == "Unchanged since last read: AGENTS.md: Agents\n# Agents\nBe kind.\n"


def test_a_missing_file_reads_empty_and_leaves_the_index(
    conn: sqlite3.Connection, root: Path
) -> None:
    path = write(root / "PATTERNS.md", "# Patterns\n")
    seen: dict[str, str] = {}
    tracked_read(conn, path, "patterns", root, seen)
    path.unlink()
    result = tracked_read(conn, path, "patterns", root, seen)
    assert (result.content, result.avoided, result.tokens) == ("", False, 0)
    assert entry_count(conn) == 0
    assert seen == {}


def test_nested_and_outside_paths(conn: sqlite3.Connection, root: Path, tmp_path: Path) -> None:
    nested = root / "goals" / "criteria"
    nested.mkdir(parents=True)
    inside = write(nested / "G-001.json", '{"checks": []}')
    outside = write(tmp_path / "elsewhere.md", "note")
    tracked_read(conn, inside, "criteria", root, {})
    tracked_read(conn, outside, "file_read", root, {})
    paths = {r[0] for r in conn.execute("SELECT path FROM anatomy_index")}
    assert paths == {"goals/criteria/G-001.json", outside.resolve().as_posix()}
    assert relative_name(root / "x" / ".." / "IDENTITY.md", root) == "IDENTITY.md"


def test_invalid_utf8_is_replaced_not_fatal(conn: sqlite3.Connection, root: Path) -> None:
    path = root / "JOURNAL.md"
    path.write_bytes(b"# Journal\n\xff\xfe broken bytes\n")
    result = tracked_read(conn, path, "journal", root, {})
    assert "\ufffd" in result.content
    assert not result.avoided


def test_a_directory_is_a_clear_error(conn: sqlite3.Connection, root: Path) -> None:
    (root / "IDENTITY.md").mkdir()
    with pytest.raises(StateError, match=r"cannot read IDENTITY\.md"):
        tracked_read(conn, root / "IDENTITY.md", "identity", root, {})


def test_the_counter_used_is_the_one_given(conn: sqlite3.Connection, root: Path) -> None:
    path = write(root / "IDENTITY.md", IDENTITY)
    result = tracked_read(conn, path, "identity", root, {}, counter=len)
    assert result.tokens == len(IDENTITY)
    assert row(conn, "IDENTITY.md")["token_estimate"] == len(IDENTITY)
    again = tracked_read(conn, path, "identity", root, {}, counter=len, summary_tokens=200)
    body = again.content.split("\n", 1)[1]
    assert len(body) <= 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Identity\nbody", "Identity"),
        ("\n\n## Sub heading  \nbody", "Sub heading"),
        ("#\nplain first line", "plain first line"),
        ("x" * 200, "x" * 80),
        ("", "FILE.md"),
        ("  \n\t\n", "FILE.md"),
    ],
)
def test_describe(text: str, expected: str) -> None:
    assert describe(text, "FILE.md") == expected
