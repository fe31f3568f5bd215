"""Routes without tools, against the fake vendor servers over real sockets: `tools = false` in
providers.toml sends no tools; a 400 that names tools is retried once without them, recorded and
remembered in the data dir so a new process never sends tools to that route again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxis.config.budgets import Budgets
from praxis.config.loader import Config
from praxis.config.providers import parse_routes
from praxis.config.settings import AgentSettings, Settings
from praxis.config.toml_source import read_toml
from praxis.errors import ConfigError, ProviderFailed
from praxis.paths import DataDir
from praxis.providers.base import CompletionRequest, Message, Provider, ToolCall, ToolSpec
from praxis.providers.factory import build_provider
from praxis.providers.spend import CallLedger
from praxis.providers.tool_support import FILE_NAME
from tests.conftest import PraxisRunner, use_backend
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.base import FakeServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

SCHEMA = {"type": "object", "properties": {"argv": {"type": "array"}}}
TOOLS = (ToolSpec("shell", "Run a command", SCHEMA),)
VENDORS = ["openai-chat", "openai-responses", "claude", "ollama"]


def _request(tools: tuple[ToolSpec, ...] = TOOLS, *history: Message) -> CompletionRequest:
    messages = (*history, Message("user", "Work on G-001"))
    return CompletionRequest("act", "You are Praxis.", "", messages, 200, tools)


@pytest.fixture(params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(vendor: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    server: FakeServer
    if vendor == "claude":
        server = FakeAnthropic()
        monkeypatch.setenv("ANTHROPIC_API_KEY", server.key or "")
    elif vendor == "ollama":
        server = FakeOllama()
    else:
        server = FakeOpenAI()
        monkeypatch.setenv("OPENAI_API_KEY", server.key or "")
    yield server
    server.close()


def _route_toml(vendor: str, fake: FakeServer, extra: str = "") -> str:
    provider, _, api = vendor.partition("-")
    base = f"{fake.url}/v1" if provider == "openai" else fake.url
    lines = [
        "[[providers]]",
        f'provider = "{provider}"',
        'model = "gemma3:270m"',
        f'base_url = "{base}"',
    ]
    if api:
        lines.append(f'api = "{api}"')
    return "\n".join([*lines, extra, ""])


def _build(data_dir: DataDir, vendor: str) -> Provider:
    """A provider built from the files, as a new `praxis` process would build it."""
    routes = parse_routes(read_toml(data_dir.providers_toml))
    backend = vendor.partition("-")[0]
    settings = Settings(agent=AgentSettings(backend=backend))
    config = Config(settings, settings, routes, Budgets(), ())
    return build_provider(config, data_dir, "act")


def _data_dir(tmp_path: Path, toml: str) -> DataDir:
    data_dir = DataDir(tmp_path / "data")
    data_dir.root.mkdir()
    data_dir.providers_toml.write_text(toml)
    return data_dir


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_route_with_tools_false_never_sends_tools(
    tmp_path: Path, vendor: str, fake: FakeServer, stream: bool
) -> None:
    data_dir = _data_dir(tmp_path, _route_toml(vendor, fake, "tools = false"))
    provider = _build(data_dir, vendor)
    assert provider.supports_tools is False
    ledger = CallLedger()
    reply = provider.complete(_request(), ledger, (lambda _d: None) if stream else None)
    assert reply.text.startswith("Fake ")
    assert reply.tools_dropped is True
    assert len(fake.requests) == 1 and "tools" not in fake.last.json
    assert [a.success for a in ledger.attempts] == [True]
    # A request without tools is not "dropped"; nothing is remembered for a configured route.
    assert provider.complete(_request(())).tools_dropped is False
    assert not data_dir.file(FILE_NAME).exists()


def test_tool_history_is_sent_as_plain_text_to_a_route_without_tools(
    tmp_path: Path, vendor: str, fake: FakeServer
) -> None:
    data_dir = _data_dir(tmp_path, _route_toml(vendor, fake, "tools = false"))
    history = (
        Message("user", "Read the notes"),
        Message("assistant", "", tool_calls=(ToolCall("call_1", "shell", {"argv": ["ls"]}),)),
        Message("tool", "notes.txt", tool_call_id="call_1"),
    )
    reply = _build(data_dir, vendor).complete(_request(TOOLS, *history))
    assert reply.tools_dropped is True
    sent = json.dumps(fake.last.json)
    assert '"tools"' not in sent and "tool_call" not in sent and "tool_use" not in sent
    assert "notes.txt" in sent and '[called shell {\\"argv\\": [\\"ls\\"]}]' in sent


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_a_400_naming_tools_is_retried_once_without_them_and_remembered(
    tmp_path: Path, vendor: str, fake: FakeServer, stream: bool
) -> None:
    fake.reject_tools = True
    data_dir = _data_dir(tmp_path, _route_toml(vendor, fake))
    provider = _build(data_dir, vendor)
    assert provider.supports_tools is True
    ledger = CallLedger()
    reply = provider.complete(_request(), ledger, (lambda _d: None) if stream else None)

    assert reply.text.startswith("Fake ") and reply.tools_dropped is True
    assert ["tools" in r.json for r in fake.requests] == [True, False]
    failed, succeeded = ledger.attempts
    assert (failed.success, failed.error_class, succeeded.success) == (
        False,
        "invalid_request",
        True,
    )
    assert failed.error is not None and "support" in failed.error and "tool" in failed.error
    assert reply.attempts == (failed, succeeded)
    assert provider.supports_tools is False

    remembered = json.loads(data_dir.file(FILE_NAME).read_text())["routes"]
    assert [(r["provider"], r["model"]) for r in remembered] == [
        (vendor.partition("-")[0], "gemma3:270m")
    ]
    assert remembered[0]["base_url"].startswith(fake.url)

    # A later process: no tools at all, no failed attempt.
    again = _build(data_dir, vendor)
    assert again.supports_tools is False
    ledger = CallLedger()
    reply = again.complete(_request(), ledger)
    assert reply.tools_dropped is True
    assert len(fake.requests) == 3 and "tools" not in fake.last.json
    assert [a.success for a in ledger.attempts] == [True]


def test_the_memory_is_per_route(tmp_path: Path, fake_ollama: FakeOllama) -> None:
    fake_ollama.reject_tools = True
    data_dir = _data_dir(tmp_path, _route_toml("ollama", fake_ollama))
    _build(data_dir, "ollama").complete(_request())
    data_dir.providers_toml.write_text(
        _route_toml("ollama", fake_ollama).replace("gemma3:270m", "qwen3:4b")
    )
    other = _build(data_dir, "ollama")
    assert other.supports_tools is True  # another model on the same server is still offered tools
    assert other.complete(_request()).tools_dropped is True
    assert ["tools" in r.json for r in fake_ollama.requests] == [True, False, True, False]
    remembered = json.loads(data_dir.file(FILE_NAME).read_text())["routes"]
    assert [r["model"] for r in remembered] == ["gemma3:270m", "qwen3:4b"]


def test_a_400_that_does_not_name_tools_support_is_not_retried(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", fake_openai.key or "")
    data_dir = _data_dir(tmp_path, _route_toml("openai-chat", fake_openai))
    provider = _build(data_dir, "openai-chat")
    broken = (ToolSpec("", "no name", SCHEMA),)  # "Missing required parameter: 'tools[0]...'"
    ledger = CallLedger()
    with pytest.raises(ProviderFailed) as failed:
        provider.complete(_request(broken), ledger)
    assert len(fake_openai.requests) == 1
    assert [a.error_class for a in failed.value.attempts] == ["invalid_request"]
    assert "tools[0]" in (failed.value.attempts[0].error or "")
    assert provider.supports_tools is True
    assert not data_dir.file(FILE_NAME).exists()


def test_a_router_retries_the_rejecting_route_without_tools(
    tmp_path: Path,
    fake_ollama: FakeOllama,
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", fake_openai.key or "")
    fake_ollama.reject_tools = True
    toml = _route_toml("ollama", fake_ollama) + _route_toml("openai-chat", fake_openai)
    data_dir = _data_dir(tmp_path, toml)
    router = _build(data_dir, "router")
    assert router.supports_tools is True
    reply = router.complete(_request())
    assert (reply.provider, reply.tools_dropped) == ("ollama", True)
    assert fake_openai.requests == []  # the retry without tools answered; no failover needed
    assert router.supports_tools is True  # the OpenAI route still takes tools


def test_a_non_bool_tools_key_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "providers.toml"
    path.write_text('[[providers]]\nprovider = "ollama"\nmodel = "llama3.2"\ntools = "no"\n')
    with pytest.raises(ConfigError) as error:
        parse_routes(read_toml(path))
    assert str(error.value) == f"{path} line 4: providers.tools must be true or false"
    assert error.value.hint == "write tools = true or false"
    path.write_text('[[providers]]\nprovider = "ollama"\nmodel = "llama3.2"\ntools = false\n')
    assert [r.tools for r in parse_routes(read_toml(path))] == [False]


def test_doctor_names_the_routes_without_tools(
    initialized: PraxisRunner, fake_ollama: FakeOllama
) -> None:
    use_backend(initialized.data_dir, "router")
    toml = _route_toml("ollama", fake_ollama).replace("gemma3:270m", "qwen3:4b")
    toml += _route_toml("ollama", fake_ollama, "tools = false")
    initialized.data_dir.joinpath("providers.toml").write_text(toml)
    fake_ollama.reject_tools = True
    _build(DataDir(initialized.data_dir), "router").complete(_request())
    result = initialized("doctor", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["providers"]["message"] == (
        "2 usable route(s); tools off: ollama/qwen3:4b (server rejected tools), "
        "ollama/gemma3:270m (tools = false)"
    )
