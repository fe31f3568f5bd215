"""The learning runtime against a real data dir: mining from a scripted history over pinned days,
accept → a goal the next session selects, throttle and dedup across runs, PROPOSALS.md keeping
appended text, sources, the ★ opportunities and the daemon's daily run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import InProcessRunner, use_backend, write_failing_eval
from tests.fakes.openai import FakeOpenAI
from tests.records import rows


def at(day: int, hour: int = 9, minute: int = 0) -> dict[str, str]:
    return {"PRAXIS_FIXED_NOW": f"2026-05-{day:02d}T{hour:02d}:{minute:02d}:00Z"}


def run(cli: InProcessRunner, *args: str, env: dict[str, str]) -> dict[str, str]:
    result = cli(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.lines()


def session(cli: InProcessRunner, day: int, minute: int, task: str | None = None) -> str:
    args = ("run", "--once", "--task", task) if task else ("run", "--once")
    return run(cli, *args, env=at(day, 9, minute))["outcome"]


def history(cli: InProcessRunner, tasks: tuple[str, ...], days: tuple[int, ...]) -> None:
    """G-001 completes on the first day, then each task runs once a day."""
    assert session(cli, days[0], 0) == "goal_selected"
    for day in days:
        for minute, task in enumerate(tasks, start=10):
            assert session(cli, day, minute, task) == "task_selected"


def test_repeated_work_becomes_a_goal_the_next_session_selects(cli: InProcessRunner) -> None:
    history(cli, ("water plants",), (1, 2, 3))
    assert rows(
        cli.data_dir, "SELECT DISTINCT day FROM sessions WHERE selected_task IS NOT NULL"
    ) == [
        (1,),
        (2,),
        (3,),
    ]
    learned = run(cli, "learn", "run", env=at(3, 10))
    assert learned["opportunities_created"] == "1"
    assert learned["throttle_reached"] == "false"
    listed = cli("learn", "list", env=at(3, 10)).stdout
    assert "- #1 [automation] Automate recurring work: task: water plants" in listed

    accepted = run(cli, "learn", "accept", "1", env=at(3, 11))
    assert accepted["status"] == "accepted"
    assert accepted["promoted_goal"] == "G-002"
    assert accepted["created_goal"] == "true"
    goals = (cli.data_dir / "GOALS.md").read_text()
    assert goals.endswith("- [ ] G-002: Automate recurring work: task: water plants\n")
    assert goals.startswith("# Goals\n\n- [x] G-001: Complete the first Praxis foundation run\n")

    chosen = run(cli, "run", "--once", env=at(3, 12))
    assert chosen["goal"] == "G-002: Automate recurring work: task: water plants"
    proposals = (cli.data_dir / "PROPOSALS.md").read_text()
    assert "- [#1] Automate recurring work: task: water plants (automation)" in proposals
    assert "  linked_goal: G-002" in proposals
    status = run(cli, "status", env=at(3, 12))
    assert status["pending_opportunities"] == "0"
    assert status["last_learning"] == (
        "processed=1 changed=1 opportunities=1 completed_at=2026-05-03T10:00:00Z"
    )


def test_one_day_of_repeats_is_not_recurring_work(cli: InProcessRunner) -> None:
    assert session(cli, 1, 0) == "goal_selected"
    for minute in (10, 20, 30):
        session(cli, 1, minute, "water plants")
    learned = run(cli, "learn", "run", env=at(1, 10))
    assert learned["opportunities_created"] == "0"


def test_throttle_holds_the_third_candidate_and_dedup_holds_forever(cli: InProcessRunner) -> None:
    history(cli, ("clean notes", "review backlog", "triage inbox"), (1, 2))
    first = cli("learn", "run", env=at(2, 10))
    assert first.lines()["opportunities_created"] == "2"
    assert first.lines()["throttle_reached"] == "true"
    assert "candidate(s) held back" in first.stdout
    again = run(cli, "learn", "run", env=at(2, 20))  # the same rolling day: still no slot
    assert again["opportunities_created"] == "0"
    assert again["throttle_reached"] == "true"
    assert rows(cli.data_dir, "SELECT COUNT(*) FROM opportunities") == [(2,)]

    next_day = run(cli, "learn", "run", env=at(3, 10, 1))  # 24 h later: one more slot used
    assert next_day["opportunities_created"] == "1"
    assert next_day["throttle_reached"] == "false"
    titles = [r[0] for r in rows(cli.data_dir, "SELECT title FROM opportunities ORDER BY id")]
    assert titles == [
        "Automate recurring work: task: clean notes",
        "Automate recurring work: task: review backlog",
        "Automate recurring work: task: triage inbox",
    ]
    run(cli, "learn", "dismiss", "3", env=at(3, 11))
    for task in ("clean notes", "review backlog", "triage inbox"):
        session(cli, 4, 30, task)  # the patterns keep recurring
    later = run(cli, "learn", "run", env=at(5, 10))
    assert later["opportunities_created"] == "0"
    assert later["throttle_reached"] == "false"
    assert rows(cli.data_dir, "SELECT status FROM opportunities ORDER BY id") == [
        ("pending",),
        ("pending",),
        ("dismissed",),
    ]


def test_proposals_keep_text_appended_below_the_marker(cli: InProcessRunner) -> None:
    proposals = cli.data_dir / "PROPOSALS.md"
    with proposals.open("a") as handle:  # a tool appended to the seed, before any sync
        handle.write("- Operator idea: batch the weekly review\n")
    history(cli, ("water plants", "clean notes"), (1, 2))
    run(cli, "learn", "run", env=at(2, 10))
    text = proposals.read_text()
    marker = (
        "<!-- Generated above. Text below this line is kept when Praxis regenerates the file. -->"
    )
    assert text.index("## Dismissed") < text.index(marker)
    assert text.endswith(f"{marker}\n- Operator idea: batch the weekly review\n")
    with proposals.open("a") as handle:
        handle.write("Appended by praxis-data-write.\n")
    run(cli, "learn", "accept", "1", env=at(2, 11))
    run(cli, "learn", "dismiss", "2", env=at(2, 12))
    text = proposals.read_text()
    assert text.endswith(
        f"{marker}\n- Operator idea: batch the weekly review\nAppended by praxis-data-write.\n"
    )
    assert "## Accepted\n- [#1] " in text
    assert "## Dismissed\n- [#2] " in text
    assert "- No pending proposals." in text


def test_sources_change_on_path_mtime_or_size(cli: InProcessRunner) -> None:
    sources = cli.data_dir / "learning" / "sources"
    (sources / "habits.txt").write_text(
        "\n# Habits\n\n- Water plants on Mondays\n* Keep briefs short\nfourth\n"
    )
    (sources / "ignored.json").write_text("{}")
    first = cli("learn", "run", env=at(1, 10))
    assert first.lines()["sources_processed"] == "2"
    assert first.lines()["sources_changed"] == "2"
    learnings = (cli.data_dir / "LEARNINGS.md").read_text()
    assert (
        "\n## 2026-05-01T10:00:00Z\n- Kind: source-summary\n- Source: learning/sources/habits.txt\n"
        "- Summary: Habits; Water plants on Mondays; Keep briefs short\n"
    ) in learnings
    unchanged = run(cli, "learn", "run", env=at(1, 11))
    assert unchanged["sources_changed"] == "0"
    assert unchanged.get("notes") == "none"
    stamp = (sources / "habits.txt").stat().st_mtime_ns
    os.utime(sources / "habits.txt", ns=(stamp, stamp + 5_000_000_000))
    touched = run(cli, "learn", "run", env=at(1, 12))
    assert touched["sources_changed"] == "1"
    os.mkfifo(sources / "pipe.md")
    (sources / "escape.md").symlink_to(cli.data_dir / "IDENTITY.md")
    special = cli("learn", "run", env=at(1, 13))
    assert special.returncode == 0, special.stderr
    assert "- Skipped learning/sources/escape.md: not a regular file." in special.stdout
    assert "- Skipped learning/sources/pipe.md: not a regular file." in special.stdout
    assert "Role: A local Praxis" not in (cli.data_dir / "LEARNINGS.md").read_text()


def test_recurring_do_not_repeat_on_three_sessions(cli: InProcessRunner) -> None:
    write_failing_eval(cli.data_dir)
    for minute in (0, 10):
        assert session(cli, 1, minute, "deploy") == "eval_failed"
    assert run(cli, "learn", "run", env=at(1, 10))["opportunities_created"] == "0"
    assert session(cli, 1, 20, "deploy") == "eval_failed"
    assert rows(cli.data_dir, "SELECT count FROM do_not_repeat") == [(3,)]
    learned = cli("learn", "run", env=at(1, 11))
    assert "- Queued opportunity: Fix recurring failure: deploy." in learned.stdout
    found = rows(cli.data_dir, "SELECT kind, signature, summary FROM opportunities")
    assert found[0][0] == "reliability"
    assert found[0][1].startswith("recurring-failure:do not treat deploy as complete")
    assert "recurred on 3 sessions" in found[0][2]


def test_goal_selected_five_times_without_completing(cli: InProcessRunner) -> None:
    assert session(cli, 1, 0) == "goal_selected"  # G-001 completes
    run(cli, "goals", "add", "Ship the thing", env=at(1, 8))
    for minute in (10, 20, 30, 40):
        assert session(cli, 1, minute) == "goal_selected"
    assert run(cli, "learn", "run", env=at(1, 10))["opportunities_created"] == "0"
    session(cli, 1, 50)
    learned = run(cli, "learn", "run", env=at(1, 11))
    assert learned["opportunities_created"] == "1"
    title, kind = rows(cli.data_dir, "SELECT title, kind FROM opportunities")[0]
    assert (title, kind) == ("Split or clarify goal G-002: Ship the thing", "planning")


def test_phase_whose_token_share_doubles_week_over_week(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    env = fake_openai.env()
    fake_openai.usage = (12, 7)
    assert cli("run", "--once", env={**env, **at(1)}).returncode == 0
    assert cli("ask", "hi", env={**env, **at(1, 10)}).returncode == 0
    fake_openai.usage = (1, 1)
    assert cli("run", "--once", "--task", "tidy", env={**env, **at(9)}).returncode == 0
    fake_openai.usage = (100, 100)
    for hour in (10, 11):
        assert cli("ask", "hi", env={**env, **at(9, hour)}).returncode == 0
    phases = rows(
        cli.data_dir,
        "SELECT phase, SUM(input_tokens + output_tokens) FROM provider_attempts "
        "GROUP BY phase ORDER BY phase",
    )
    assert phases == [("act", 21), ("ask", 419), ("decide", 21)]
    learned = cli("learn", "run", env={**env, **at(10)})
    assert learned.returncode == 0, learned.stderr
    found = rows(cli.data_dir, "SELECT signature, kind, title FROM opportunities")
    assert found == [
        (
            "token-share:ask",
            "efficiency",
            "Trim the ask phase: its token share doubled week over week",
        )
    ]


def test_drift_regressed_is_a_stability_opportunity_and_status_shows_it(
    cli: InProcessRunner,
) -> None:
    for minute in range(5):
        session(cli, 1, minute, "steady work")
    write_failing_eval(cli.data_dir)
    for minute in range(5, 10):
        assert session(cli, 1, minute, "steady work") == "eval_failed"
    assert run(cli, "status", env=at(1, 10))["drift_status"] == "regressed"
    learned = cli("learn", "run", env=at(1, 10))
    assert "- Queued opportunity: Stabilize runtime quality drift." in learned.stdout
    assert run(cli, "status", env=at(1, 11))["pending_opportunities"] == "2"


def test_the_daemon_runs_learn_once_a_local_day(cli: InProcessRunner) -> None:
    daemon = ("run", "--interval-minutes", "60", "--max-sessions", "1")
    run(cli, "goals", "add", "Keep the daemon busy", env=at(1, 8))  # open without criteria
    assert cli(*daemon, env=at(1, 9)).returncode == 0
    assert cli(*daemon, env=at(1, 15)).returncode == 0  # a restart the same day
    assert rows(cli.data_dir, "SELECT completed_at FROM learning_runs") == [
        ("2026-05-01T09:00:00Z",)
    ]
    record = json.loads((cli.data_dir / "daily_jobs.json").read_text())["learn"]
    assert record["day"] == "2026-05-01"
    assert record["processed"] == 1
    assert cli(*daemon, env=at(2, 9)).returncode == 0
    assert len(rows(cli.data_dir, "SELECT id FROM learning_runs")) == 2
    status = run(cli, "status", env=at(2, 10))
    assert status["last_learning"].endswith("completed_at=2026-05-02T09:00:00Z")


def test_a_malformed_goals_file_stops_the_run_before_it_writes(cli: InProcessRunner) -> None:
    goals = cli.data_dir / "GOALS.md"
    goals.write_text("# Goals\n\n- [ ] G-001 missing colon\n")
    learnings = (cli.data_dir / "LEARNINGS.md").read_text()
    result = cli("learn", "run", env=at(1))
    assert result.returncode == 2
    assert "GOALS.md" in result.stderr
    assert (cli.data_dir / "LEARNINGS.md").read_text() == learnings
    assert rows(cli.data_dir, "SELECT COUNT(*) FROM learning_runs") == [(0,)]


def test_accept_reuses_a_goal_with_the_same_title(cli: InProcessRunner, tmp_path: Path) -> None:
    history(cli, ("water plants",), (1, 2))
    run(cli, "goals", "add", "Automate recurring work: task: water plants", env=at(2, 9))
    run(cli, "learn", "run", env=at(2, 10))
    accepted = run(cli, "learn", "accept", "1", env=at(2, 11))
    assert accepted["promoted_goal"] == "G-002"
    assert accepted["created_goal"] == "false"
    assert (cli.data_dir / "GOALS.md").read_text().count("water plants") == 1
