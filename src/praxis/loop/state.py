"""session_state.json: the checkpoint a session resumes from (reference §5.1, plus run bookkeeping)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from praxis.errors import DataDirError
from praxis.files import atomic_write_text

PHASES = ("orient", "decide", "act", "reflect", "sleep")


@dataclass
class SessionState:
    current_phase: str
    started_at: str
    updated_at: str
    run_key: str
    completed_at: str | None = None
    selected_goal_id: str | None = None
    selected_goal_title: str | None = None
    requested_task: str | None = None
    orientation_summary: str | None = None
    action_summary: str | None = None
    planned_summary: str | None = None
    last_outcome: str | None = None
    resume_count: int = 0
    day: int = 0
    selected_tool_name: str | None = None
    selected_tool_request_id: int | None = None
    provider_attempts: list[dict[str, Any]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)
    file_reads: dict[str, str] = field(default_factory=dict)
    repeated_reads_avoided: int = 0
    context_sources: list[str] = field(default_factory=list)
    context_tokens: int = 0
    memory_ids: list[int] = field(default_factory=list)
    act_reported_done: bool = False
    decided_outcome: str | None = None  # decide's outcome, restored when act ends normally
    waiting_request_ids: list[int] = field(default_factory=list)  # parked on these approvals
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    tool_calls_made: int = 0
    phase_durations_ms: dict[str, int] = field(default_factory=dict)
    reflect: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.completed_at is not None or self.current_phase == "sleep"

    @property
    def task_label(self) -> str | None:
        return self.requested_task or self.selected_tool_name

    def to_json(self) -> str:
        data = asdict(self)
        data["current_phase"] = self.current_phase.capitalize()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_KNOWN = {f.name for f in fields(SessionState)}


def load_state(path: Path) -> SessionState | None:
    """The saved state, or None. A state written by the Rust original loads too."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DataDirError(
            f"session state {path} is unreadable: {exc}",
            f"move {path} aside to start a fresh session (forensics keep the history)",
        ) from None
    if not isinstance(raw, dict):
        raise DataDirError(f"session state {path} is not a JSON object", f"move {path} aside")
    values = {k: v for k, v in raw.items() if k in _KNOWN}
    values["current_phase"] = str(raw.get("current_phase", "sleep")).lower()
    if values["current_phase"] not in PHASES:
        values["current_phase"] = "sleep"
    values.setdefault("run_key", f"legacy-{raw.get('started_at', 'unknown')}")
    values.setdefault("started_at", raw.get("updated_at", ""))
    values.setdefault("updated_at", values["started_at"])
    if not isinstance(values.get("file_reads"), dict):
        values["file_reads"] = {}
    try:
        return SessionState(**values)
    except TypeError as exc:
        raise DataDirError(
            f"session state {path} is malformed: {exc}", f"move {path} aside"
        ) from None


def save_state(path: Path, state: SessionState) -> None:
    atomic_write_text(path, state.to_json())
