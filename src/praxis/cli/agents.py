"""`agents view|add`: AGENTS.md, the notes future runs read (workflow, gotchas, handoffs)."""

from __future__ import annotations

import click

from praxis.cli.common import app, emit, json_command


@click.group()
def agents() -> None:
    """View or extend AGENTS.md."""


@json_command(agents, "view")
def view(ctx: click.Context, as_json: bool) -> None:
    """Print AGENTS.md as it is (--json: its notes per section, placeholders left out)."""
    import sys

    from praxis.operator.agents_md import view as read_agents

    found = read_agents(app(ctx).data_dir)
    if not as_json:
        text = found.content
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from praxis.report import Report

    report = Report().extra("path", str(found.path))
    report.extra("sections", {heading: list(notes) for heading, notes in found.notes.items()})
    emit(report.extra("content", found.content), True)


@json_command(agents, "add")
@click.option(
    "--section",
    type=click.Choice(["workflow", "gotcha", "handoff"]),
    default="workflow",
    show_default=True,
    help="workflow → Workflow Notes, gotcha → Gotchas, handoff → Handoffs.",
)
@click.option("--note", "notes", multiple=True, help="The note (repeatable; joined by spaces).")
@click.argument("words", nargs=-1)
def add(
    ctx: click.Context, section: str, notes: tuple[str, ...], words: tuple[str, ...], as_json: bool
) -> None:
    """Add one note under a section's existing items (`--note TEXT` or the words after it)."""
    from praxis.operator.agents_md import add_note
    from praxis.report import Report

    added = add_note(app(ctx).data_dir, section, " ".join((*notes, *words)))
    report = Report().add("agents", "updated" if added.added else "unchanged")
    emit(report.add("section", added.section).add("note", added.note), as_json)
