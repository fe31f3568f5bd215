"""MCP over stdio against real servers: `mcp-server-time` from PyPI, plus small SDK-built fakes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from praxis.tools.mcp_client import McpError, call_tool, list_tools
from praxis.tools.mcp_manifest import McpServerSpec, load_mcp_server

pytest.importorskip(
    "mcp", reason="the `mcp` SDK is not installed (pip install 'praxis-agent[mcp]')"
)
pytest.importorskip(
    "mcp_server_time", reason="mcp-server-time is not installed (pip install mcp-server-time)"
)


# A server built on the same SDK, for what mcp-server-time cannot show (env, caps, naps).
FAKE_SERVER = """
import json, os, sys, time
import anyio
from mcp.server.mcpserver import MCPServer

server = MCPServer("fake")

@server.tool(name="env_names", description="Environment variable names the server sees.")
def env_names() -> str:
    return json.dumps(sorted(os.environ))

@server.tool(name="big", description="A long text.")
def big(size: int) -> str:
    return "é" * size

@server.tool(name="nap", description="Sleeps, then answers.")
def nap(seconds: float) -> str:
    time.sleep(seconds)
    return "awake"

@server.tool(name="hold", description="Writes its pid (and a child's) to FAKE_PID_FILE, sleeps.")
def hold(seconds: float, with_child: bool = False) -> str:
    import subprocess
    pids = [os.getpid()]
    if with_child:
        pids.append(subprocess.Popen(["sleep", "57"]).pid)
    with open(os.environ["FAKE_PID_FILE"], "w") as handle:
        handle.write(" ".join(map(str, pids)))
    time.sleep(seconds)
    return "held"

@server.tool(name="record", description="The data dir's record of process groups, and my pid.")
def record() -> str:
    with open(os.environ["FAKE_RECORD"]) as handle:
        return json.dumps({"pid": os.getpid(), "record": json.load(handle)})

print("fake server log line", file=sys.stderr)
anyio.run(server.run_stdio_async)
"""

# What the SDK itself always passes on (account identity, no secrets) besides ours.
SDK_DEFAULT_ENV = {"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"}


def _manifest(tmp_path: Path, command: list[str], extra: str = "") -> Path:
    path = tmp_path / "time.toml"
    path.write_text(
        'name = "time"\ndescription = "Time tools."\nkind = "mcp"\n'
        f"command = {json.dumps(command)}\ntimeout_seconds = 60\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def time_server(tmp_path: Path) -> McpServerSpec:
    command = [sys.executable, "-m", "mcp_server_time", "--local-timezone", "UTC"]
    return load_mcp_server(_manifest(tmp_path, command))


@pytest.fixture
def fake_server(tmp_path: Path) -> McpServerSpec:
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER, encoding="utf-8")
    return McpServerSpec(
        name="fake",
        description="A fake server.",
        command=(sys.executable, str(script)),
        env=(("FAKE_SETTING", "on"),),
        timeout_seconds=60,
    )


def test_lists_the_time_tools_with_names_and_schemas(time_server: McpServerSpec) -> None:
    tools = {tool.name: tool for tool in list_tools(time_server)}
    assert set(tools) == {"get_current_time", "convert_time"}
    convert = tools["convert_time"]
    assert convert.server == "time"
    assert convert.qualified_name == "time.convert_time"
    assert convert.offered_name == "time__convert_time"
    assert tools["get_current_time"].qualified_name == "time.get_current_time"
    assert convert.description == "Convert time between timezones"
    assert convert.input_schema["type"] == "object"
    assert set(convert.input_schema["properties"]) == {"source_timezone", "time", "target_timezone"}
    assert set(convert.input_schema["required"]) == {"source_timezone", "time", "target_timezone"}
    assert tools["get_current_time"].input_schema["required"] == ["timezone"]


@pytest.mark.parametrize(
    ("target", "clock", "difference"),
    [("Asia/Tokyo", "T21:00:00+09:00", "+9.0h"), ("Asia/Kathmandu", "T17:45:00+05:45", "+5.75h")],
)
def test_convert_time_returns_the_converted_time(
    time_server: McpServerSpec, target: str, clock: str, difference: str
) -> None:
    arguments = {"source_timezone": "UTC", "time": "12:00", "target_timezone": target}
    result = call_tool(time_server, "convert_time", arguments)
    assert result.ok, result.text
    converted = json.loads(result.text)
    assert converted["source"]["datetime"].endswith("T12:00:00+00:00")
    assert converted["target"]["timezone"] == target
    assert converted["target"]["datetime"].endswith(clock)
    assert converted["time_difference"] == difference


def test_a_tool_error_is_a_failed_result_not_an_exception(time_server: McpServerSpec) -> None:
    arguments = {"source_timezone": "Mars/Olympus", "time": "12:00", "target_timezone": "UTC"}
    result = call_tool(time_server, "convert_time", arguments)
    assert not result.ok
    assert "Invalid timezone" in result.text


def test_an_unknown_tool_is_a_failed_result(time_server: McpServerSpec) -> None:
    result = call_tool(time_server, "no_such_tool", {})
    assert not result.ok
    assert "Unknown tool: no_such_tool" in result.text


def test_allowed_tools_limits_listing_and_calls(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mcp_server_time", "--local-timezone", "UTC"]
    spec = load_mcp_server(_manifest(tmp_path, command, 'allowed_tools = ["convert_time"]\n'))
    assert [tool.name for tool in list_tools(spec)] == ["convert_time"]
    started = time.monotonic()
    with pytest.raises(McpError, match="does not allow tool get_current_time") as caught:
        call_tool(spec, "get_current_time", {"timezone": "UTC"})
    assert time.monotonic() - started < 1  # refused before any server is started
    assert caught.value.hint is not None and str(spec.path) in caught.value.hint


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ("{tmp}/no-such-server", "No such file or directory"),
        ("no-such-mcp-server-on-path", "No such file or directory"),
        ("{tmp}/time.toml", "Permission denied"),  # there, but not executable
    ],
)
def test_a_bad_command_is_an_mcp_error_naming_it(tmp_path: Path, program: str, reason: str) -> None:
    # The server starts through a wrapper (`praxis.child_exec`), which always starts: the
    # program is checked first, so this still reads as a server that could not be started.
    program = program.format(tmp=tmp_path)
    spec = load_mcp_server(_manifest(tmp_path, [program, "--flag"]))
    with pytest.raises(McpError) as caught:
        list_tools(spec)
    assert caught.value.message == (
        f"MCP server time could not be started: {program} --flag: {reason}"
    )
    assert caught.value.hint is not None and str(spec.path) in caught.value.hint


def test_a_server_that_dies_on_start_shows_its_last_stderr_line_redacted(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    crash = (
        "import sys; print('boom: bad key sk-ant-abcdefghijklmnop', file=sys.stderr); sys.exit(3)"
    )
    spec = load_mcp_server(_manifest(tmp_path, [sys.executable, "-c", crash]))
    with pytest.raises(McpError) as caught:
        list_tools(spec)
    assert "MCP server time failed" in caught.value.message
    assert "boom: bad key [REDACTED]" in caught.value.message
    assert "sk-ant-abcdefghijklmnop" not in caught.value.message + (caught.value.hint or "")
    assert capfd.readouterr() == ("", "")  # the server's stderr never reaches ours


def test_a_silent_server_times_out_within_the_bound(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    sleeper = "print('not json', flush=True); import time; time.sleep(60)"
    spec = load_mcp_server(_manifest(tmp_path, [sys.executable, "-c", sleeper]))
    spec = spec._replace(timeout_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(McpError) as caught:
        list_tools(spec)
    elapsed = time.monotonic() - started
    assert caught.value.message == "MCP server time did not answer within 1 s"
    assert caught.value.hint is not None and "raise timeout_seconds" in caught.value.hint
    # The timeout, plus the SDK's bounded shutdown (stdin close, then SIGTERM, then SIGKILL).
    assert 1.0 <= elapsed < 9.0
    assert capfd.readouterr() == ("", "")  # no SDK traceback for the non-JSON line


def test_a_slow_tool_call_times_out(fake_server: McpServerSpec) -> None:
    spec = fake_server._replace(timeout_seconds=8.0)
    started = time.monotonic()
    with pytest.raises(McpError, match="did not answer within 8 s"):
        call_tool(spec, "nap", {"seconds": 30})
    assert time.monotonic() - started < 16.0


def test_the_server_gets_no_secrets_from_our_environment(
    fake_server: McpServerSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-value-123")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-456")
    monkeypatch.setenv("PRAXIS_TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = call_tool(fake_server, "env_names", {})
    assert result.ok, result.text
    names = set(json.loads(result.text))
    assert {"FAKE_SETTING", "PATH", "LANG"} <= names
    assert names <= SDK_DEFAULT_ENV | {"LANG", "FAKE_SETTING"}
    assert not names & {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "PRAXIS_TELEGRAM_BOT_TOKEN"}


def test_long_output_is_capped_at_16_kb(fake_server: McpServerSpec) -> None:
    result = call_tool(fake_server, "big", {"size": 20_000})
    assert result.ok
    assert len(result.text.encode("utf-8")) <= 16 * 1024
    assert result.text.startswith("éééé")
    assert "[output truncated: 40000 bytes" in result.text


def test_importing_the_client_does_not_import_the_sdk() -> None:
    code = (
        "import sys, praxis.tools.mcp_client, praxis.tools.mcp_manifest\n"
        "heavy = {'mcp', 'mcp_types', 'anyio', 'pydantic', 'starlette', 'httpx'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
