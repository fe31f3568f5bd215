"""`argus`: what the recent sessions say (reference §12), ★ with cost per goal or day."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.views import estimated_cost

if TYPE_CHECKING:
    from praxis.report import Report


@json_command()
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many of the newest sessions to analyse (drift always compares the newest 10).",
)
@click.option(
    "--by",
    type=click.Choice(["goal", "day"]),
    default=None,
    help="Also show tokens and cost of those sessions per goal or per local day.",
)
def argus(ctx: click.Context, limit: int, by: str | None, as_json: bool) -> None:
    """Failures, drift, repeated work, token hotspots and directives over recent sessions."""
    from praxis.analysis.argus import argus as analyze
    from praxis.report import Report

    found, costs = analyze(app(ctx), limit, by)
    drift = found.drift
    report = Report().add("argus", "ready")
    report.fields(
        found,
        "sessions_analyzed",
        "review_failures",
        "eval_failures",
        "loop_guard_blocks",
        "waiting_sessions",
        "repeated_reads_avoided",
    )
    report.add(
        "drift_status",
        f"{drift.status} recent={drift.recent:.2f} baseline={drift.baseline:.2f}",
        {"status": drift.status, "recent": drift.recent, "baseline": drift.baseline},
    )
    _section(
        report,
        "repeated_work",
        [
            f"{p.label} sessions={p.sessions} days={p.days} latest={p.latest_outcome}"
            for p in found.repeated_work
        ],
        [p._asdict() for p in found.repeated_work],
    )
    _section(
        report,
        "failure_clusters",
        [f"{outcome} x{count}" for outcome, count in found.failure_clusters],
        [{"outcome": o, "count": n} for o, n in found.failure_clusters],
    )
    _section(
        report,
        "token_hotspots",
        [f"{h.phase}/{h.provider} tokens={h.tokens}" for h in found.token_hotspots],
        [
            {
                "phase": h.phase,
                "provider": h.provider,
                "tokens": h.tokens,
                "est_cost_usd": h.cost_micros / 1e6 if h.cost_known else None,
            }
            for h in found.token_hotspots
        ],
    )
    report.raw("directives:")
    for directive in found.directives:
        report.raw(f"- {directive}")
    report.extra("directives", found.directives)
    _section(
        report,
        "failed_evals",
        [f"{e.name} ({e.eval_id}) x{e.failures}" for e in found.failed_evals],
        [e._asdict() for e in found.failed_evals],
    )
    if by is not None and costs is not None:
        _section(
            report,
            f"cost_by_{by}",
            [
                f"{r.key} sessions={r.sessions} tokens={r.tokens} "
                f"est_cost_usd={estimated_cost(r.cost_micros, r.unknown_cost_attempts)}"
                for r in costs
            ],
            [
                {
                    by: r.key,
                    **({"title": r.title} if by == "goal" else {}),
                    "sessions": r.sessions,
                    "tokens": r.tokens,
                    "est_cost_usd": r.cost_micros / 1e6,
                    "unknown_cost_attempts": r.unknown_cost_attempts,
                }
                for r in costs
            ],
        )
    emit(report, as_json)


def _section(report: Report, key: str, lines: list[str], data: object) -> None:
    """`key: none`, or `key:` and one `- ...` line each (JSON: the list)."""
    if not lines:
        report.add(key, "none", [])
        return
    report.raw(f"{key}:")
    for line in lines:
        report.raw(f"- {line}")
    report.extra(key, data)
