"""What a session leaves in hot memory: a bounded, cleaned summary — subject, outcome, what was
done, evidence — never raw model output beyond `memory.max_chars`. A session whose review or
evals failed, or whose reply was cut, is flagged (and ranked down by search)."""

from __future__ import annotations

from dataclasses import dataclass

from praxis.memory.text import bounded, cap, clean

SESSION_IMPORTANCE = 0.7
TAG_MAX_CHARS = 60
PLAN_CUT_MARK = "[plan cut at the output limit"
MIN_DONE_CHARS = 40


@dataclass(frozen=True)
class SessionCapture:
    session_id: int
    outcome: str
    goal: str | None  # "G-001: title"
    task: str | None
    done: str  # the session's own account (the model's note, or the planner's summary)
    review: str  # passed | failed | skipped
    findings: int
    evals_passed: int
    evals_failed: int

    @property
    def subject(self) -> str:
        if self.task:
            return f"Task: {clean(self.task)}"
        if self.goal:
            return f"Goal {clean(self.goal)}"
        return "No goal or task"

    @property
    def flags(self) -> list[str]:
        found = []
        if self.review == "failed" or self.outcome == "review_failed":
            found.append("review_failed")
        if self.outcome == "eval_failed" or self.evals_failed:
            found.append("eval_failed")
        if self.outcome == "truncated_reply" or PLAN_CUT_MARK in self.done:
            found.append("truncated")
        return found

    def tags(self, goal_id: str | None) -> list[str]:
        found = ["session"]
        for tag in (goal_id, self.task):
            if tag:
                found.append(cap(clean(tag), TAG_MAX_CHARS))
        return found

    def evidence(self) -> str:
        review = f"review {self.review}"
        if self.findings:
            review += f" ({self.findings} finding{'s' if self.findings != 1 else ''})"
        total = self.evals_passed + self.evals_failed
        if not total:
            return f"{review}; no evals run"
        return f"{review}; evals {self.evals_passed}/{total} passed"

    def text(self, max_chars: int) -> str:
        """`{subject}. Outcome: {o}. Done: {done}. Evidence: {evidence}.`, at most `max_chars`;
        the model's part gives way first."""
        head = f"{self.subject}. Outcome: {self.outcome}."
        tail = f" Evidence: {self.evidence()}."
        room = max_chars - len(head) - len(tail) - len(" Done: .")
        done = clean(self.done)
        if done and room >= MIN_DONE_CHARS:
            done = bounded(done, room).rstrip(" .")
            return cap(f"{head} Done: {done}.{tail}", max_chars)
        return cap(f"{head}{tail}", max_chars)
