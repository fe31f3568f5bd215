"""session_state.json: the checkpoint a session resumes from (reference §5.1, plus run bookkeeping)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from praxis.errors import DataDirError, InvalidDataFile
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
STATE_MAX_BYTES = 64 * 1024 * 1024
_MAX_INT = 2**53


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _MAX_INT


def _list_of(kind: type) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and all(isinstance(x, kind) for x in v)


# What each annotation accepts, and how to say it; a field with another annotation is not checked
# (test_state_checks_every_field keeps this table complete).
_TYPES: dict[str, tuple[Callable[[object], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "a string"),
    "str | None": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "int": (_whole, "a whole number ≥ 0"),
    "int | None": (lambda v: v is None or _whole(v), "a whole number ≥ 0 or null"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "list[str]": (_list_of(str), "a list of strings"),
    "list[int]": (lambda v: isinstance(v, list) and all(_whole(x) for x in v), "a list of ids"),
    "list[dict[str, Any]]": (_list_of(dict), "a list of objects"),
    "dict[str, Any]": (lambda v: isinstance(v, dict), "an object"),
    "dict[str, str]": (
        lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
        "an object of strings",
    ),
    "dict[str, int]": (
        lambda v: isinstance(v, dict) and all(_whole(x) for x in v.values()),
        "an object of whole numbers",
    ),
}
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
    if not _TYPES["dict[str, str]"][0](values.get("file_reads")):
        values["file_reads"] = {}  # a cache: safe to drop
    for key, value in values.items():
        check, expected = _TYPES.get(_FIELD_TYPES[key], (lambda v: True, ""))
        if not check(value):
            shown = json.dumps(value, ensure_ascii=False)
            raise InvalidDataFile(
                f"session state {path}: {key} must be {expected}, got {shown[:80]}",
                f"move {path} aside to start a fresh session (forensics keep the history)",
            )
    return SessionState(**values)


def save_state(path: Path, state: SessionState) -> None:
    atomic_write_text(path, state.to_json())
