"""Issue 10: replies are bounded (`agent.max_reply_bytes`). A reply larger than the limit is not
read on: the attempt fails as a malformed reply (no retry), and nothing of it is stored."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from praxis.errors import CallError
from praxis.providers.adapter import Adapter, limit_replies
from praxis.providers.base import CompletionRequest, Message
from praxis.providers.claude import ClaudeAdapter
from praxis.providers.ollama import OllamaAdapter
from praxis.providers.openai import OpenAIAdapter
from tests.conftest import InProcessRunner
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.base import FakeServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

REQUEST = CompletionRequest("ask", "Be brief.", "ctx", (Message("user", "hello"),), 64)
DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
LIMIT = 10_000

VENDORS: dict[str, tuple[Callable[[], FakeServer], Callable[[str, str | None], Adapter]]] = {
    "claude": (FakeAnthropic, lambda url, key: ClaudeAdapter("m", url, key or "", None, 5.0)),
    "openai-chat": (
        FakeOpenAI,
        lambda url, key: OpenAIAdapter("m", f"{url}/v1", key, None, 5.0, "chat"),
    ),
    "openai-responses": (
        FakeOpenAI,
        lambda url, key: OpenAIAdapter("m", f"{url}/v1", key, None, 5.0, "responses"),
    ),
    "ollama": (FakeOllama, lambda url, key: OllamaAdapter("m", url, 5.0)),
}


@pytest.fixture(params=sorted(VENDORS))
def vendor(request: pytest.FixtureRequest) -> Iterator[tuple[FakeServer, Adapter]]:
    make_fake, make_adapter = VENDORS[request.param]
    fake = make_fake()
    adapter = make_adapter(fake.url, fake.key)
    limit_replies(adapter, LIMIT)
    yield fake, adapter
    adapter.close()
    fake.close()


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_a_reply_over_the_limit_fails_as_malformed(
    vendor: tuple[FakeServer, Adapter], stream: bool
) -> None:
    fake, adapter = vendor
    fake.text = ("x" * 99 + " ") * 120  # 12,000 bytes of text: over the limit however framed
    deltas: list[str] = []
    with pytest.raises(CallError) as caught:
        adapter.call(REQUEST, deltas.append if stream else None)
    assert caught.value.error_class == "malformed_reply"
    assert "larger than agent.max_reply_bytes (10000 bytes)" in caught.value.message
    assert "max_reply_bytes" in (caught.value.hint or "")
    assert len("".join(deltas)) <= LIMIT


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_a_reply_under_the_limit_is_read_whole(
    vendor: tuple[FakeServer, Adapter], stream: bool
) -> None:
    fake, adapter = vendor
    fake.text = "short answer"
    deltas: list[str] = []
    result = adapter.call(REQUEST, deltas.append if stream else None)
    assert result.text == "short answer"


def test_a_large_error_body_is_still_a_status_error(
    vendor: tuple[FakeServer, Adapter], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, adapter = vendor
    huge = "E" * (LIMIT * 3)
    original = fake.error
    monkeypatch.setattr(
        fake,
        "error",
        lambda status, request: original(status, request)._replace(body=[huge.encode()]),
    )
    fake.script("500", "500")
    with pytest.raises(CallError) as caught:
        adapter.call(REQUEST)
    assert caught.value.error_class == "transient" and caught.value.status == 500
    with pytest.raises(CallError) as streamed:
        adapter.call(REQUEST, lambda text: None)
    assert streamed.value.status == 500


def test_a_20_mb_reply_is_cut_off_quickly(fake_openai: FakeOpenAI) -> None:
    adapter = OpenAIAdapter("m", f"{fake_openai.url}/v1", fake_openai.key, None, 30.0, "chat")
    fake_openai.text = "x" * 20_000_000
    started = time.monotonic()
    with pytest.raises(CallError) as caught:
        adapter.call(REQUEST)  # the default limit, 200,000 bytes
    assert "(200000 bytes)" in caught.value.message
    assert time.monotonic() - started < 10
    adapter.close()


def _configure(data_dir: Path, limit: int) -> None:
    config = data_dir / "praxis.toml"
    text = config.read_text().replace('backend = "stub"', 'backend = "openai"')
    text = text.replace("max_reply_bytes = 200000", f"max_reply_bytes = {limit}")
    config.write_text(text)


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_the_setting_bounds_ask_and_nothing_of_the_reply_is_kept(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    _configure(cli.data_dir, 5_000)
    fake_openai.text = "SECRETBULK " * 1_000
    result = cli("ask", "hello", env={**fake_openai.env(), **DAY})
    assert result.returncode == 1
    assert "larger than agent.max_reply_bytes (5000 bytes)" in result.stderr
    assert len(fake_openai.requests) == 1  # a malformed reply is not retried
    assert b"SECRETBULK" not in _all_bytes(cli.data_dir)
    with sqlite3.connect(cli.data_dir / "praxis.db") as conn:
        attempts = conn.execute("SELECT success, error_class FROM provider_attempts").fetchall()
    assert attempts == [(0, "malformed_reply")]  # the attempt is on the ledger, its reply is not


def test_the_setting_is_validated(cli: InProcessRunner) -> None:
    _configure(cli.data_dir, 0)
    result = cli("status")
    assert result.returncode == 2
    assert "agent.max_reply_bytes must be greater than 0" in result.stderr
    assert "praxis.toml" in result.stderr
