"""POSTMORTEMS.md: the original's entry format, one entry per session id, atomic creation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from praxis.paths import DataDir
from praxis.quality.evals import EvalResult, EvalSummary
from praxis.quality.postmortem import append_postmortem, needs_postmortem
from praxis.quality.reviewer import ReviewResult

FAILED_REVIEW = ReviewResult(
    "failed",
    "Reviewer failed G-002 with 2 finding(s).",
    ("`test -f a` failed: command exited without output", "`b` failed: boom"),
    "G-002",
    2,
    True,
)
PASSED_REVIEW = ReviewResult(
    "passed", "Reviewer passed G-002 using 1 shell checks.", (), "G-002", 1
)
NO_EVALS = EvalSummary.of(())
FAILED_EVALS = EvalSummary.of(
    (
        EvalResult("smoke", "Smoke test", "failed", "trust_damaging", "Eval failed: Smoke test"),
        EvalResult("ok", "Fine", "passed", "functional", "Eval passed: Fine"),
        EvalResult("later", "Later", "skipped", "cosmetic", "skipped"),
    )
)


@pytest.mark.parametrize(
    ("outcome", "failures", "expected"),
    [
        ("review_failed", 0, True),
        ("eval_failed", 0, True),
        ("blocked_loop_guard", 0, True),
        ("provider_failed", 0, True),
        ("goal_selected", 1, True),
        ("goal_selected", 0, False),
        ("tool_executed", 0, False),
        ("stop_condition_met", 0, False),
    ],
)
def test_needs_postmortem(outcome: str, failures: int, expected: bool) -> None:
    assert needs_postmortem(outcome, failures) is expected


def _path(dd: DataDir) -> Path:
    return dd.root / "POSTMORTEMS.md"


def test_first_entry_creates_the_file_with_header(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    append_postmortem(
        dd, 7, "2025-01-02T03:04:05Z", "review_failed", "G-002: Ship it", None,
        "Did a thing.", FAILED_REVIEW, NO_EVALS,
    )  # fmt: skip
    assert _path(dd).read_text() == (
        "# Postmortems\n"
        "\n"
        "## Session 7 - 2025-01-02T03:04:05Z\n"
        "- Outcome: review_failed\n"
        "- Goal: G-002: Ship it\n"
        "- Task: -\n"
        "- Summary: Did a thing.\n"
        "- Review: Reviewer failed G-002 with 2 finding(s).\n"
        "- Eval summary: passed=0 failed=0 skipped=0 trust_failures=0\n"
        "- Trigger: review gate failed\n"
        "### Findings\n"
        "- `test -f a` failed: command exited without output\n"
        "- `b` failed: boom\n"
        "### Failed Evals\n"
        "- No eval failures were recorded.\n"
    )


def test_second_entry_is_appended_without_a_second_header(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    append_postmortem(dd, 1, "t1", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    append_postmortem(
        dd, 2, "t2", "eval_failed", None, "fix docs", "s2", PASSED_REVIEW, FAILED_EVALS
    )
    text = _path(dd).read_text()
    assert text.count("# Postmortems") == 1
    second = text.split("## Session 2 - t2\n", 1)[1]
    assert second == (
        "- Outcome: eval_failed\n"
        "- Goal: -\n"
        "- Task: fix docs\n"
        "- Summary: s2\n"
        "- Review: Reviewer passed G-002 using 1 shell checks.\n"
        "- Eval summary: passed=1 failed=1 skipped=1 trust_failures=1\n"
        "- Trigger: operator eval failed\n"
        "### Findings\n"
        "- No reviewer findings were recorded.\n"
        "### Failed Evals\n"
        "- Smoke test (smoke)\n"
    )
    assert "\n\n## Session 2 - t2\n" in text


@pytest.mark.parametrize(
    ("outcome", "trigger"),
    [
        ("blocked_loop_guard", "loop guard stopped repeated behavior"),
        ("provider_failed", "provider failed"),
        ("goal_selected", "unexpected runtime regression"),
    ],
)
def test_trigger_text(tmp_path: Path, outcome: str, trigger: str) -> None:
    dd = DataDir(tmp_path)
    append_postmortem(dd, 3, "t", outcome, None, None, "s", PASSED_REVIEW, FAILED_EVALS)
    assert f"- Trigger: {trigger}\n" in _path(dd).read_text()


def test_same_session_is_written_once(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    for _ in range(3):
        append_postmortem(dd, 5, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    append_postmortem(dd, 50, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    text = _path(dd).read_text()
    assert text.count("## Session 5 - ") == 1
    assert text.count("## Session 50 - ") == 1


def test_existing_text_is_kept_and_a_missing_newline_is_repaired(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    _path(dd).write_text("# Postmortems\n\nOperator note without newline")
    append_postmortem(dd, 9, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    text = _path(dd).read_text()
    assert text.startswith("# Postmortems\n\nOperator note without newline\n\n## Session 9 - t\n")


def test_multiline_summary_and_secrets_are_flattened_and_redacted(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    summary = "line one\nline two\n## Session 99 - fake\nkey sk-ant-abcdefghijklmnopq"
    append_postmortem(dd, 4, "t", "review_failed", None, None, summary, FAILED_REVIEW, NO_EVALS)
    text = _path(dd).read_text()
    assert "- Summary: line one line two ## Session 99 - fake key [REDACTED]\n" in text
    assert "abcdefghijklmnopq" not in text
    # The fake heading inside the summary must not count as session 99's entry.
    append_postmortem(dd, 99, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    assert _path(dd).read_text().count("\n## Session 99 - t\n") == 1


def test_no_temp_or_partial_files_are_left(tmp_path: Path) -> None:
    dd = DataDir(tmp_path)
    append_postmortem(dd, 1, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_concurrent_writers_create_one_header_and_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time
    from concurrent.futures import ThreadPoolExecutor

    from praxis.quality import postmortem

    # Slow writes widen the check-then-write window, so a missing lock shows up reliably.
    for name in ("append_record", "atomic_write_text"):
        real = getattr(postmortem, name)

        def slow(path: Path, text: str, _real: Any = real) -> None:
            time.sleep(0.01)
            _real(path, text)

        monkeypatch.setattr(postmortem, name, slow)
    dd = DataDir(tmp_path)

    def write(session: int) -> None:
        append_postmortem(
            dd, session, "t", "review_failed", None, None, "s", FAILED_REVIEW, NO_EVALS
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, [n % 12 for n in range(24)]))
    text = _path(dd).read_text()
    assert text.startswith("# Postmortems\n") and text.count("# Postmortems") == 1
    for session in range(12):
        assert text.count(f"## Session {session} - t\n") == 1
