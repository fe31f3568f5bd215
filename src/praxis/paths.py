"""DataDir: every file and folder name of a Praxis data directory, in one place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

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


class DataDir(NamedTuple):
    root: Path

    def file(self, name: str) -> Path:
        return self.root / name

    @property
    def praxis_toml(self) -> Path:
        return self.root / "praxis.toml"

    @property
    def providers_toml(self) -> Path:
        return self.root / "providers.toml"

    @property
    def budgets_toml(self) -> Path:
        return self.root / "budgets.toml"

    @property
    def profiles_toml(self) -> Path:
        return self.root / "profiles.toml"

    @property
    def model_canary(self) -> Path:
        return self.root / "model_canary.json"

    @property
    def boundary_review(self) -> Path:
        return self.root / "boundary_review.json"

    @property
    def heartbeat(self) -> Path:
        return self.root / "heartbeat.json"

    @property
    def events(self) -> Path:
        return self.root / "events.jsonl"

    @property
    def goals_md(self) -> Path:
        return self.root / "GOALS.md"

    @property
    def identity_md(self) -> Path:
        return self.root / "IDENTITY.md"

    @property
    def day_count(self) -> Path:
        return self.root / "DAY_COUNT"

    @property
    def journal_md(self) -> Path:
        return self.root / "JOURNAL.md"

    @property
    def metrics_md(self) -> Path:
        return self.root / "METRICS.md"

    @property
    def postmortems_md(self) -> Path:
        return self.root / "POSTMORTEMS.md"

    @property
    def capabilities_md(self) -> Path:
        return self.root / "CAPABILITIES.md"

    @property
    def agents_md(self) -> Path:
        return self.root / "AGENTS.md"

    @property
    def learnings_md(self) -> Path:
        return self.root / "LEARNINGS.md"

    @property
    def proposals_md(self) -> Path:
        return self.root / "PROPOSALS.md"

    @property
    def context_current(self) -> Path:
        """The rendered context of the running session (decide and act send it)."""
        return self.root / "context_current.md"

    @property
    def context_adaptation(self) -> Path:
        return self.root / "context_adaptation.json"

    @property
    def criteria_dir(self) -> Path:
        return self.root / "goals" / "criteria"

    @property
    def evals_dir(self) -> Path:
        return self.root / "evals"

    @property
    def tools_dir(self) -> Path:
        return self.root / "tools"

    @property
    def learning_sources_dir(self) -> Path:
        return self.root / "learning" / "sources"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def workspace_dir(self) -> Path:
        return self.root / "workspace"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def dotenv(self) -> Path:
        return self.root / ".env"

    @property
    def run_lock(self) -> Path:
        return self.root / ".praxis-run.lock"

    @property
    def state_lock(self) -> Path:
        return self.root / ".praxis-state.lock"

    def is_initialized(self) -> bool:
        return self.praxis_toml.is_file()
