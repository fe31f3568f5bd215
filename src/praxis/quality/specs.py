"""Goal criteria (`goals/criteria/<id>.json`) and eval (`evals/*.json`) files, validated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from praxis.errors import ConfigError

EVAL_WHEN = ("always", "manual", "canary")
EVAL_SEVERITY = ("cosmetic", "functional", "trust_damaging")


@dataclass(frozen=True)
class Criteria:
    goal_id: str
    done_when: tuple[str, ...]
    commands: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class EvalSpec:
    id: str
    name: str
    when: str
    severity: str
    scenario: str
    commands: tuple[str, ...]
    path: Path


def _load_json(path: Path, kind: str) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(
            f"invalid {kind} JSON in {path}: {exc}",
            "fix the JSON syntax (a trailing comma or a missing quote is the usual cause)",
            path=str(path),
            line=line,
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"invalid {kind} JSON in {path}: expected an object", path=str(path))
    return raw


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if isinstance(v, str) and v.strip())


def _fail(path: Path, message: str, hint: str) -> ConfigError:
    return ConfigError(message, hint, path=str(path))


def _shell_commands(raw: dict[str, Any], path: Path, kind: str, example: str) -> tuple[str, ...]:
    """The `commands` of a criteria or eval file, which must say `verify_with = "shell"` and list
    at least one (`example` is the command its hint suggests)."""
    if raw.get("verify_with") != "shell":
        raise _fail(
            path,
            f'{kind} in {path} only supports verify_with = "shell" right now',
            'set "verify_with": "shell"',
        )
    commands = _strings(raw, "commands")
    if not commands:
        raise _fail(
            path,
            f"{kind} in {path} must include at least one shell command",
            f'add "commands": ["{example}"]',
        )
    return commands


def load_criteria(path: Path) -> Criteria:
    raw = _load_json(path, "criteria")
    goal_id = raw.get("goal_id")
    if not isinstance(goal_id, str) or not goal_id.strip():
        raise _fail(path, f"criteria in {path} must include a goal_id", 'add "goal_id": "G-001"')
    done_when = _strings(raw, "done_when")
    if not done_when:
        raise _fail(
            path,
            f"criteria in {path} must include at least one done_when item",
            'add "done_when": ["..."]',
        )
    commands = _shell_commands(raw, path, "criteria", example="test -f X")
    if path.stem != goal_id:
        raise _fail(
            path,
            f"criteria filename {path} must match goal_id {goal_id}",
            f"rename it to {goal_id}.json",
        )
    return Criteria(goal_id, done_when, commands, path)


def load_eval(path: Path) -> EvalSpec:
    raw = _load_json(path, "eval")
    fields: dict[str, str] = {}
    for key in ("id", "name", "scenario"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(
                path, f"eval in {path} must include a non-empty {key}", f'add "{key}": "..."'
            )
        fields[key] = value
    when = raw.get("when", "always")
    if when not in EVAL_WHEN:
        raise _fail(
            path, f"eval in {path} has unsupported when {when}", "use always, manual or canary"
        )
    severity = raw.get("severity", "functional")
    if severity not in EVAL_SEVERITY:
        raise _fail(
            path,
            f"eval in {path} has unsupported severity {severity}",
            "use cosmetic, functional or trust_damaging",
        )
    for key in ("expected_behavior", "forbidden_behavior"):
        if not _strings(raw, key):
            raise _fail(
                path,
                f"eval in {path} must include at least one {key} item",
                f'add "{key}": ["..."]',
            )
    commands = _shell_commands(raw, path, "eval", example="...")
    return EvalSpec(
        fields["id"], fields["name"], str(when), str(severity), fields["scenario"], commands, path
    )


def load_all_criteria(directory: Path) -> list[Criteria]:
    return (
        [load_criteria(p) for p in sorted(directory.glob("*.json"))] if directory.is_dir() else []
    )


def load_all_evals(directory: Path) -> list[EvalSpec]:
    return [load_eval(p) for p in sorted(directory.glob("*.json"))] if directory.is_dir() else []
