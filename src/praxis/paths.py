"""DataDir: every file and folder name of a Praxis data directory, in one place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple, overload

from praxis import env
from praxis.errors import DataDirError, UsageError

IDENTITY_FILES = (
    "IDENTITY.md",
    "GOALS.md",
    "ROADMAP.md",
    "JOURNAL.md",
    "METRICS.md",
    "PATTERNS.md",
    "LEARNINGS.md",
    "AGENTS.md",
    "CAPABILITIES.md",
    "PROPOSALS.md",
    "DAY_COUNT",
)


def default_data_dir() -> Path:
    """Platform default: XDG data home on Linux, Application Support on macOS."""
    home = env.get("HOME")
    if sys.platform == "darwin":
        if not home:
            raise _no_home()
        return Path(home) / "Library" / "Application Support" / "Praxis"
    xdg = env.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg) / "praxis"
    if not home:
        raise _no_home()
    return Path(home) / ".local" / "share" / "praxis"


def _no_home() -> DataDirError:
    return DataDirError(
        "HOME is not set, unable to resolve a default Praxis data directory",
        "pass --data-dir PATH or set PRAXIS_DATA_DIR",
    )


def resolve_data_dir(cli_value: str | None) -> Path:
    """`--data-dir` > `PRAXIS_DATA_DIR` > platform default; always absolute."""
    raw = cli_value if cli_value is not None else env.get("PRAXIS_DATA_DIR")
    if raw is not None:
        if raw.strip() == "" or "\x00" in raw:
            raise UsageError("data dir must not be empty", "pass --data-dir PATH")
        return Path(raw).expanduser().absolute()
    return default_data_dir().absolute()


CRASH_LOG_NAME = "praxis-errors.log"  # in logs/, or the per-user state dir
DASHBOARD_TOKEN_NAME = "dashboard.token"


class _Entry:
    """A file or folder of the data dir: `data_dir.NAME` is its path under the root."""

    __slots__ = ("parts",)

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    @overload
    def __get__(self, data_dir: None, owner: type) -> _Entry: ...
    @overload
    def __get__(self, data_dir: _Root, owner: type) -> Path: ...
    def __get__(self, data_dir: _Root | None, owner: type) -> Path | _Entry:
        return self if data_dir is None else data_dir.root.joinpath(*self.parts)


class _Root(NamedTuple):
    root: Path


class DataDir(_Root):
    """A data directory (a NamedTuple of its root: cheap on the start-up path), and the name of
    every file and folder in it."""

    __slots__ = ()

    praxis_toml = _Entry("praxis.toml")
    providers_toml = _Entry("providers.toml")
    budgets_toml = _Entry("budgets.toml")
    profiles_toml = _Entry("profiles.toml")
    model_canary = _Entry("model_canary.json")
    boundary_review = _Entry("boundary_review.json")
    heartbeat = _Entry("heartbeat.json")
    events = _Entry("events.jsonl")
    goals_md = _Entry("GOALS.md")
    identity_md = _Entry("IDENTITY.md")
    day_count = _Entry("DAY_COUNT")
    journal_md = _Entry("JOURNAL.md")
    metrics_md = _Entry("METRICS.md")
    postmortems_md = _Entry("POSTMORTEMS.md")
    capabilities_md = _Entry("CAPABILITIES.md")
    agents_md = _Entry("AGENTS.md")
    learnings_md = _Entry("LEARNINGS.md")
    proposals_md = _Entry("PROPOSALS.md")
    # The rendered context of the running session (decide and act send it).
    context_current = _Entry("context_current.md")
    context_adaptation = _Entry("context_adaptation.json")
    criteria_dir = _Entry("goals", "criteria")
    evals_dir = _Entry("evals")
    tools_dir = _Entry("tools")
    learning_sources_dir = _Entry("learning", "sources")
    backups_dir = _Entry("backups")
    workspace_dir = _Entry("workspace")
    logs_dir = _Entry("logs")
    # The dashboard's generated token: read for redaction when it exists, never exported.
    dashboard_token = _Entry(DASHBOARD_TOKEN_NAME)
    dotenv = _Entry(".env")
    run_lock = _Entry(".praxis-run.lock")
    state_lock = _Entry(".praxis-state.lock")

    def file(self, name: str) -> Path:
        return self.root / name

    def is_initialized(self) -> bool:
        return self.praxis_toml.is_file()
