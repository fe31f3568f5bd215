"""Build the provider for a phase from the config: stub, one route, or the router; local-first
ordering, `model_pin`, and the canary freeze gate are applied here, around the adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from praxis import clock, env
from praxis.config.providers import DEFAULT_BASE_URL, DEFAULT_MODEL, Route
from praxis.errors import FrozenRoutes

if TYPE_CHECKING:
    from praxis.config.loader import Config
    from praxis.paths import DataDir
    from praxis.providers.adapter import Adapter
    from praxis.providers.base import Attempt, Provider
    from praxis.providers.route import RouteProvider

LOCAL_FIRST_PHASES = ("ask", "act")
BASE_URL_ENV = {
    "claude": "ANTHROPIC_BASE_URL",
    "openai": "OPENAI_BASE_URL",
    "ollama": "OLLAMA_HOST",
}


def build_provider(
    config: Config,
    data_dir: DataDir | None = None,
    phase: str = "decide",
    *,
    gate: bool = True,
) -> Provider:
    backend = config.backend
    if backend == "stub":
        from praxis.providers.stub import StubProvider

        return StubProvider()
    from praxis.providers.router import Router

    routes = select_routes(config, phase)
    # In a router, failover is the retry: each route gets one retry instead of two.
    tries = 3 if len(routes) == 1 else 2
    reply_limit = config.settings.agent.max_reply_bytes
    members = [route_provider(r, tries, data_dir, reply_limit) for r in routes]
    frozen: list[Attempt] = []
    if gate and config.settings.agent.freeze_on_model_regression and data_dir is not None:
        members, frozen = _apply_freeze(config, data_dir, members)
        if not members:
            from praxis.providers.freeze import FREEZE_MESSAGE

            raise FrozenRoutes(FREEZE_MESSAGE, frozen)
    if len(members) == 1 and not frozen:
        return members[0]
    return Router(members, frozen)


def select_routes(config: Config, phase: str) -> list[Route]:
    """Routes to try, in order (reference §9.2/§9.4)."""
    agent = config.settings.agent
    local_first = agent.local_first_fallback and phase in LOCAL_FIRST_PHASES
    if config.backend == "router":
        routes = list(config.routes)
        if local_first:
            routes = [r for r in routes if r.provider == "ollama"] + [
                r for r in routes if r.provider != "ollama"
            ]
        return routes
    primary = _first_route(config, config.backend)
    if agent.model_pin:
        primary = primary._replace(model=agent.model_pin)
    if local_first and config.backend != "ollama":
        return [_first_route(config, "ollama"), primary]
    return [primary]


def _first_route(config: Config, provider: str) -> Route:
    found = next((r for r in config.routes if r.provider == provider), None)
    return found or Route(provider, DEFAULT_MODEL[provider], DEFAULT_BASE_URL[provider])


def resolve_base_url(route: Route) -> str:
    """The vendor's own env override (ANTHROPIC_BASE_URL, OPENAI_BASE_URL, OLLAMA_HOST) wins."""
    override = env.get(BASE_URL_ENV[route.provider])
    url = override or route.base_url or DEFAULT_BASE_URL[route.provider]
    if "://" not in url:
        url = f"http://{url}"
    return url.rstrip("/")


def route_provider(
    route: Route,
    tries: int = 3,
    data_dir: DataDir | None = None,
    max_reply_bytes: int | None = None,
) -> RouteProvider:
    """One route. With `data_dir`, routes whose server rejected tools are remembered there;
    `max_reply_bytes` (agent.max_reply_bytes) bounds every reply it reads."""
    from praxis.context.tokens import counter_for, family_for
    from praxis.providers.pricing import price_for
    from praxis.providers.route import RetryPolicy, RouteProvider
    from praxis.providers.tool_support import FILE_NAME, ToolLessRoutes

    base_url = resolve_base_url(route)
    key = env.get(route.key_env) if route.key_env else None
    adapter = _adapter(route, base_url, key)
    if max_reply_bytes is not None:
        from praxis.providers.adapter import limit_replies

        limit_replies(adapter, max_reply_bytes)
    counter = counter_for(family_for(route.provider, route.model))
    secrets = (key,) if key else ()
    return RouteProvider(
        route,
        adapter,
        price_for(route, base_url=base_url),
        counter,
        retry=RetryPolicy(max_tries=tries),
        secrets=secrets,
        base_url=base_url,
        tool_less=ToolLessRoutes(data_dir.file(FILE_NAME) if data_dir is not None else None),
    )


def _adapter(route: Route, base_url: str, key: str | None) -> Adapter:
    from praxis.providers.pricing import is_local

    if route.provider == "ollama":
        from praxis.providers.ollama import OllamaAdapter

        return OllamaAdapter(route.model, base_url, route.timeout_seconds)
    if not key and not (route.provider == "openai" and is_local(route, base_url)):
        from praxis.providers.missing_key import MissingKeyAdapter

        return MissingKeyAdapter(route.provider, route.model, route.key_env or "API key")
    if route.provider == "claude":
        from praxis.providers.claude import ClaudeAdapter

        assert key is not None
        return ClaudeAdapter(route.model, base_url, key, route.key_env, route.timeout_seconds)
    from praxis.providers.openai import OpenAIAdapter

    return OpenAIAdapter(
        route.model,
        base_url,
        key,
        route.key_env,
        route.timeout_seconds,
        route.api,  # type: ignore[arg-type]
    )


def _apply_freeze(
    config: Config, data_dir: DataDir, members: list[RouteProvider]
) -> tuple[list[RouteProvider], list[Attempt]]:
    from praxis.providers.base import Attempt
    from praxis.providers.freeze import frozen_reason, load_records
    from praxis.providers.pricing import is_local
    from praxis.providers.spend import FROZEN

    records = load_records(data_dir.model_canary)
    now = clock.now()
    kept: list[RouteProvider] = []
    frozen: list[Attempt] = []
    for member in members:
        reason = None
        if not is_local(member.route, resolve_base_url(member.route)):
            reason = frozen_reason(
                records, member.name, member.model, config.settings.agent.canary_max_age_days, now
            )
        if reason is None:
            kept.append(member)
        else:
            frozen.append(
                Attempt("", member.name, member.model, False, error=reason, error_class=FROZEN)
            )
    return kept, frozen
