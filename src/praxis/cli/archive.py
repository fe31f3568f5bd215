"""`export state|audit`, `import`, `snapshots list|create|prune|restore`: thin wrappers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command
from praxis.cli.progress import shown

if TYPE_CHECKING:
    from praxis.archive.import_ import ImportResult
    from praxis.archive.snapshots import Snapshot
    from praxis.report import Report

_PATH = click.Path(dir_okay=True, file_okay=True, path_type=Path)


@click.group()
def export() -> None:
    """Export the data dir as a bundle, or an audit of recent activity."""


@export.command("state")
@click.option(
    "--output",
    required=True,
    type=_PATH,
    help="Bundle directory, or a single file ending in .tar.gz (outside the data dir).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing bundle at --output.")
@click.pass_context
def export_state(ctx: click.Context, output: Path, overwrite: bool) -> None:
    """Write a bundle: every data file with its sha256, the database copied consistently
    (safe while a session runs), the session state. Never .env, locks, temp files or backups/."""
    from praxis.archive.export import export_state as run_export
    from praxis.report import Report

    with shown() as progress:
        result = run_export(app(ctx), output, overwrite, progress)
    report = Report().add("export", "ok").add("kind", "state").add("output", result.output)
    report.add("data_files", len(result.manifest.data_files))
    report.add("schema_version", result.manifest.schema_version)
    emit(report)


@export.command("audit")
@click.option("--output", required=True, type=_PATH, help="File to write (outside the data dir).")
@click.option(
    "--days", type=click.IntRange(min=0), default=7, show_default=True, help="Window in days."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Markdown (the original's layout) or one JSON object.",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing file at --output.")
@click.pass_context
def export_audit(ctx: click.Context, output: Path, days: int, fmt: str, overwrite: bool) -> None:
    """Write what happened in the last N days: sessions, approvals, reviews, evals, provider
    usage, memory writes and events. Secrets are redacted."""
    from praxis.archive.audit import export_audit as run_audit
    from praxis.report import Report

    result = run_audit(app(ctx), output, days, fmt, overwrite)
    report = Report().add("export", "ok").add("kind", "audit").add("output", result.output)
    report.add("sessions", len(result.audit.sessions))
    report.add("approvals", len(result.audit.approvals))
    report.add("format", result.format)
    emit(report)


@click.command("import")
@click.option(
    "--input",
    "source",
    required=True,
    type=_PATH,
    help="Bundle directory or .tar.gz made by `praxis export state` (or a snapshot).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an existing data dir; the old one is kept as <dir>.replaced-<timestamp>.",
)
@click.pass_context
def import_(ctx: click.Context, source: Path, overwrite: bool) -> None:
    """Restore a bundle as the data dir (--data-dir). Checksums, member names and the schema
    are checked first; the restore is staged next to the target and swapped in atomically,
    so a failure leaves the target as it was. Stop the daemon on the target first."""
    from praxis.archive.import_ import import_into

    with shown() as progress:
        result = import_into(app(ctx, initialized=False), source, overwrite, progress)
    emit(_import_report(result))


@click.group()
def snapshots() -> None:
    """Snapshots of the data dir in <data-dir>/backups/ (retention: runtime.snapshot_retention_count
    and runtime.snapshot_retention_days; daily with runtime.daily_backup_snapshots)."""


@json_command(snapshots, "list")
def snapshots_list(ctx: click.Context, as_json: bool) -> None:
    """List snapshots, oldest first."""
    from praxis.archive.snapshots import list_snapshots
    from praxis.report import Report

    praxis = app(ctx)
    runtime = praxis.config.settings.runtime
    found = list_snapshots(praxis.data_dir)
    report = Report().add("snapshots", len(found))
    report.add("daily_backup_snapshots", runtime.daily_backup_snapshots)
    report.add(
        "retention",
        f"count={runtime.snapshot_retention_count} days={runtime.snapshot_retention_days}",
        {"count": runtime.snapshot_retention_count, "days": runtime.snapshot_retention_days},
    )
    report.extra("items", [_snapshot_json(s) for s in found])
    for snapshot in found:
        report.raw(_snapshot_line(snapshot))
    emit(report, as_json)


@snapshots.command("create")
@click.pass_context
def snapshots_create(ctx: click.Context) -> None:
    """Take a snapshot now, then apply retention."""
    from praxis.archive.snapshots import create_snapshot
    from praxis.report import Report

    with shown() as progress:
        result = create_snapshot(app(ctx), progress)
    report = Report()
    report.add("snapshot", f"created {result.snapshot.path} pruned={len(result.pruned)}")
    report.add("id", result.snapshot.id)
    report.add("data_files", result.snapshot.data_files)
    report.add("schema_version", result.snapshot.schema_version)
    for removed in result.pruned:
        report.raw(f"- pruned {removed}")
    emit(report)


@snapshots.command("prune")
@click.pass_context
def snapshots_prune(ctx: click.Context) -> None:
    """Remove snapshots beyond the retention count or older than the retention days (the newest
    is always kept; nothing but snapshot-* directories is touched)."""
    from praxis.archive.snapshots import list_snapshots, prune_snapshots
    from praxis.report import Report

    praxis = app(ctx)
    removed = prune_snapshots(praxis)
    report = Report().add("pruned", len(removed)).add("kept", len(list_snapshots(praxis.data_dir)))
    for snapshot_id in removed:
        report.raw(f"- removed {snapshot_id}")
    emit(report)


@snapshots.command("restore")
@click.argument("snapshot_id", metavar="ID")
@click.pass_context
def snapshots_restore(ctx: click.Context, snapshot_id: str) -> None:
    """Restore snapshot ID into the data dir (through `import`); the current data dir is kept
    as <dir>.replaced-<timestamp> and the snapshots stay available. Stop the daemon first."""
    from praxis.archive.snapshots import restore_snapshot

    with shown() as progress:
        result = restore_snapshot(app(ctx), snapshot_id, progress)
    report = _import_report(result.imported)
    report.add("snapshot", result.snapshot.id)
    emit(report)


def _import_report(result: ImportResult) -> Report:
    from praxis.report import Report

    report = Report().add("import", "ok").add("data_dir", result.data_dir)
    report.add("restored_files", result.restored_files)
    report.add("schema_version", result.schema_version)
    report.add("bundle_schema_version", result.bundle_schema_version)
    if result.replaced is not None:
        report.add("replaced", result.replaced)
    return report


def _snapshot_line(snapshot: Snapshot) -> str:
    from praxis import clock

    return (
        f"- {snapshot.id} created_at={clock.format_timestamp(snapshot.created_at)} "
        f"data_files={_or_unknown(snapshot.data_files)} "
        f"schema_version={_or_unknown(snapshot.schema_version)}"
    )


def _snapshot_json(snapshot: Snapshot) -> dict[str, object]:
    from praxis import clock

    return {
        "id": snapshot.id,
        "path": str(snapshot.path),
        "created_at": clock.format_timestamp(snapshot.created_at),
        "data_files": snapshot.data_files,
        "schema_version": snapshot.schema_version,
    }


def _or_unknown(value: int | None) -> str:
    return "unknown" if value is None else str(value)
