"""Issue 10 item 3 (process side): a tool's child process dies with a killed Praxis.

`run --once` (the installed command) has the fake model call `shell`; the test kills Praxis with
SIGKILL while the child runs. The direct child is stopped by the kernel (PR_SET_PDEATHSIG); a
grandchild, which that cannot reach, is killed by the next start from the recorded process group.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PraxisRunner, use_backend, wait_for
from tests.fakes.openai import FakeOpenAI
from tests.procs import await_child, gone_within, kill, kill_running, running, start_run

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes through /proc"
)

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
SPAWN_GRANDCHILD = "import subprocess, time; subprocess.Popen(['sleep', '57']); time.sleep(30)"


def _configure(data_dir: Path) -> None:
    use_backend(data_dir, "openai")
    config = data_dir / "praxis.toml"
    text = config.read_text()
    allowed = '["ls", "echo", "sleep", "python3"]'
    text = text.replace(
        'allowed_commands = ["ls", "cat", "head", "tail", "wc", "grep", "date", "echo", "pwd"]',
        f"allowed_commands = {allowed}",
    ).replace('safe_commands = ["ls", "echo", "pwd", "wc"]', f"safe_commands = {allowed}")
    config.write_text(text)


def test_the_shell_child_dies_when_praxis_is_killed(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    _configure(initialized.data_dir)
    fake_openai.calls.append(("shell", {"argv": ["sleep", "31"]}))
    fake_openai.script("ok", "tool_call")
    proc = start_run(initialized, {**fake_openai.env(), **DAY})
    try:
        pid = await_child(proc.pid, "sleep")
        # While it runs, its process group is on record for the next start.
        record = initialized.data_dir / "tool_processes.json"
        assert wait_for(record.exists, 5)
        assert [entry["pgid"] for entry in json.loads(record.read_text())["children"]] == [pid]
    finally:
        kill(proc)
    assert gone_within(pid, 5), "the shell child outlived praxis"


def test_a_grandchild_is_killed_by_the_next_start(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    _configure(initialized.data_dir)
    fake_openai.calls.append(("shell", {"argv": ["python3", "-c", SPAWN_GRANDCHILD]}))
    fake_openai.script("ok", "tool_call")
    proc = start_run(initialized, {**fake_openai.env(), **DAY})
    try:
        grandchild = await_child(await_child(proc.pid, "python3"), "sleep")
        # Killed before Praxis wrote the record, nothing could find the group: wait for it.
        assert wait_for((initialized.data_dir / "tool_processes.json").exists, 5)
    finally:
        kill(proc)
    try:
        # Out of the kernel's reach (its parent was the child, not Praxis): still running.
        assert running(grandchild)
        # The next start runs a tool again (the model is told the first call was interrupted).
        fake_openai.calls.append(("shell", {"argv": ["echo", "again"]}))
        fake_openai.script("tool_call", "ok")
        initialized("run", "--once", env={**fake_openai.env(), **DAY})
        assert gone_within(grandchild, 5), "the leftover group survived"
        assert not (initialized.data_dir / "tool_processes.json").exists()
    finally:
        kill_running(grandchild)


# ---- the record itself, in-process ----


def _group(tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "59"], start_new_session=True, cwd=tmp_path)


def _record(root: Path, **entry: object) -> None:
    (root / "tool_processes.json").write_text(json.dumps({"children": [entry]}))


def test_a_group_whose_owner_is_alive_is_left_alone(tmp_path: Path) -> None:
    from praxis.child_processes import reap_leftovers

    group = _group(tmp_path)
    try:
        _record(tmp_path, pgid=group.pid, owner=os.getpid(), owner_start=None, kind="shell")
        assert reap_leftovers(tmp_path) == 0
        assert group.poll() is None
        assert (tmp_path / "tool_processes.json").exists()
    finally:
        group.kill()
        group.wait()


def test_a_dead_owners_group_is_killed_but_never_a_reused_pid(tmp_path: Path) -> None:
    from praxis.child_processes import reap_leftovers

    dead = subprocess.Popen(["true"])
    dead.wait()
    group = _group(tmp_path)
    try:
        # The recorded leader started at another time: the number now belongs to a stranger.
        _record(tmp_path, pgid=group.pid, owner=dead.pid, leader_start=1, kind="shell")
        assert reap_leftovers(tmp_path) == 0
        assert group.poll() is None
        assert not (tmp_path / "tool_processes.json").exists()  # the stale entry is dropped
        _record(tmp_path, pgid=group.pid, owner=dead.pid, kind="shell")
        assert reap_leftovers(tmp_path) == 1
        assert group.wait(timeout=5) == -signal.SIGKILL
    finally:
        if group.poll() is None:
            group.kill()
            group.wait()


def test_a_check_command_is_on_record_while_it_runs(tmp_path: Path) -> None:
    from praxis.quality.commands import run_check

    outcome = run_check("sleep 1; cat tool_processes.json", tmp_path, timeout_seconds=10)
    assert outcome.ok, outcome.output_tail
    assert '"kind": "check"' in outcome.output_tail
    assert not (tmp_path / "tool_processes.json").exists()  # removed once it finished
