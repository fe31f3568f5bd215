"""profiles.toml: named overrides of backend, local-first fallback and context ceiling."""

from __future__ import annotations

from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.settings import BACKENDS, Settings
from praxis.config.toml_source import TomlSource
from praxis.errors import ConfigError


class Profile(NamedTuple):
    name: str
    backend_override: str | None = None
    local_first_fallback: bool | None = None
    context_ceiling_pct: float | None = None


DEFAULT_PROFILES: tuple[Profile, ...] = (
    Profile("quality"),
    Profile("budget", "router", True, 0.65),
    Profile("offline", "ollama", True, 0.55),
)


def parse_profiles(source: TomlSource | None) -> tuple[Profile, ...]:
    if source is None:
        return DEFAULT_PROFILES
    entries = TableReader.whole_file(source).nonempty_tables(
        "profiles",
        "profile settings must include at least one profile",
        'add a [[profiles]] entry with name = "quality"',
    )
    profiles: list[Profile] = []
    for entry in entries:
        profiles.append(_parse_profile(entry, taken=[p.name for p in profiles]))
    return tuple(profiles)


def _parse_profile(entry: TableReader, taken: list[str]) -> Profile:
    name = entry.nonblank_string(
        "name", "", message="profile name must not be empty", hint='set name = "quality"'
    )
    if name in taken:
        raise entry.fail(
            "name", f"duplicate model profile {name}", "give each profile a unique name"
        )
    override = entry.optional_string("backend_override")
    if override is not None and override not in BACKENDS:
        raise entry.fail(
            "backend_override",
            f"unsupported backend override {override}",
            "use stub, claude, openai, ollama or router",
        )
    ceiling = entry.optional_number("context_ceiling_pct")
    if ceiling is not None and not 0.0 < ceiling <= 1.0:
        raise entry.fail(
            "context_ceiling_pct",
            f"profile {name} has invalid context ceiling",
            "use a fraction greater than 0 and at most 1",
        )
    local_first = (
        entry.boolean("local_first_fallback", False) if entry.has("local_first_fallback") else None
    )
    return Profile(name, override, local_first, ceiling)


def apply_profile(settings: Settings, profiles: tuple[Profile, ...], path: str) -> Settings:
    """Apply `agent.profile`: backend, local-first fallback and context ceiling overrides."""
    wanted = settings.agent.profile
    profile = next((p for p in profiles if p.name == wanted), None)
    if profile is None:
        names = ", ".join(p.name for p in profiles)
        raise ConfigError(
            f"unknown model profile {wanted}",
            f"set agent.profile in praxis.toml to one of: {names}",
            path=path,
        )
    agent = settings.agent
    if profile.backend_override is not None:
        agent = agent._replace(backend=profile.backend_override)
    if profile.local_first_fallback is not None:
        agent = agent._replace(local_first_fallback=profile.local_first_fallback)
    if profile.context_ceiling_pct is not None:
        agent = agent._replace(context_ceiling_pct=profile.context_ceiling_pct)
    return settings._replace(agent=agent)
