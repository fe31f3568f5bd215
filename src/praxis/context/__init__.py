"""Context engine: token counting, budget allocation, anchor summaries, anatomy, adaptation.

The light pieces are re-exported here; `praxis.context.anatomy` (SQLite) and
`praxis.context.adaptive` (JSON file) are imported where they are used.
"""

from praxis.context.budget import BudgetedContext, ContextSource, Section, allocate
from praxis.context.summarize import summarize_preserving_anchors
from praxis.context.tokens import count_tokens, counter_for, family_for, tokenizer_name

__all__ = [
    "BudgetedContext",
    "ContextSource",
    "Section",
    "allocate",
    "count_tokens",
    "counter_for",
    "family_for",
    "summarize_preserving_anchors",
    "tokenizer_name",
]
