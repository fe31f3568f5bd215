"""Boundaries: the operator's hard limits under `## Boundaries` in IDENTITY.md (reference §13).

The seed placeholder (`- No hard limits recorded yet.`) is not a rule. `add` inserts one line
into IDENTITY.md in place; the weekly review lives in boundary_review.json (review_state.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from praxis.identity.textfile import edit_in_place, require_text
from praxis.operator.md_sections import clean_entry, find_section, insert_item, split_keep
from praxis.operator.review_state import ReviewState, read_review_state
from praxis.paths import DataDir

SECTION = "Boundaries"
PLACEHOLDER = "No hard limits recorded yet."
_EMPTY_HINT = "pass the rule, e.g. `praxis boundaries add Never spend money without asking`"


class BoundaryView(NamedTuple):
    rules: tuple[str, ...]
    review: ReviewState
    due: bool


class AddedRule(NamedTuple):
    rule: str
    added: bool  # False: the same rule was already recorded


def rules_in(text: str) -> tuple[str, ...]:
    """The explicit rules: top-level `- ` items of `## Boundaries`, without the placeholder."""
    section = find_section(split_keep(text), SECTION)
    if section is None:
        return ()
    return tuple(item for _, item in section.items if item and item != PLACEHOLDER)


def show(data_dir: DataDir, now: datetime) -> BoundaryView:
    review = read_review_state(data_dir)
    return BoundaryView(rules_in(require_text(data_dir.identity_md)), review, review.due(now))


def add_rule(data_dir: DataDir, words: str) -> AddedRule:
    """Insert `- {rule}` at the end of the Boundaries list (section appended if missing)."""
    rule = clean_entry(words, "boundary rule", _EMPTY_HINT)

    def change(text: str) -> str | None:
        return None if rule in rules_in(text) else insert_item(text, SECTION, rule)

    return AddedRule(rule, edit_in_place(data_dir.identity_md, change))


def clean_note(note: str | None) -> str | None:
    """The review note: one line, or None when absent or blank."""
    if note is None or not note.strip():
        return None
    return clean_entry(note, "review note", "")


def confirm(data_dir: DataDir, note: str | None) -> ReviewState:
    """Record the weekly review as done now; the next one falls due 7 days later."""
    from praxis.operator.review_state import confirm_review

    return confirm_review(data_dir, clean_note(note))
