"""`status`: the reference's `last_provider`, `last_tokens` and `token_hotspot` lines (§1.3), their
`--json` twins, and the one session number (the global session id, per-day count beside it)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from praxis.cli.root import cli
from tests.conftest import PraxisRunner, Result, use_backend
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.openai import FakeOpenAI
from tests.records import rows

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
NEXT_DAY = {"PRAXIS_FIXED_NOW": "2026-05-02T12:00:00Z"}
USAGE_KEYS = ["last_eval", "last_provider", "last_tokens", "token_hotspot"]


def _praxis(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """The click app in-process, as the installed command would run it."""
    outcome = CliRunner().invoke(
        cli, ["--data-dir", str(data_dir), *args], env={**DAY, **(env or {})}
    )
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        raise outcome.exception
    return Result(outcome.exit_code, outcome.stdout, outcome.stderr)


def _init(tmp_path: Path, backend: str = "stub") -> Path:
    data_dir = tmp_path / "data"
    assert _praxis(data_dir, "init", "--name", "Praxis", "--timezone", "UTC").returncode == 0
    if backend != "stub":
        use_backend(data_dir, backend)
    return data_dir


def test_stub_session_shows_provider_tokens_and_hotspot(tmp_path: Path) -> None:
    data_dir = _init(tmp_path)
    before = _praxis(data_dir, "status")
    assert before.returncode == 0, before.stderr
    assert not {"last_provider", "last_tokens", "token_hotspot"} & set(before.keys())

    run = _praxis(data_dir, "run", "--once")
    assert run.returncode == 0, run.stderr
    status = _praxis(data_dir, "status")
    assert status.returncode == 0, status.stderr
    values = status.lines()
    assert values["last_provider"] == "stub attempts=2 failures=0 tokens=0 est_cost_usd=0.000000"
    assert values["last_tokens"] == "total=0 est_cost_usd=0.000000"
    assert values["token_hotspot"] == "decide/stub tokens=0 est_cost_usd=0.000000"
    keys = status.keys()
    start = keys.index("last_eval")
    assert keys[start : start + len(USAGE_KEYS)] == USAGE_KEYS


def test_router_fallback_shows_the_provider_that_answered(
    tmp_path: Path, fake_anthropic: FakeAnthropic, fake_openai: FakeOpenAI
) -> None:
    data_dir = _init(tmp_path, "router")
    fake_anthropic.script(*["500"] * 8)  # the first route fails every try, in decide and act
    fake_openai.usage = (40, 10)
    env = {**fake_anthropic.env(), **fake_openai.env()}
    run = _praxis(data_dir, "run", "--once", "--task", "water plants", env=env)
    assert run.returncode == 0, run.stderr
    assert run.lines()["outcome"] == "task_selected"
    attempts = rows(data_dir, "SELECT phase, provider, success FROM provider_attempts ORDER BY id")
    failed = [a for a in attempts if a[2] == 0]
    assert failed and all(a[1] == "claude" for a in failed)
    assert attempts[-1] == ("act", "openai", 1)
    tokens = 2 * (40 + 10)  # decide and act answered by openai; failed tries report none
    cost = rows(data_dir, "SELECT SUM(estimated_cost_micros) FROM provider_attempts")[0][0]
    usd = f"{int(str(cost)) / 1_000_000:.6f}"

    values = _praxis(data_dir, "status", env=env).lines()
    assert values["last_provider"] == (
        f"openai attempts={len(attempts)} failures={len(failed)} tokens={tokens} est_cost_usd={usd}"
    )
    assert values["last_tokens"] == f"total={tokens} est_cost_usd={usd}"
    assert values["token_hotspot"].startswith("decide/openai tokens=50 est_cost_usd=")


def test_unpriced_remote_model_prints_unknown_cost(
    tmp_path: Path, fake_anthropic: FakeAnthropic
) -> None:
    data_dir = _init(tmp_path, "claude")
    providers = data_dir / "providers.toml"
    providers.write_text(
        providers.read_text().replace("claude-3-5-sonnet-latest", "claude-unpriced-test")
    )
    env = fake_anthropic.env()
    run = _praxis(data_dir, "run", "--once", "--task", "x", env=env)
    assert run.returncode == 0, run.stderr
    assert rows(data_dir, "SELECT DISTINCT cost_known FROM provider_attempts") == [(0,)]
    status = _praxis(data_dir, "status", env=env)
    values = status.lines()
    assert values["last_provider"] == "claude attempts=2 failures=0 tokens=38 est_cost_usd=unknown"
    assert values["last_tokens"] == "total=38 est_cost_usd=unknown"
    assert values["token_hotspot"] == "decide/claude tokens=19 est_cost_usd=unknown"
    data = json.loads(_praxis(data_dir, "status", "--json", env=env).stdout)
    assert data["last_provider"]["est_cost_usd"] is None
    assert data["last_tokens"] == {"session_id": 1, "total": 38, "est_cost_usd": None}


def test_status_json_carries_usage_and_session_id(initialized: PraxisRunner) -> None:
    # The installed command (status --json takes the click-free fast path).
    assert initialized("run", "--once", env=DAY).returncode == 0
    assert initialized("run", "--once", "--task", "x", env=DAY).returncode == 0
    data = json.loads(initialized("status", "--json", env=DAY).stdout)
    assert data["last_provider"] == {
        "session_id": 2,
        "provider": "stub",
        "attempts": 2,
        "failures": 0,
        "tokens": 0,
        "est_cost_usd": 0.0,
    }
    assert data["last_tokens"] == {"session_id": 2, "total": 0, "est_cost_usd": 0.0}
    assert data["token_hotspot"] == {
        "phase": "decide",
        "provider": "stub",
        "tokens": 0,
        "est_cost_usd": 0.0,
    }
    assert data["last_session"]["session_id"] == 2
    assert data["last_session"]["outcome"] == "task_selected"
    assert (data["last_session"]["day"], data["last_session"]["session_num"]) == (1, 2)


def test_last_session_is_the_global_session_id(tmp_path: Path) -> None:
    data_dir = _init(tmp_path)
    assert _praxis(data_dir, "run", "--once", "--task", "a").returncode == 0
    assert _praxis(data_dir, "run", "--once", "--task", "b", env=NEXT_DAY).returncode == 0
    assert rows(data_dir, "SELECT id, day, session_num FROM sessions ORDER BY id") == [
        (1, 1, 1),
        (2, 2, 1),
    ]
    values = _praxis(data_dir, "status", env=NEXT_DAY).lines()
    assert values["last_session"] == "#2 task_selected (day 2, session 1 of the day)"
    assert values["last_session"].split()[:2] == ["#2", "task_selected"]
    assert "- Session: #2" in (data_dir / "JOURNAL.md").read_text()
