"""Review of `StreamRedactor` (ask --stream): a key shape split across stream pieces must come out
as redacting the whole text gives, also where the shape may begin inside a word (`…/bot<token>`,
`xauthorization:`, `x-api-key:`) and where the piece ends inside an upper-case name that still
becomes `NAME_API_KEY=` / `NAME_TOKEN=`."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from praxis.redact import MASK, StreamRedactor, redact

BOT_TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


def stream(pieces: list[str]) -> str:
    out: list[str] = []
    redactor = StreamRedactor(out.append)
    for piece in pieces:
        redactor.feed(piece)
    redactor.flush()
    return "".join(out)


def test_an_upper_case_name_cut_before_its_key_suffix_is_masked() -> None:
    assert stream(["use OPENAI_API", "_KEY=abcdefgh12345678 now"]) == (
        f"use OPENAI_API_KEY={MASK} now"
    )
    assert stream(["MY_SERVICE", "_TOKEN=zyxwvuts98765432 ok"]) == f"MY_SERVICE_TOKEN={MASK} ok"
    assert stream(["DB_", "PASSWORD=", "'hunter22", "hunter22' ok"]) == f"DB_PASSWORD='{MASK}' ok"


def test_a_bot_url_cut_after_its_slash_is_masked() -> None:
    text = f"see https://api.telegram.org/bot{BOT_TOKEN}/getMe now"
    cut = text.index("bot")
    written = stream([text[:cut], text[cut:]])
    assert written == redact(text) == f"see https://api.telegram.org/bot{MASK}/getMe now"
    assert BOT_TOKEN[10:] not in written


def test_a_header_name_that_starts_inside_a_word_is_masked() -> None:
    assert stream(["HTTP xx-", "api-key:abcdefghijk", "l end"]) == f"HTTP xx-api-key:{MASK} end"
    written = stream(["I x", "auth", "orization:B", "earer-less-toke", "n123x end"])
    assert written == f"I xauthorization:{MASK} end"


# Each shape with the secret part that redacting the whole text masks.
SHAPES = {
    "sk-proj-abcdefghij1234567890": "abcdefghij1234567890",
    BOT_TOKEN: BOT_TOKEN[10:],
    f"https://api.telegram.org/bot{BOT_TOKEN}/getMe": BOT_TOKEN[10:],
    "ghp_" + "A1b2C3d4E5" * 4: "A1b2C3d4E5" * 4,
    "AKIAABCDEFGHIJKLMNOP": "ABCDEFGHIJKLMNOP",
    "xoxb-1234567890-abcdefghij": "1234567890-abcdefghij",
    "OPENAI_API_KEY=abcdefgh12345678": "abcdefgh12345678",
    "MY_SERVICE_TOKEN=zyxwvuts98765432": "zyxwvuts98765432",
    "DB_PASSWORD='hunter22hunter22'": "hunter22hunter22",
    "x-api-key:abcdefghijkl": "abcdefghijkl",
    "authorization:Bearer-less-token123": "Bearer-less-token123",
}
words = st.sampled_from([*SHAPES, "the ", "water ", "I ", "OK ", "(", ") ", "\n", "x", "data "])


@given(st.lists(words, min_size=1, max_size=8), st.lists(st.integers(0, 400), max_size=6))
def test_no_split_lets_through_a_secret_that_the_whole_text_masks(
    parts: list[str], cuts: list[int]
) -> None:
    text = "".join(parts) + " end"
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    written = stream([text[a:b] for a, b in itertools.pairwise(bounds)])
    whole = redact(text)
    assert [v for v in SHAPES.values() if v in written and v not in whole] == []
