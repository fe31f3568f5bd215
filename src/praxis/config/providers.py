"""providers.toml: model routes in file order."""

from __future__ import annotations

from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.toml_source import TomlSource

PROVIDERS = ("claude", "openai", "ollama")
DEFAULT_KEY_ENV = {"claude": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
DEFAULT_BASE_URL = {
    "claude": "https://api.anthropic.com",
    "openai": "https://api.openai.com/v1",
    "ollama": "http://127.0.0.1:11434",
}
DEFAULT_MODEL = {
    "claude": "claude-3-5-sonnet-latest",
    "openai": "gpt-5.4-mini",
    "ollama": "llama3.2",
}
OPENAI_APIS = ("chat", "responses")


class Route(NamedTuple):
    provider: str
    model: str
    base_url: str | None = None
    api: str = "chat"
    api_key_env: str | None = None
    timeout_seconds: float = 45.0
    input_cost_per_million_usd: float | None = None
    output_cost_per_million_usd: float | None = None
    tools: bool = True  # False: never send tool definitions to this route's server

    @property
    def key_env(self) -> str | None:
        return self.api_key_env or DEFAULT_KEY_ENV.get(self.provider)

    @property
    def is_remote(self) -> bool:
        return self.provider != "ollama"


DEFAULT_ROUTES: tuple[Route, ...] = tuple(
    Route(p, DEFAULT_MODEL[p], DEFAULT_BASE_URL[p]) for p in PROVIDERS
)


def parse_routes(source: TomlSource | None) -> tuple[Route, ...]:
    if source is None:
        return DEFAULT_ROUTES
    entries = TableReader.whole_file(source).nonempty_tables(
        "providers",
        "providers configuration must include at least one route",
        "add a [[providers]] entry with provider and model",
    )
    return tuple(_parse_route(entry) for entry in entries)


def _parse_route(entry: TableReader) -> Route:
    provider = entry.string("provider")
    if provider not in PROVIDERS:
        raise entry.fail(
            "provider", f"unsupported provider {provider}", "use claude, openai or ollama"
        )
    model = entry.nonblank_string(
        "model", "", message=f"provider {provider} must define a model", hint='add model = "..."'
    )
    base_url = entry.optional_string("base_url")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise entry.fail(
            "base_url",
            f"provider {provider} base_url must start with http:// or https://, got {base_url}",
            f"use a base url such as {DEFAULT_BASE_URL[provider]}",
        )
    api = entry.string("api", "chat")
    if api not in OPENAI_APIS:
        raise entry.fail(
            "api",
            f"provider {provider} api must be chat or responses, got {api}",
            'set api = "chat"',
        )
    timeout = entry.number("timeout_seconds", 45.0)
    if timeout <= 0:
        raise entry.fail(
            "timeout_seconds", "timeout_seconds must be greater than 0", "set timeout_seconds = 45"
        )
    prices = {}
    for key in ("input_cost_per_million_usd", "output_cost_per_million_usd"):
        value = entry.optional_number(key)
        if value is not None and value < 0:
            raise entry.fail(key, f"{key} must not be negative", f"set {key} = 0 or more")
        prices[key] = value
    tools = entry.boolean("tools", True)
    key_env = entry.optional_string("api_key_env")
    if key_env is not None and not key_env.strip():
        raise entry.fail(
            "api_key_env", "api_key_env must not be blank", "name an environment variable"
        )
    return Route(
        provider=provider,
        model=model,
        base_url=base_url.rstrip("/") if base_url else None,
        api=api,
        api_key_env=key_env,
        timeout_seconds=timeout,
        **prices,
        tools=tools,
    )
