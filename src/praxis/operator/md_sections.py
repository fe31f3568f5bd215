"""`## Section` lists in hand-edited markdown (IDENTITY.md boundaries, AGENTS.md notes).

Read: the top-level `- ` items of a level-2 section, up to the next level-1 or level-2 heading
(headings and items inside fenced code blocks do not count). Edit: insert ONE `- item` line
directly after the section's last item (and that item's continuation lines), or, when the
section has no items yet, after its last non-blank line; a missing section is appended at the
end of the file. Every other byte of the file is kept as it was: line endings (LF or CRLF), a
UTF-8 BOM, blank lines, placeholders and prose.
"""

from __future__ import annotations

import re
from typing import NamedTuple

ITEM_PREFIX = "- "
MAX_ENTRY_CHARS = 1000
# Characters that end a line for some reader (str.splitlines and editors), besides \n and \r.
_LINE_BREAKS = frozenset("\x85\u2028\u2029")
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


class Section(NamedTuple):
    title: str
    heading: int  # index of the heading line
    end: int  # index one past the section's last line
    items: tuple[tuple[int, str], ...]  # (line index, item text) of top-level `- ` items
    fenced: frozenset[int]  # indexes of lines inside (or opening/closing) code fences
    open_fence: int | None  # index of a fence opener never closed before the end of the file


def split_keep(text: str) -> list[str]:
    """Lines WITH their endings (`\\n` or `\\r\\n`); only `\\n` splits, as editors and git do."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def content(line: str) -> str:
    return line.removesuffix("\n").removesuffix("\r").removeprefix("\ufeff")


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    title = re.sub(r"[ \t]+#+$", "", match.group(2) or "").strip()
    return len(match.group(1)), title


class _Scan(NamedTuple):
    headings: list[tuple[int, str] | None]  # per line: (level, title) or None
    fenced: frozenset[int]
    open_fence: int | None


def _scan(lines: list[str]) -> _Scan:
    headings: list[tuple[int, str] | None] = []
    fenced: set[int] = set()
    fence: str | None = None
    opened = 0
    for index, line in enumerate(lines):
        text = content(line)
        marker = _FENCE.match(text)
        if fence is None and marker is None:
            headings.append(_heading(text))
            continue
        fenced.add(index)
        headings.append(None)
        if fence is None:
            fence, opened = marker.group(1) if marker else None, index
        elif marker and _closes(marker.group(1), fence):
            fence = None
    return _Scan(headings, frozenset(fenced), opened if fence is not None else None)


def _closes(marker: str, fence: str) -> bool:
    return marker[0] == fence[0] and len(marker) >= len(fence)


def find_section(lines: list[str], title: str) -> Section | None:
    """The first `## {title}` section (title compared case-insensitively)."""
    scan = _scan(lines)
    wanted = title.casefold()
    start = next(
        (
            i
            for i, h in enumerate(scan.headings)
            if h is not None and h[0] == 2 and h[1].casefold() == wanted
        ),
        None,
    )
    if start is None:
        return None
    end = next(
        (i for i in range(start + 1, len(lines)) if (h := scan.headings[i]) and h[0] <= 2),
        len(lines),
    )
    items = tuple(
        (i, content(lines[i])[len(ITEM_PREFIX) :].strip())
        for i in range(start + 1, end)
        if i not in scan.fenced and content(lines[i]).startswith(ITEM_PREFIX)
    )
    return Section(title, start, end, items, scan.fenced, scan.open_fence)


def _insert_at(lines: list[str], section: Section) -> int:
    """Index at which the new item line goes."""
    # A fence left open runs to the end of the file: never insert inside it.
    end = section.end
    if section.open_fence is not None and section.open_fence < end:
        end = max(section.open_fence, section.heading + 1)
    if section.items and section.items[-1][0] < end:
        index = section.items[-1][0] + 1
        # Continuation lines of the last item: indented or lazy lines, closed code blocks, and
        # indented paragraphs after a blank line. A blank line followed by prose ends the item.
        while index < end:
            if content(lines[index]).strip() or index in section.fenced:
                index += 1
                continue
            after = index
            while after < end and not content(lines[after]).strip():
                after += 1
            if after < end and content(lines[after])[:1] in (" ", "\t"):
                index = after
                continue
            break
        return index
    index = end
    while index > section.heading + 1 and not content(lines[index - 1]).strip():
        index -= 1
    return index


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def insert_item(text: str, title: str, item: str) -> str:
    """`text` with `- {item}` added to section `title` (appended with its heading if missing)."""
    lines = split_keep(text)
    section = find_section(lines, title)
    if section is None:
        newline = _newline(text)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        open_fence = _scan(lines).open_fence
        if open_fence is not None:
            # The file ends inside a code block: close it, or the new heading would be code.
            marker = _FENCE.match(content(lines[open_fence]))
            lines.append((marker.group(1) if marker else "```") + newline)
        if lines and content(lines[-1]).strip():
            lines.append(newline)
        lines.append(f"## {title}{newline}")
        lines.append(f"{ITEM_PREFIX}{item}{newline}")
        return "".join(lines)
    index = _insert_at(lines, section)
    anchor = lines[index - 1]
    if not anchor.endswith("\n"):
        # The last line of a file without a final newline: give it one, in the file's style.
        lines[index - 1] = anchor + _newline(text)
        newline = "" if index == len(lines) else _newline(text)
    else:
        newline = "\r\n" if anchor.endswith("\r\n") else "\n"
    lines.insert(index, f"{ITEM_PREFIX}{item}{newline}")
    return "".join(lines)


def clean_entry(words: str, what: str, hint: str) -> str:
    """One line of operator text for a list item. Raises UsageError for empty, multi-line or
    over-long text (a newline could smuggle in a heading or a fake item)."""
    from praxis.errors import UsageError

    entry = words.strip()
    if not entry:
        raise UsageError(f"{what} must not be empty", hint)
    if any((ord(c) < 32 and c != "\t") or c == "\x7f" or c in _LINE_BREAKS for c in entry):
        raise UsageError(
            f"{what} must be a single line without control characters",
            "put it on one line; add one entry per command",
        )
    if len(entry) > MAX_ENTRY_CHARS:
        raise UsageError(
            f"{what} is {len(entry)} characters, more than {MAX_ENTRY_CHARS}",
            "shorten it; keep the detail in a file and refer to it",
        )
    return entry
