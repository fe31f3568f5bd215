"""`canary run|status` (SPEC §8.5): probe each remote route; it PASSES only if the reply is
exactly `PraxisCanaryReady` and the canary evals pass. A pass followed by a failure is a
regression: an event and a postmortem entry."""

from __future__ import annotations

import json
import time
from typing import NamedTuple

from praxis import clock
from praxis.app import Praxis
from praxis.config.providers import PROVIDERS
from praxis.errors import BudgetExceeded, PraxisError, ProviderFailed
from praxis.events import emit_event
from praxis.files import atomic_write_text
from praxis.progress import NO_PROGRESS, Progress
from praxis.providers.base import CompletionRequest, Message
from praxis.providers.freeze import CanaryRecord, load_records
from praxis.providers.spend import CallLedger

PROBE = "Reply with exactly: PraxisCanaryReady"
EXPECTED = "PraxisCanaryReady"
SYSTEM = "You are a health probe for an automated agent. Follow the instruction exactly."


class CanaryRun(NamedTuple):
    records: tuple[CanaryRecord, ...]
    regressions: tuple[str, ...]


def canary_targets(app: Praxis, provider: str | None) -> list[str]:
    backend = app.config.backend
    if provider is not None:
        targets = [provider]
    elif backend == "router":
        targets = list(dict.fromkeys(r.provider for r in app.config.routes))
    else:
        targets = [backend]
    for target in targets:
        if target not in PROVIDERS or not any(r.provider == target for r in app.config.routes):
            raise PraxisError(
                f"no provider route configured for {target}",
                "add a [[providers]] route to providers.toml, or pass --provider claude|openai|ollama",
            )
    return targets


def run_canaries(
    app: Praxis, provider: str | None = None, progress: Progress = NO_PROGRESS
) -> CanaryRun:
    """Probe each target route in turn (a progress step each, then one per canary eval)."""
    from praxis.providers.factory import route_provider
    from praxis.providers.limits import period_limits
    from praxis.quality.evals import run_evals

    config = app.config
    records = {(r.provider, r.model): r for r in load_records(app.data_dir.model_canary)}
    fresh: list[CanaryRecord] = []
    regressions: list[str] = []
    targets = canary_targets(app, provider)
    for number, target in enumerate(targets, 1):
        route = next(r for r in config.routes if r.provider == target)
        if config.backend == target and config.settings.agent.model_pin:
            route = route._replace(model=config.settings.agent.model_pin)
        probe = route_provider(route)  # never local-first, never gated: it is what clears the gate
        request = CompletionRequest(
            phase="canary",
            system=SYSTEM,
            context="",
            messages=(Message("user", PROBE),),
            max_output_tokens=32,
        )
        # Written ahead like every metered call: reserved before the probe, settled after.
        ledger = CallLedger(period_limits(config), app.db)
        progress.step(f"canary {number}/{len(targets)}: asking {target} {probe.model}")
        started = time.monotonic()
        try:
            with ledger:
                reply = probe.complete(request, ledger)
            text = reply.text.strip()
            evals = run_evals(app.data_dir, "canary", progress=progress)
            passed = text == EXPECTED and evals.failed == 0
            summary = (
                f"{target} canary probe completed; reply_matches={str(text == EXPECTED).lower()} "
                f"eval_failures={evals.failed} trust_failures={evals.trust_failures} "
                f"response={text[:80]}"
            )
            eval_failures, excerpt = evals.failed, text[:80]
        except (ProviderFailed, BudgetExceeded) as failure:
            passed, eval_failures, excerpt = False, 0, ""
            summary = f"{target} canary probe failed: {failure.message}" + (
                f" ({failure.hint})" if failure.hint else ""
            )
        record = CanaryRecord(
            target,
            probe.model,
            "passed" if passed else "failed",
            clock.now_text(),
            summary,
            eval_failures,
            int((time.monotonic() - started) * 1000),
            excerpt,
        )
        previous = records.get((record.provider, record.model))
        if previous is not None and previous.status == "passed" and not passed:
            regressions.append(_regression(app, previous, record))
        records[(record.provider, record.model)] = record
        fresh.append(record)
    _save(app, sorted(records.values(), key=lambda r: (r.provider, r.model)))
    return CanaryRun(tuple(fresh), tuple(regressions))


def _regression(app: Praxis, previous: CanaryRecord, record: CanaryRecord) -> str:
    detail = f"{record.provider}/{record.model} passed at {previous.checked_at}, failed at {record.checked_at}"
    emit_event(app.data_dir.events, "canary:regression", detail)
    from praxis.quality.postmortem import append_canary_regression

    append_canary_regression(
        app.data_dir,
        f"{record.provider} {record.model}",
        previous.checked_at,
        record.checked_at,
        record.summary,
    )
    return detail


def _save(app: Praxis, records: list[CanaryRecord]) -> None:
    payload = {"records": [r._asdict() for r in records]}
    atomic_write_text(app.data_dir.model_canary, json.dumps(payload, indent=2) + "\n")


def latest_canaries(app: Praxis) -> list[CanaryRecord]:
    """The kept record of every (provider, model), sorted by them (`canary status`)."""
    return sorted(load_records(app.data_dir.model_canary), key=lambda r: (r.provider, r.model))
