"""Load every config file of a data dir once, into typed objects."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from praxis.config.budgets import Budgets, parse_budgets
from praxis.config.profiles import Profile, apply_profile, parse_profiles
from praxis.config.providers import Route, parse_routes
from praxis.config.settings import Settings, parse_settings
from praxis.config.toml_source import read_toml
from praxis.paths import DataDir


class Config(NamedTuple):
    """The effective configuration: praxis.toml with its profile applied, plus the other files."""

    settings: Settings
    declared: Settings
    routes: tuple[Route, ...]
    budgets: Budgets
    profiles: tuple[Profile, ...]

    @property
    def backend(self) -> str:
        return self.settings.agent.backend


def load_settings(data_dir: DataDir) -> Settings:
    source = read_toml(data_dir.praxis_toml)
    assert source is not None
    return parse_settings(source).with_data_dir(data_dir.root)


def load_config(data_dir: DataDir) -> Config:
    declared = load_settings(data_dir)
    profiles = parse_profiles(read_toml(data_dir.profiles_toml, missing_ok=True))
    settings = apply_profile(declared, profiles, str(data_dir.praxis_toml))
    return Config(
        settings=settings,
        declared=declared,
        routes=parse_routes(read_toml(data_dir.providers_toml, missing_ok=True)),
        budgets=parse_budgets(read_toml(data_dir.budgets_toml, missing_ok=True)),
        profiles=profiles,
    )


def database_path(data_dir: DataDir, settings: Settings) -> Path:
    return settings.resolve(data_dir.root, settings.database_path)


def state_path(data_dir: DataDir, settings: Settings) -> Path:
    return settings.resolve(data_dir.root, settings.runtime.state_file)
