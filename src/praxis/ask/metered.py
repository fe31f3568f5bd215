"""A metered `ask`: ask/daily/monthly limits before every attempt, every attempt in the ledger.

This is the only state a remote `ask` changes (SPEC §5): usage rows with session id NULL, each
written as a reservation before its request goes out and settled after the reply.
"""

from __future__ import annotations

from collections.abc import Callable

from praxis import clock
from praxis.config.loader import Config, database_path
from praxis.paths import DataDir
from praxis.providers.base import CompletionRequest, Provider, Reply, Usage
from praxis.providers.limits import call_limit, period_limits
from praxis.providers.spend import CallLedger


def metered_call(
    config: Config,
    data_dir: DataDir,
    provider: Provider,
    request: CompletionRequest,
    on_text: Callable[[str], None] | None,
) -> Reply:
    from praxis.storage.db import open_database

    conn = open_database(database_path(data_dir, config.settings), clock.now_text())
    try:
        limits = [call_limit("ask", config.budgets.ask), *period_limits(config)]
        with CallLedger(limits, conn) as ledger:
            reply = provider.complete(request, ledger, on_text)
        return charged(reply, ledger)
    finally:
        conn.close()


def charged(reply: Reply, ledger: CallLedger) -> Reply:
    """The reply with its attempts as the ledger charged them: usage a provider reported that
    was refused (negative, absurd) is shown at the estimate it was charged at."""
    if not any(ledger.notes) or len(ledger.attempts) != len(reply.attempts):
        return reply
    last = ledger.attempts[-1]
    usage = (
        reply.usage if ledger.notes[-1] is None else Usage(last.input_tokens, last.output_tokens)
    )
    return reply._replace(attempts=tuple(ledger.attempts), usage=usage)
