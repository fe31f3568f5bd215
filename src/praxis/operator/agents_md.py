"""AGENTS.md: conventions, gotchas and handoffs for future runs (reference §13).

`add` inserts `- {note}` directly under the section's existing items (not after the blank line
that separates it from the next heading, as the reference did), keeping every other byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from praxis.identity.textfile import edit_in_place, require_text
from praxis.operator.md_sections import clean_entry, find_section, insert_item, split_keep
from praxis.paths import DataDir

# --section value -> heading text (reference §13: only these three).
SECTIONS = {"workflow": "Workflow Notes", "gotcha": "Gotchas", "handoff": "Handoffs"}
# The seed items `init` writes; kept in the file, but they are not notes.
PLACEHOLDERS = frozenset(
    {
        "Capture conventions future Praxis runs should remember here.",
        "No project-specific gotchas captured yet.",
        "No handoff notes captured yet.",
    }
)
_EMPTY_HINT = "pass the note, e.g. `praxis agents add --section gotcha --note 'Tests need Docker'`"


class AddedNote(NamedTuple):
    section: str  # heading text, e.g. "Gotchas"
    note: str
    added: bool  # False: the same note was already under that heading


class AgentsView(NamedTuple):
    content: str
    notes: dict[str, tuple[str, ...]]  # heading -> notes (placeholders left out)
    path: Path


def view(data_dir: DataDir) -> AgentsView:
    path = data_dir.agents_md
    text = require_text(path)
    lines = split_keep(text)
    notes: dict[str, tuple[str, ...]] = {}
    for heading in SECTIONS.values():
        section = find_section(lines, heading)
        items = section.items if section is not None else ()
        notes[heading] = tuple(item for _, item in items if item and item not in PLACEHOLDERS)
    return AgentsView(text, notes, path)


def add_note(data_dir: DataDir, section_key: str, words: str) -> AddedNote:
    heading = SECTIONS.get(section_key)
    if heading is None:
        from praxis.errors import UsageError

        raise UsageError(
            f"unknown AGENTS.md section {section_key}", f"use one of {', '.join(SECTIONS)}"
        )
    note = clean_entry(words, "agent note", _EMPTY_HINT)

    def change(text: str) -> str | None:
        section = find_section(split_keep(text), heading)
        if section is not None and any(item == note for _, item in section.items):
            return None
        return insert_item(text, heading, note)

    return AddedNote(heading, note, edit_in_place(data_dir.agents_md, change))
