"""`StreamRedactor`: streamed text is redacted even when a secret is split across pieces, and
everything else passes through as it arrives."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praxis.redact import MASK, MAX_WORD_HOLD, StreamRedactor, redact

SECRET = "hunter2-plain-value-0042"  # no key shape: only the known value masks it
PHRASE = "correct horse battery staple"  # a value with spaces in it


def stream(pieces: list[str], secrets: tuple[str, ...] = (SECRET, PHRASE)) -> list[str]:
    """What the redactor writes for `pieces`, one entry per write, flushed at the end."""
    out: list[str] = []
    redactor = StreamRedactor(out.append, secrets)
    for piece in pieces:
        redactor.feed(piece)
    redactor.flush()
    return out


def test_a_secret_split_across_pieces_is_masked() -> None:
    out = stream(["the key is hunter2-pl", "ain-value", "-0042, keep it"])
    assert "".join(out) == f"the key is {MASK}, keep it"
    assert not any(part in "".join(out) for part in ("hunter2", "ain-value", "0042"))


def test_a_secret_with_spaces_split_into_words_is_masked() -> None:
    out = stream(["say ", "correct ", "horse ", "battery ", "staple ", "twice"])
    assert "".join(out) == f"say {MASK} twice"


def test_plain_text_is_written_as_it_arrives() -> None:
    out: list[str] = []
    redactor = StreamRedactor(out.append, (SECRET,))
    for piece in ("Plants ", "need ", "water ", "daily."):
        redactor.feed(piece)
        assert out[-1] == piece  # nothing held back: no ending starts a secret
    assert redactor.pending == ""


def test_only_an_ending_that_starts_a_secret_waits() -> None:
    out: list[str] = []
    redactor = StreamRedactor(out.append, (SECRET,))
    redactor.feed("water the hun")
    assert out == ["water the "] and redactor.pending == "hun"
    redactor.feed("gry plants")  # not the secret after all: released at once
    assert "".join(out) == "water the hungry plants" and redactor.pending == ""


def test_the_held_back_tail_is_shorter_than_the_longest_secret() -> None:
    out: list[str] = []
    redactor = StreamRedactor(out.append, (SECRET, "hunter2-short"))
    redactor.feed("x " + SECRET[:-1])
    assert redactor.pending == SECRET[:-1]
    assert len(redactor.pending) == len(SECRET) - 1


def test_a_whole_secret_that_may_grow_into_a_longer_one_waits() -> None:
    longer = SECRET + "-and-more"
    out: list[str] = []
    redactor = StreamRedactor(out.append, (SECRET, longer))
    redactor.feed("x " + SECRET)
    assert redactor.pending == SECRET  # it may still be the start of `longer`
    redactor.feed("-and-more.")
    redactor.flush()
    assert "".join(out) == f"x {MASK}."


def test_flush_releases_the_held_back_tail_redacted() -> None:
    out = stream(["ends with hunter2-plain"])
    assert "".join(out) == "ends with hunter2-plain"  # only a start of the secret: not masked
    out = stream(["ends with ", "correct horse battery"])
    assert out[-1] == "correct horse battery"
    out = stream(["ends with ", PHRASE])
    assert "".join(out) == f"ends with {MASK}"


def test_a_key_shape_split_across_pieces_is_masked_whole() -> None:
    key = "sk-proj-" + "a1B2c3D4e5F6g7H8i9J0" * 2
    pieces = ["use ", key[:2], key[2:9], key[9:20], key[20:], " now"]
    out = stream(pieces, secrets=())
    assert "".join(out) == f"use {MASK} now"
    assert not any(key[20:30] in part for part in out)  # no tail of the key after the mask


def test_known_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    assert "".join(stream(["key ", SECRET[:5], SECRET[5:]], secrets=())) == f"key {MASK}"


def test_an_endless_word_is_not_held_forever() -> None:
    out: list[str] = []
    redactor = StreamRedactor(out.append, ())
    redactor.feed("x sk-" + "a" * (2 * MAX_WORD_HOLD))
    assert len(redactor.pending) <= MAX_WORD_HOLD
    assert out and out[0].startswith("x ")


words = st.sampled_from(["water ", "the ", "hunter ", "hun", "sk-", "42 ", "\n", SECRET, PHRASE])


@given(st.lists(words, max_size=12), st.lists(st.integers(0, 400), max_size=8))
def test_any_split_writes_what_redacting_the_whole_text_gives(
    parts: list[str], cuts: list[int]
) -> None:
    text = " ".join(parts)
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    written = "".join(stream(pieces))
    assert written == redact(text, (SECRET, PHRASE))
    assert SECRET not in written and PHRASE not in written
