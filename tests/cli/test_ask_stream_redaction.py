"""`ask --stream` redacts what it prints like every other output, also a secret the model streams
split across pieces (the fakes stream an answer word by word), when the stream is cut, and when a
retry starts the answer over."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import InProcessRunner, PraxisRunner, use_backend
from tests.fakes.openai import FAKE_OPENAI_KEY, FakeOpenAI

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
PHRASE = "correct horse battery staple"  # the dashboard token, in the data dir's .env
ANSWER = f"Your token is {PHRASE}, keep it safe."
SHOWN = "Your token is [REDACTED], keep it safe."
CUT = "It starts with correct horse"  # ends with the start of the secret: held back, then flushed


def keep_secret(data_dir: Path) -> None:
    dotenv = data_dir / ".env"
    dotenv.write_text(f"PRAXIS_DASHBOARD_TOKEN={PHRASE}\n")
    dotenv.chmod(0o600)


def ask_stream(cli: InProcessRunner, fake: FakeOpenAI, text: str, *modes: str) -> tuple[str, str]:
    use_backend(cli.data_dir, "openai")
    keep_secret(cli.data_dir)
    fake.text = text
    fake.script(*modes)
    result = cli("ask", "--stream", "what is my token?", env={**fake.env(), **DAY})
    assert PHRASE not in result.stdout + result.stderr
    assert "horse battery" not in result.stdout  # no part of it went out before the rest came
    return result.stdout, result.stderr


def test_a_secret_split_across_pieces_is_printed_redacted(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    stdout, stderr = ask_stream(cli, fake_openai, ANSWER)
    assert stdout.splitlines()[:2] == [SHOWN, "mode: ask"]
    assert stderr == ""


def test_the_api_key_the_model_echoes_is_redacted(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    use_backend(cli.data_dir, "openai")
    fake_openai.text = f"The key is {FAKE_OPENAI_KEY}."
    result = cli("ask", "--stream", "what is the key?", env={**fake_openai.env(), **DAY})
    assert result.returncode == 0, result.stderr
    assert FAKE_OPENAI_KEY not in result.stdout
    assert result.stdout.startswith("The key is [REDACTED].\n")


def test_a_cut_stream_is_redacted_and_its_held_back_tail_printed(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    stdout, stderr = ask_stream(cli, fake_openai, ANSWER, *["stream_error"] * 3)
    assert stdout == f"{SHOWN}\n" * 3
    assert stderr.count("(retrying)") == 2 and "error: " in stderr
    stdout, _ = ask_stream(cli, fake_openai, CUT, *["stream_error"] * 3)
    assert stdout == f"{CUT}\n" * 3  # the held-back "correct horse" each time, once


def test_a_retry_starts_over_without_repeating_the_held_back_tail(
    cli: InProcessRunner, fake_openai: FakeOpenAI
) -> None:
    stdout, stderr = ask_stream(cli, fake_openai, CUT, "stream_error", "ok")
    assert stdout.splitlines()[:3] == [CUT, CUT, "mode: ask"]
    assert stderr == "(retrying)\n"


def test_the_held_back_tail_is_printed_before_the_error(
    initialized: PraxisRunner, fake_openai: FakeOpenAI
) -> None:
    # A real process: the order of stdout and stderr on one terminal is what is under test.
    use_backend(initialized.data_dir, "openai")
    keep_secret(initialized.data_dir)
    fake_openai.text = CUT
    fake_openai.script(*["stream_error"] * 3)
    env = {**fake_openai.env(), **DAY}
    proc = initialized.popen("ask", "--stream", "what is it?", env=env, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    lines = out.splitlines()
    assert lines[:5] == [CUT, "(retrying)", CUT, "(retrying)", CUT]
    assert lines[5].startswith("error: ")
