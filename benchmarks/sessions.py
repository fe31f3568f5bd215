"""`run --once` (stub) on a data dir with long history vs. a fresh one (SPEC §14: ≤ 2×).

Seeds 10,000 sessions (rows, snapshots, ledger, journal/metrics lines, events) and 100,000 hot
memories directly in SQLite, then times `praxis run --once --force` on both dirs, alternating.
Prints one figure a line.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import compare_runs, fresh_and_seeded, praxis_command

# A task whose words match many seeded memories, so the FTS search does real work.
TASK = "water the garden"

WORDS = [
    "garden",
    "water",
    "plants",
    "invoice",
    "tax",
    "report",
    "email",
    "draft",
    "backup",
    "photos",
    "budget",
    "review",
    "notes",
    "calendar",
    "meeting",
    "travel",
    "booking",
    "groceries",
    "recipe",
    "fitness",
    "reading",
    "book",
    "article",
    "summary",
    "server",
    "logs",
    "update",
    "security",
    "patch",
    "journal",
    "reflection",
    "habit",
    "sleep",
    "project",
    "deadline",
]


def seed(data: Path, sessions: int, memories: int) -> None:
    rng = random.Random(7)
    conn = sqlite3.connect(data / "praxis.db")
    with conn:
        for i in range(1, sessions + 1):
            day = 1 + i // 10
            started = f"2025-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d}T08:{i % 60:02d}:00Z"
            cursor = conn.execute(
                "INSERT INTO sessions(run_key, day, session_num, started_at, ended_at, outcome, "
                "selected_goal_id, selected_goal_title, action_summary, phase_durations) "
                "VALUES (?, ?, ?, ?, ?, 'goal_selected', 'G-001', 'Seeded goal', 'seeded', '{}')",
                (f"seed-{i}", day, 1 + i % 10, started, started),
            )
            sid = cursor.lastrowid
            for checkpoint in ("session_loaded", "agent:reflect_complete"):
                conn.execute(
                    "INSERT INTO session_snapshots(session_id, session_started_at, phase, checkpoint, "
                    "state_json, recorded_at, run_key) VALUES (?, ?, 'sleep', ?, '{}', ?, ?)",
                    (sid, started, checkpoint, started, f"seed-{i}"),
                )
            conn.execute(
                "INSERT INTO token_ledger(session_id, phase, provider, model, recorded_at) "
                "VALUES (?, 'decide', 'stub', 'stub', ?)",
                (sid, started),
            )
        for j in range(memories):
            text = " ".join(rng.choice(WORDS) for _ in range(12)) + f" #{j}"
            cursor = conn.execute(
                "INSERT INTO hot_memories(content, summary, importance, tags, created_at, content_hash) "
                "VALUES (?, NULL, 0.5, '[]', ?, ?)",
                (text, f"2025-01-01T00:00:{j % 60:02d}Z", f"seed-{j}"),
            )
            conn.execute(
                "INSERT INTO hot_fts(rowid, content, summary, tags) VALUES (?, ?, '', '')",
                (cursor.lastrowid, text),
            )
    conn.close()
    entry = "\n## 2025-01-01T08:00:00Z\n- Outcome: goal_selected\n- Goal: G-001: Seeded\n- Summary: seeded\n"
    with (data / "JOURNAL.md").open("a") as handle:
        handle.write(entry * sessions)
    with (data / "METRICS.md").open("a") as handle:
        handle.write("| 1 | goal_selected | Seeded | - | 2025-01-01T08:00:00Z |\n" * sessions)
    event = json.dumps(
        {"emitted_at": "2025-01-01T08:00:00Z", "event": {"kind": "agent:act_start", "detail": "x"}}
    )
    with (data / "events.jsonl").open("a") as handle:
        handle.write((event + "\n") * sessions * 12)
    (data / "DAY_COUNT").write_text(f"{1 + sessions // 10}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--memories", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    praxis = praxis_command()
    with tempfile.TemporaryDirectory() as tmp:
        fresh, seeded = fresh_and_seeded(praxis, Path(tmp))
        started = time.perf_counter()
        seed(seeded, args.sessions, args.memories)
        print(f"seed_seconds: {time.perf_counter() - started:.1f}")
        print(f"seeded_with: {args.sessions} sessions, {args.memories} memories")
        compare_runs(praxis, fresh, seeded, TASK, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
