"""Evals: which `when` runs on which trigger, first failure stops, malformed files fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from praxis.errors import UsageError
from praxis.paths import DataDir
from praxis.quality.evals import SKIPPED_TEXT, EvalSummary, run_evals
from tests.conftest import write_json


def _eval(dd: DataDir, eval_id: str, commands: list[str], **extra: Any) -> Path:
    body = {
        "id": eval_id,
        "name": f"Eval {eval_id}",
        "when": "always",
        "severity": "functional",
        "scenario": "a scenario",
        "expected_behavior": ["good"],
        "forbidden_behavior": ["bad"],
        "verify_with": "shell",
        "commands": commands,
    }
    return write_json(dd.evals_dir / f"{eval_id}.json", body, **extra)


def _by_id(summary: EvalSummary) -> dict[str, tuple[str, str]]:
    return {r.eval_id: (r.status, r.summary) for r in summary.results}


def test_session_runs_always_and_skips_the_rest(data_dir: DataDir) -> None:
    _eval(data_dir, "a-always", ["true"])
    _eval(data_dir, "b-manual", ["false"], when="manual")
    _eval(data_dir, "c-canary", ["false"], when="canary")
    summary = run_evals(data_dir, "session")
    assert _by_id(summary) == {
        "a-always": ("passed", "Eval passed: Eval a-always"),
        "b-manual": ("skipped", SKIPPED_TEXT),
        "c-canary": ("skipped", SKIPPED_TEXT),
    }
    assert SKIPPED_TEXT == "Eval skipped because it is not configured for every session."
    assert (summary.passed, summary.failed, summary.skipped) == (1, 0, 2)
    assert summary.summary_text() == "Evals passed=1, failed=0, skipped=2."


def test_canary_runs_always_and_canary(data_dir: DataDir) -> None:
    _eval(data_dir, "a-always", ["true"])
    _eval(data_dir, "b-manual", ["true"], when="manual")
    _eval(data_dir, "c-canary", ["false"], when="canary")
    statuses = {k: v[0] for k, v in _by_id(run_evals(data_dir, "canary")).items()}
    assert statuses == {"a-always": "passed", "b-manual": "skipped", "c-canary": "failed"}


def test_manual_runs_everything(data_dir: DataDir) -> None:
    _eval(data_dir, "a-always", ["true"])
    _eval(data_dir, "b-manual", ["true"], when="manual")
    _eval(data_dir, "c-canary", ["true"], when="canary")
    summary = run_evals(data_dir, "manual")
    assert (summary.passed, summary.failed, summary.skipped) == (3, 0, 0)


def test_results_are_in_file_name_order(data_dir: DataDir) -> None:
    for name in ("zeta", "alpha", "mid"):
        _eval(data_dir, name, ["true"])
    assert [r.eval_id for r in run_evals(data_dir, "session").results] == ["alpha", "mid", "zeta"]


def test_first_failing_command_stops_the_eval(data_dir: DataDir) -> None:
    _eval(data_dir, "stops", ["true", "echo why >&2; exit 1", "touch reached"])
    summary = run_evals(data_dir, "session")
    result = summary.results[0]
    assert result.status == "failed"
    assert result.summary == "Eval failed: Eval stops"
    assert result.detail == "`echo why >&2; exit 1` failed: why"
    assert not (data_dir.root / "reached").exists()
    assert summary.summary_text() == "Evals passed=0, failed=1, skipped=0."


def test_trust_failures_count_failed_trust_damaging_only(data_dir: DataDir) -> None:
    _eval(data_dir, "t1", ["false"], severity="trust_damaging")
    _eval(data_dir, "t2", ["true"], severity="trust_damaging")
    _eval(data_dir, "t3", ["false"], severity="cosmetic")
    summary = run_evals(data_dir, "session")
    assert (summary.failed, summary.trust_failures) == (2, 1)


def test_timeout_fails_the_eval(data_dir: DataDir) -> None:
    _eval(data_dir, "slow", ["sleep 5"])
    result = run_evals(data_dir, "session", timeout_seconds=0.3).results[0]
    assert result.status == "failed"
    assert result.detail == "`sleep 5` timed out after 0.3s"


@pytest.mark.parametrize("trigger", ["session", "canary", "manual"])
def test_malformed_eval_fails_without_crashing(data_dir: DataDir, trigger: str) -> None:
    _eval(data_dir, "good", ["true"])
    (data_dir.evals_dir / "broken.json").write_text('{"id": "broken",}')
    summary = run_evals(data_dir, trigger)  # type: ignore[arg-type]
    broken = next(r for r in summary.results if r.eval_id == "broken")
    assert broken.status == "failed"
    assert broken.summary.startswith("Eval failed: broken: ")
    assert "invalid eval JSON" in broken.summary and "broken.json" in broken.summary
    assert (summary.passed, summary.failed) == (1, 1)


def test_invalid_field_is_reported(data_dir: DataDir) -> None:
    _eval(data_dir, "weird", ["true"], when="sometimes")
    result = run_evals(data_dir, "manual").results[0]
    assert result.status == "failed" and "unsupported when sometimes" in result.summary


def test_only_id_runs_one_eval(data_dir: DataDir) -> None:
    _eval(data_dir, "one", ["true"], when="manual")
    _eval(data_dir, "two", ["false"])
    summary = run_evals(data_dir, "manual", only_id="one")
    assert [r.eval_id for r in summary.results] == ["one"]
    assert summary.passed == 1 and summary.failed == 0


def test_only_id_matches_the_id_field_not_the_file_name(data_dir: DataDir) -> None:
    path = _eval(data_dir, "real-id", ["true"])
    path.rename(data_dir.evals_dir / "file-name.json")
    assert [r.eval_id for r in run_evals(data_dir, "manual", only_id="real-id").results] == [
        "real-id"
    ]


def test_unknown_id_is_a_usage_error(data_dir: DataDir) -> None:
    _eval(data_dir, "one", ["true"])
    with pytest.raises(UsageError) as caught:
        run_evals(data_dir, "manual", only_id="nope")
    assert caught.value.exit_code == 2
    assert "unknown eval id nope" in caught.value.message
    assert caught.value.hint is not None and "one" in caught.value.hint


def test_no_evals_dir_is_empty(tmp_path: Path) -> None:
    summary = run_evals(DataDir(tmp_path / "none"), "session")
    assert (
        summary.results == () and summary.summary_text() == "Evals passed=0, failed=0, skipped=0."
    )


def test_evals_run_in_the_data_dir(data_dir: DataDir) -> None:
    _eval(data_dir, "cwd", ["test -d evals"])
    assert run_evals(data_dir, "session").passed == 1
