"""Memory across real sessions (in-process CLI, pinned clock, the fake OpenAI server): what a
session remembers is bounded and flagged, a repeated failure bumps one do-not-repeat row and
`memory resolve` takes it out of the next prompt, reinforcement and decay happen once, and ten
sessions of junk from the model do not feed on themselves."""

from __future__ import annotations

import json
import random
import sqlite3
from typing import Any

import pytest

from praxis.app import Praxis
from praxis.config.settings import MemorySettings
from praxis.memory.store import add_cold_memory
from praxis.operator.daily_jobs import memory_job
from praxis.paths import DataDir
from tests.conftest import InProcessRunner, use_backend, write_failing_eval
from tests.fakes.openai import FakeOpenAI
from tests.records import rows

MAX_CHARS = MemorySettings().max_chars
CONTEXT_MEMORIES = 6  # memories orient puts in a context (reference §7.2)


def at(hour: int, day: int = 1) -> dict[str, str]:
    return {"PRAXIS_FIXED_NOW": f"2026-05-{day:02d}T{hour:02d}:00:00Z"}


def openai(cli: InProcessRunner) -> None:
    use_backend(cli.data_dir, "openai")


def prompt_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content") or "") for m in body["messages"])


def test_a_repeated_failure_bumps_one_row_and_resolve_takes_it_out_of_the_prompt(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    openai(cli)
    check = write_failing_eval(cli.data_dir)
    env = fake_openai.env()
    for hour in (9, 10):
        result = cli("run", "--once", "--task", "tidy the notes", env={**env, **at(hour)})
        assert result.lines()["outcome"] == "eval_failed", result.stdout + result.stderr
    assert rows(cli.data_dir, "SELECT id, count FROM do_not_repeat") == [(1, 2)]
    assert rows(cli.data_dir, "SELECT id, count, resolved_at FROM known_bugs") == [(1, 2, None)]
    # Both sessions told the same story: one hot memory (deduplicated by content), flagged.
    assert rows(cli.data_dir, "SELECT flags FROM hot_memories") == [('["eval_failed"]',)]
    statement = "Do not treat tidy the notes as complete until reviewer and eval checks pass"
    cli("run", "--once", "--task", "tidy the notes", env={**env, **at(11)})
    assert statement in prompt_text(fake_openai.requests[-2].json)  # decide's prompt
    assert "(seen 2 times)" in prompt_text(fake_openai.requests[-2].json)

    resolved = cli("memory", "resolve", "dnr-1", env=at(12))
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.lines() == {"resolved": "dnr-1", "also_resolved": "bug-1"}
    check.unlink()
    before = len(fake_openai.requests)
    result = cli("run", "--once", "--task", "tidy the notes", env={**env, **at(13)})
    assert result.lines()["outcome"] == "task_selected"
    for request in fake_openai.requests[before:]:
        text = prompt_text(request.json)
        assert statement not in text
        assert "tidy the notes -> " not in text
        assert "## do_not_repeat" not in text and "## known_bugs" not in text
    assert rows(cli.data_dir, "SELECT count FROM do_not_repeat WHERE resolved_at IS NOT NULL") == [
        (3,)
    ]


def junk(seed: int, size: int = 5120) -> str:
    """5 KB of what a small model may return: markdown, code, FTS syntax, noise."""
    rng = random.Random(seed)
    words = ["lorem", "ipsum", "AND", "NEAR(", "*", '"', "col:x", "!!!!!!!!!!", "```", "##"]
    out = []
    while sum(len(w) + 1 for w in out) < size:
        out.append(rng.choice(words) if rng.random() < 0.4 else f"tok{rng.randrange(10_000)}")
        if rng.random() < 0.05:
            out.append("\n")
    return " ".join(out)[:size]


def test_ten_sessions_of_junk_do_not_feed_on_themselves(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    openai(cli)
    env = fake_openai.env()
    journal = cli.data_dir / "JOURNAL.md"
    task = "tidy the shed"
    act_prompts: list[int] = []
    for session in range(1, 11):
        fake_openai.text = junk(session)
        journal_before = journal.stat().st_size
        first = len(fake_openai.requests)
        result = cli("run", "--once", "--task", task, env={**env, **at(8 + session)})
        assert result.returncode == 0, result.stderr
        grown = journal.stat().st_size - journal_before
        assert grown <= MAX_CHARS + 200 + len(task), (session, grown)
        hot = rows(cli.data_dir, "SELECT COUNT(*), MAX(LENGTH(content)) FROM hot_memories")
        assert hot == [(session, hot[0][1])] and hot[0][1] <= MAX_CHARS
        [act] = [
            r.json for r in fake_openai.requests[first:] if "Task context:" in prompt_text(r.json)
        ]
        act_prompts.append(len(prompt_text(act)))
    assert act_prompts[9] - act_prompts[1] <= CONTEXT_MEMORIES * MAX_CHARS, act_prompts
    [(summary,)] = rows(cli.data_dir, "SELECT action_summary FROM sessions WHERE id = 10")
    assert len(summary) > 5000  # the whole reply stays in the session row (forensics)


def test_truncated_and_failed_sessions_are_flagged(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    openai(cli)
    fake_openai.script("ok", "length")
    result = cli("run", "--once", "--task", "write a poem", env={**fake_openai.env(), **at(9)})
    assert result.lines()["outcome"] == "truncated_reply"
    assert rows(cli.data_dir, "SELECT flags, origin, session_id FROM hot_memories") == [
        ('["truncated"]', "session", 1)
    ]


def test_a_session_that_ends_well_reinforces_what_it_was_given_once(cli: InProcessRunner) -> None:
    added = cli("memory", "add", "The ficus needs water on Mondays", env=at(8))
    assert added.lines()["id"] == "hot-1"
    assert cli("run", "--once", "--task", "water the ficus", env=at(9)).returncode == 0
    assert rows(cli.data_dir, "SELECT importance, access_count, last_reinforced FROM hot_memories "
                "WHERE id = 1") == [(pytest.approx(0.65), 1, "2026-05-01T09:00:00Z")]  # fmt: skip
    assert rows(cli.data_dir, "SELECT COUNT(*) FROM memory_retrievals") == [(0,)]
    write_failing_eval(cli.data_dir)
    cli("run", "--once", "--task", "water the ficus", env=at(10))
    assert rows(cli.data_dir, "SELECT importance FROM hot_memories WHERE id = 1") == [
        (pytest.approx(0.65),)
    ]


def test_a_stale_cold_memory_decays_once_a_day_not_once_a_session(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(cli.data_dir / "praxis.db") as conn:
        conn.row_factory = sqlite3.Row
        stale = add_cold_memory(conn, "Old lesson", 1.0, [], [], "2026-01-01T00:00:00Z",
                                "2026-01-30T09:00:00Z")  # fmt: skip
    for hour in (9, 10, 11):  # 91 days after last_reinforced
        assert cli("run", "--once", "--task", "tidy", env=at(hour)).returncode == 0
    weight = f"SELECT weight FROM cold_memories WHERE id = {stale}"
    assert rows(cli.data_dir, weight) == [(pytest.approx(0.97),)]
    events = (cli.data_dir / "events.jsonl").read_text()
    assert events.count("memory:decayed") == 1
    assert "Decayed 1 cold memories" in events
    cli("run", "--once", "--task", "tidy", env=at(9, day=2))
    assert rows(cli.data_dir, weight) == [(pytest.approx(0.97 * 0.97),)]
    status = cli("status", env=at(10, day=2)).lines()
    assert status["memory_decay"] == "2026-05-02T09:00:00Z decayed=1"


def test_the_daily_memory_job_runs_once_a_day_across_restarts(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("memory", "add", "An April note", env=at(8, day=1)).returncode == 0

    def job(moment: str) -> object:
        monkeypatch.setenv("PRAXIS_FIXED_NOW", moment)
        app = Praxis(DataDir(cli.data_dir))  # a fresh process each time: a restart changes nothing
        try:
            return memory_job(app)
        finally:
            app.close()

    assert job("2026-05-20T08:00:00Z") is not None
    assert job("2026-05-20T20:00:00Z") is None
    assert rows(cli.data_dir, "SELECT COUNT(*) FROM cold_memories") == [(1,)]
    record = json.loads((cli.data_dir / "daily_jobs.json").read_text())["memory"]
    assert record == {
        "day": "2026-05-20",
        "at": "2026-05-20T08:00:00Z",
        "moved": 1,
        "merged": 0,
        "decayed": 0,
    }
    assert job("2026-05-21T08:00:00Z") is not None


def test_the_daemon_runs_the_daily_memory_job(cli: InProcessRunner) -> None:
    assert cli("memory", "add", "An April note", env=at(8, day=1)).returncode == 0
    result = cli("run", "--interval-minutes", "60", "--max-sessions", "1", env=at(9, day=20))
    assert result.returncode == 0, result.stderr
    assert "memory" in json.loads((cli.data_dir / "daily_jobs.json").read_text())
    assert rows(cli.data_dir, "SELECT content FROM cold_memories") == [("An April note",)]
    status = cli("status", env=at(10, day=20)).lines()
    assert status["memory_consolidation"].startswith("2026-05-20T09:00:00Z moved=1 ")
