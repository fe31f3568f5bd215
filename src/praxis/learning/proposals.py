"""PROPOSALS.md: the opportunities, rendered from the database above a marker; whatever tools or
the operator appended below the marker is kept on every sync (reference §20.2 item 19 was a bug:
the original rewrote the whole file and lost approved data-writes).

A file without the marker (the `init` seed, or one written by the original) keeps every line that
is not one Praxis generates: those lines move below the marker.
"""

from __future__ import annotations

import re
import sqlite3

from praxis.learning import store
from praxis.learning.store import Opportunity
from praxis.paths import DataDir

# The same marker CAPABILITIES.md uses (praxis.tools.capabilities.KEEP_MARKER).
KEEP_MARKER = (
    "<!-- Generated above. Text below this line is kept when Praxis regenerates the file. -->"
)
PER_STATUS = 100
HEADINGS = {"pending": "Pending", "accepted": "Accepted", "dismissed": "Dismissed"}
_GENERATED = re.compile(
    r"# Proposals|## (Pending|Accepted|Dismissed)|- No (pending|accepted|dismissed) proposals\."
    r"|- \[#\d+\] .*|  (status|created_at|linked_goal|summary): .*"
)


def render(conn: sqlite3.Connection) -> str:
    lines = ["# Proposals"]
    for status, heading in HEADINGS.items():
        lines += ["", f"## {heading}"]
        found = store.list_opportunities(conn, status, PER_STATUS)
        if not found:
            lines.append(f"- No {status} proposals.")
        lines += [_item(o) for o in found]
    return "\n".join(lines)


def _item(o: Opportunity) -> str:
    return (
        f"- [#{o.id}] {o.title} ({o.kind})\n  status: {o.status}\n  created_at: {o.created_at}\n"
        f"  linked_goal: {o.goal_id or '-'}\n  summary: {o.summary}"
    )


def kept_tail(existing: str) -> str:
    """The text Praxis does not own: below the marker, or (no marker) every non-generated line."""
    if KEEP_MARKER in existing:
        return existing.split(KEEP_MARKER, 1)[1].strip("\n")
    kept = [
        line
        for line in existing.replace("\r\n", "\n").split("\n")
        if line.strip() and not _GENERATED.fullmatch(line.rstrip())
    ]
    return "\n".join(kept)


def merge(existing: str, generated: str) -> str:
    tail = kept_tail(existing)
    return f"{generated}\n\n{KEEP_MARKER}\n" + (tail + "\n" if tail else "")


def sync(data_dir: DataDir, conn: sqlite3.Connection) -> bool:
    """Rewrite the generated part in place (atomic, locked; redone if a tool appended meanwhile).
    True when the file changed."""
    from praxis.files import atomic_write_text
    from praxis.identity.textfile import edit_in_place, edit_lock

    path = data_dir.proposals_md
    generated = render(conn)
    if not path.exists() and not path.is_symlink():
        with edit_lock(path):
            if not path.exists():
                atomic_write_text(path, merge("", generated))
                return True
    return edit_in_place(path, lambda text: _changed(text, generated))


def _changed(text: str, generated: str) -> str | None:
    merged = merge(text, generated)
    return None if merged == text else merged
