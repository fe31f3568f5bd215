"""A metered `ask`: ask/daily/monthly limits before every attempt, every attempt in the ledger.

This is the only state a remote `ask` changes (SPEC §5): usage rows with session id NULL.
"""

from __future__ import annotations

from collections.abc import Callable

from praxis import clock
from praxis.config.loader import Config, database_path
from praxis.paths import DataDir
from praxis.providers.base import CompletionRequest, Provider, Reply
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
    from praxis.storage.sessions import insert_attempts, transaction

    conn = open_database(database_path(data_dir, config.settings), clock.now_text())
    try:
        ledger = CallLedger([call_limit("ask", config.budgets.ask), *period_limits(config, conn)])
        try:
            return provider.complete(request, ledger, on_text)
        finally:
            if ledger.attempts:
                with transaction(conn):
                    insert_attempts(
                        conn, None, None, [a._asdict() for a in ledger.attempts], clock.now_text()
                    )
    finally:
        conn.close()
