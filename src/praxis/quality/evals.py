"""Operator evals (`evals/*.json`): run by reflect (`always`), the canary, or `praxis evals run`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from praxis.errors import ConfigError, UsageError
from praxis.paths import DataDir
from praxis.progress import NO_PROGRESS, Progress
from praxis.quality.commands import failure_finding, run_check
from praxis.quality.specs import EvalSpec, load_eval

Trigger = Literal["session", "canary", "manual"]
EvalStatus = Literal["passed", "failed", "skipped"]

SKIPPED_TEXT = "Eval skipped because it is not configured for every session."
_RUNS_ON: dict[str, tuple[str, ...]] = {
    "session": ("always",),
    "canary": ("always", "canary"),
    "manual": ("always", "canary", "manual"),
}


@dataclass(frozen=True)
class EvalResult:
    eval_id: str
    name: str
    status: EvalStatus
    severity: str
    summary: str
    # Why it failed (the failing command's finding, or the file error); None otherwise.
    detail: str | None = None


@dataclass(frozen=True)
class EvalSummary:
    results: tuple[EvalResult, ...]
    passed: int
    failed: int
    skipped: int
    trust_failures: int

    @classmethod
    def of(cls, results: tuple[EvalResult, ...]) -> EvalSummary:
        def count(status: str) -> int:
            return sum(1 for r in results if r.status == status)

        trust = sum(1 for r in results if r.status == "failed" and r.severity == "trust_damaging")
        return cls(results, count("passed"), count("failed"), count("skipped"), trust)

    def summary_text(self) -> str:
        return f"Evals passed={self.passed}, failed={self.failed}, skipped={self.skipped}."

    @property
    def failed_results(self) -> tuple[EvalResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")


@dataclass(frozen=True)
class _Loaded:
    path: Path
    spec: EvalSpec | None
    error: str | None


def _load(path: Path) -> _Loaded:
    try:
        return _Loaded(path, load_eval(path), None)
    except ConfigError as exc:
        return _Loaded(path, None, exc.message)
    except OSError as exc:
        return _Loaded(path, None, f"cannot read {path}: {exc.strerror or exc}")


def _run_one(spec: EvalSpec, data_dir: DataDir, timeout_seconds: float) -> EvalResult:
    for command in spec.commands:
        outcome = run_check(command, data_dir.root, timeout_seconds)
        if not outcome.ok:
            finding = failure_finding(command, outcome, timeout_seconds)
            summary = f"Eval failed: {spec.name}"
            return EvalResult(spec.id, spec.name, "failed", spec.severity, summary, finding)
    return EvalResult(spec.id, spec.name, "passed", spec.severity, f"Eval passed: {spec.name}")


def _entry_id(entry: _Loaded) -> str:
    return entry.spec.id if entry.spec else entry.path.stem


def _broken(entry: _Loaded) -> EvalResult:
    # A malformed eval fails on every trigger: the operator has to see it, and its `when` is unknown.
    stem = entry.path.stem
    error = entry.error or "invalid eval file"
    return EvalResult(stem, stem, "failed", "functional", f"Eval failed: {stem}: {error}", error)


def run_evals(
    data_dir: DataDir,
    trigger: Trigger,
    timeout_seconds: float = 60,
    only_id: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> EvalSummary:
    """Run the evals for `trigger` in file-name order; the first failing command fails an eval.
    Each eval that runs is a progress step (`eval 2/5: <name>`)."""
    directory = data_dir.evals_dir
    paths = sorted(directory.glob("*.json")) if directory.is_dir() else []
    entries = [_load(path) for path in paths]
    if only_id is not None:
        every = entries
        entries = [e for e in every if _entry_id(e) == only_id]
        if not entries:
            known = sorted({_entry_id(e) for e in every})
            raise UsageError(
                f"unknown eval id {only_id}",
                f"known eval ids: {', '.join(known)}"
                if known
                else f"add {directory}/{only_id}.json",
            )
    runs_on = _RUNS_ON[trigger]
    due = sum(1 for e in entries if e.spec is not None and e.spec.when in runs_on)
    ran = 0
    results: list[EvalResult] = []
    for entry in entries:
        spec = entry.spec
        if spec is None:
            results.append(_broken(entry))
        elif spec.when in runs_on:
            ran += 1
            progress.step(f"eval {ran}/{due}: {spec.name}")
            results.append(_run_one(spec, data_dir, timeout_seconds))
        else:
            results.append(EvalResult(spec.id, spec.name, "skipped", spec.severity, SKIPPED_TEXT))
    return EvalSummary.of(tuple(results))
