"""MCP servers die with Praxis: they start through `praxis.child_exec` (PDEATHSIG, an alarm, exec)
and their process group is on record in `tool_processes.json` while they run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from praxis import child_exec
from praxis.tools.mcp_client import call_tool
from praxis.tools.mcp_manifest import load_mcp_server
from tests.conftest import InProcessRunner, PraxisRunner, use_backend, wait_for
from tests.fakes.openai import FakeOpenAI
from tests.integration.test_mcp import FAKE_SERVER
from tests.procs import gone_within, kill, kill_running, running, start_run, stat

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG; finds processes via /proc"
)
DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _wrapped(
    *command: str, parent: int | str = "", seconds: int = 0, pid_file: str = ""
) -> list[str]:
    """The argv `mcp_launch` hands the SDK, around `command`."""
    setup = [str(parent or os.getpid()), str(seconds), pid_file]
    return [sys.executable, "-I", "-S", child_exec.__file__, *setup, "--", *command]


def _install_fake_server(data_dir: Path, **env: str) -> Path:
    """tools/fake.toml in the data dir: the SDK-built fake server, runnable without approval."""
    script = data_dir / "fake_server.py"
    script.write_text(FAKE_SERVER, encoding="utf-8")
    manifest = data_dir / "tools" / "fake.toml"
    manifest.write_text(
        'name = "fake"\ndescription = "A fake server."\nkind = "mcp"\nrequires_approval = false\n'
        f"command = {json.dumps([sys.executable, str(script)])}\ntimeout_seconds = 120\n"
        f"env = {{ {', '.join(f'{k} = {json.dumps(v)}' for k, v in env.items())} }}\n",
        encoding="utf-8",
    )
    return manifest


# ---- the wrapper on its own ----


def test_the_wrapper_passes_stdio_through_and_adds_nothing(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    pid_file.touch(mode=0o600)
    echo = (
        "import os, sys; sys.stdout.write(sys.stdin.read()); "
        "print('server log', file=sys.stderr); print(os.getpid(), file=sys.stderr)"
    )
    message = '{"jsonrpc": "2.0", "id": 1, "method": "ping"}\n'
    proc = subprocess.run(
        _wrapped(sys.executable, "-c", echo, pid_file=str(pid_file)),
        input=message,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == message  # JSON-RPC untouched, not one byte of ours
    log, pid = proc.stderr.splitlines()
    assert log == "server log"
    assert pid_file.read_text() == pid  # exec: the server keeps the wrapper's pid (and group)


def test_a_program_that_cannot_run_is_one_stderr_line_and_exit_127(tmp_path: Path) -> None:
    proc = subprocess.run(
        _wrapped(str(tmp_path / "no-such-server")), capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 127
    assert proc.stdout == ""
    assert (
        proc.stderr
        == f"praxis: cannot run {tmp_path / 'no-such-server'}: No such file or directory\n"
    )


def test_the_alarm_ends_a_program_nobody_stops() -> None:
    started = time.monotonic()
    proc = subprocess.run(_wrapped("sleep", "30", seconds=1), timeout=30)
    assert proc.returncode == -signal.SIGALRM
    assert time.monotonic() - started < 10


@linux_only
def test_the_program_dies_when_its_parent_is_killed(tmp_path: Path) -> None:
    spawner = (
        "import os, subprocess, sys, time\n"
        "argv = [os.getpid() if a == 'PARENT' else a for a in sys.argv[1:]]\n"
        "print(subprocess.Popen(list(map(str, argv))).pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", spawner, *_wrapped("sleep", "59", parent="PARENT")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    try:
        assert wait_for(lambda: (stat(pid) or (0, "", ""))[2] == "sleep", 10)  # exec'd
        parent.kill()
        parent.wait()
        assert gone_within(pid, 2), "the program outlived its parent"
    finally:
        kill_running(pid)


# ---- a server started by Praxis ----


def test_a_server_is_on_record_while_it_runs_and_off_it_after(cli: InProcessRunner) -> None:
    record = cli.data_dir / "tool_processes.json"
    spec = load_mcp_server(_install_fake_server(cli.data_dir, FAKE_RECORD=str(record)))
    result = call_tool(spec, "record", {})
    assert result.ok, result.text
    seen = json.loads(result.text)
    entries = [(e["pgid"], e["owner"], e["kind"]) for e in seen["record"]["children"]]
    assert entries == [(seen["pid"], os.getpid(), "mcp")]
    assert not record.exists()


def _kill_praxis_mid_hold(
    runner: PraxisRunner, fake: FakeOpenAI, tmp_path: Path, *, with_child: bool
) -> list[int]:
    """`run --once` as a real process whose model calls the fake's `hold`, killed with SIGKILL
    once the call is under way (the server's group on record); the pids `hold` wrote: the
    server's, then its child's."""
    pid_file = tmp_path / "server.pids"
    _install_fake_server(runner.data_dir, FAKE_PID_FILE=str(pid_file))
    use_backend(runner.data_dir, "openai")
    fake.calls.append(("fake__hold", {"seconds": 90, "with_child": with_child}))
    fake.script("ok", "tool_call")
    proc = start_run(runner, {**fake.env(), **DAY})
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip() != "", 90)
        pids = [int(pid) for pid in pid_file.read_text().split()]
        record = json.loads((runner.data_dir / "tool_processes.json").read_text())
        assert [(e["pgid"], e["kind"]) for e in record["children"]] == [(pids[0], "mcp")]
    finally:
        kill(proc)
    return pids


@linux_only
def test_an_mcp_server_dies_when_praxis_is_killed_mid_call(
    initialized: PraxisRunner, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    (server,) = _kill_praxis_mid_hold(initialized, fake_openai, tmp_path, with_child=False)
    try:
        assert gone_within(server, 2), "the MCP server outlived praxis"
    finally:
        kill_running(server)


@linux_only
def test_a_servers_child_is_killed_by_the_next_start(
    initialized: PraxisRunner, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    server, child = _kill_praxis_mid_hold(initialized, fake_openai, tmp_path, with_child=True)
    try:
        assert gone_within(server, 2), "the MCP server outlived praxis"
        assert running(child)  # out of the kernel's reach: its parent was the server
        initialized("run", "--once", env={**fake_openai.env(), **DAY})
        assert gone_within(child, 5), "the leftover group survived"
        assert not (initialized.data_dir / "tool_processes.json").exists()
    finally:
        kill_running(server, child)
