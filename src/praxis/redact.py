"""Redact secrets from any text Praxis prints or stores: one function for every boundary.

Two kinds of secret are masked with `[REDACTED]`:
- the VALUES of every secret Praxis knows: each route's `api_key_env`, the Telegram bot token, the
  dashboard token (environment or `.env`, looked up at each call so a changed environment counts),
  plus literal values registered from token files. `redact()` uses them by default, so no caller
  has to pass them; config loading registers the route names (`register_secrets`).
- common key SHAPES: `sk-…`, Telegram bot tokens, `Authorization` / `x-api-key` values, GitHub,
  AWS, Slack and Google keys, PEM private keys, `SOME_API_KEY=value` assignments.

Start-up cost matters (`praxis status` prints through here): each shape is compiled only when its
literal trigger occurs in the text, so plain output costs a few substring checks.

`StreamRedactor` does the same for text that arrives in pieces (`ask --stream`), where one secret
can be split across two pieces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MASK = "[REDACTED]"
# Registered values shorter than this are ignored: short strings ("admin", "12345") occur in
# ordinary text and masking them everywhere would do more harm than good (too many false hits).
MIN_SECRET_CHARS = 8
# Values passed explicitly by a caller (who knows they are secrets) only need this many.
MIN_EXPLICIT_CHARS = 6

_names: set[str] = set()  # variables whose values are secrets (beyond env.SECRET_NAMES)
_values: set[str] = set()  # literal values (token files, register_values)

_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _bot_token_trigger(text: str) -> bool:
    """A digit, a colon, then 30 token characters: the only texts worth the bot-token regex."""
    at = text.find(":")
    while at != -1:
        if at and text[at - 1].isdigit():
            tail = text[at + 1 : at + 31]
            if len(tail) == 30 and _TOKEN_CHARS.issuperset(tail):
                return True
        at = text.find(":", at + 1)
    return False


Trigger = tuple[str, ...] | Callable[[str], bool]

# (trigger, pattern, replacement). A tuple trigger is a set of literals, any of which must occur
# in the text (in the lower-cased text when the pattern is case-insensitive, `(?i)`); the
# replacement may keep group 1 (the `name:` part) with `\1`. No pattern consumes a quote or a
# backslash, so redacting JSON or TOML text keeps it valid.
_SHAPES: tuple[tuple[Trigger, str, str], ...] = (
    (("/bot",), r"/bot[0-9]{6,12}:[A-Za-z0-9_\-]+", "/bot" + MASK),
    (("sk-",), r"(?<![A-Za-z0-9])sk-(?:ant-)?[A-Za-z0-9_\-]{8,}", MASK),
    (_bot_token_trigger, r"\b\d{6,12}:[A-Za-z0-9_\-]{30,}\b", MASK),
    (("authorization",), r"(?i)(authorization\s*[:=]\s*)(?:bearer\s+)?[^\s\"',\\]+", r"\1" + MASK),
    (("x-api-key",), r"(?i)(x-api-key\s*[:=]\s*)[^\s\"',\\]+", r"\1" + MASK),
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})",
        MASK,
    ),
    (("AKIA", "ASIA"), r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", MASK),
    (("xox",), r"\bxox[abposr]-[A-Za-z0-9\-]{10,}", MASK),
    (("AIza",), r"\bAIza[0-9A-Za-z_\-]{35}", MASK),
    (
        ("PRIVATE KEY-----",),
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[^\"]*?-----END [A-Z ]*PRIVATE KEY-----",
        MASK,
    ),
    (
        ("KEY", "TOKEN", "SECRET", "PASSWORD"),
        r"\b([A-Z][A-Z0-9_]*(?:API_KEY|APIKEY|TOKEN|SECRET|PASSWORD)\s*=\s*[\"']?)[^\s\"'\\]{8,}",
        r"\1" + MASK,
    ),
)
_compiled: dict[str, re.Pattern[str]] = {}


def register_secrets(names: Iterable[str] = (), files: Iterable[Path] = ()) -> None:
    """Add variables whose values are secrets (e.g. each route's `api_key_env`) and token files
    whose contents are (e.g. the dashboard token). Process-wide; nothing is ever unregistered."""
    from praxis import env

    _names.update(n for n in names if n)
    register_values(env.secret_values(files=files))


def register_values(values: Iterable[str]) -> None:
    """The hook for any other secret a component holds (e.g. a token it generated)."""
    _values.update(v.strip() for v in values if len(v.strip()) >= MIN_SECRET_CHARS)


def known_secrets() -> tuple[str, ...]:
    """Every secret value known now (registered values + current env/.env values), longest first."""
    from praxis import env

    found = {v for v in env.secret_values(_names) if len(v) >= MIN_SECRET_CHARS} | _values
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace every known secret value, any value in `secrets`, and every key shape with
    `[REDACTED]`."""
    if not text:
        return text
    explicit = [s for s in secrets if s and len(s) >= MIN_EXPLICIT_CHARS]
    for secret in sorted({*explicit, *known_secrets()}, key=len, reverse=True):
        for form in _forms(secret):
            if form in text:
                text = text.replace(form, MASK)
    lowered: str | None = None
    for trigger, source, replacement in _SHAPES:
        if callable(trigger):
            if not trigger(text):
                continue
        else:
            haystack = text
            if source.startswith("(?i)"):
                lowered = text.lower() if lowered is None else lowered
                haystack = lowered
            if not any(literal in haystack for literal in trigger):
                continue
        pattern = _compiled.get(source)
        if pattern is None:
            pattern = _compiled[source] = re.compile(source)
        text = pattern.sub(replacement, text)
        lowered = None
    return text


def redact_value(value: Any) -> Any:
    """`redact` applied to every string inside JSON-like data (dict keys too)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_value(k): redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def _forms(secret: str) -> tuple[str, ...]:
    """The value as written, and as it appears inside JSON text when escaping changes it."""
    if secret.isascii() and secret.isprintable() and '"' not in secret and "\\" not in secret:
        return (secret,)
    import json

    escaped = {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    return (secret, *sorted(escaped - {secret}))


# A streamed word is held back whole, up to this many characters, while it could still grow into
# a key shape: it has a digit in it (a bot token), ends with an upper-case name (`OPENAI_API` may
# still become `OPENAI_API_KEY=…`), holds a shape's literal, or ends with the start of one where
# the shape may begin: anywhere in the word for the shapes with no boundary before them (`/bot…`,
# `authorization`, `x-api-key`) and for upper-case literals, else after a non-alphanumeric
# character. Shapes that span whitespace (`Authorization: Bearer …`, PEM) are not held.
MAX_WORD_HOLD = 512


@functools.cache
def _word_literals() -> tuple[tuple[str, ...], tuple[frozenset[str], ...], int]:
    """The shape literals a word can hold (those of case-insensitive shapes lower-cased); the
    proper starts of those literals in four tables: case-sensitive and lower-cased starts that may
    begin anywhere in a word, then case-sensitive and lower-cased ones that begin only after a
    non-alphanumeric character (the shape's regex starts with a boundary); the longest start.
    Built at the first streamed piece, not at import."""
    literals: list[str] = []
    groups: tuple[list[str], ...] = ([], [], [], [])
    for trigger, source, _ in _SHAPES:
        if callable(trigger):
            continue
        folded = source.startswith("(?i)")
        bounded = source.removeprefix("(?i)").startswith((r"\b", "(?<!"))
        for literal in trigger:
            if any(char.isspace() for char in literal):
                continue
            anywhere = not bounded or literal.isupper()  # upper-case: inside a name, `…_TOKEN=`
            literal = literal.lower() if folded else literal
            literals.append(literal)
            groups[(0 if anywhere else 2) + (1 if folded else 0)].append(literal)
    tables = tuple(
        frozenset(lit[:k] for lit in group for k in range(1, len(lit))) for group in groups
    )
    return tuple(literals), tables, max(len(start) for table in tables for start in table)


class StreamRedactor:
    """`redact` for text that arrives in pieces (a streamed answer), passed on to `write` as it
    arrives. One secret can be split across pieces, so the shortest tail that could still grow
    into one is held back: an ending that starts a known secret value (at most the longest
    value's length - 1 characters), or a trailing word that may be a key shape (`sk-…`, `ghp_…`,
    a bot token, `NAME_TOKEN=…`; see MAX_WORD_HOLD). What is released is redacted; `flush()`
    releases the rest, redacted (at the end of the stream, or of an attempt that failed)."""

    def __init__(self, write: Callable[[str], None], secrets: Iterable[str] = ()) -> None:
        self.write = write
        self.explicit = tuple(s for s in secrets if s and len(s) >= MIN_EXPLICIT_CHARS)
        self.forms: tuple[str, ...] | None = None  # the secrets known when the first piece comes
        self.pending = ""

    def feed(self, text: str) -> None:
        if self.forms is None:
            found = sorted({*self.explicit, *known_secrets()}, key=len, reverse=True)
            self.forms = tuple(form for secret in found for form in _forms(secret))
        self.pending += text
        self._release(self._safe_end(self.pending, self.forms))

    def flush(self) -> None:
        self._release(len(self.pending))

    def _release(self, end: int) -> None:
        if end:
            released, self.pending = self.pending[:end], self.pending[end:]
            self.write(redact(released, self.explicit))

    @staticmethod
    def _safe_end(text: str, forms: tuple[str, ...]) -> int:
        """Where the text that can be released ends (the rest could still become a secret)."""
        cut = min([_word_hold_start(text), *(_prefix_start(text, form) for form in forms)])
        moved = True
        while moved:  # a whole value (with a space in it) across the cut is held back whole
            moved = False
            for form in forms:
                at = text.find(form, max(0, cut - len(form) + 1))
                if at != -1 and at < cut:
                    cut, moved = at, True
        return cut


def _prefix_start(text: str, form: str) -> int:
    """Where the longest ending of `text` that begins `form` (but is shorter) starts; else its
    length."""
    at = text.find(form[0], max(0, len(text) - len(form) + 1))
    while at != -1:
        if form.startswith(text[at:]):
            return at
        at = text.find(form[0], at + 1)
    return len(text)


def _word_hold_start(text: str) -> int:
    """Where the trailing word starts if it may be (the start of) a key shape; else the end."""
    start, end = len(text), len(text)
    while start > 0 and end - start < MAX_WORD_HOLD and not text[start - 1].isspace():
        start -= 1
    if start == end or (end - start == MAX_WORD_HOLD and start and not text[start - 1].isspace()):
        return end  # no word, or one too long to hold: it goes out (redacted) as it is
    word = text[start:]
    return start if _may_grow_into_shape(word, word.lower()) else end


def _may_grow_into_shape(word: str, lowered: str) -> bool:
    if any(char.isdigit() for char in word):
        return True
    if re.search(r"\b[A-Z][A-Z0-9_]*\Z", word):  # a name that may still become `NAME_TOKEN=`
        return True
    literals, (exact, folded, exact_bounded, folded_bounded), longest = _word_literals()
    if any(lit in word or lit in lowered for lit in literals):
        return True
    for k in range(1, min(len(word), longest) + 1):
        end, lowered_end = word[-k:], lowered[-k:]
        if end in exact or lowered_end in folded:
            return True
        at_boundary = k == len(word) or not word[-k - 1].isalnum()
        if at_boundary and (end in exact_bounded or lowered_end in folded_bounded):
            return True
    return False
