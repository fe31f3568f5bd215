"""Build the provider for the configured backend.

Only the stub exists today; remote adapters (and their httpx import) arrive with the providers
issue and must stay imported lazily so stub commands start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from praxis.errors import NotAvailable

if TYPE_CHECKING:
    from praxis.config.loader import Config
    from praxis.providers.base import Provider


def build_provider(config: Config) -> Provider:
    backend = config.backend
    if backend == "stub":
        from praxis.providers.stub import StubProvider

        return StubProvider()
    raise NotAvailable(
        f"backend {backend} is not available yet",
        'set backend = "stub" in the [agent] table of praxis.toml (or pick a profile '
        "without a backend override) to run offline",
    )
