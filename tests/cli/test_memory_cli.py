"""`praxis memory …` as an operator uses it (in-process CLI): search/add/list/show/forget/resolve,
consolidate, stats, `--json`, bad input, and the memory lines of `status` and `doctor`."""

from __future__ import annotations

import json

import pytest

from tests.conftest import InProcessRunner

NOW = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
LATER = {"PRAXIS_FIXED_NOW": "2026-05-20T12:00:00Z"}


def set_memory(cli: InProcessRunner, key: str, value: str) -> None:
    config = cli.data_dir / "praxis.toml"
    text = config.read_text()
    lines = [line for line in text.splitlines() if not line.startswith(f"{key} = ")]
    index = lines.index("[memory]")
    lines.insert(index + 1, f"{key} = {value}")
    config.write_text("\n".join(lines) + "\n")


def test_a_sessions_task_and_outcome_are_findable_and_forget_removes_them(
    cli: InProcessRunner,
) -> None:
    assert cli("run", "--once", "--task", "water the ficus", env=NOW).returncode == 0
    found = cli("memory", "search", "ficus", "--json", env=NOW)
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["matches"] == 1
    [hit] = data["results"]
    assert hit["id"] == "hot-1" and hit["tier"] == "hot"
    assert hit["text"].startswith("Task: water the ficus. Outcome: task_selected. Done: ")
    text = cli("memory", "search", "water", "ficus", env=NOW)
    assert text.stdout.splitlines()[:3] == ["query: water ficus", "tier: all", "matches: 1"]
    assert text.stdout.splitlines()[3].startswith("- hot-1 score=")
    assert cli("memory", "forget", "hot-1").stdout == "forgotten: hot-1\n"
    assert cli("memory", "search", "ficus", env=NOW).lines()["matches"] == "0"
    assert cli("memory", "show", "hot-1").returncode == 1


def test_add_list_show_and_stats(cli: InProcessRunner) -> None:
    added = cli("memory", "add", "The", "plumber", "comes", "Friday", "--tags", "home, calls",
                "--importance", "0.9", env=NOW)  # fmt: skip
    assert added.stdout == "memory: added\nid: hot-1\n"
    again = cli("memory", "add", "the plumber  comes friday", env=NOW)
    assert again.lines() == {"memory": "exists", "id": "hot-1"}
    listed = cli("memory", "list", "--tier", "hot")
    assert listed.lines()["hot"] == "1"
    assert listed.stdout.splitlines()[-1] == (
        "- hot-1 2026-05-01T12:00:00Z importance=0.90 The plumber comes Friday "
        "[operator, home, calls]"
    )
    shown = cli("memory", "show", "1").lines()
    assert (shown["id"], shown["tier"], shown["origin"]) == ("hot-1", "hot", "operator")
    assert shown["content"] == "The plumber comes Friday"
    assert shown["tags"] == "operator, home, calls"
    stats = cli("memory", "stats").lines()
    assert stats["hot"] == "1/500" and stats["cold"] == "0"
    assert stats["last_consolidation"] == "never"


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "--json"],
        ["search", '"', "AND", "NEAR(", "--json"],
        ["list", "--json"],
        ["list", "--tier", "ops", "--json"],
        ["show", "hot-1", "--json"],
        ["stats", "--json"],
        ["add", "another", "--json"],
        ["consolidate", "--dry-run", "--json"],
        ["consolidate", "--json"],
        ["forget", "hot-1", "--json"],
    ],
)
def test_every_json_output_is_one_valid_object(cli: InProcessRunner, args: list[str]) -> None:
    assert cli("memory", "add", "A 'quoted' \"note\" with\nlines", env=NOW).returncode == 0
    result = cli("memory", *args, env=LATER)
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), dict)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "nope"], 2, "error: invalid memory id 'nope'"),
        (["show", "hot-99"], 1, "error: memory hot-99 not found"),
        (["forget", "cold-3"], 1, "error: memory cold-3 not found"),
        (["resolve", "hot-1"], 2, "error: hot-1 is not a dnr or bug memory"),
        (["resolve", "dnr-1"], 1, "error: memory dnr-1 not found"),
        (["add", "x", "--importance", "2"], 2, "error: importance must be between 0 and 1"),
        (["add", "x", "--importance", "nan"], 2, "error: importance must be between 0 and 1"),
        (["add", "x" * 601], 2, "error: memory text is 601 characters; at most 600"),
        (["add", "   "], 2, "error: memory text must not be empty"),
        (["search", "x", "--limit", "0"], 2, "error: "),
        (["list", "--tier", "warm"], 2, "error: "),
    ],
)
def test_bad_input_names_the_fix(
    cli: InProcessRunner, args: list[str], code: int, message: str
) -> None:
    result = cli("memory", *args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.splitlines()[1].startswith("hint: ")


def test_resolve_an_open_failure(cli: InProcessRunner) -> None:
    (cli.data_dir / "evals" / "fails.json").write_text(
        json.dumps({"id": "fails", "name": "fails", "verify_with": "shell", "commands": ["false"]})
    )
    assert cli("run", "--once", "--task", "tidy", env=NOW).lines()["outcome"] == "eval_failed"
    ops = cli("memory", "list", "--tier", "ops").stdout.splitlines()
    assert ops[:3] == ["tier: ops", "dnr_open: 1", "bugs_open: 1"]
    assert any(line.startswith("- dnr-1 open count=1 ") for line in ops)
    assert cli("memory", "resolve", "bug-1", env=NOW).lines() == {
        "resolved": "bug-1",
        "also_resolved": "dnr-1",
    }
    again = cli("memory", "resolve", "dnr-1", env=NOW)
    assert again.returncode == 1 and "already resolved" in again.stderr
    assert cli("status").lines()["operational_memory"] == "dnr=0 bugs=0"


def test_consolidate_dry_run_then_for_real(cli: InProcessRunner) -> None:
    cli("memory", "add", "An early note", env=NOW)
    dry = cli("memory", "consolidate", "--dry-run", env=LATER)
    assert dry.stdout.splitlines()[:3] == ["consolidate: dry_run", "moved: 1", "by_age: 1"]
    assert cli("memory", "stats").lines()["hot"] == "1/500"
    real = cli("memory", "consolidate", env=LATER).lines()
    assert (real["consolidate"], real["moved"], real["created"]) == ("ok", "1", "1")
    stats = cli("memory", "stats", env=LATER).lines()
    assert (stats["hot"], stats["cold"]) == ("0/500", "1")
    assert stats["last_consolidation"].startswith("2026-05-20T12:00:00Z moved=1 by_age=1 ")
    assert (
        cli("memory", "search", "early", env=LATER).stdout.splitlines()[3].startswith("- cold-1 ")
    )


def test_status_and_doctor_show_memory(cli: InProcessRunner) -> None:
    status = cli("status", env=NOW).lines()
    assert status["memory"] == "hot=0/500 cold=0 flagged=0"
    assert status["memory_consolidation"] == "never"
    assert status["memory_decay"] == "never"
    data = json.loads(cli("status", "--json", env=NOW).stdout)
    assert data["memory"] == {"hot": 0, "hot_capacity": 500, "cold": 0, "flagged": 0}
    doctor = cli("doctor", env=NOW)
    assert doctor.returncode == 0, doctor.stdout
    assert doctor.lines()["memory"] == "ok"
    assert doctor.lines()["memory_counts"].startswith(
        "hot=0/500 cold=0 flagged=0 dnr_open=0 bugs_open=0; last consolidation: never"
    )


def test_doctor_warns_when_hot_memory_overflows_without_consolidation(
    cli: InProcessRunner,
) -> None:
    set_memory(cli, "hot_capacity", "2")
    for text in ("one note", "two notes", "three notes"):
        cli("memory", "add", text, env=NOW)
    line = cli("doctor", env=NOW).lines()["memory"]
    assert line.startswith("warn: hot=3/2 ")
    assert "fix: run `praxis memory consolidate`" in line
    cli("memory", "consolidate", env=NOW)
    assert cli("doctor", env=NOW).lines()["memory"] == "ok"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("max_chars", "50", "memory.max_chars must be at least 100"),
        ("max_chars", "1000000", "memory.max_chars is out of range"),
        ("merge_similarity", "nan", "memory.merge_similarity must be a finite number"),
        ("merge_similarity", "0.2", "memory.merge_similarity must be greater than 0.5"),
        ("decay_factor", "1.5", "memory.decay_factor must be greater than 0.0 and at most 1.0"),
        ("decay_floor", "-1", "memory.decay_floor must be greater than 0.0"),
        ("decay_after_days", "0", "memory.decay_after_days must be greater than 0"),
        ("hot_capacity", "inf", "memory.hot_capacity must be a whole number"),
    ],
)
def test_memory_settings_are_validated(
    cli: InProcessRunner, key: str, value: str, message: str
) -> None:
    set_memory(cli, key, value)
    result = cli("memory", "stats")
    assert result.returncode == 2
    assert message in result.stderr and "praxis.toml line" in result.stderr


def test_max_chars_caps_the_journal_summary(cli: InProcessRunner) -> None:
    set_memory(cli, "max_chars", "120")
    long_task = "sort the photos " + " ".join(f"album{i}" for i in range(80))
    assert cli("run", "--once", "--task", long_task, env=NOW).returncode == 0
    journal = (cli.data_dir / "JOURNAL.md").read_text()
    summary = next(line for line in journal.splitlines() if line.startswith("- Summary: "))
    assert len(summary.removeprefix("- Summary: ")) <= 120 and summary.endswith("…")
    [content] = [
        line.removeprefix("content: ")
        for line in cli("memory", "show", "hot-1").stdout.splitlines()
        if line.startswith("content: ")
    ]
    assert len(content) <= 120
