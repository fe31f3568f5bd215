"""Argus over real sessions: the reference's keys and directives, its edge cases fixed (drift with a
small --limit, zero-token stub rows), eval failures shown, ★ cost per goal and day, --json."""

from __future__ import annotations

import json

from tests.conftest import InProcessRunner, use_backend, write_failing_eval
from tests.fakes.openai import FakeOpenAI

ARGUS_KEYS = [
    "argus",
    "sessions_analyzed",
    "review_failures",
    "eval_failures",
    "loop_guard_blocks",
    "waiting_sessions",
    "repeated_reads_avoided",
    "drift_status",
    "repeated_work",
    "failure_clusters",
    "token_hotspots",
    "directives",
]
EVAL_DIRECTIVE = (
    "- Protect operator-specific behavior: inspect recent eval regressions before changing "
    "runtime habits or prompts."
)


def at(day: int, hour: int = 9, minute: int = 0) -> dict[str, str]:
    return {"PRAXIS_FIXED_NOW": f"2026-05-{day:02d}T{hour:02d}:{minute:02d}:00Z"}


def test_fresh_data_dir_reports_in_reference_order(cli: InProcessRunner) -> None:
    result = cli("argus", env=at(1))
    assert result.returncode == 0, result.stderr
    assert result.keys()[: len(ARGUS_KEYS)] == ARGUS_KEYS
    values = result.lines()
    assert values["sessions_analyzed"] == "0"
    assert values["drift_status"] == "insufficient_data recent=0.00 baseline=0.00"
    assert values["repeated_work"] == "none"
    assert values["token_hotspots"] == "none"
    assert (
        "- Recent sessions look stable across the last 0 runs. Keep the current operating "
        "pattern and watch for drift."
    ) in result.stdout


def test_failing_eval_is_recorded_everywhere_and_argus_names_it(cli: InProcessRunner) -> None:
    write_failing_eval(
        cli.data_dir,
        scenario="A file the operator expects is missing.",
        expected_behavior=["the file exists"],
        forbidden_behavior=["ignoring the missing file"],
    )
    ran = cli("run", "--once", "--task", "deploy", env=at(1))
    assert ran.lines()["outcome"] == "eval_failed"
    postmortems = (cli.data_dir / "POSTMORTEMS.md").read_text()
    assert "- Outcome: eval_failed" in postmortems
    assert "- A check that fails (always-fails)" in postmortems
    ops = cli("memory", "list", "--tier", "ops", env=at(1, 10))
    assert ops.lines()["bugs_open"] == "1"
    assert "bug-1 open count=1" in ops.stdout

    result = cli("argus", env=at(1, 10))
    assert result.returncode == 0, result.stderr
    values = result.lines()
    assert values["eval_failures"] == "1"
    assert "failure_clusters:\n- eval_failed x1\n" in result.stdout
    assert EVAL_DIRECTIVE in result.stdout.splitlines()
    assert "failed_evals:\n- A check that fails (always-fails) x1" in result.stdout
    data = json.loads(cli("argus", "--json", env=at(1, 10)).stdout)
    assert data["eval_failures"] == 1
    assert data["failed_evals"] == [
        {"eval_id": "always-fails", "name": "A check that fails", "failures": 1}
    ]
    assert EVAL_DIRECTIVE[2:] in data["directives"]


def test_drift_is_judged_on_the_newest_ten_whatever_the_limit(cli: InProcessRunner) -> None:
    for minute in range(5):
        cli("run", "--once", "--task", "steady", env=at(1, 9, minute))
    write_failing_eval(
        cli.data_dir,
        scenario="A file the operator expects is missing.",
        expected_behavior=["the file exists"],
        forbidden_behavior=["ignoring the missing file"],
    )
    for minute in range(5, 10):
        cli("run", "--once", "--task", "steady", env=at(1, 9, minute))
    small = cli("argus", "--limit", "3", env=at(1, 10)).lines()
    assert small["sessions_analyzed"] == "3"
    assert small["drift_status"] == "regressed recent=0.30 baseline=0.00"
    assert small["eval_failures"] == "3"
    full = cli("argus", env=at(1, 10))
    assert full.stdout.splitlines()[full.stdout.splitlines().index("directives:") + 1] == (
        "- Recent quality is drifting downward; pause ambitious changes and repair the "
        "recurring failure path first."
    )
    assert "- task: steady sessions=10 days=1 latest=eval_failed" in full.stdout


def test_zero_token_stub_rows_are_not_a_hotspot(cli: InProcessRunner) -> None:
    for minute in range(3):
        cli("run", "--once", "--task", "stub work", env=at(1, 9, minute))
    result = cli("argus", env=at(1, 10))
    assert result.lines()["token_hotspots"] == "none"
    assert "Trim the" not in result.stdout


def _openai(cli: InProcessRunner) -> None:
    """The OpenAI route (a fake on 127.0.0.1, priced 1 / 2 USD per million tokens in / out)."""
    use_backend(cli.data_dir, "openai")
    routes = cli.data_dir / "providers.toml"
    priced = 'model = "gpt-5.4-mini"\ninput_cost_per_million_usd = 1.0\noutput_cost_per_million_usd = 2.0'
    routes.write_text(routes.read_text().replace('model = "gpt-5.4-mini"', priced))


def test_hotspots_and_cost_per_goal_and_day(cli: InProcessRunner, fake_openai: FakeOpenAI) -> None:
    _openai(cli)
    env = fake_openai.env()
    fake_openai.usage = (100, 50)
    assert cli("run", "--once", env={**env, **at(1)}).returncode == 0  # G-001 (decide + act)
    fake_openai.usage = (10, 5)
    assert cli("run", "--once", "--task", "tidy", env={**env, **at(2)}).returncode == 0
    result = cli("argus", "--by", "goal", env=at(2, 10))
    assert result.returncode == 0, result.stderr
    assert "token_hotspots:\n- act/openai tokens=165\n- decide/openai tokens=165\n" in (
        result.stdout
    )
    assert (
        "- Trim the act phase first when chasing token savings; it is the hottest recent context "
        "path."
    ) in result.stdout
    lines = result.stdout.splitlines()
    by_goal = lines[lines.index("cost_by_goal:") + 1 :]
    assert by_goal == [
        "- G-001 sessions=1 tokens=300 est_cost_usd=0.000400",
        "- - sessions=1 tokens=30 est_cost_usd=0.000040",
    ]
    by_day = json.loads(cli("argus", "--by", "day", "--json", env=at(2, 10)).stdout)
    assert [(r["day"], r["sessions"], r["tokens"]) for r in by_day["cost_by_day"]] == [
        ("2026-05-01", 1, 300),
        ("2026-05-02", 1, 30),
    ]
    assert [r["est_cost_usd"] for r in by_day["cost_by_day"]] == [0.0004, 0.00004]
    assert by_day["token_hotspots"][0]["phase"] == "act"


def test_limit_and_by_are_validated(cli: InProcessRunner) -> None:
    assert cli("argus", "--limit", "0").returncode == 2
    assert cli("argus", "--by", "week").returncode == 2
