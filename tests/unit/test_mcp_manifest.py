"""MCP manifests (`kind = "mcp"`) and the pure naming/capping helpers; no server is started."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from praxis.errors import ConfigError
from praxis.tools.mcp_client import MAX_OUTPUT_BYTES, cap_output, offered_name, qualified_name
from praxis.tools.mcp_manifest import McpServerSpec, load_mcp_server

VALID = """name = "time"
description = "Current time and timezone conversion."
kind = "mcp"
command = ["python", "-m", "mcp_server_time", "--local-timezone", "UTC"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "time.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> ConfigError:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_mcp_server(path)
    assert caught.value.path == str(path)
    return caught.value


def test_minimal_manifest_gets_the_mcp_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID)
    spec = load_mcp_server(path)
    assert spec == McpServerSpec(
        name="time",
        description="Current time and timezone conversion.",
        command=("python", "-m", "mcp_server_time", "--local-timezone", "UTC"),
        required_level=2,
        requires_approval=True,
        env=(),
        timeout_seconds=30.0,
        allowed_tools=None,
        path=path,
    )
    assert spec.allows("convert_time")
    manifest = spec.as_manifest()
    assert (manifest.name, manifest.kind, manifest.requires_approval) == ("time", "mcp", True)
    assert manifest.required_level == 2
    assert manifest.path == path


def test_every_optional_key_is_read(tmp_path: Path) -> None:
    text = VALID + (
        "requires_approval = false\nrequired_level = 3\ntimeout_seconds = 5\n"
        'allowed_tools = ["convert_time"]\n\n[env]\nTZ = "UTC"\nFAKE_SETTING = "1"\n'
    )
    spec = load_mcp_server(_write(tmp_path, text))
    assert spec.requires_approval is False
    assert spec.required_level == 3
    assert spec.timeout_seconds == 5.0
    assert spec.allowed_tools == ("convert_time",)
    assert spec.allows("convert_time")
    assert not spec.allows("get_current_time")
    assert spec.env == (("FAKE_SETTING", "1"), ("TZ", "UTC"))


def test_empty_allowed_tools_allows_nothing(tmp_path: Path) -> None:
    spec = load_mcp_server(_write(tmp_path, VALID + "allowed_tools = []\n"))
    assert spec.allowed_tools == ()
    assert not spec.allows("convert_time")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ('"python -m mcp_server_time"', "command must be a list of strings"),
        ("[]", "command must name a program"),
        ('[""]', "command must name a program"),
        ('["python", 3]', "command must be a list of strings"),
    ],
)
def test_command_must_be_an_argv_list(tmp_path: Path, command: str, message: str) -> None:
    text = VALID.replace(
        'command = ["python", "-m", "mcp_server_time", "--local-timezone", "UTC"]',
        f"command = {command}",
    )
    error = _error(tmp_path, text)
    assert message in error.message
    assert error.line == 4
    assert error.hint is not None and "argv list" in error.hint


def test_missing_command_is_an_error(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID.replace("command", "# command"))
    assert "MCP server time needs a command" in error.message


def test_misspelt_key_is_refused_so_nothing_is_silently_allowed(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID + 'allowed_tool = ["convert_time"]\n')
    assert "unknown key allowed_tool" in error.message
    assert error.line == 5


@pytest.mark.parametrize(
    ("extra", "message", "line"),
    [
        ("timeout_seconds = 0\n", "timeout_seconds must be above 0", 5),
        ('timeout_seconds = "30"\n', "timeout_seconds must be a number", 5),
        ("required_level = 5\n", "required_level must be between 1 and 4", 5),
        ('allowed_tools = ["ok", " "]\n', "allowed_tools must not contain blanks", 5),
        ('env = "TZ=UTC"\n', "env must be a table", 5),
        ("[env]\nTZ = 1\n", 'env TZ is not NAME = "string"', None),
        ('[env]\nANTHROPIC_API_KEY = "sk-ant-x"\n', "must not pass ANTHROPIC_API_KEY", None),
        ('[env]\nPRAXIS_TELEGRAM_BOT_TOKEN = "1:x"\n', "PRAXIS_TELEGRAM_BOT_TOKEN", None),
    ],
)
def test_invalid_values_name_the_file(
    tmp_path: Path, extra: str, message: str, line: int | None
) -> None:
    error = _error(tmp_path, VALID + extra)
    assert message in error.message
    if line is not None:
        assert error.line == line


@pytest.mark.parametrize("name", ["", "my.server", "9lives", "has space", "x" * 33])
def test_server_names_must_fit_qualified_and_offered_names(tmp_path: Path, name: str) -> None:
    error = _error(tmp_path, VALID.replace('name = "time"', f'name = "{name}"'))
    assert "must be a letter then up to 31" in error.message
    assert error.line == 1


def test_other_kinds_are_not_mcp_manifests(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID.replace('kind = "mcp"', 'kind = "shell"'))
    assert "not an MCP manifest" in error.message
    assert error.line == 3


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID + "command = [\n")
    assert error.line is not None


_VENDOR_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def test_plain_names_are_offered_unchanged() -> None:
    assert qualified_name("time", "convert_time") == "time.convert_time"
    assert offered_name("time", "convert_time") == "time__convert_time"


@pytest.mark.parametrize(
    "tool", ["dotted.name", "with space", "ünïcode", "slash/name", "t" * 80, "a.b", "a_b"]
)
def test_offered_names_are_vendor_safe(tool: str) -> None:
    name = offered_name("server", tool)
    assert _VENDOR_SAFE.fullmatch(name), name
    assert name.startswith("server__")


def test_changed_names_do_not_collide() -> None:
    names = {offered_name("s", tool) for tool in ["a.b", "a_b", "a b", "a/b"]}
    assert len(names) == 4
    long = {offered_name("s", "t" * 70 + suffix) for suffix in ("1", "2")}
    assert len(long) == 2


def test_output_is_capped_at_16_kb_on_a_character_boundary() -> None:
    assert cap_output("short") == "short"
    exact = "a" * MAX_OUTPUT_BYTES
    assert cap_output(exact) == exact
    capped = cap_output("é" * MAX_OUTPUT_BYTES)  # two bytes each
    assert len(capped.encode("utf-8")) <= MAX_OUTPUT_BYTES
    assert capped.startswith("éé")
    assert f"[output truncated: {2 * MAX_OUTPUT_BYTES} bytes" in capped


def test_without_the_sdk_a_call_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from praxis.tools import mcp_errors
    from praxis.tools.mcp_client import McpError, list_tools

    monkeypatch.setattr(mcp_errors, "sdk_available", lambda: False)
    spec = McpServerSpec(name="time", description="d", command=("true",))
    with pytest.raises(McpError, match="needs the MCP SDK") as caught:
        list_tools(spec)
    assert caught.value.hint == "install it: pip install 'praxis-agent[mcp]'"


def test_the_facade_refuses_to_run_inside_an_event_loop() -> None:
    import asyncio

    from praxis.tools.mcp_client import list_tools

    spec = McpServerSpec(name="time", description="d", command=("true",))

    async def inside_a_loop() -> None:
        list_tools(spec)

    with pytest.raises(RuntimeError, match=r"call it via anyio\.to_thread\.run_sync"):
        asyncio.run(inside_a_loop())
