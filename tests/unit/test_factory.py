"""Route selection around the adapters: single backend, router order, local-first, model_pin,
base URLs from the vendors' env conventions, and the canary freeze gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from praxis.config.budgets import Budgets
from praxis.config.loader import Config
from praxis.config.providers import DEFAULT_ROUTES, Route
from praxis.config.settings import AgentSettings, Settings
from praxis.errors import FrozenRoutes
from praxis.paths import DataDir
from praxis.providers.factory import build_provider, resolve_base_url, select_routes
from praxis.providers.route import RouteProvider
from praxis.providers.router import Router


def _config(backend: str, **agent: object) -> Config:
    settings = Settings(agent=AgentSettings(backend=backend, **agent))  # type: ignore[arg-type]
    return Config(
        settings=settings, declared=settings, routes=DEFAULT_ROUTES, budgets=Budgets(), profiles=()
    )


def test_single_backend_uses_its_first_route_and_the_pin() -> None:
    routes = select_routes(_config("claude", model_pin="claude-sonnet-4-5"), "decide")
    assert [(r.provider, r.model) for r in routes] == [("claude", "claude-sonnet-4-5")]


def test_router_keeps_file_order_and_ignores_the_pin() -> None:
    routes = select_routes(_config("router", model_pin="x"), "decide")
    assert [r.provider for r in routes] == ["claude", "openai", "ollama"]
    assert routes[0].model == "claude-3-5-sonnet-latest"


@pytest.mark.parametrize(
    ("phase", "first"), [("ask", "ollama"), ("act", "ollama"), ("decide", "claude")]
)
def test_local_first_applies_to_ask_and_act_only(phase: str, first: str) -> None:
    single = select_routes(_config("claude", local_first_fallback=True), phase)
    assert single[0].provider == first
    router = select_routes(_config("router", local_first_fallback=True), phase)
    assert router[0].provider == first


def test_base_url_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    route = Route("ollama", "llama3.2", "http://127.0.0.1:11434")
    assert resolve_base_url(route) == "http://127.0.0.1:11434"
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9999")
    assert resolve_base_url(route) == "http://127.0.0.1:9999"
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:8000/")
    assert resolve_base_url(Route("claude", "m")) == "http://127.0.0.1:8000"


def test_build_returns_route_or_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0000000000")
    single = build_provider(_config("claude"), None, "decide")
    assert isinstance(single, RouteProvider) and single.name == "claude"
    router = build_provider(_config("router"), None, "decide")
    assert isinstance(router, Router) and [m.name for m in router.members] == [
        "claude",
        "openai",
        "ollama",
    ]


def test_freeze_gate_skips_routes_without_a_passing_canary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-10T00:00:00Z")
    data_dir = DataDir(tmp_path)
    records = [
        {
            "provider": "openai",
            "model": "gpt-5.4-mini",
            "status": "passed",
            "checked_at": "2026-05-09T00:00:00Z",
            "summary": "",
            "eval_failures": 0,
        },
        {
            "provider": "claude",
            "model": "claude-3-5-sonnet-latest",
            "status": "passed",
            "checked_at": "2026-04-01T00:00:00Z",
            "summary": "",
            "eval_failures": 0,
        },
    ]
    data_dir.model_canary.write_text(json.dumps({"records": records}))
    config = _config("router", freeze_on_model_regression=True)
    router = build_provider(config, data_dir, "decide")
    assert isinstance(router, Router)
    assert [m.name for m in router.members] == ["openai", "ollama"]  # ollama is local: never gated
    assert [a.error for a in router.frozen] == [
        "frozen: canary for claude/claude-3-5-sonnet-latest is older than 7 days"
    ]
    with pytest.raises(FrozenRoutes, match="all configured remote provider models are frozen"):
        build_provider(_config("claude", freeze_on_model_regression=True), data_dir, "decide")
