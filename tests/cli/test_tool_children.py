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
import time
from pathlib import Path

import pytest

from tests.conftest import PraxisRunner, wait_for
from tests.fakes.openai import FakeOpenAI

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes through /proc"
)

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
SPAWN_GRANDCHILD = "import subprocess, time; subprocess.Popen(['sleep', '57']); time.sleep(30)"


def _configure(data_dir: Path) -> None:
    config = data_dir / "praxis.toml"
    text = config.read_text().replace('backend = "stub"', 'backend = "openai"')
    allowed = '["ls", "echo", "sleep", "python3"]'
    text = text.replace(
        'allowed_commands = ["ls", "cat", "head", "tail", "wc", "grep", "date", "echo", "pwd"]',
        f"allowed_commands = {allowed}",
    ).replace('safe_commands = ["ls", "echo", "pwd", "wc"]', f"safe_commands = {allowed}")
    config.write_text(text)


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, command name) of a process, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], name


def _running(pid: int) -> bool:
    """Alive and not merely a zombie waiting to be reaped by whoever adopted it."""
    found = _stat(pid)
    return found is not None and found[1] != "Z"


def _child_of(parent: int, name: str) -> int | None:
    """A running process called `name` whose parent is `parent`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None and found[0] == parent and found[2] == name and found[1] != "Z":
                return int(entry.name)
    return None


def _await_child(parent: int, name: str) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pid = _child_of(parent, name)
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError(f"no {name} child of {parent} appeared")


def _start(runner: PraxisRunner, fake: FakeOpenAI) -> subprocess.Popen[bytes]:
    """`run --once` as a real process: the test kills it with SIGKILL."""
    return runner.popen(
        "run",
        "--once",
        "--task",
        "t",
        env={**fake.env(), **DAY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=False,
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_the_shell_child_dies_when_praxis_is_killed(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    _configure(initialized.data_dir)
    fake_openai.calls.append(("shell", {"argv": ["sleep", "31"]}))
    fake_openai.script("ok", "tool_call")
    proc = _start(initialized, fake_openai)
    try:
        pid = _await_child(proc.pid, "sleep")
        # While it runs, its process group is on record for the next start.
        record = initialized.data_dir / "tool_processes.json"
        assert wait_for(record.exists, 5)
        assert [entry["pgid"] for entry in json.loads(record.read_text())["children"]] == [pid]
    finally:
        _kill(proc)
    assert wait_for(lambda: not _running(pid), 5), "the shell child outlived praxis"


def test_a_grandchild_is_killed_by_the_next_start(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    _configure(initialized.data_dir)
    fake_openai.calls.append(("shell", {"argv": ["python3", "-c", SPAWN_GRANDCHILD]}))
    fake_openai.script("ok", "tool_call")
    proc = _start(initialized, fake_openai)
    try:
        grandchild = _await_child(_await_child(proc.pid, "python3"), "sleep")
        # Killed before Praxis wrote the record, nothing could find the group: wait for it.
        assert wait_for((initialized.data_dir / "tool_processes.json").exists, 5)
    finally:
        _kill(proc)
    try:
        # Out of the kernel's reach (its parent was the child, not Praxis): still running.
        assert _running(grandchild)
        # The next start runs a tool again (the model is told the first call was interrupted).
        fake_openai.calls.append(("shell", {"argv": ["echo", "again"]}))
        fake_openai.script("tool_call", "ok")
        initialized("run", "--once", env={**fake_openai.env(), **DAY})
        assert wait_for(lambda: not _running(grandchild), 5), "the leftover group survived"
        assert not (initialized.data_dir / "tool_processes.json").exists()
    finally:
        if _running(grandchild):
            os.kill(grandchild, signal.SIGKILL)


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
