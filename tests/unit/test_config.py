"""Config parsing: defaults, validation messages with file and line, profiles, human floats."""

from __future__ import annotations

from pathlib import Path

import pytest

from praxis.config import defaults
from praxis.config.budgets import parse_budgets
from praxis.config.profiles import DEFAULT_PROFILES, apply_profile, parse_profiles
from praxis.config.providers import DEFAULT_ROUTES, parse_routes
from praxis.config.settings import DEFAULT_CONTEXT_BUDGET, parse_settings
from praxis.config.toml_source import read_toml
from praxis.errors import ConfigError


def _source(tmp_path: Path, text: str, name: str = "praxis.toml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text)
    return read_toml(path)


def _default_text() -> str:
    return defaults.praxis_toml("Praxis", "UTC", "/data", 2)


def test_default_praxis_toml_round_trips(tmp_path: Path) -> None:
    settings = parse_settings(_source(tmp_path, _default_text()))
    assert settings.instance.name == "Praxis"
    assert settings.agent.backend == "stub"
    assert settings.agent.context_ceiling_pct == 0.8
    assert settings.context.budget == DEFAULT_CONTEXT_BUDGET
    assert settings.security_level == 2
    assert settings.runtime.quiet_hours_start == "23:00"


def test_default_budget_percentages_sum_to_one() -> None:
    assert abs(sum(e.max_pct for e in DEFAULT_CONTEXT_BUDGET) - 1.0) < 1e-9


def test_floats_written_as_a_human_would() -> None:
    text = _default_text()
    assert "context_ceiling_pct = 0.8\n" in text
    assert "max_pct = 0.05\n" in text
    assert "0000000" not in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "Praxis"', 'name = "  "', "instance.name must not be empty"),
        ('timezone = "UTC"', 'timezone = "Nowhere/City"', "invalid timezone Nowhere/City"),
        (
            'quiet_hours_start = "23:00"',
            'quiet_hours_start = "25:00"',
            "invalid quiet-hours time 25:00, expected HH:MM",
        ),
        (
            'state_file = "session_state.json"',
            'state_file = ""',
            "runtime.state_file must not be empty",
        ),
        ('path = "praxis.db"', 'path = ""', "database.path must not be empty"),
        ("level = 2", "level = 5", "security.level must be between 1 and 4"),
        (
            'backend = "stub"',
            'backend = "gpt"',
            'agent.backend must be one of "stub", "claude", "openai", "ollama", or "router", got gpt',
        ),
        (
            "context_ceiling_pct = 0.8",
            "context_ceiling_pct = 1.5",
            "agent.context_ceiling_pct must be greater than 0.0 and at most 1.0",
        ),
        ('profile = "quality"', 'profile = ""', "agent.profile must not be empty"),
        (
            "snapshot_retention_days = 7",
            "snapshot_retention_days = 0",
            "runtime.snapshot_retention_days must be greater than 0",
        ),
        (
            "window_tokens = 12000",
            "window_tokens = 0",
            "context.window_tokens must be greater than 0",
        ),
        ("priority = 2\n", "priority = 1\n", "context.budget priorities must be unique"),
        ("level = 2", 'level = "two"', "security.level must be a whole number"),
    ],
)
def test_validation_messages_name_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = _default_text()
    assert old in text
    broken = text.replace(old, new, 1)
    with pytest.raises(ConfigError) as caught:
        parse_settings(_source(tmp_path, broken))
    error = caught.value
    assert message in error.message
    assert error.hint
    assert error.path == str(tmp_path / "praxis.toml")
    assert error.line is not None
    offending = broken.splitlines()[error.line - 1]
    assert new.split("=")[0].strip().split("\n")[0] in offending or offending.startswith("[")


def test_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _source(tmp_path, '[agent]\nbackend = "stub"\nprofile = quality\n')
    assert caught.value.line == 3
    assert "invalid TOML" in caught.value.message


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    settings = parse_settings(_source(tmp_path, _default_text() + "\n[future]\nthing = 1\n"))
    assert settings.agent.backend == "stub"


def test_providers_defaults_and_validation(tmp_path: Path) -> None:
    assert parse_routes(None) == DEFAULT_ROUTES
    routes = parse_routes(_source(tmp_path, defaults.PROVIDERS_TOML, "providers.toml"))
    assert [r.provider for r in routes] == ["claude", "openai", "ollama"]
    assert routes[2].base_url == "http://127.0.0.1:11434"
    assert routes[0].key_env == "ANTHROPIC_API_KEY"
    with pytest.raises(ConfigError, match="unsupported provider gemini"):
        parse_routes(
            _source(tmp_path, '[[providers]]\nprovider = "gemini"\nmodel = "x"\n', "p.toml")
        )
    with pytest.raises(ConfigError, match="provider openai must define a model"):
        parse_routes(
            _source(tmp_path, '[[providers]]\nprovider = "openai"\nmodel = " "\n', "p.toml")
        )
    with pytest.raises(ConfigError, match="at least one route"):
        parse_routes(_source(tmp_path, "", "p.toml"))


def test_budgets_defaults_and_validation(tmp_path: Path) -> None:
    budgets = parse_budgets(_source(tmp_path, defaults.BUDGETS_TOML, "budgets.toml"))
    assert (budgets.run.max_attempts, budgets.run.max_tokens, budgets.run.max_cost_usd) == (
        12,
        40000,
        0.25,
    )
    assert (budgets.ask.max_attempts, budgets.ask.max_tokens, budgets.ask.max_cost_usd) == (
        6,
        30000,
        0.1,
    )
    assert budgets.daily.max_cost_usd == 2.0
    assert (
        parse_budgets(None) == budgets
    )  # the file written by init says what the code defaults say
    with pytest.raises(ConfigError, match=r"run.max_attempts must be greater than 0") as caught:
        parse_budgets(_source(tmp_path, "[run]\nmax_attempts = 0\n", "b.toml"))
    assert caught.value.line == 2


def test_profiles_apply(tmp_path: Path) -> None:
    profiles = parse_profiles(_source(tmp_path, defaults.PROFILES_TOML, "profiles.toml"))
    assert profiles == DEFAULT_PROFILES
    settings = parse_settings(
        _source(tmp_path, _default_text().replace('profile = "quality"', 'profile = "budget"'))
    )
    applied = apply_profile(settings, profiles, "praxis.toml")
    assert applied.agent.backend == "router"
    assert applied.agent.local_first_fallback is True
    assert applied.agent.context_ceiling_pct == 0.65
    unknown = parse_settings(
        _source(tmp_path, _default_text().replace('profile = "quality"', 'profile = "turbo"'))
    )
    with pytest.raises(ConfigError, match="unknown model profile turbo"):
        apply_profile(unknown, profiles, "praxis.toml")
    with pytest.raises(ConfigError, match="duplicate model profile a"):
        parse_profiles(
            _source(tmp_path, '[[profiles]]\nname = "a"\n[[profiles]]\nname = "a"\n', "x.toml")
        )
