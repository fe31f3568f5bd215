"""A route whose API key is not set: every call fails as `auth`, with a hint naming the variable,
so the router can fail over and the attempt is still recorded."""

from __future__ import annotations

from collections.abc import Callable

from praxis.errors import CallError
from praxis.providers.adapter import AdapterResult
from praxis.providers.base import CompletionRequest

VENDOR = {"claude": "Claude", "openai": "OpenAI", "ollama": "Ollama"}


class MissingKeyAdapter:
    def __init__(self, provider: str, model: str, key_env: str) -> None:
        self.provider = provider
        self.model = model
        self.key_env = key_env

    def call(
        self, request: CompletionRequest, on_text: Callable[[str], None] | None = None
    ) -> AdapterResult:
        raise CallError(
            f"{self.key_env} is required for the {VENDOR.get(self.provider, self.provider)} provider",
            f"export {self.key_env}=... or put it in the data dir's .env (mode 600)",
            error_class="auth",
        )

    def close(self) -> None:
        """Nothing to release: no connection was ever opened."""
