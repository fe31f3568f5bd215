"""`memory`: search, add, list, show, forget and resolve memories; consolidate; stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.progress import shown
from praxis.text import one_line

if TYPE_CHECKING:
    from praxis.memory.consolidate import ConsolidationResult
    from praxis.memory.operational import OpMemory
    from praxis.memory.search import MemoryHit
    from praxis.memory.service import MemoryService
    from praxis.memory.store import Memory
    from praxis.report import Report

LIST_LINE_CHARS = 120


def _service(ctx: click.Context) -> MemoryService:
    from praxis.memory.service import MemoryService

    return MemoryService.of(app(ctx))


def _now() -> str:
    from praxis import clock

    return clock.now_text()


def _short(text: str, limit: int = LIST_LINE_CHARS) -> str:
    from praxis.memory.text import cap

    return cap(one_line(text), limit)


def _hit_json(hit: MemoryHit) -> dict[str, Any]:
    return {
        "id": hit.ref,
        "tier": hit.tier,
        "text": hit.text,
        "tags": list(hit.tags),
        "flags": list(hit.flags),
        "score": hit.score,
        "created_at": hit.created_at,
    }


def _memory_json(memory: Memory | OpMemory) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(memory)
    data["id"], data["number"] = memory.ref, memory.id
    return data


def _line(memory: Memory | OpMemory) -> str:
    from praxis.memory.store import Memory

    if isinstance(memory, Memory):
        label = "importance" if memory.tier == "hot" else "weight"
        flags = f" flagged={','.join(memory.flags)}" if memory.flags else ""
        tags = f" [{', '.join(memory.tags)}]" if memory.tags else ""
        return (
            f"- {memory.ref} {memory.created_at} {label}={memory.strength:.2f}{flags} "
            f"{_short(memory.content)}{tags}"
        )
    state = "open" if memory.open else f"resolved {memory.resolved_at}"
    text = memory.text if memory.kind == "dnr" else f"{memory.signature} -> {memory.fix}"
    return f"- {memory.ref} {state} count={memory.count} last_seen={memory.last_seen_at} {_short(text)}"


@click.group()
def memory() -> None:
    """Search and curate memories (hot, cold, and operational: do-not-repeat / known bugs).

    Ids name their tier: hot-12, cold-3, dnr-2, bug-1 (a bare number works when unambiguous)."""


@json_command(memory, "search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--tier", type=click.Choice(["hot", "cold", "all"]), default="all", show_default=True)
def search(
    ctx: click.Context, query: tuple[str, ...], limit: int, tier: str, as_json: bool
) -> None:
    """Full-text search (BM25 + importance + recency; every word must match, else any)."""
    from praxis.report import Report

    text = " ".join(query)
    hits = _service(ctx).search(text, _now(), limit, tier)
    report = Report().add("query", text).add("tier", tier).add("matches", len(hits))
    report.extra("results", [_hit_json(h) for h in hits])
    for hit in hits:
        flags = f" flagged={','.join(hit.flags)}" if hit.flags else ""
        tags = f" [{', '.join(hit.tags)}]" if hit.tags else ""
        report.raw(f"- {hit.ref} score={hit.score:.3f}{flags} {_short(hit.text, 240)}{tags}")
    emit(report, as_json)


@json_command(memory, "add")
@click.argument("text", nargs=-1, required=True)
@click.option("--tags", default="", help="Comma-separated tags, e.g. --tags garden,weekly.")
@click.option("--importance", type=float, default=0.6, show_default=True, help="0 to 1.")
def add(
    ctx: click.Context, text: tuple[str, ...], tags: str, importance: float, as_json: bool
) -> None:
    """Remember TEXT as a hot memory (tagged `operator`)."""
    from praxis.report import Report

    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    memory_id, created = _service(ctx).add(" ".join(text), tag_list, _now(), importance=importance)
    report = Report().add("memory", "added" if created else "exists").add("id", f"hot-{memory_id}")
    emit(report, as_json)


@json_command(memory, "list")
@click.option(
    "--tier", type=click.Choice(["hot", "cold", "ops", "all"]), default="all", show_default=True
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def list_(ctx: click.Context, tier: str, limit: int, as_json: bool) -> None:
    """Newest hot memories, heaviest cold ones, open operational rows first."""
    from praxis.report import Report

    service = _service(ctx)
    found = service.list_tier(tier, limit)
    stats = service.stats()
    report = Report().add("tier", tier)
    if tier in ("hot", "all"):
        report.add("hot", stats.hot)
    if tier in ("cold", "all"):
        report.add("cold", stats.cold)
    if tier in ("ops", "all"):
        report.add("dnr_open", stats.ops["dnr_open"]).add("bugs_open", stats.ops["bugs_open"])
    report.add("shown", len(found))
    report.extra("memories", [_memory_json(m) for m in found])
    for item in found:
        report.raw(_line(item))
    emit(report, as_json)


@json_command(memory, "show")
@click.argument("memory_id", metavar="ID")
def show(ctx: click.Context, memory_id: str, as_json: bool) -> None:
    """Every field of one memory."""
    from praxis.report import Report

    found = _service(ctx).get(memory_id)
    report = Report()
    data = _memory_json(found)
    report.add("id", found.ref)
    for key, value in data.items():
        if key in ("id", "number"):
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "none"
        report.add(key, value)
    report.data = data
    emit(report, as_json)


@json_command(memory, "forget")
@click.argument("memory_id", metavar="ID")
def forget(ctx: click.Context, memory_id: str, as_json: bool) -> None:
    """Delete a memory (and its search index entry)."""
    from praxis.report import Report

    emit(Report().add("forgotten", _service(ctx).forget(memory_id)), as_json)


@json_command(memory, "resolve")
@click.argument("memory_id", metavar="ID")
def resolve(ctx: click.Context, memory_id: str, as_json: bool) -> None:
    """Close a known bug or do-not-repeat row (its twin of the other kind closes with it);
    it leaves the context. A repeat of the failure reopens it."""
    from praxis.report import Report

    closed = _service(ctx).resolve(memory_id, _now())
    report = Report().add("resolved", closed[0])
    if closed[1:]:
        report.add("also_resolved", ", ".join(closed[1:]), closed[1:])
    emit(report, as_json)


@json_command(memory, "consolidate")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def consolidate(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Move hot memories older than memory.hot_days, or beyond memory.hot_capacity, to cold
    memory; merge near-duplicates; link contradictions. The daemon does this daily."""
    with shown(as_json) as progress:
        result = _service(ctx).consolidate(_now(), dry_run, progress)
    emit(_consolidation_report(result), as_json)


def _consolidation_report(result: ConsolidationResult) -> Report:
    from praxis.report import Report

    report = Report().add("consolidate", "dry_run" if result.dry_run else "ok")
    for key, value in result.counts().items():
        report.add(key, value)
    return report


@json_command(memory, "stats")
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts per tier and the last consolidation and decay runs."""
    from praxis.memory.stats import run_summary
    from praxis.report import Report

    found = _service(ctx).stats()
    report = Report()
    report.add(
        "hot",
        f"{found.hot}/{found.hot_capacity}",
        {"count": found.hot, "capacity": found.hot_capacity},
    )
    report.add("cold", found.cold)
    report.add("flagged", found.flagged)
    for key, value in found.ops.items():
        report.add(key, value)
    report.add("last_consolidation", *run_summary(found.last_consolidation))
    report.add("last_decay", *run_summary(found.last_decay))
    emit(report, as_json)
