"""`evals run [--id ID]`: run the operator's evals by hand (every `when`, or one eval)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.progress import shown

if TYPE_CHECKING:
    from praxis.quality.evals import EvalSummary
    from praxis.report import Report


@click.group()
def evals() -> None:
    """Operator evals (evals/*.json)."""


@json_command(evals, "run")
@click.option("--id", "eval_id", metavar="ID", help="Run only the eval with this id.")
def evals_run(ctx: click.Context, eval_id: str | None, as_json: bool) -> None:
    """Run evals now, whatever their `when`; exit 1 when any fails."""
    from praxis.errors import CheckFailed
    from praxis.quality.evals import run_evals

    with shown(as_json) as progress:
        summary = run_evals(app(ctx).data_dir, "manual", only_id=eval_id, progress=progress)
    emit(_report(summary), as_json)
    if summary.failed:
        failed = summary.failed_results
        raise CheckFailed(
            f"{summary.failed} eval(s) failed: {', '.join(r.eval_id for r in failed)}",
            f"see the failing commands above and evals/{failed[0].eval_id}.json",
        )


def _report(summary: EvalSummary) -> Report:
    from praxis.report import Report

    report = Report().add("evals", "failed" if summary.failed else "ok")
    report.fields(summary, "passed", "failed", "skipped", "trust_failures")
    for result in summary.results:
        report.raw(f"- {result.status} {result.eval_id}: {result.summary}")
        if result.status == "failed" and result.detail and result.detail not in result.summary:
            report.raw(f"  {result.detail}")
    report.extra(
        "results",
        [
            {
                "id": r.eval_id,
                "name": r.name,
                "status": r.status,
                "severity": r.severity,
                "summary": r.summary,
                "detail": r.detail,
            }
            for r in summary.results
        ],
    )
    return report
