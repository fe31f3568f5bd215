"""`praxis.text`: one line, and one rule for cutting a text to a limit with a mark."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praxis.ask.attachments import summarize as attachment_summary
from praxis.ask.prompt import parse_identity
from praxis.learning.sources import summarize as source_summary
from praxis.providers.http_errors import excerpt
from praxis.text import DOTS, ELLIPSIS, clip, one_line
from praxis.tools.approvals import ApprovalRequest

# Every whitespace character str.split() knows, line breaks of every kind among them.
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000"
texts = st.text(alphabet=st.sampled_from("ab é" + WHITESPACE) | st.characters(), max_size=80)


def test_one_line_collapses_every_whitespace_run_and_trims() -> None:
    assert one_line("  a\nb\t\t c\r\n\u2028d\x85e  ") == "a b c d e"
    assert one_line("\n \t") == ""


def test_one_line_with_a_limit_cuts_the_flattened_text() -> None:
    assert one_line("x" * 200, 10) == "xxxxxxx..."
    assert one_line("a\n\nb", 10) == "a b"


@pytest.mark.parametrize(
    ("text", "limit", "ellipsis", "expected"),
    [
        ("abcdef", 10, DOTS, "abcdef"),
        ("abcdef", 6, DOTS, "abcdef"),
        ("abcdefghij", 6, DOTS, "abc..."),
        ("ab  cdefgh", 6, DOTS, "ab..."),  # trailing whitespace goes before the mark
        ("abc", 2, DOTS, "ab"),  # no room for more than the mark: just the start
        ("ab cd", 3, DOTS, "ab"),
        ("abc", 0, DOTS, ""),
        ("abc", -1, DOTS, ""),
        ("abcdef", 4, ELLIPSIS, "abc…"),
        ("ab cdef", 4, ELLIPSIS, "ab…"),
        ("abc", 1, ELLIPSIS, "a"),
    ],
)
def test_clip(text: str, limit: int, ellipsis: str, expected: str) -> None:
    assert clip(text, limit, ellipsis) == expected


@given(texts, st.integers(min_value=-3, max_value=90), st.sampled_from([DOTS, ELLIPSIS]))
def test_clip_is_bounded_and_keeps_the_start(text: str, limit: int, ellipsis: str) -> None:
    cut = clip(text, limit, ellipsis)
    assert len(cut) <= max(limit, 0)
    if len(text) <= limit:
        assert cut == text
    else:
        assert text.startswith(cut.removesuffix(ellipsis))


@given(texts, st.none() | st.integers(min_value=0, max_value=90))
def test_one_line_is_one_bounded_line(text: str, limit: int | None) -> None:
    line = one_line(text, limit)
    assert "\n" not in line and len(line.splitlines()) <= 1
    assert line == line.strip()
    if limit is None:
        assert line.split() == text.split()
        assert one_line(line) == line
    else:
        assert len(line) <= limit


def _argument_line(text: str) -> str:
    request = ApprovalRequest(
        1, "shell", "-", "model", (), {"argv": [text]}, "pending", None, "t", "t"
    )
    return request.argument_line().removeprefix("argv=")


def _identity_role(text: str) -> str:
    return parse_identity(f"- Role: {text}\n", "Praxis", "UTC").role or ""


def _preview(text: str) -> str:
    return attachment_summary(text).partition("\nPreview:\n")[2]


# Each caller's limit, and a text whose cut ends just after a space: the one rule drops it.
CALLERS: list[tuple[str, Callable[[str], str], int, str]] = [
    ("approval argument line", _argument_line, 100 - len("argv="), DOTS),
    ("provider error excerpt", excerpt, 300, DOTS),
    ("ask identity field", _identity_role, 240, DOTS),
    ("learning source summary", source_summary, 1000, ELLIPSIS),
    ("ask attachment preview", _preview, 4000 + len(DOTS), DOTS),
]


@pytest.mark.parametrize(
    ("render", "limit", "mark"), [c[1:] for c in CALLERS], ids=[c[0] for c in CALLERS]
)
def test_every_caller_cuts_by_the_one_rule(
    render: Callable[[str], str], limit: int, mark: str
) -> None:
    kept = limit - len(mark) - 1
    assert render("a" * kept + " " + "b" * 10) == "a" * kept + mark
