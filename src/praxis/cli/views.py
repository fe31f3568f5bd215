"""Rendering of typed results shared by the click commands and the start-up fast path.

Click-free on purpose: `praxis status` and `praxis ask` render without importing click.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from praxis.ask.service import AskResult
    from praxis.report import Report


def write(report: Report, as_json: bool = False) -> None:
    sys.stdout.write((report.to_json() if as_json else report.to_text()) + "\n")


def ask_report(result: AskResult, as_json: bool, include_answer: bool = True) -> Report:
    from praxis.report import Report

    reply = result.reply
    report = Report()
    if as_json:
        report.extra("answer", reply.text)
        report.extra("backend", result.backend)
        report.extra("model", reply.model)
        report.extra("tokens", reply.usage.total)
        report.extra("est_cost_usd", round(result.est_cost_usd, 6))
        return report
    report.add("mode", "ask")
    report.add("backend", result.backend)
    report.add("stateful", False)
    report.add("attachments", result.attachments)
    report.add("prompt", result.prompt)
    if include_answer:
        # The answer stays last: it may span lines, and scripts read it to the end.
        report.add("answer", reply.text)
    else:
        report.add("tokens", reply.usage.total)
        report.add("est_cost_usd", f"{result.est_cost_usd:.6f}" if reply.cost_known else "unknown")
    return report
