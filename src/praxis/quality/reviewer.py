"""The reviewer: run a goal's criteria checks (`goals/criteria/<id>.json`) after a session."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from praxis.errors import ConfigError
from praxis.paths import DataDir
from praxis.progress import NO_PROGRESS, Progress
from praxis.quality.commands import failure_finding, run_check
from praxis.quality.specs import load_criteria

ReviewStatus = Literal["passed", "failed", "skipped"]

# Goal ids become file names; anything else must not reach the file system.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class ReviewResult:
    status: ReviewStatus
    summary: str
    findings: tuple[str, ...]
    goal_id: str | None
    checks_run: int
    has_criteria: bool = False
    act_reported_done: bool = False


def _failed(
    goal_id: str, findings: tuple[str, ...], checks_run: int, act_done: bool
) -> ReviewResult:
    summary = f"Reviewer failed {goal_id} with {len(findings)} finding(s)."
    return ReviewResult("failed", summary, findings, goal_id, checks_run, True, act_done)


def review_goal(
    data_dir: DataDir,
    goal_id: str | None,
    timeout_seconds: float = 60,
    act_reported_done: bool = False,
    ended_as: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> ReviewResult:
    """Review the selected goal. Never raises for bad criteria data: that is a failed review.

    `ended_as` is the session's outcome when it ended before its work on the goal finished
    (awaiting approval, budget, loop guard, ...): the review is then skipped, naming the goal.
    """
    if goal_id is None:
        summary = "Reviewer skipped because no goal was selected."
        return ReviewResult("skipped", summary, (), None, 0, False, act_reported_done)
    if ended_as is not None:
        summary = (
            f"Reviewer skipped {goal_id}: the session ended {ended_as} before its work finished."
        )
        return ReviewResult("skipped", summary, (), goal_id, 0, False, act_reported_done)
    if not _SAFE_ID.fullmatch(goal_id):
        return _failed(
            goal_id, (f"goal id {goal_id!r} is not a valid file name",), 0, act_reported_done
        )
    path = data_dir.criteria_dir / f"{goal_id}.json"
    if not (path.exists() or path.is_symlink()):
        reported = " although the model reported it done" if act_reported_done else ""
        summary = (
            f"Reviewer skipped {goal_id}: it has no criteria file, so the goal stays open"
            f"{reported}. Add checks to goals/criteria/{goal_id}.json, or mark it done with "
            f"`praxis goals done {goal_id}`."
        )
        return ReviewResult("skipped", summary, (), goal_id, 0, False, act_reported_done)
    try:
        criteria = load_criteria(path)
    except ConfigError as exc:
        return _failed(goal_id, (exc.message,), 0, act_reported_done)
    except OSError as exc:
        return _failed(
            goal_id, (f"cannot read {path}: {exc.strerror or exc}",), 0, act_reported_done
        )
    findings: list[str] = []
    checks = len(criteria.commands)
    for number, command in enumerate(criteria.commands, 1):
        progress.step(f"criteria {goal_id} check {number}/{checks}: {command}")
        outcome = run_check(command, data_dir.root, timeout_seconds)
        if not outcome.ok:
            findings.append(failure_finding(command, outcome, timeout_seconds))
    if findings:
        return _failed(goal_id, tuple(findings), checks, act_reported_done)
    summary = f"Reviewer passed {goal_id} using {checks} shell checks."
    return ReviewResult("passed", summary, (), goal_id, checks, True, act_reported_done)


def goal_is_complete(review: ReviewResult, evals_failed: int, has_criteria: bool) -> bool:
    """A goal completes only when its criteria checks ran and passed and no eval failed — never
    on words in a reply, and never without criteria (the operator can `goals done` it).

    A parent goal additionally needs all its children done; the caller checks that.
    """
    if review.goal_id is None or review.status != "passed" or evals_failed > 0:
        return False
    # A pass that ran no checks cannot vouch for criteria.
    return has_criteria and review.checks_run > 0
