"""Orient: load identity, goals and tools; build the budgeted context the model will be sent."""

from __future__ import annotations

from pathlib import Path

from praxis import clock
from praxis.app import Praxis
from praxis.context.adaptive import load_adaptation, weights
from praxis.context.anatomy import tracked_read
from praxis.context.budget import ContextSource, allocate
from praxis.files import atomic_write_text
from praxis.identity.foundation import validate_identity
from praxis.identity.goals import Goal, load_goals
from praxis.loop.context import RunContext
from praxis.memory.search import render
from praxis.memory.service import MemoryService
from praxis.safe_read import read_tail
from praxis.tools.manifest import load_registry

JOURNAL_TAIL_LINES = 12
JOURNAL_TAIL_BYTES = 16_384  # JOURNAL.md grows every session; only its recent lines matter here


def orient(ctx: RunContext) -> None:
    app, state, counter = ctx.app, ctx.state, ctx.count_tokens
    data_dir = app.data_dir
    validate_identity(data_dir)
    manifests = load_registry(data_dir.tools_dir)
    goals = load_goals(data_dir)
    open_goals = [g for g in goals if not g.done]
    sources = _sources(ctx, open_goals, [m.summary_line for m in manifests])
    settings = app.config.settings
    adaptation = load_adaptation(data_dir.context_adaptation)
    context = allocate(
        sources,
        settings.context.window_tokens,
        settings.agent.context_ceiling_pct,
        settings.context.budget,
        weights(adaptation, settings.context.budget),
        counter,
    )
    rendered = context.render()
    atomic_write_text(context_file(app), rendered)
    state.context_sources = [s.name for s in context.sections]
    state.context_tokens = counter(rendered)
    state.orientation_summary = context.summary_line(len(open_goals), state.repeated_reads_avoided)


def context_file(app: Praxis) -> Path:
    """The rendered context of the running session (decide and act send it; resume re-reads it)."""
    return app.data_dir.context_current


def read_context(app: Praxis) -> str:
    path = context_file(app)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _sources(ctx: RunContext, open_goals: list[Goal], tool_lines: list[str]) -> list[ContextSource]:
    app, state = ctx.app, ctx.state
    root = app.data_dir.root

    def read(name: str, reason: str) -> str:
        result = tracked_read(ctx.db, root / name, reason, root, state.file_reads)
        if result.avoided:
            state.repeated_reads_avoided += 1
        return result.content

    query = state.requested_task or " ".join(g.title for g in open_goals[:2])
    settings = app.config.settings
    memory = MemoryService(ctx.db, settings.memory, settings.instance.timezone)
    found = memory.context_for(query, state.run_key, clock.now_text())
    hits = found.hits
    state.memory_ids = [h.id for h in hits if h.tier == "hot"]
    journal = read_tail(app.data_dir.journal_md, JOURNAL_TAIL_BYTES)
    return [
        ContextSource("identity", read("IDENTITY.md", "identity")),
        ContextSource("agents", read("AGENTS.md", "agents")),
        ContextSource("active_goals", "\n".join(f"- {g.id}: {g.title}" for g in open_goals)),
        ContextSource("do_not_repeat", "\n".join(found.do_not_repeat)),
        ContextSource("known_bugs", "\n".join(found.known_bugs)),
        ContextSource("memory_hot", "\n".join(render(h) for h in hits if h.tier == "hot")),
        ContextSource("memory_cold", "\n".join(render(h) for h in hits if h.tier == "cold")),
        ContextSource("patterns", read("PATTERNS.md", "patterns")),
        ContextSource("journal", "\n".join(journal.splitlines()[-JOURNAL_TAIL_LINES:])),
        ContextSource(
            "tools", "\n".join(f"- {line}" for line in tool_lines) or "No registered tools."
        ),
        ContextSource("task", state.requested_task or ""),
    ]
