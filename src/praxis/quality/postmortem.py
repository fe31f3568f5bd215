"""POSTMORTEMS.md: one entry per session whose quality gates failed, written once per session."""

from __future__ import annotations

from pathlib import Path

from praxis.files import append_record, atomic_write_text, locked
from praxis.paths import DataDir
from praxis.quality.evals import EvalSummary
from praxis.quality.reviewer import ReviewResult
from praxis.redact import redact
from praxis.text import one_line

LOCK_NAME = ".praxis-postmortems.lock"
HEADER = "# Postmortems\n"

_TRIGGERS = {
    "review_failed": "review gate failed",
    "eval_failed": "operator eval failed",
    "blocked_loop_guard": "loop guard stopped repeated behavior",
    "provider_failed": "provider failed",
}


def needs_postmortem(outcome: str, eval_failures: int) -> bool:
    return outcome in _TRIGGERS or eval_failures > 0


def postmortems_path(data_dir: DataDir) -> Path:
    return data_dir.postmortems_md


def _one_line(text: str) -> str:
    # Model summaries can span lines; an entry's bullets must stay one line each.
    return redact(one_line(text))


def append_postmortem(
    data_dir: DataDir,
    session_id: int | str,
    ended_at: str,
    outcome: str,
    goal: str | None,
    task: str | None,
    summary: str,
    review: ReviewResult,
    evals: EvalSummary,
) -> None:
    """Append the session's entry unless it is already there (reflect may run again on resume)."""
    heading = f"## Session {session_id} - "
    lines = [
        "",
        f"{heading}{ended_at}",
        f"- Outcome: {outcome}",
        f"- Goal: {_one_line(goal) if goal else '-'}",
        f"- Task: {_one_line(task) if task else '-'}",
        f"- Summary: {_one_line(summary)}",
        f"- Review: {_one_line(review.summary)}",
        f"- Eval summary: passed={evals.passed} failed={evals.failed} "
        f"skipped={evals.skipped} trust_failures={evals.trust_failures}",
        f"- Trigger: {_TRIGGERS.get(outcome, 'unexpected runtime regression')}",
        "### Findings",
    ]
    findings = [f"- {_one_line(f)}" for f in review.findings]
    lines += findings or ["- No reviewer findings were recorded."]
    lines.append("### Failed Evals")
    failed = [f"- {_one_line(r.name)} ({r.eval_id})" for r in evals.failed_results]
    lines += failed or ["- No eval failures were recorded."]
    append_entry(data_dir, heading, "\n".join(lines) + "\n")


def append_canary_regression(
    data_dir: DataDir, route: str, previous_pass: str, checked_at: str, summary: str
) -> None:
    """A canary that passed before and fails now (SPEC §8.5), once per check."""
    entry = (
        f"\n## Canary regression - {checked_at}\n- Route: {_one_line(route)}\n"
        f"- Previous pass: {previous_pass}\n- Summary: {_one_line(summary)}\n"
        "- Trigger: model canary regressed\n"
    )
    append_entry(data_dir, f"## Canary regression - {checked_at}", entry)


# An entry is appended right after the event it records, so a repeat is always near the end.
_RECENT_BYTES = 256 * 1024


def append_entry(data_dir: DataDir, marker: str, entry: str) -> None:
    """The one writer of POSTMORTEMS.md: `entry` (starting with its blank separator line) unless
    a recent entry already starts with `marker`; the header when the file is new."""
    from praxis.safe_read import read_tail

    path = postmortems_path(data_dir)
    with locked(data_dir.file(LOCK_NAME)):
        if not path.exists():
            atomic_write_text(path, HEADER + entry)
            return
        recent = read_tail(path, _RECENT_BYTES)
        if any(line.startswith(marker) for line in recent.splitlines()):
            return
        separator = "" if recent.endswith("\n") or not recent else "\n"
        append_record(path, separator + entry)
