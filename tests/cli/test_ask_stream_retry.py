"""Issue 10: `ask --stream` never prints a retry's text after a cut stream's partial text.

The fake servers' "stream_error" mode streams an answer's deltas, then a vendor error event
instead of the end of the stream; the route retries (or the router fails over) and the next
attempt starts the answer over.
"""

from __future__ import annotations

from tests.conftest import InProcessRunner, use_backend
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.openai import FakeOpenAI

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
ANSWER = "The answer is 42."


def test_a_retry_starts_on_a_fresh_line_after_retrying(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    fake_openai.text = ANSWER
    fake_openai.script("stream_error", "ok")
    result = cli("ask", "--stream", "what is it?", env={**fake_openai.env(), **DAY})
    assert result.returncode == 0, result.stderr
    # The cut text ends its line; the retry's answer starts on its own line.
    assert result.stdout.splitlines()[:3] == [ANSWER, ANSWER, "mode: ask"]
    assert ANSWER + "T" not in result.stdout
    assert result.stderr.splitlines() == ["(retrying)"]
    assert result.lines()["backend"] == "openai"
    assert len(fake_openai.requests) == 2


def test_failover_to_the_next_route_starts_on_a_fresh_line(
    cli: InProcessRunner, fake_anthropic: FakeAnthropic, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "router")
    fake_anthropic.text = "Claude was cut"
    fake_anthropic.script("stream_error", "stream_error")  # both of its tries in a router
    fake_openai.text = ANSWER
    env = {**fake_anthropic.env(), **fake_openai.env(), **DAY}
    result = cli("ask", "--stream", "what is it?", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["Claude was cut", "Claude was cut", ANSWER]
    assert result.stderr.count("(retrying)") == 2
    assert "cutClaude" not in result.stdout and "cutThe" not in result.stdout


def test_a_stream_cut_on_every_try_ends_its_line_before_the_error(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    fake_openai.text = ANSWER
    fake_openai.script("stream_error", "stream_error", "stream_error")
    result = cli("ask", "--stream", "what is it?", env={**fake_openai.env(), **DAY})
    assert result.returncode == 1
    assert result.stdout == f"{ANSWER}\n{ANSWER}\n{ANSWER}\n"
    assert result.stderr.count("(retrying)") == 2
    assert "error: " in result.stderr


def test_an_uncut_stream_prints_the_answer_once(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    fake_openai.text = ANSWER
    result = cli("ask", "--stream", "what is it?", env={**fake_openai.env(), **DAY})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(ANSWER + "\nmode: ask\n")
    assert result.stderr == ""
