"""Prices: the built-in table (package data) plus per-route overrides; local routes cost 0.

A remote model with no known price is counted as unknown, never as 0 (reference §20.1 item 8).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from praxis.config.providers import Route

PRICES_FILE = Path(__file__).with_name("prices.toml")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


class Price(NamedTuple):
    input_per_million: float
    output_per_million: float
    source: str  # route | table | local


@cache
def _table() -> dict[str, dict[str, tuple[float, float]]]:
    import tomllib

    raw = tomllib.loads(PRICES_FILE.read_text(encoding="utf-8"))
    return {
        provider: {model: (float(pair[0]), float(pair[1])) for model, pair in models.items()}
        for provider, models in raw.items()
    }


def is_local(route: Route, base_url: str | None = None) -> bool:
    """Ollama, or an OpenAI-compatible server on this machine (llama.cpp, vLLM, LM Studio …).

    A Claude route is never local: a localhost Anthropic endpoint is a proxy that still bills.
    """
    if route.provider == "ollama":
        return True
    if route.provider != "openai":
        return False
    url = base_url or route.base_url
    if not url:
        return False
    host = urlsplit(url).hostname or ""
    return host in LOCAL_HOSTS or host.startswith("127.")


def price_for(route: Route, model: str | None = None, base_url: str | None = None) -> Price | None:
    """The price of `model` (default: the route's) on this route, or None when unknown."""
    if (
        route.input_cost_per_million_usd is not None
        or route.output_cost_per_million_usd is not None
    ):
        return Price(
            route.input_cost_per_million_usd or 0.0,
            route.output_cost_per_million_usd or 0.0,
            "route",
        )
    if is_local(route, base_url):
        return Price(0.0, 0.0, "local")
    name = (model or route.model).lower()
    models = _table().get(route.provider, {})
    for key in sorted(models, key=len, reverse=True):
        if name == key or name.startswith(key + "-") or name.startswith(key + "@"):
            return Price(*models[key], "table")
    return None


def cost_micros(price: Price | None, input_tokens: int, output_tokens: int) -> tuple[int, bool]:
    """(cost in micro-USD, whether it is known). USD per million tokens = micro-USD per token."""
    if price is None:
        return 0, False
    cost = input_tokens * price.input_per_million + output_tokens * price.output_per_million
    return round(cost), True
