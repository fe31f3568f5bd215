"""Budget allocation: fit the context sources into the token budget, by priority.

As the original (reference §6.2), fixed: percentages are normalised so they never sum past 1,
and the RENDERED context (headers and blank-line separators included) is guaranteed to count
at most `total` tokens with the counter used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from praxis.config.settings import BudgetEntry
from praxis.context.summarize import anchor_summary
from praxis.context.tokens import Counter, chars_estimate

SEPARATOR = "\n\n"


@dataclass(frozen=True)
class ContextSource:
    name: str
    content: str


@dataclass(frozen=True)
class Section:
    name: str
    content: str
    tokens: int  # tokens of `content` alone
    summarized: bool
    cap: int = 0  # this source's cap (header included) when it was allocated

    def render(self) -> str:
        return f"## {self.name}\n{self.content}"


@dataclass(frozen=True)
class BudgetedContext:
    total: int
    used: int  # tokens of render(), headers and separators included
    sections: tuple[Section, ...]
    dropped: tuple[str, ...]

    def render(self) -> str:
        return render_sections(self.sections)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(section.name for section in self.sections)

    def summary_line(self, open_goals: int, repeated_reads: int) -> str:
        """The orientation summary, in the original's words."""
        included = ", ".join(
            f"{s.name} (summarized)" if s.summarized else s.name for s in self.sections
        )
        dropped = ", ".join(self.dropped)
        return (
            f"Loaded {open_goals} open goals. Context used {self.used}/{self.total} tokens. "
            f"Included: {included or 'none'}. Dropped: {dropped or 'none'}. "
            f"Repeated reads avoided: {repeated_reads}."
        )


def render_sections(sections: Sequence[Section]) -> str:
    return SEPARATOR.join(section.render() for section in sections)


def round_half_up(value: float) -> int:
    """Rust's f64::round for non-negative values (Python's round() rounds half to even)."""
    return math.floor(value + 0.5)


def total_budget(window_tokens: int, ceiling_pct: float) -> int:
    return max(1, round_half_up(window_tokens * ceiling_pct))


def effective_pcts(
    entries: Sequence[BudgetEntry], weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Each source's share after weights, scaled down proportionally if they sum past 1."""
    pcts: dict[str, float] = {}
    for entry in entries:
        if entry.source in pcts:
            continue  # a repeated source keeps its first entry
        weight = weights.get(entry.source, 1.0) if weights else 1.0
        if not math.isfinite(weight):
            weight = 1.0  # a corrupt weight must not poison every cap
        pcts[entry.source] = max(entry.max_pct * weight, 0.0)
    total = sum(pcts.values())
    if total > 1.0:
        pcts = {name: pct / total for name, pct in pcts.items()}
    return pcts


def _ordered(entries: Sequence[BudgetEntry]) -> list[BudgetEntry]:
    seen: set[str] = set()
    unique: list[BudgetEntry] = []
    for entry in sorted(entries, key=lambda e: e.priority):  # stable for equal priorities
        if entry.source not in seen:
            seen.add(entry.source)
            unique.append(entry)
    return unique


def _fit(
    name: str, content: str, cap: int, counter: Counter, first: bool
) -> tuple[Section, int] | None:
    """The section for `content` and its cost within `cap` tokens, header included; or None."""
    header = counter(f"## {name}\n") + (0 if first else counter(SEPARATOR))
    room = cap - header
    if room <= 0:
        return None
    tokens = counter(content)
    summarized = False
    if tokens > room:
        content = anchor_summary(content, room, counter)
        tokens = counter(content)
        summarized = True
    if not content.strip():
        return None
    return Section(name, content, tokens, summarized, cap), header + tokens


def allocate(
    sources: Sequence[ContextSource],
    window_tokens: int,
    ceiling_pct: float,
    entries: Sequence[BudgetEntry],
    weights: Mapping[str, float] | None = None,
    counter: Counter = chars_estimate,
) -> BudgetedContext:
    """Fit `sources` into round(window × ceiling) tokens, walking `entries` by priority."""
    total = total_budget(window_tokens, ceiling_pct)
    contents: dict[str, str] = {}
    for source in sources:
        contents.setdefault(source.name, source.content)
    pcts = effective_pcts(entries, weights)
    remaining = total
    sections: list[Section] = []
    originals: dict[str, str] = {}
    dropped: list[str] = []
    for entry in _ordered(entries):
        content = contents.get(entry.source, "")
        if not content.strip():
            continue  # absent and empty sources are skipped silently, as in the original
        cap = min(max(1, round_half_up(total * pcts[entry.source])), remaining)
        fitted = _fit(entry.source, content, cap, counter, not sections) if cap > 0 else None
        if fitted is None:
            dropped.append(entry.source)
            continue
        section, cost = fitted
        sections.append(section)
        originals[section.name] = content
        remaining = max(remaining - cost, 0)
    used = _trim_to_total(sections, originals, dropped, total, counter)
    return BudgetedContext(total, used, tuple(sections), tuple(dropped))


def _trim_to_total(
    sections: list[Section],
    originals: Mapping[str, str],
    dropped: list[str],
    total: int,
    counter: Counter,
) -> int:
    """Shrink the lowest-priority sections until the rendered text fits; return its tokens.

    Only needed when the counter is not additive over concatenation (real BPE tokenizers can
    merge across a section boundary). Each pass strictly shrinks or removes the last section,
    so this terminates.
    """
    used = counter(render_sections(sections))
    while used > total and sections:
        last = sections[-1]
        target = last.tokens - (used - total)
        shrunk = None
        if target > 0:
            content = anchor_summary(originals[last.name], target, counter)
            if content.strip():
                shrunk = Section(last.name, content, counter(content), True, last.cap)
        if shrunk is None:
            sections.pop()
            dropped.append(last.name)
        else:
            sections[-1] = shrunk
        used = counter(render_sections(sections))
    return used
