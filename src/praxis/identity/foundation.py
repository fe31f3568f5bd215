"""The foundation documents `init` seeds, and their validation."""

from __future__ import annotations

import json

from praxis.errors import DataDirError
from praxis.paths import IDENTITY_FILES, DataDir

G001_CRITERIA = {
    "goal_id": "G-001",
    "done_when": [
        "The identity file exists in the data directory.",
        "The SQLite database has been created.",
        "The praxis-data-write tool manifest is registered.",
    ],
    "verify_with": "shell",
    "commands": [
        "test -f IDENTITY.md",
        "test -f praxis.db",
        "test -f tools/praxis-data-write.toml",
    ],
}

FOUNDATION_SMOKE_EVAL = {
    "id": "foundation-smoke",
    "name": "Foundation runtime files stay healthy",
    "when": "always",
    "severity": "functional",
    "scenario": "A session finishes and the runtime files it depends on are still in place.",
    "expected_behavior": [
        "IDENTITY.md and METRICS.md remain present after the session.",
        "The SQLite database stays available for the next session.",
    ],
    "forbidden_behavior": ["A session deletes or corrupts the foundation files."],
    "relevant_memories": ["foundation milestone"],
    "verify_with": "shell",
    "commands": ["test -f IDENTITY.md", "test -f METRICS.md", "test -f praxis.db"],
}


def seed_documents(name: str, timezone: str, initialized_at: str) -> dict[str, str]:
    """Relative path → seed content for every document `init` creates when missing."""
    return {
        "IDENTITY.md": (
            f"# Identity\n\n- Name: {name}\n- Timezone: {timezone}\n"
            "- Role: A local Praxis instance in foundation mode.\n\n"
            "## Boundaries\n- No hard limits recorded yet.\n"
        ),
        "GOALS.md": "# Goals\n\n- [ ] G-001: Complete the first Praxis foundation run\n",
        "ROADMAP.md": "# Roadmap\n\n- Foundation milestone in progress.\n",
        "JOURNAL.md": f"# Journal\n\n## Day 0\n- Initialized Praxis foundation on {initialized_at}.\n",
        "METRICS.md": (
            "# Metrics\n\n| Session | Outcome | Goal | Task | Ended At |\n"
            "| --- | --- | --- | --- | --- |\n"
        ),
        "PATTERNS.md": "# Patterns\n\n- No patterns captured yet.\n",
        "LEARNINGS.md": "# Learnings\n\n- No learnings captured yet.\n",
        "AGENTS.md": (
            "# Agents\n\n## Workflow Notes\n"
            "- Capture conventions future Praxis runs should remember here.\n\n"
            "## Gotchas\n- No project-specific gotchas captured yet.\n\n"
            "## Handoffs\n- No handoff notes captured yet.\n"
        ),
        "CAPABILITIES.md": (
            "# Capabilities\n\n- Tools are listed here once registered.\n"
            "- Approval history is summarised per tool.\n"
            "- This file is regenerated from the tool registry.\n"
        ),
        "PROPOSALS.md": (
            "# Proposals\n\n## Pending\n- No pending proposals.\n\n"
            "## Accepted\n- No accepted proposals.\n\n"
            "## Dismissed\n- No dismissed proposals.\n"
        ),
        "DAY_COUNT": "0\n",
        "learning/sources/operator-notes.md": (
            "# Operator Notes\n\n- Capture new preferences and useful recurring habits here.\n"
        ),
        "goals/criteria/G-001.json": json.dumps(G001_CRITERIA, indent=2) + "\n",
        "evals/foundation-smoke.json": json.dumps(FOUNDATION_SMOKE_EVAL, indent=2) + "\n",
    }


def validate_identity(data_dir: DataDir) -> None:
    """All eleven identity files must exist and DAY_COUNT must be a whole number ≥ 0."""
    from praxis.safe_read import check_regular

    for name in IDENTITY_FILES:
        path = data_dir.file(name)
        if not path.is_file():
            if path.exists():  # a FIFO, device or directory: say so (exit 2 for GOALS.md)
                check_regular(path, config=name == "GOALS.md")
            raise DataDirError(
                f"missing required identity file {path}",
                f"restore {name} from a snapshot, or run `praxis init` to recreate the seed file",
            )
    read_day_count(data_dir)


MAX_DAY_COUNT = 1_000_000  # 2,700 years of daily sessions; more is a typo, not a day number


def read_day_count(data_dir: DataDir) -> int:
    from praxis.safe_read import read_bytes_regular

    path = data_dir.day_count
    try:
        value = int(read_bytes_regular(path, max_bytes=64).decode("utf-8").strip())
    except ValueError:  # not a number (UnsafeFile says when it is not even a small file)
        raise DataDirError(
            f"invalid DAY_COUNT value in {path}", "write a whole number such as 0 into DAY_COUNT"
        ) from None
    if value < 0:
        raise DataDirError("DAY_COUNT must not be negative", f"write 0 or more into {path}")
    if value > MAX_DAY_COUNT:
        raise DataDirError(
            f"DAY_COUNT value {value} in {path} is more than {MAX_DAY_COUNT:,} days",
            f"write the number of days this agent has run (0 or more) into {path}",
        )
    return value
