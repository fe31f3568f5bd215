"""Settle rules: what a reply's reported usage may charge (negative, non-integer and absurd
counts are refused and the attempt is charged at its worst-case estimate)."""

from __future__ import annotations

import pytest

from praxis.errors import BudgetExceeded
from praxis.providers.base import Attempt
from praxis.providers.settle import MAX_REPORTED_TOKENS, charge, refusal
from praxis.providers.spend import CallLedger, SpendLimit


def _attempt(input_tokens: object, output_tokens: object, cost: object = 10) -> Attempt:
    return Attempt("ask", "openai", "m", True, input_tokens, output_tokens, cost)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reported", "why"),
    [
        ((12, 7), None),
        ((0, 0), None),
        ((3000, 1000), None),  # exactly 10x the estimate of 400 is still believed
        ((-500, 7), "a count is negative"),
        ((12, -1), "a count is negative"),
        ((12.5, 7), "a count is not an integer"),
        ((True, 7), "a count is not an integer"),
        ((None, 7), "a count is not an integer"),
        (("12", 7), "a count is not an integer"),
        ((4001, 0), "more than 10x the estimate of 400"),
        ((MAX_REPORTED_TOKENS, 1), "more than 10,000,000 tokens"),
    ],
)
def test_refusal(reported: tuple[object, object], why: str | None) -> None:
    assert refusal(*reported, estimate_tokens=400) == why


def test_refusal_beyond_ten_million_even_with_a_huge_estimate() -> None:
    assert refusal(MAX_REPORTED_TOKENS, 1, 100_000_000) == "more than 10,000,000 tokens"
    assert refusal(MAX_REPORTED_TOKENS, 0, 100_000_000) is None


def test_accepted_usage_is_charged_as_reported() -> None:
    attempt = _attempt(12, 7)
    assert charge(attempt, 400, 900) == (attempt, None)


def test_refused_usage_is_charged_at_the_estimate_and_says_why() -> None:
    charged, note = charge(_attempt(-500, 7, cost=-1000), 400, 900)
    assert (charged.input_tokens, charged.output_tokens, charged.cost_micros) == (400, 0, 900)
    assert note is not None
    assert "in=-500 out=7" in note and "a count is negative" in note and "estimate" in note


def test_a_negative_cost_is_refused_too() -> None:
    charged, note = charge(_attempt(12, 7, cost=-5), 400, 900)
    assert charged.cost_micros == 900 and note is not None and "cost" in note


def test_in_memory_ledger_never_lowers_spend_with_negative_counts() -> None:
    ledger = CallLedger([SpendLimit("ask", 0, 0, 0, 1_000, 1_000_000)])
    ledger.check(400, 0)
    ledger.record(_attempt(-500, 7, cost=0))
    assert ledger.attempts[0].input_tokens + ledger.attempts[0].output_tokens == 400
    assert ledger.notes[0] is not None
    ledger.check(400, 0)
    ledger.record(_attempt(300, 200, cost=0))
    # 400 + 500 spent: one more worst case does not fit (with -493 believed, 7 + 400 would).
    with pytest.raises(BudgetExceeded, match="ask budget blocked"):
        ledger.check(400, 0)


def test_an_attempt_recorded_without_a_check_is_charged_as_reported() -> None:
    """A frozen route or the stub reserves nothing; their attempts are written as they are."""
    ledger = CallLedger()
    frozen = Attempt("decide", "claude", "m", False, error="frozen: x", error_class="frozen")
    ledger.record(frozen)
    assert ledger.attempts == [frozen] and ledger.notes == [None] and ledger.row_ids == [None]
