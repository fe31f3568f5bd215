"""session_state.json: the checkpoint a session resumes from (reference §5.1, plus run bookkeeping).

The records inside (attempts, prompts, tool calls, reflect progress) are typed
(`loop.state_records`); they become JSON only here, at load and save.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from praxis.errors import DataDirError, InvalidDataFile
from praxis.files import atomic_write_text
from praxis.loop.outcomes import PHASES, Outcome, SessionPhase
from praxis.loop.state_records import (
    CHECKS,
    AttemptRecord,
    Mistyped,
    PromptRecord,
    ReflectProgress,
    ToolCallRecord,
    checked,
    plain_record,
)

__all__ = ["PHASES", "SessionState", "load_state", "save_state"]


@dataclass
class SessionState:
    current_phase: SessionPhase
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
    last_outcome: Outcome | None = None
    resume_count: int = 0
    day: int = 0
    selected_tool_name: str | None = None
    selected_tool_request_id: int | None = None
    provider_attempts: list[AttemptRecord] = field(default_factory=list)
    prompts: list[PromptRecord] = field(default_factory=list)
    file_reads: dict[str, str] = field(default_factory=dict)
    repeated_reads_avoided: int = 0
    context_sources: list[str] = field(default_factory=list)
    context_tokens: int = 0
    memory_ids: list[int] = field(default_factory=list)
    act_reported_done: bool = False
    decided_outcome: Outcome | None = None  # decide's outcome, restored when act ends normally
    waiting_request_ids: list[int] = field(default_factory=list)  # parked on these approvals
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    tool_calls_made: int = 0
    phase_durations_ms: dict[str, int] = field(default_factory=dict)
    reflect: ReflectProgress = field(default_factory=ReflectProgress)

    @property
    def finished(self) -> bool:
        return self.completed_at is not None or self.current_phase == "sleep"

    @property
    def task_label(self) -> str | None:
        return self.requested_task or self.selected_tool_name

    @property
    def goal_label(self) -> str | None:
        """`G-001: title`, as printed and journaled."""
        if not self.selected_goal_id:
            return None
        return f"{self.selected_goal_id}: {self.selected_goal_title}"

    def to_json(self) -> str:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["current_phase"] = self.current_phase.capitalize()
        data["provider_attempts"] = [r.to_json() for r in self.provider_attempts]
        data["prompts"] = [r._asdict() for r in self.prompts]
        data["tool_calls"] = [r._asdict() for r in self.tool_calls]
        data["reflect"] = self.reflect.to_json()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_KNOWN = {f.name for f in fields(SessionState)}
_RECORD_LISTS: dict[str, Callable[[object, str], object]] = {
    "provider_attempts": AttemptRecord.from_json,
    "prompts": partial(plain_record, PromptRecord),
    "tool_calls": partial(plain_record, ToolCallRecord),
}
STATE_MAX_BYTES = 64 * 1024 * 1024
_TYPES = CHECKS  # what each annotation accepts (test_state_checks_every_field keeps it complete)
_FIELD_TYPES = {f.name: str(f.type) for f in fields(SessionState)}


def load_state(path: Path) -> SessionState | None:
    """The saved state, or None. A state written by the Rust original loads too.

    A state file of the wrong shape (a FIFO, a mistyped key) is refused with the file and the key
    named, instead of crashing every run later.
    """
    from praxis.safe_read import read_text_regular

    try:
        raw = json.loads(read_text_regular(path, max_bytes=STATE_MAX_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DataDirError(
            f"session state {path} is unreadable: {exc}",
            f"move {path} aside to start a fresh session (forensics keep the history)",
        ) from None
    if not isinstance(raw, dict):
        raise InvalidDataFile(f"session state {path} is not a JSON object", f"move {path} aside")
    values = {k: v for k, v in raw.items() if k in _KNOWN}
    values["current_phase"] = str(raw.get("current_phase", "sleep")).lower()
    if values["current_phase"] not in PHASES:
        values["current_phase"] = "sleep"
    values.setdefault("run_key", f"legacy-{raw.get('started_at', 'unknown')}")
    values.setdefault("started_at", raw.get("updated_at", ""))
    values.setdefault("updated_at", values["started_at"])
    if not CHECKS["dict[str, str]"][0](values.get("file_reads")):
        values["file_reads"] = {}  # a cache: safe to drop
    try:
        for key, value in values.items():
            checked(value, _FIELD_TYPES[key], key)
        for key, load in _RECORD_LISTS.items():
            found = values.get(key, [])
            values[key] = [load(item, f"{key}[{i}]") for i, item in enumerate(found)]
        values["reflect"] = ReflectProgress.from_json(values.get("reflect", {}), "reflect")
    except Mistyped as wrong:
        raise InvalidDataFile(
            f"session state {path}: {wrong}",
            f"move {path} aside to start a fresh session (forensics keep the history)",
        ) from None
    return SessionState(**values)


def save_state(path: Path, state: SessionState) -> None:
    atomic_write_text(path, state.to_json())
