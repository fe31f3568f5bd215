"""`usage`: tokens and estimated cost per provider, model, phase or goal."""

from __future__ import annotations

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.views import estimated_cost


@json_command()
@click.option(
    "--days", type=click.IntRange(min=1), default=7, show_default=True, help="Window in days."
)
@click.option(
    "--by",
    type=click.Choice(["provider", "model", "phase", "goal"]),
    default="provider",
    show_default=True,
)
def usage(ctx: click.Context, days: int, by: str, as_json: bool) -> None:
    """Token and cost ledger (every attempt, including failed ones and asks; attempts on the
    wire and unknown outcomes are charged at their worst-case estimate)."""
    from praxis.analysis.usage import usage_summary
    from praxis.report import Report

    found = usage_summary(app(ctx), days, by)
    totals, rows = found.totals, found.rows
    report = Report().add("usage", "ok").add("days", days).add("since", found.since)
    report.fields(totals, "attempts", "failures")
    report.add(
        "tokens",
        f"in={totals.input_tokens} out={totals.output_tokens}",
        {"input": totals.input_tokens, "output": totals.output_tokens},
    )
    report.add("est_cost_usd", estimated_cost(totals.cost_micros, totals.unknown_cost_attempts))
    held = found.held
    report.add("in_flight", held.in_flight)
    report.add(
        "unknown_outcome",
        f"{held.unknown} attempts charged at estimate "
        f"(tokens={held.unknown_tokens} est_cost_usd={held.unknown_cost_micros / 1e6:.6f})",
        {
            "attempts": held.unknown,
            "tokens": held.unknown_tokens,
            "est_cost_usd": held.unknown_cost_micros / 1e6,
        },
    )
    today, month, budgets = found.today, found.month, found.budgets
    report.add(
        "budget_today",
        f"tokens={today.tokens}/{budgets.daily.max_tokens} "
        f"est_cost_usd={today.cost_usd:.6f}/{budgets.daily.max_cost_usd:.6f}",
    )
    report.add(
        "budget_month",
        f"tokens={month.tokens}/{budgets.monthly.max_tokens} "
        f"est_cost_usd={month.cost_usd:.6f}/{budgets.monthly.max_cost_usd:.6f}",
    )
    report.add(f"by_{by}", "none" if not rows else len(rows))
    for row in rows:
        report.raw(
            f"- {row.group} attempts={row.attempts} failures={row.failures} tokens={row.tokens} "
            f"est_cost_usd={estimated_cost(row.cost_micros, row.unknown_cost_attempts)}"
        )
    report.extra("rows", [{**r._asdict(), "tokens": r.tokens} for r in rows])
    emit(report, as_json)
