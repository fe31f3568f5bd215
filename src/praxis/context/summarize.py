"""Anchor-preserving summarisation: shrink text to a token cap, keeping the lines that matter.

The original's rules (reference §6.3), except that the Tail section keeps file order and a date
must look like a real date. The result is always within the cap for the counter given, also for
real tokenizers where a token is fewer than four characters: the character budget shrinks until
the counter agrees.
"""

from __future__ import annotations

import re

from praxis.context.tokens import Counter, chars_estimate
from praxis.text import clip, one_line

HEADER = "Summarized excerpt preserving anchors:"
MAX_ANCHORS = 8
_KEYWORDS = ("boundary", "never", "blocked", "wait", "review", "operator")
_GOAL_ID = re.compile(r"G-\d{3}")
# YYYY-MM-DD or YYYY/MM/DD (RFC 3339 timestamps start with one), not part of a longer number.
_DATE = re.compile(r"(?<!\d)(?:19|20|21)\d\d([-/])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)")


def is_heading(line: str) -> bool:
    return line.startswith("#")


def is_checkbox(line: str) -> bool:
    return line.startswith("- [")


# The substring tests before each regex are a cheap filter: this runs on every line of every
# oversized source.
def has_goal_id(line: str) -> bool:
    return "G-" in line and _GOAL_ID.search(line) is not None


def looks_like_date(line: str) -> bool:
    return ("-" in line or "/" in line) and _DATE.search(line) is not None


def is_anchor(line: str) -> bool:
    lower = line.lower()
    return (
        any(keyword in lower for keyword in _KEYWORDS)
        or is_heading(line)
        or is_checkbox(line)
        or has_goal_id(line)
        or looks_like_date(line)
    )


def anchor_score(line: str) -> int:
    lower = line.lower()
    return (
        int(is_heading(line))
        + 3 * int(is_checkbox(line))
        + 3 * int(has_goal_id(line))
        + 2 * int(looks_like_date(line))
        + 3 * int("boundary" in lower or "never" in lower)
        + int("operator" in lower or "review" in lower)
    )


def anchor_lines(lines: list[str]) -> list[str]:
    """The best anchors, highest score first; ties keep file order (stable sort)."""
    anchors = [line for line in lines if is_anchor(line)]
    anchors.sort(key=anchor_score, reverse=True)
    return anchors[:MAX_ANCHORS]


def _append_section(
    parts: list[str],
    seen: set[str],
    label: str,
    lines: list[str],
    max_chars: int,
    line_limit: int | None,
) -> None:
    length = sum(len(p) for p in parts)
    added_any = False
    for line in lines:
        normalized = one_line(line)
        if not normalized or normalized in seen:
            continue
        seen.add(normalized)
        rendered = clip(normalized, line_limit) if line_limit else normalized
        prefix = "\n- " if added_any else f"\n{label}:\n- "
        candidate = prefix + rendered
        if length + len(candidate) <= max_chars:
            parts.append(candidate)
            length += len(candidate)
            added_any = True
            continue
        if added_any:
            continue
        # The section's first line does not fit: keep what fits of it and end the section.
        remaining = max_chars - length - len(prefix)
        if remaining <= 3:
            return
        truncated = clip(rendered, remaining)
        if truncated:
            parts.append(prefix + truncated)
        return


def _summarize_chars(text: str, lines: list[str], anchors: list[str], max_chars: int) -> str:
    parts = [HEADER]
    seen: set[str] = set()
    limit = min(max((max_chars - 40) // max(len(anchors), 1), 16), 48)
    _append_section(parts, seen, "Anchors", anchors, max_chars, limit)
    _append_section(parts, seen, "Start", lines[:2], max_chars, None)
    _append_section(parts, seen, "Tail", lines[-3:], max_chars, None)
    if len(parts) == 1:
        return clip(text, max_chars)
    return clip("".join(parts), max_chars)


def summarize_preserving_anchors(
    text: str, cap_tokens: int, counter: Counter = chars_estimate
) -> str:
    """`text` unchanged if it fits `cap_tokens`, else an anchor summary within the cap."""
    if counter(text) <= cap_tokens:
        return text
    return anchor_summary(text, cap_tokens, counter)


def anchor_summary(text: str, cap_tokens: int, counter: Counter = chars_estimate) -> str:
    """The anchor summary of `text` within `cap_tokens`, for text known not to fit."""
    lines = [stripped for line in text.splitlines() if (stripped := line.strip())]
    if not lines or cap_tokens <= 0:
        return ""
    anchors = anchor_lines(lines)
    max_chars = cap_tokens * 4
    while max_chars > 0:
        summary = _summarize_chars(text, lines, anchors, max_chars)
        tokens = counter(summary)
        if tokens <= cap_tokens:
            return summary
        # Fewer than four characters per token: shrink the character budget in proportion
        # (and by at least ~3%, so an odd counter cannot make this crawl).
        max_chars = min(max_chars * cap_tokens // tokens, max_chars - 1 - max_chars // 32)
    return ""
