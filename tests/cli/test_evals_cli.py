"""`praxis evals run [--id ID] [--json]` as an operator runs it."""

from __future__ import annotations

import json

from tests.conftest import PraxisRunner, write_json

SMOKE_LINE = "- passed foundation-smoke: Eval passed: Foundation runtime files stay healthy"


def _add_eval(runner: PraxisRunner, eval_id: str, commands: list[str], when: str) -> None:
    body = {
        "id": eval_id,
        "name": f"Check {eval_id}",
        "when": when,
        "severity": "trust_damaging",
        "scenario": "s",
        "expected_behavior": ["e"],
        "forbidden_behavior": ["f"],
        "verify_with": "shell",
        "commands": commands,
    }
    write_json(runner.data_dir / "evals" / f"{eval_id}.json", body)


def test_fresh_install_evals_pass(initialized: PraxisRunner) -> None:
    result = initialized("evals", "run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "evals: ok",
        "passed: 1",
        "failed: 0",
        "skipped: 0",
        "trust_failures: 0",
        SMOKE_LINE,
    ]


def test_manual_evals_run_and_failures_exit_1(initialized: PraxisRunner) -> None:
    _add_eval(initialized, "manual-check", ["echo nope >&2; exit 1"], "manual")
    result = initialized("evals", "run")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "evals: failed",
        "passed: 1",
        "failed: 1",
        "skipped: 0",
        "trust_failures: 1",
    ]
    assert SMOKE_LINE in lines
    assert "- failed manual-check: Eval failed: Check manual-check" in lines
    assert "  `echo nope >&2; exit 1` failed: nope" in lines
    assert result.stderr.startswith("error: 1 eval(s) failed: manual-check")


def test_id_runs_one_eval(initialized: PraxisRunner) -> None:
    _add_eval(initialized, "other", ["false"], "always")
    result = initialized("evals", "run", "--id", "foundation-smoke")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == SMOKE_LINE
    assert "other" not in result.stdout


def test_unknown_id_exits_2(initialized: PraxisRunner) -> None:
    result = initialized("evals", "run", "--id", "nope")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: unknown eval id nope"
    assert "foundation-smoke" in result.stderr.splitlines()[1]


def test_json_output(initialized: PraxisRunner) -> None:
    _add_eval(initialized, "bad", ["false"], "canary")
    result = initialized("evals", "run", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["evals"] == "failed"
    assert (data["passed"], data["failed"], data["trust_failures"]) == (1, 1, 1)
    assert [r["id"] for r in data["results"]] == ["bad", "foundation-smoke"]
    assert data["results"][0]["detail"] == "`false` failed: command exited without output"


def test_malformed_eval_is_reported_not_a_traceback(initialized: PraxisRunner) -> None:
    (initialized.data_dir / "evals" / "broken.json").write_text("{")
    result = initialized("evals", "run")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any(
        line.startswith("- failed broken: Eval failed: broken: ")
        for line in result.stdout.splitlines()
    )


def test_uninitialized_data_dir_is_refused(praxis: PraxisRunner) -> None:
    result = praxis("evals", "run")
    assert result.returncode == 1
    assert "init" in result.stderr
