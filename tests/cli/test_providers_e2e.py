"""`ask`, `run --once`, failover, budgets and canaries end to end: the installed `praxis` against
fake vendor servers on 127.0.0.1 speaking the real wire formats (tests/fakes/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PraxisRunner
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI
from tests.records import rows

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _set_backend(runner: PraxisRunner, backend: str, extra: str = "") -> None:
    config = runner.data_dir / "praxis.toml"
    text = config.read_text().replace('backend = "stub"', f'backend = "{backend}"')
    config.write_text(
        text.replace(
            "freeze_on_model_regression = false", extra or "freeze_on_model_regression = false"
        )
    )


def _all_text(runner: PraxisRunner) -> str:
    chunks = []
    for path in runner.data_dir.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def test_ask_against_claude_records_usage_only(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _set_backend(initialized, "claude")
    fake_anthropic.text = "Hello from Claude"
    result = initialized("ask", "hi", "there", env={**fake_anthropic.env(), **DAY})
    assert result.returncode == 0, result.stderr
    assert result.lines()["answer"] == "Hello from Claude"
    body = fake_anthropic.last.json
    assert body["model"] == "claude-3-5-sonnet-latest"
    assert body["max_tokens"] == 220
    assert "- Name: Praxis" in body["system"]
    assert body["messages"][-1]["role"] == "user"
    assert fake_anthropic.last.headers["anthropic-version"] == "2023-06-01"
    ledger = rows(
        initialized.data_dir,
        "SELECT session_id, phase, provider, input_tokens, output_tokens, estimated_cost_micros FROM token_ledger",
    )
    assert ledger == [(None, "ask", "claude", 12, 7, 12 * 3 + 7 * 15)]
    assert rows(initialized.data_dir, "SELECT COUNT(*) FROM sessions") == [(0,)]
    data = json.loads(
        initialized("ask", "--json", "hi", env={**fake_anthropic.env(), **DAY}).stdout
    )
    assert data == {
        "answer": "Hello from Claude",
        "backend": "claude",
        "model": "claude-3-5-sonnet-latest",
        "tokens": 19,
        "est_cost_usd": 0.000141,
    }


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_run_once_against_openai_sends_the_context(
    initialized: PraxisRunner, fake_openai: FakeOpenAI, api: str
) -> None:
    _set_backend(initialized, "openai")
    providers = initialized.data_dir / "providers.toml"
    providers.write_text(providers.read_text().replace('api = "chat"', f'api = "{api}"'))
    result = initialized(
        "run", "--once", "--task", "water plants", env={**fake_openai.env(), **DAY}
    )
    assert result.returncode == 0, result.stderr
    assert result.lines()["outcome"] == "task_selected"
    assert [r.path for r in fake_openai.requests] == [
        f"/v1/{'chat/completions' if api == 'chat' else 'responses'}"
    ] * 2
    for recorded in fake_openai.requests:
        body = recorded.json
        system = body["messages"][0]["content"] if api == "chat" else body["instructions"]
        assert "## identity" in system and "## task\nwater plants" in system
        assert recorded.headers["authorization"] == f"Bearer {fake_openai.key}"
    phases = rows(
        initialized.data_dir, "SELECT phase, provider, success FROM provider_attempts ORDER BY id"
    )
    assert phases == [("decide", "openai", 1), ("act", "openai", 1)]


def test_ollama_run_and_stream_ask(initialized: PraxisRunner, fake_ollama: FakeOllama) -> None:
    _set_backend(initialized, "ollama")
    fake_ollama.text = "streamed words arrive"
    result = initialized("ask", "--stream", "hello", env={**fake_ollama.env(), **DAY})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("streamed words arrive\n")
    assert fake_ollama.last.path == "/api/chat" and fake_ollama.last.json["stream"] is True
    run = initialized("run", "--once", "--task", "tidy", env={**fake_ollama.env(), **DAY})
    assert run.returncode == 0, run.stderr
    costs = rows(
        initialized.data_dir,
        "SELECT DISTINCT estimated_cost_micros, cost_known FROM provider_attempts",
    )
    assert costs == [(0, 1)]  # local routes cost 0


def test_router_fails_over_and_records_every_attempt(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic, fake_openai: FakeOpenAI
) -> None:
    _set_backend(initialized, "router")
    fake_anthropic.script("500", "500")
    fake_openai.text = "OpenAI saved the day"
    env = {**fake_anthropic.env(), **fake_openai.env(), **DAY}
    result = initialized("ask", "hi", env=env)
    assert result.returncode == 0, result.stderr
    assert result.lines()["answer"] == "OpenAI saved the day"
    attempts = rows(
        initialized.data_dir,
        "SELECT provider, success, error_class FROM provider_attempts ORDER BY id",
    )
    assert attempts == [("claude", 0, "transient")] * 2 + [("openai", 1, None)]


def test_all_routes_fail_session_is_provider_failed(
    initialized: PraxisRunner,
    fake_anthropic: FakeAnthropic,
    fake_openai: FakeOpenAI,
    fake_ollama: FakeOllama,
) -> None:
    _set_backend(initialized, "router")
    for fake in (fake_anthropic, fake_openai, fake_ollama):
        fake.script(*["500"] * 2)
    env = {**fake_anthropic.env(), **fake_openai.env(), **fake_ollama.env(), **DAY}
    result = initialized("run", "--once", env=env)
    assert result.returncode == 0, result.stderr
    assert result.lines()["outcome"] == "provider_failed"
    assert "all configured providers failed during decide" in result.lines()["summary"]
    assert rows(initialized.data_dir, "SELECT COUNT(*), SUM(success) FROM provider_attempts") == [
        (6, 0)
    ]
    assert "Outcome: provider_failed" in (initialized.data_dir / "JOURNAL.md").read_text()
    assert "provider failed" in (initialized.data_dir / "POSTMORTEMS.md").read_text()
    # The next run starts fresh instead of resuming into the same failure.
    again = initialized("run", "--once", env=env)
    assert again.lines()["resumed"] == "false"


def test_rate_limit_retry_after_is_honoured(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _set_backend(initialized, "claude")
    fake_anthropic.script("429")
    result = initialized("ask", "hi", env={**fake_anthropic.env(), **DAY})
    assert result.returncode == 0, result.stderr
    attempts = rows(
        initialized.data_dir,
        "SELECT success, error_class, latency_ms FROM provider_attempts ORDER BY id",
    )
    assert [(a[0], a[1]) for a in attempts] == [(0, "rate_limit"), (1, None)]
    assert len(fake_anthropic.requests) == 2


def test_auth_failure_is_not_retried_and_names_the_variable(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _set_backend(initialized, "claude")
    env = {**fake_anthropic.env(), "ANTHROPIC_API_KEY": "sk-ant-wrong-key-000000000000", **DAY}
    result = initialized("ask", "hi", env=env)
    assert result.returncode == 1
    assert len(fake_anthropic.requests) == 1
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert "sk-ant-wrong-key" not in result.stderr + result.stdout + _all_text(initialized)


def test_budget_blocks_the_call_that_could_cross_it(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _set_backend(initialized, "claude")
    budgets = initialized.data_dir / "budgets.toml"
    # Each ask's worst case: ~150 prompt tokens + 220 output at $3/$15 per million ≈ $0.0038;
    # the fake reports a full-length answer, so two asks cannot fit in $0.006.
    fake_anthropic.usage = (150, 220)
    budgets.write_text(budgets.read_text().replace("max_cost_usd = 2.0", "max_cost_usd = 0.006"))
    env = {**fake_anthropic.env(), **DAY}
    assert initialized("ask", "hi", env=env).returncode == 0
    blocked = initialized("ask", "hi", env=env)
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("error: daily budget blocked:")
    assert len(fake_anthropic.requests) == 1  # the blocked call was never made
    session = initialized("run", "--once", "--task", "x", env=env)
    assert session.lines()["outcome"] == "budget_exhausted"
    assert len(fake_anthropic.requests) == 1
    tomorrow = initialized("ask", "hi", env={**env, "PRAXIS_FIXED_NOW": "2026-05-02T12:00:00Z"})
    assert tomorrow.returncode == 0


def test_canary_checks_the_reply_and_the_freeze_gate(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic
) -> None:
    _set_backend(initialized, "claude", "freeze_on_model_regression = true")
    env = {**fake_anthropic.env(), **DAY}
    frozen = initialized("ask", "hi", env=env)
    assert frozen.returncode == 1
    assert "all configured remote provider models are frozen" in frozen.stderr
    fake_anthropic.text = "Sure! PraxisCanaryReady."
    wrong = initialized("canary", "run", env=env)
    assert wrong.returncode == 0, wrong.stderr
    assert "claude claude-3-5-sonnet-latest failed eval_failures=0" in wrong.stdout
    assert initialized("ask", "hi", env=env).returncode == 1
    fake_anthropic.text = "PraxisCanaryReady"
    good = initialized("canary", "run", env=env)
    assert "claude claude-3-5-sonnet-latest passed" in good.stdout
    assert initialized("ask", "hi", env=env).returncode == 0
    fake_anthropic.script("500", "500", "500")
    regressed = initialized("canary", "run", env=env)
    assert "regression: claude/claude-3-5-sonnet-latest" in regressed.stdout
    assert "canary:regression" in (initialized.data_dir / "events.jsonl").read_text()
    old = initialized("canary", "status", env={**env, "PRAXIS_FIXED_NOW": "2026-05-20T12:00:00Z"})
    assert "claude claude-3-5-sonnet-latest failed" in old.stdout
    session = initialized("run", "--once", "--task", "x", env=env)
    assert session.lines()["outcome"] == "provider_failed"
    assert "frozen" in session.lines()["summary"]


def test_no_key_anywhere(
    initialized: PraxisRunner, fake_anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    _set_backend(initialized, "claude")
    env = {**fake_anthropic.env(), **DAY}
    fake_anthropic.script("500")
    outputs = [
        initialized("ask", "hi", env=env),
        initialized("run", "--once", "--task", "x", env=env),
        initialized("status", env=env),
        initialized("doctor", env=env),
        initialized("usage", "--json", env=env),
        initialized("forensics", "latest", env=env),
    ]
    key = fake_anthropic.key
    assert key
    for result in outputs:
        assert key not in result.stdout + result.stderr
    assert key not in _all_text(initialized)
