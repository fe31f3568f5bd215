"""The typed records a session keeps in its state, and their JSON form (session_state.json).

Records travel as NamedTuples inside the loop and become JSON objects only at save; at load every
value is checked against its annotation (`CHECKS`) so a mistyped file is refused naming the key,
and older shapes still load: the Rust original's `estimated_cost_micros`, prompts without sizes,
attempts without ledger rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, get_args

from praxis.loop.outcomes import OUTCOMES, PHASES, Outcome
from praxis.providers.base import Attempt

if TYPE_CHECKING:
    from praxis.quality.evals import EvalSummary
    from praxis.quality.reviewer import ReviewResult
    from praxis.tools.execute import CallKind

_MAX_INT = 2**53


class Mistyped(ValueError):
    """A value of the wrong shape at `key` (state.load_state names the file)."""

    def __init__(self, key: str, expected: str, value: object) -> None:
        shown = "nothing" if value is _MISSING else json.dumps(value, ensure_ascii=False)[:80]
        super().__init__(f"{key} must be {expected}, got {shown}")


_MISSING = object()


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _MAX_INT


def _list_of(kind: type) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and all(isinstance(x, kind) for x in v)


def _call_kinds() -> tuple[str, ...]:
    from praxis.tools.execute import CallKind

    return get_args(CallKind)


# What each annotation accepts, and how to say it (tests keep it complete for SessionState).
CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "a string"),
    "str | None": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "int": (_whole, "a whole number ≥ 0"),
    "int | None": (lambda v: v is None or _whole(v), "a whole number ≥ 0 or null"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "list[str]": (_list_of(str), "a list of strings"),
    "list[int]": (lambda v: isinstance(v, list) and all(_whole(x) for x in v), "a list of ids"),
    "dict[str, str]": (
        lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
        "an object of strings",
    ),
    "dict[str, int]": (
        lambda v: isinstance(v, dict) and all(_whole(x) for x in v.values()),
        "an object of whole numbers",
    ),
    "SessionPhase": (lambda v: v in PHASES, "one of " + ", ".join(PHASES)),
    "Outcome | None": (lambda v: v is None or v in OUTCOMES, "a session outcome or null"),
    "CallKind": (lambda v: v in _call_kinds(), "a call verdict (ran, failed, pending, ...)"),
    "list[AttemptRecord]": (_list_of(dict), "a list of objects"),
    "list[PromptRecord]": (_list_of(dict), "a list of objects"),
    "list[ToolCallRecord]": (_list_of(dict), "a list of objects"),
    "ReflectProgress": (lambda v: isinstance(v, dict), "an object"),
}


def checked(value: object, annotation: str, key: str) -> Any:
    """`value` if its annotation accepts it; else Mistyped naming `key`."""
    accepts, expected = CHECKS[annotation]
    if value is _MISSING or not accepts(value):
        raise Mistyped(key, expected, value)
    return value


def _values(
    kind: Any, raw: Mapping[str, Any], key: str, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The fields of NamedTuple `kind` found in `raw`, each checked; absent ones keep their
    defaults (a field without a default must be present)."""
    found = {}
    for name in kind._fields:
        if name in skip or (name not in raw and name in kind._field_defaults):
            continue
        annotation = kind.__annotations__[name]  # a ForwardRef: NamedTuple keeps the text in it
        text = getattr(annotation, "__forward_arg__", annotation)
        found[name] = checked(raw.get(name, _MISSING), text, f"{key}.{name}")
    return found


def _object(raw: object, key: str) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise Mistyped(key, "an object", raw)
    return raw


class AttemptRecord(NamedTuple):
    """One provider attempt of the session and its usage-ledger row (None when the ledger does
    not hold it yet: a frozen route skipped, or a state written before reservations existed)."""

    attempt: Attempt
    row_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {**self.attempt._asdict(), "row_id": self.row_id}

    @classmethod
    def from_json(cls, raw: object, key: str) -> AttemptRecord:
        values = dict(_object(raw, key))
        if "cost_micros" not in values and "estimated_cost_micros" in values:
            values["cost_micros"] = values["estimated_cost_micros"]  # the Rust original's name
        row_id = checked(values.get("row_id"), "int | None", f"{key}.row_id")
        return cls(Attempt(**_values(Attempt, values, key)), row_id)


class PromptRecord(NamedTuple):
    """What a phase sent to the model, for forensics: the prompt's hash and size."""

    phase: str
    sha256: str
    tokens: int = 0
    context_chars: int = 0


class ToolCallRecord(NamedTuple):
    """One tool call the session made (or that was answered for it) and its verdict."""

    tool: str
    kind: CallKind
    request_id: int | None
    summary: str


_Plain = TypeVar("_Plain", PromptRecord, ToolCallRecord)


def plain_record(kind: type[_Plain], raw: object, key: str) -> _Plain:
    """A record whose JSON object is its `_asdict()` (prompts, tool calls), checked."""
    return kind(**_values(kind, _object(raw, key), key))


class ReflectProgress(NamedTuple):
    """How far reflect got, so a resumed reflect repeats nothing: set step by step."""

    ended_at: str | None = None
    initial_outcome: Outcome | None = None
    review: ReviewResult | None = None
    evals: EvalSummary | None = None
    session_id: int | None = None
    session_num: int | None = None
    feedback_recorded: bool = False

    def to_json(self) -> dict[str, Any]:
        """Only the steps taken (a fresh session's `reflect` is `{}`, as before)."""
        data: dict[str, Any] = {}
        for name, value in self._asdict().items():
            if value is None or value is False:
                continue
            data[name] = asdict(value) if name in ("review", "evals") else value
        return data

    @classmethod
    def from_json(cls, raw: object, key: str) -> ReflectProgress:
        values = _object(raw, key)
        found = _values(cls, values, key, skip=("review", "evals"))
        return cls(
            **found,
            review=None if values.get("review") is None else _review(values["review"], key),
            evals=None if values.get("evals") is None else _evals(values["evals"], key),
        )


def _review(raw: object, key: str) -> ReviewResult:
    from praxis.quality.reviewer import ReviewResult

    try:
        data = dict(_object(raw, f"{key}.review"))
        return ReviewResult(**{**data, "findings": tuple(data["findings"])})
    except (TypeError, KeyError):
        raise Mistyped(f"{key}.review", "a review result", raw) from None


def _evals(raw: object, key: str) -> EvalSummary:
    from praxis.quality.evals import EvalResult, EvalSummary

    try:
        data = dict(_object(raw, f"{key}.evals"))
        results = tuple(EvalResult(**r) for r in data["results"])
        return EvalSummary(**{**data, "results": results})
    except (TypeError, KeyError):
        raise Mistyped(f"{key}.evals", "an eval summary", raw) from None
