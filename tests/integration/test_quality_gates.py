"""Reflect's quality gates on a real initialized data dir: reviewer, evals, postmortem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from praxis.operator.init import initialize
from praxis.paths import DataDir
from praxis.quality.evals import run_evals
from praxis.quality.postmortem import append_postmortem, needs_postmortem
from praxis.quality.reviewer import goal_is_complete, review_goal


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    dd = DataDir(tmp_path / "d")
    initialize(dd, "Praxis", "UTC", 2)
    return dd


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_fresh_install_passes_g001_so_it_can_complete(data_dir: DataDir) -> None:
    review = review_goal(data_dir, "G-001")
    evals = run_evals(data_dir, "session")
    assert review.status == "passed"
    assert review.summary == "Reviewer passed G-001 using 3 shell checks."
    assert [(r.eval_id, r.status, r.summary) for r in evals.results] == [
        ("foundation-smoke", "passed", "Eval passed: Foundation runtime files stay healthy")
    ]
    assert evals.summary_text() == "Evals passed=1, failed=0, skipped=0."
    assert goal_is_complete(review, evals.failed, review.has_criteria)
    assert not needs_postmortem("goal_selected", evals.failed)


def test_broken_foundation_fails_both_gates_and_writes_a_postmortem(data_dir: DataDir) -> None:
    (data_dir.root / "IDENTITY.md").unlink()
    review = review_goal(data_dir, "G-001")
    evals = run_evals(data_dir, "session")
    assert review.status == "failed"
    assert review.findings == ("`test -f IDENTITY.md` failed: command exited without output",)
    assert review.summary == "Reviewer failed G-001 with 1 finding(s)."
    assert (evals.failed, evals.trust_failures) == (1, 0)
    assert not goal_is_complete(review, evals.failed, review.has_criteria)

    outcome = "review_failed"
    assert needs_postmortem(outcome, evals.failed)
    args = (
        data_dir, 1, "2025-03-01T10:00:00Z", outcome, "G-001: Complete the first Praxis foundation run",
        None, f"Act done. {review.summary} {evals.summary_text()}", review, evals,
    )  # fmt: skip
    append_postmortem(*args)
    append_postmortem(*args)  # a resumed reflect must not write it twice
    text = (data_dir.root / "POSTMORTEMS.md").read_text()
    assert text.startswith("# Postmortems\n\n## Session 1 - 2025-03-01T10:00:00Z\n")
    assert text.count("## Session 1 - ") == 1
    assert "- Goal: G-001: Complete the first Praxis foundation run\n" in text
    assert "- Trigger: review gate failed\n" in text
    assert "- Foundation runtime files stay healthy (foundation-smoke)\n" in text


def test_malformed_criteria_mid_session_fails_review_and_changes_nothing(
    data_dir: DataDir,
) -> None:
    criteria = data_dir.criteria_dir / "G-001.json"
    criteria.write_text('{"goal_id": "G-001", "done_when": [}')
    before = _snapshot(data_dir.root)
    review = review_goal(data_dir, "G-001")
    assert review.status == "failed"
    assert str(criteria) in review.findings[0] and "invalid criteria JSON" in review.findings[0]
    assert _snapshot(data_dir.root) == before


def test_malformed_eval_mid_session_fails_that_eval_only(data_dir: DataDir) -> None:
    (data_dir.evals_dir / "broken.json").write_text("[1, 2")
    evals = run_evals(data_dir, "session")
    statuses = {r.eval_id: r.status for r in evals.results}
    assert statuses == {"broken": "failed", "foundation-smoke": "passed"}


def test_checks_do_not_see_provider_keys(
    data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-integrationsecret0001")
    monkeypatch.setenv("PRAXIS_TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    body = json.loads((data_dir.criteria_dir / "G-001.json").read_text())
    body["commands"] = ["env | grep -q -e API_KEY -e TELEGRAM && exit 1 || exit 0"]
    (data_dir.criteria_dir / "G-001.json").write_text(json.dumps(body))
    assert review_goal(data_dir, "G-001").status == "passed"
