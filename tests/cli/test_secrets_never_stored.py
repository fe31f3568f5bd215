"""Secrets are never stored or printed (issue 10 item 5): a provider key placed in a tool argument,
a model reply, a canary reply, an argv and a crash is found nowhere afterwards — not in any file
of the data dir (the database and its FTS index included), not in the crash log, not in anything
printed. One key has no shape (only the registry of known values can catch it), one is `sk-…`."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import InProcessRunner, PraxisRunner, Result, use_backend
from tests.fakes.openai import FakeOpenAI

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
KEYS = ("plainsecretvalue-1234567890", "sk-proj-Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2")


def _files_containing(root: Path, secret: str) -> list[str]:
    """`grep -r`: every file under `root`, read as bytes (the database, WAL and FTS included)."""
    needle = secret.encode()
    return [
        str(path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes()
    ]


def _printed(results: list[Result], secret: str) -> list[str]:
    return [r.stdout + r.stderr for r in results if secret in r.stdout + r.stderr]


@pytest.mark.parametrize("key", KEYS, ids=["plain", "sk"])
def test_a_key_in_tool_args_replies_canary_argv_and_crash_is_found_nowhere(
    cli: InProcessRunner,
    fake_openai: FakeOpenAI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
) -> None:
    state_home = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state_home))
    fake_openai.key = key
    env = {**fake_openai.env(), **DAY}
    assert env["OPENAI_API_KEY"] == key
    use_backend(cli.data_dir, "openai")
    results: list[Result] = []

    def run(*args: str) -> Result:
        result = cli(*args, env=env)
        results.append(result)
        return result

    # A session: the model puts the key in a shell argv (runs: echo is safe) and in a memory, and
    # every reply of the session carries it.
    fake_openai.calls.extend(
        [
            ("shell", {"argv": ["echo", f"token={key}"]}),
            ("memory-write", {"text": f"the api key is {key}", "tags": [key]}),
        ]
    )
    fake_openai.text = f"Done. For the record the key is {key}."
    fake_openai.script("ok", "tool_call", "tool_call", "ok")
    session = run("run", "--once", "--task", "look after the keys")
    assert session.returncode == 0, session.stderr
    assert fake_openai.requests, "the session reached the fake"
    # A call the operator must approve (written outside the workspace), with the key in its text.
    fake_openai.calls.append(
        ("praxis-data-write", {"write_paths": ["JOURNAL.md"], "append_text": f"- key {key}"})
    )
    fake_openai.script("ok", "tool_call")
    parked = run("run", "--once", "--task", f"write down {key}")
    assert parked.returncode == 0, parked.stderr

    # Canary: a pass, then a reply that is the key (a regression: event, postmortem, record).
    fake_openai.text = "PraxisCanaryReady"
    fake_openai.script("ok")
    assert run("canary", "run").returncode == 0
    fake_openai.text = key
    fake_openai.script("ok")
    canary = run("canary", "run")
    assert "failed" in canary.stdout, canary.stdout

    # argv: a remote ask whose prompt is the key (the fast path), and an unknown flag holding it.
    fake_openai.text = f"You said {key}"
    fake_openai.script("ok")
    asked = run("ask", key)
    assert asked.returncode == 0, asked.stderr
    assert "prompt: [REDACTED]" in asked.stdout
    assert run("ask", f"--{key}", "hi").returncode == 2
    assert run("queue", "--bogus", key).returncode == 2

    # A crash (a session state nested too deep for the JSON parser) with the key in the argv.
    (cli.data_dir / "session_state.json").write_text("[" * 100_000)
    crashed = run("run", "--once", "--task", key)
    assert crashed.returncode == 1
    assert "internal error" in crashed.stderr
    log = cli.data_dir / "logs" / "praxis-errors.log"
    assert f"details in {log}" in crashed.stderr
    assert "praxis --data-dir" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    (cli.data_dir / "session_state.json").unlink()

    # Everything an operator reads back.
    for args in (
        ("status", "--json"),
        ("queue", "--all", "--json"),
        ("queue", "--all"),
        ("forensics", "latest"),
        ("canary", "status", "--json"),
        ("usage",),
    ):
        run(*args)

    assert _files_containing(cli.data_dir, key) == []
    assert not state_home.exists() or _files_containing(state_home, key) == []
    assert _printed(results, key) == []
    # The key did reach the places it had to: the provider, and the shell child's output.
    assert any(key in json.dumps(r.json) for r in fake_openai.requests)


def test_crash_log_goes_to_the_private_state_dir_when_the_data_dir_cannot_take_it(
    praxis: PraxisRunner, tmp_path: Path
) -> None:
    """The data dir's logs/ cannot be created (a file is in its way, which stops root too): the
    log lands in $XDG_STATE_HOME/praxis (700/600), never in a shared /tmp file."""
    key = KEYS[0]
    data = praxis("init", "--name", "Praxis", "--timezone", "UTC")
    assert data.returncode == 0, data.stderr
    (praxis.data_dir / "session_state.json").write_text("[" * 100_000)
    (praxis.data_dir / "logs").write_text("not a directory\n")
    state_home = tmp_path / "state"
    env = {"XDG_STATE_HOME": str(state_home), "OPENAI_API_KEY": key}
    crashed = praxis("run", "--once", "--task", f"task {key}", env=env)
    assert crashed.returncode == 1, crashed.stderr
    log = state_home / "praxis" / "praxis-errors.log"
    assert f"details in {log}" in crashed.stderr
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "RecursionError" in text and "--task" in text and key not in text
    assert key not in crashed.stdout + crashed.stderr
