"""`praxis ask`: stateless answers, attachments, the ask budget, and a data dir left untouched."""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.ask.prompt import parse_identity, render_preamble
from praxis.ask.service import estimate_ask_tokens, prepare_ask
from praxis.paths import DataDir
from tests.conftest import PraxisRunner, use_backend

ASK_ONLY_BUDGET = "[ask]\nmax_attempts = 1\nmax_tokens = {tokens}\nmax_cost_usd = 0.05\n"


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `root`: kind, content hash, inode and mtime (catches atomic rewrites)."""
    entries: dict[str, tuple[object, ...]] = {".": ("dir", root.stat().st_mtime_ns)}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
            kind = "dir" if path.is_dir() else "file"
            entries[str(path.relative_to(root))] = (kind, digest, info.st_ino, info.st_mtime_ns)
    return entries


def write_budget(runner: PraxisRunner, tokens: int) -> None:
    (runner.data_dir / "budgets.toml").write_text(ASK_ONLY_BUDGET.format(tokens=tokens))


def estimate_for(runner: PraxisRunner, *words: str, files: tuple[str, ...] = ()) -> int:
    app = Praxis(DataDir(runner.data_dir))
    _, _, request = prepare_ask(app.config, app.data_dir, words, files, "chunk")
    return estimate_ask_tokens(request)


def test_ask_prints_the_original_lines(initialized: PraxisRunner) -> None:
    result = initialized("ask", "hi", "there")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "mode: ask",
        "backend: stub",
        "stateful: false",
        "attachments: 0",
        "prompt: hi there",
        "answer: Stub backend answered without creating a session: hi there",
    ]
    assert result.stderr == ""


def test_ask_json(initialized: PraxisRunner) -> None:
    result = initialized("ask", "--json", "--stream", "  hi  ")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "answer": "Stub backend answered without creating a session: hi",
        "backend": "stub",
        "model": "stub",
        "tokens": 0,
        "est_cost_usd": 0.0,
    }


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "hi"),
        ("ask", "--json", "--stream", "hi"),
        ("ask", "--file", "{outside}", "summarize", "this"),
        ("ask", "--file", "{data}/GOALS.md", "what", "next?"),
        ("ask", "   "),
        ("ask", "x" * 4000),  # blocked by the ask budget
    ],
)
def test_ask_changes_nothing_in_the_data_dir(
    initialized: PraxisRunner, tmp_path: Path, args: tuple[str, ...]
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n- a note\n", encoding="utf-8")
    before = snapshot(initialized.data_dir)
    argv = [a.format(outside=outside, data=initialized.data_dir) for a in args]
    result = initialized(*argv)
    assert result.returncode in (0, 1, 2)
    after = snapshot(initialized.data_dir)
    assert after == before
    assert not any(name.endswith(("-wal", "-shm", "-journal")) for name in after)


def test_ask_on_an_uninitialized_dir(praxis: PraxisRunner) -> None:
    result = praxis("ask", "hi")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: Praxis is not initialized in {praxis.data_dir}.",
        f"hint: run `praxis --data-dir {praxis.data_dir} init` first",
    ]
    assert result.stdout == ""
    assert not praxis.data_dir.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "", " "), "ask prompt must not be empty"),
        (
            ("ask", "--attachment-policy", "truncate", "hi"),
            "attachment policy must be one of reject, chunk, or summarize",
        ),
    ],
)
def test_bad_input_exits_2(initialized: PraxisRunner, args: tuple[str, ...], message: str) -> None:
    result = initialized(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"error: {message}"
    assert result.stdout == ""


def test_missing_prompt_is_a_usage_error(initialized: PraxisRunner) -> None:
    result = initialized("ask")
    assert result.returncode == 2
    assert "PROMPT" in result.stderr


def test_attachment_is_part_of_the_prompt(initialized: PraxisRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n- buy milk", encoding="utf-8")
    result = initialized("ask", "--file", str(notes), "summarize")
    assert result.returncode == 0, result.stderr
    prompt = f"summarize\n\nAttached files:\nAttachment {notes}:\n# Notes\n- buy milk"
    assert result.stdout.splitlines() == [
        "mode: ask",
        "backend: stub",
        "stateful: false",
        "attachments: 1",
        *f"prompt: {prompt}".splitlines(),
        *f"answer: Stub backend answered without creating a session: {prompt}".splitlines(),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"a" * 100_001,
            "{path} exceeds 100000 bytes; rerun with --attachment-policy chunk or summarize",
        ),
        (b"\xff\xfe bad", "{path} is not valid UTF-8 text"),
    ],
)
def test_refused_attachments_exit_2(
    initialized: PraxisRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    result = initialized("ask", "--file", str(path), "hi")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: " + message.format(path=path)


def test_hostile_file_paths_exit_2_without_hanging(
    initialized: PraxisRunner, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, message in [
        (fifo, f"{fifo} is a FIFO, not a regular file"),
        (tmp_path, f"{tmp_path} is a directory, not a regular file"),
        (Path("/dev/zero"), "/dev/zero is a device, not a regular file"),
        (tmp_path / "missing.md", f"{tmp_path / 'missing.md'} does not exist"),
    ]:
        result = initialized("ask", "--file", str(path), "hi")
        assert result.returncode == 2, path
        assert result.stderr.splitlines()[0] == f"error: {message}"


def test_chunked_attachment_reaches_the_model(initialized: PraxisRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("é" * 60_000, encoding="utf-8")  # 120,000 bytes
    write_budget(initialized, 1_000_000)
    result = initialized("ask", "--attachment-policy", "chunk", "--file", str(big), "read")
    assert result.returncode == 0, result.stderr
    assert (
        f"Attachment {big} exceeded 100000 bytes (120000 bytes); chunked into 3 part(s)."
        in result.stdout
    )
    assert [line for line in result.stdout.splitlines() if line.startswith("[chunk")] == [
        "[chunk 1/3]",
        "[chunk 2/3]",
        "[chunk 3/3]",
        "[chunk 1/3]",
        "[chunk 2/3]",
        "[chunk 3/3]",
    ]  # once in `prompt:`, once echoed by the stub in `answer:`


def test_ask_budget_uses_the_real_estimate(initialized: PraxisRunner) -> None:
    words = ("please", "answer", "this")
    estimate = estimate_for(initialized, *words)
    write_budget(initialized, estimate)
    assert initialized("ask", *words).returncode == 0
    write_budget(initialized, estimate - 1)
    blocked = initialized("ask", *words)
    assert blocked.returncode == 1
    assert blocked.stdout == ""
    assert blocked.stderr.splitlines()[0] == (
        f"error: ask budget blocked: estimated_tokens={estimate}/{estimate - 1} "
        "max_attempts=1 max_cost_usd=0.050000"
    )
    assert blocked.stderr.splitlines()[1].startswith("hint: ")


def test_ask_budget_blocks_a_prompt_that_could_cross_it(initialized: PraxisRunner) -> None:
    budgets = initialized.data_dir / "budgets.toml"
    budgets.write_text(budgets.read_text().replace("max_tokens = 30000", "max_tokens = 600"))
    result = initialized("ask", "word " * 500)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ask budget blocked: estimated_tokens=")
    assert "/600 max_attempts=6 max_cost_usd=0.100000" in result.stderr
    assert initialized("ask", "word " * 50).returncode == 0


def test_prompt_for_hi_is_small_and_carries_the_identity(initialized: PraxisRunner) -> None:
    app = Praxis(DataDir(initialized.data_dir))
    prompt, count, request = prepare_ask(app.config, app.data_dir, ["hi"], [], "reject")
    assert (prompt, count) == ("hi", 0)
    text = request.prompt_text()
    assert math.ceil(len(text) / 4) == request.prompt_tokens() <= 1000
    assert estimate_ask_tokens(request) == request.prompt_tokens() + 220
    assert request.phase == "ask" and request.max_output_tokens == 220
    assert request.tools == ()
    assert request.messages[-1].content == "Operator question or one-shot request:\nhi"
    for line in (
        "- Name: Praxis",
        "- Timezone: UTC",
        "- Role: A local Praxis instance in foundation mode.",
        "Boundaries: none recorded",
    ):
        assert line in request.context
    assert "No hard limits recorded yet." not in text


def test_preamble_lists_boundaries_and_skips_the_placeholder() -> None:
    text = (
        "# Identity\n\n- Name: Ada\n- Timezone: Europe/Berlin\n- Role: Research aide\n\n"
        "## Boundaries\n- No hard limits recorded yet.\n- Never email anyone.\n"
        "- Never spend money.\n\n## Notes\n- Not a boundary.\n"
    )
    identity = parse_identity(text, "Fallback", "UTC")
    assert identity.boundaries == ("Never email anyone.", "Never spend money.")
    assert render_preamble(identity) == (
        "Identity:\n- Name: Ada\n- Timezone: Europe/Berlin\n- Role: Research aide\n"
        "Boundaries (hard limits):\n- Never email anyone.\n- Never spend money."
    )
    fallback = parse_identity("", "Praxis", "UTC")
    assert render_preamble(fallback) == (
        "Identity:\n- Name: Praxis\n- Timezone: UTC\nBoundaries: none recorded"
    )


def test_remote_backend_without_key_fails_naming_the_variable(initialized: PraxisRunner) -> None:
    use_backend(initialized.data_dir, "claude")
    result = initialized("ask", "hi")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "error: all configured providers failed during ask"
    assert "ANTHROPIC_API_KEY is required for the Claude provider" in result.stderr


def test_stub_ask_imports_no_heavy_modules(initialized: PraxisRunner) -> None:
    data_dir = str(initialized.data_dir)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "praxis", "--data-dir", data_dir, "ask", "hi"],
        capture_output=True,
        text=True,
        env=initialized.env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "praxis.ask.service" in modules
    heavy = {"httpx", "pydantic", "rich", "starlette", "jinja2", "praxis.storage"}
    assert not heavy & modules
