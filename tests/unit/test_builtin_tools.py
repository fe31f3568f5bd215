"""Built-in tools without a data dir: the registry, schemas, argument checks, approval rules."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from praxis.config.settings import Settings, ShellSettings
from praxis.paths import DataDir
from praxis.tools.builtins import builtin_tools
from praxis.tools.builtins.base import ToolContext
from praxis.tools.builtins.file_read import READ_ROOTS, cap_text
from praxis.tools.builtins.schema import check_arguments
from praxis.tools.builtins.shell import escaping_argument, refusal, requires_approval

EXPECTED_ARGUMENTS = {
    "file-read": ({"path"}, {"path"}),
    "memory-search": ({"query", "limit"}, {"query"}),
    "memory-write": ({"text", "tags"}, {"text"}),
    "goal-complete": ({"goal_id", "evidence"}, {"goal_id", "evidence"}),
    "shell": ({"argv", "timeout_seconds"}, {"argv"}),
}


def test_registry_names_and_schemas_match_the_spec() -> None:
    tools = builtin_tools()
    assert list(tools) == ["file-read", "memory-search", "memory-write", "goal-complete", "shell"]
    for name, tool in tools.items():
        assert tool.name == name
        assert tool.description.strip()
        schema = tool.parameters
        json.dumps(schema)  # offered to models as JSON
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
        properties, required = EXPECTED_ARGUMENTS[name]
        assert set(schema["properties"]) == properties
        assert set(schema["required"]) == required


def test_shell_argv_is_an_array_of_strings() -> None:
    argv = builtin_tools()["shell"].parameters["properties"]["argv"]
    assert argv["type"] == "array"
    assert argv["items"]["type"] == "string"


SCHEMA = builtin_tools()["memory-search"].parameters


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ([], "expected a JSON object"),
        ("query", "expected a JSON object"),
        ({}, "missing required argument(s): query"),
        ({"query": "x", "rm": True}, "unknown argument(s): rm"),
        ({"query": 5}, "query must be a string"),
        ({"query": ""}, "query must not be empty"),
        ({"query": "x" * 501}, "query must be at most 500 characters"),
        ({"query": "x", "limit": "5"}, "limit must be an integer"),
        ({"query": "x", "limit": True}, "limit must be an integer"),
        ({"query": "x", "limit": 2.5}, "limit must be an integer"),
        ({"query": "x", "limit": float("nan")}, "limit must be an integer"),
        ({"query": "x", "limit": 0}, "limit must be at least 1"),
        ({"query": "x", "limit": 21}, "limit must be at most 20"),
    ],
)
def test_bad_arguments_are_named(arguments: Any, problem: str) -> None:
    found = check_arguments(SCHEMA, arguments)
    assert found is not None and found.startswith(problem)


@pytest.mark.parametrize(
    "arguments", [{"query": "x"}, {"query": "x", "limit": 20}, {"query": "x", "limit": 3.0}]
)
def test_good_arguments_pass(arguments: dict[str, Any]) -> None:
    assert check_arguments(SCHEMA, arguments) is None


def test_array_items_and_exclusive_minimum_are_checked() -> None:
    schema = builtin_tools()["shell"].parameters
    assert check_arguments(schema, {"argv": []}) == "argv must have at least 1 item(s)"
    assert check_arguments(schema, {"argv": ["ls", 3]}) == "argv[1] must be a string"
    assert check_arguments(schema, {"argv": "ls -l"}) == "argv must be an array"
    assert check_arguments(schema, {"argv": ["ls"], "timeout_seconds": 0}) is not None
    assert check_arguments(schema, {"argv": ["ls"], "timeout_seconds": 0.5}) is None
    assert check_arguments(schema, {"argv": ["x"] * 65}) == "argv must have at most 64 items"


def test_every_tool_turns_bad_input_into_a_failed_outcome(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    ctx = ToolContext(DataDir(tmp_path), conn, Settings(), "2026-01-01T00:00:00Z", None, None)
    for tool in builtin_tools().values():
        for bad in ({}, {"nope": 1}, None, ["argv"]):
            outcome = tool.run(ctx, bad)  # type: ignore[arg-type]
            assert not outcome.ok
            assert outcome.output.startswith("invalid arguments: ")
            assert "\n" not in outcome.summary and outcome.summary.startswith(tool.name)


def test_only_safe_allowed_commands_skip_approval() -> None:
    settings = Settings()
    assert requires_approval({"argv": ["ls", "-l"]}, settings) is False
    assert requires_approval({"argv": ["cat", "x"]}, settings) is True  # allowed, not safe
    assert requires_approval({"argv": ["rm", "-rf", "x"]}, settings) is True  # not allowed
    assert requires_approval({"argv": "ls"}, settings) is True
    assert requires_approval({}, settings) is True
    for name in ("file-read", "memory-search", "memory-write", "goal-complete"):
        assert builtin_tools()[name].requires_approval({}, settings) is False


def test_safe_but_not_allowed_still_needs_approval() -> None:
    # Settings validation forbids this, but the rule must not depend on it.
    settings = Settings(shell=ShellSettings(allowed_commands=("cat",), safe_commands=("ls",)))
    assert requires_approval({"argv": ["ls"]}, settings) is True


def test_refusal_names_the_allow_list() -> None:
    settings = Settings(shell=ShellSettings(allowed_commands=("ls", "wc"), safe_commands=()))
    assert refusal({"argv": ["rm"]}, settings) == "command 'rm' is not allowed; allowed: ls, wc"
    assert refusal({"argv": ["/bin/ls"]}, settings) is not None
    assert refusal({"argv": ["ls"]}, settings) is None


@pytest.mark.parametrize(
    "arg",
    ["/etc/passwd", "..", "../x", "a/../../x", "--file=/etc/passwd", "-f=../../x", "/"],
)
def test_arguments_naming_paths_outside_the_workspace_are_found(tmp_path: Path, arg: str) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    assert escaping_argument(["cat", arg], workspace) == arg


@pytest.mark.parametrize("arg", ["-l", "notes.txt", "a/b/../c", "./x", "--count", "x=y", "a..b"])
def test_ordinary_arguments_pass(tmp_path: Path, arg: str) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    assert escaping_argument(["cat", arg], workspace) is None


def test_absolute_paths_inside_the_workspace_pass_but_its_siblings_do_not(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (tmp_path / "workspace-evil").mkdir()
    assert escaping_argument(["cat", str(workspace / "a.txt")], workspace) is None
    evil = str(tmp_path / "workspace-evil" / "a")
    assert escaping_argument(["cat", evil], workspace) == evil
    assert escaping_argument(["cat", str(tmp_path / ".env")], workspace) is not None


def test_symlinks_leading_out_of_the_workspace_are_found(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (tmp_path / "secret").write_text("s", encoding="utf-8")
    (workspace / "link").symlink_to(tmp_path / "secret")
    (workspace / "dirlink").symlink_to(tmp_path)
    assert escaping_argument(["cat", "link"], workspace) == "link"
    assert escaping_argument(["cat", "dirlink/secret"], workspace) == "dirlink/secret"


def test_argv0_is_not_checked_as_a_path(tmp_path: Path) -> None:
    assert escaping_argument([".."], tmp_path) is None


def test_file_read_roots_exclude_secrets_and_config() -> None:
    assert "GOALS.md" in READ_ROOTS and "workspace" in READ_ROOTS
    for forbidden in (".env", "praxis.toml", "praxis.db", "tools", "backups", "DAY_COUNT"):
        assert forbidden not in READ_ROOTS


def test_cap_text_cuts_on_a_character_boundary() -> None:
    assert cap_text("short", 10) == "short"
    capped = cap_text("é" * 20, 11)  # 2 bytes each: 5 whole characters fit
    assert capped.startswith("ééééé\n[truncated: showing the first 11 of 40 bytes]")
