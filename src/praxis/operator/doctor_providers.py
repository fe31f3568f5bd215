"""Doctor's provider checks: keys for the routes in use, base URL form, known prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from praxis.app import Praxis
from praxis.errors import CheckFailed

if TYPE_CHECKING:
    from praxis.config.providers import Route


def provider_findings(app: Praxis) -> tuple[str, list[str]]:
    """(summary, warnings); raises CheckFailed when the configured backend cannot work."""
    from praxis import env
    from praxis.config.providers import DEFAULT_BASE_URL
    from praxis.providers.factory import BASE_URL_ENV, resolve_base_url, select_routes
    from praxis.providers.pricing import is_local, price_for

    config = app.config
    if config.backend == "stub":
        return "stub backend needs no keys", []
    routes = select_routes(config, "act") if config.backend != "router" else list(config.routes)
    warnings: list[str] = []
    usable = 0
    for route in routes:
        base_url = resolve_base_url(route)
        label = f"{route.provider}/{route.model}"
        problem = _url_problem(base_url)
        if problem:
            source = BASE_URL_ENV[route.provider]
            where = f"${source}" if env.get(source) else "base_url in providers.toml"
            raise CheckFailed(
                f"{label} base URL {base_url} {problem}",
                f"fix {where} (e.g. {DEFAULT_BASE_URL[route.provider]})",
            )
        needs_key = route.key_env is not None and not is_local(route, base_url)
        if needs_key and not env.is_set(str(route.key_env)):
            warnings.append(f"{route.key_env} is not set, so {label} will fail")
            continue
        usable += 1
        if price_for(route, base_url=base_url) is None:
            warnings.append(
                f"no price known for {label}: its cost is counted as unknown; set "
                "input_cost_per_million_usd and output_cost_per_million_usd in providers.toml"
            )
    if usable == 0:
        first = next((w for w in warnings if "is not set" in w), "no usable route")
        raise CheckFailed(
            f"{first.split(' is not set')[0]} is required for the {config.backend} provider"
            if "is not set" in first
            else first,
            f"export the key (or put it in {app.data_dir.dotenv}, mode 600), or add an ollama route",
        )
    return f"{usable} usable route(s)" + _tools_off(app, routes), warnings


def _tools_off(app: Praxis, routes: list[Route]) -> str:
    """`; tools off: …` for routes with `tools = false` or whose server rejected tools."""
    from praxis.providers.factory import resolve_base_url
    from praxis.providers.tool_support import FILE_NAME, RouteKey, load_tool_less

    remembered = set(load_tool_less(app.data_dir.file(FILE_NAME)))
    off = []
    for route in routes:
        if not route.tools:
            off.append(f"{route.provider}/{route.model} (tools = false)")
        elif RouteKey(route.provider, route.model, resolve_base_url(route)) in remembered:
            off.append(f"{route.provider}/{route.model} (server rejected tools)")
    return f"; tools off: {', '.join(off)}" if off else ""


def tokenizer_description(app: Praxis) -> str:
    from praxis.context.tokens import family_for, tokenizer_name

    config = app.config
    route = next((r for r in config.routes if r.provider == config.backend), None)
    model = config.settings.agent.model_pin or (route.model if route else None)
    return tokenizer_name(family_for(config.backend, model))


def _url_problem(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL (bad port?)"
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) URL"
    if not parts.hostname:
        return "has no host"
    if port is not None and not 0 < port < 65536:
        return "has an invalid port"
    return None
