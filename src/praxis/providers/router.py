"""Failover across routes in order (a wrapper, not logic inside adapters). Every attempt counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from praxis.errors import ProviderFailed
from praxis.providers.base import Attempt, CompletionRequest, Reply
from praxis.providers.route import RouteProvider
from praxis.providers.spend import CallLedger


class Router:
    name = "router"
    metered = True

    def __init__(self, members: Sequence[RouteProvider], frozen: Sequence[Attempt] = ()) -> None:
        self.members = tuple(members)
        self.frozen = tuple(frozen)
        self.model = self.members[0].model if self.members else "none"

    @property
    def supports_tools(self) -> bool:
        """True if any route could take tools; routes without them get the request without."""
        return any(member.supports_tools for member in self.members)

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        ledger = ledger if ledger is not None else CallLedger()
        attempts: list[Attempt] = []
        hint: str | None = None
        for skipped in self.frozen:
            frozen = skipped._replace(phase=request.phase)
            ledger.record(frozen)
            attempts.append(frozen)
        for member in self.members:
            try:
                reply = member.complete(request, ledger, on_text)
            except ProviderFailed as failed:
                attempts.extend(failed.attempts)
                hint = failed.hint
                continue
            return reply._replace(attempts=(*attempts, *reply.attempts))
        raise ProviderFailed(request.phase, tuple(attempts), hint)
