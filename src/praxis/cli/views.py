"""Rendering of typed results shared by the click commands and the start-up fast path.

Click-free on purpose: `praxis status` and `praxis ask` render without importing click.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from praxis.ask.service import AskResult
    from praxis.operator.status import NotInitialized, StatusView
    from praxis.report import Report
    from praxis.storage.provider_usage import UsageSlice


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


def status_report(view: StatusView | NotInitialized) -> Report:
    """`praxis status`: the original's keys in order, then ours (tests and replay fixtures pin
    every line and JSON key)."""
    from praxis.operator.status import Broken, NotInitialized
    from praxis.report import Report

    report = Report()
    if isinstance(view, NotInitialized):
        report.add("status", "uninitialized")
        report.add("data_dir", view.data_dir)
        return report.add("hint", f"run `praxis --data-dir {view.data_dir} init`")
    report.add("status", "ready")
    report.fields(
        view,
        "instance",
        "backend",
        "profile",
        "freeze_on_model_regression",
        "data_dir",
        "phase",
        "last_outcome",
        "repeated_reads_avoided",
        "anatomy_entries",
        "pending_approvals",
        "pending_opportunities",
    )
    _fact(report, "registered_tools", view.registered_tools, "praxis doctor")
    report.add("drift_status", view.drift_status)
    dnr, bugs = view.memory.ops["dnr_open"], view.memory.ops["bugs_open"]  # open rows
    report.add("operational_memory", f"dnr={dnr} bugs={bugs}", {"dnr": dnr, "bugs": bugs})
    report.fields(view, "event_count", "canary_records")
    _fact(report, "boundary_review_due", view.boundary_review_due, "praxis boundaries show")
    goals = view.goals
    if isinstance(goals, Broken):
        _fact(report, "goals", goals, "praxis doctor")
    else:
        _inline_fields(report, "goals", goals, "open", "done")
    _budget_today(report, view)
    _memory(report, view)
    if view.selected_tool:
        report.add("selected_tool", view.selected_tool)
    if view.last_event is not None:
        report.add("last_event", view.last_event)
    beat = view.heartbeat
    if beat is not None:
        _inline_fields(report, "heartbeat", beat, "phase", "updated_at")
        report.add("heartbeat_age_seconds", view.heartbeat_age_seconds)
        if beat.next_run_at:
            report.add("next_run", beat.next_run_at)
    if view.last_boundary_review:
        report.add("last_boundary_review", view.last_boundary_review)
    _last_session(report, view)
    _provider_usage(report, view)
    learning = view.last_learning
    if learning is not None:
        _inline_fields(
            report,
            "last_learning",
            learning,
            "processed",
            "changed",
            "opportunities",
            "completed_at",
        )
    jobs = view.daily_jobs
    report.add("daily_jobs", " ".join(f"{name}={at}" for name, at in jobs.items()), jobs)
    return report.add("data_dir_writable", view.data_dir_writable)


def _inline_fields(report: Report, key: str, record: object, *names: str) -> None:
    """`key: a=1 b=2` from the record's attributes a and b (JSON: {"a": 1, "b": 2})."""
    values = {name: getattr(record, name) for name in names}
    report.add(key, " ".join(f"{name}={value}" for name, value in values.items()), values)


def _fact(report: Report, key: str, value: object, fix: str) -> None:
    """A fact, or `error (run `FIX`)` (JSON: {"error": ...}) when a broken file kept it unread."""
    from praxis.operator.status import Broken

    if isinstance(value, Broken):
        report.add(key, f"error (run `{fix}`)", {"error": value.error})
    else:
        report.add(key, value)


def _budget_today(report: Report, view: StatusView) -> None:
    spent, limit = view.budget_today, view.daily_budget
    cost = "unknown" if spent.cost_unknown else f"{spent.cost_usd:.6f}"
    report.add(
        "budget_today",
        f"tokens={spent.tokens}/{limit.max_tokens} est_cost_usd={cost}/{limit.max_cost_usd:.6f}",
        {
            "tokens": spent.tokens,
            "max_tokens": limit.max_tokens,
            "est_cost_usd": None if spent.cost_unknown else spent.cost_usd,
            "max_cost_usd": limit.max_cost_usd,
        },
    )


def _memory(report: Report, view: StatusView) -> None:
    """Memory counts and the last consolidation / decay run (`praxis memory stats` has more)."""
    from praxis.memory.stats import run_summary

    stats = view.memory
    report.add(
        "memory",
        f"hot={stats.hot}/{stats.hot_capacity} cold={stats.cold} flagged={stats.flagged}",
        {
            "hot": stats.hot,
            "hot_capacity": stats.hot_capacity,
            "cold": stats.cold,
            "flagged": stats.flagged,
        },
    )
    report.add("memory_consolidation", *run_summary(stats.last_consolidation))
    report.add("memory_decay", *run_summary(stats.last_decay))


def _last_session(report: Report, view: StatusView) -> None:
    session = view.last_session
    if session is None:
        report.add("last_session", "none")
        return
    # `#id` is the global session id (as in JOURNAL.md and `forensics session --id`); the
    # per-day count is only shown beside it, labelled.
    report.add(
        "last_session",
        f"#{session.id} {session.outcome} (day {session.day}, session {session.session_num} "
        "of the day)",
        {
            "session_id": session.id,
            "id": session.id,
            "outcome": session.outcome,
            "day": session.day,
            "session_num": session.session_num,
        },
    )
    report.add("last_session_ended_at", session.ended_at)
    if session.review is not None:
        report.add("last_review", session.review)
    evals = session.evals
    if evals is not None:
        _inline_fields(report, "last_eval", evals, "passed", "failed", "skipped", "trust_failures")


def _provider_usage(report: Report, view: StatusView) -> None:
    """The reference's `last_provider`, `last_tokens` and `token_hotspot` lines (§1.3); an
    unknown cost prints `unknown`, never 0."""
    usage = view.provider_usage
    if usage is None:
        return
    total, hot = usage.total, usage.hotspot
    report.add(
        "last_provider",
        f"{usage.provider} attempts={usage.attempts} failures={usage.failures} "
        f"tokens={total.tokens} est_cost_usd={_cost_text(total)}",
        {
            "session_id": usage.session_id,
            "provider": usage.provider,
            "attempts": usage.attempts,
            "failures": usage.failures,
            "tokens": total.tokens,
            "est_cost_usd": _cost_json(total),
        },
    )
    report.add(
        "last_tokens",
        f"total={total.tokens} est_cost_usd={_cost_text(total)}",
        {"session_id": usage.session_id, "total": total.tokens, "est_cost_usd": _cost_json(total)},
    )
    report.add(
        "token_hotspot",
        f"{usage.hotspot_phase}/{usage.hotspot_provider} tokens={hot.tokens} "
        f"est_cost_usd={_cost_text(hot)}",
        {
            "phase": usage.hotspot_phase,
            "provider": usage.hotspot_provider,
            "tokens": hot.tokens,
            "est_cost_usd": _cost_json(hot),
        },
    )


def estimated_cost(micros: int, unknown_attempts: int) -> str:
    """Estimated USD, and how many attempts' cost is unknown (never silently counted as 0)."""
    text = f"{micros / 1e6:.6f}"
    return f"{text} (+unknown for {unknown_attempts} attempt(s))" if unknown_attempts else text


def _cost_text(usage: UsageSlice) -> str:
    return f"{usage.cost_micros / 1_000_000:.6f}" if usage.cost_known else "unknown"


def _cost_json(usage: UsageSlice) -> float | None:
    return round(usage.cost_micros / 1_000_000, 6) if usage.cost_known else None
