"""Snapshots: export bundles kept in `<data-dir>/backups/snapshot-<UTC time>`, pruned by count
AND age, restored through the import path. `take_daily_snapshot` is the daemon's daily job."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from praxis import clock
from praxis.errors import UsageError
from praxis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.archive.import_ import ImportResult
    from praxis.paths import DataDir

PREFIX = "snapshot-"
# Ours: snapshot-20260501T080000Z (and -2, -3 within one second); the original's: snapshot-20260501.
_NAME = re.compile(r"^snapshot-(\d{8})(?:T(\d{6})Z)?(?:-\d+)?$")


class Snapshot(NamedTuple):
    id: str
    path: Path
    created_at: datetime
    data_files: int | None
    schema_version: int | None


class CreateResult(NamedTuple):
    snapshot: Snapshot
    pruned: list[str]


class RestoreResult(NamedTuple):
    snapshot: Snapshot
    imported: ImportResult


def snapshot_time(name: str) -> datetime | None:
    """When a snapshot dir was taken, from its name; None for names that are not snapshots."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match[1] + (match[2] or "000000"), "%Y%m%d%H%M%S").replace(
            tzinfo=UTC
        )
    except ValueError:
        return None


def list_snapshots(data_dir: DataDir) -> list[Snapshot]:
    """Every snapshot dir in backups/, oldest first."""
    backups = data_dir.backups_dir
    if not backups.is_dir():
        return []
    found: list[Snapshot] = []
    for entry in backups.iterdir():
        taken = snapshot_time(entry.name)
        if taken is None or entry.is_symlink() or not entry.is_dir():
            continue
        files, schema = _manifest_facts(entry)
        found.append(Snapshot(entry.name, entry, taken, files, schema))
    return sorted(found, key=lambda s: (s.created_at, s.id))


def find_snapshot(data_dir: DataDir, snapshot_id: str) -> Snapshot:
    wanted = snapshot_id if snapshot_id.startswith(PREFIX) else PREFIX + snapshot_id
    for snapshot in list_snapshots(data_dir):
        if snapshot.id == wanted:
            return snapshot
    raise UsageError(f"snapshot {snapshot_id} not found", "run `praxis snapshots list`")


def expired(
    snapshots: list[Snapshot], keep_count: int, keep_days: int, now: datetime
) -> list[Snapshot]:
    """Which snapshots retention removes: all but the newest `keep_count`, and any older than
    `keep_days` days. The newest snapshot is always kept."""
    newest_first = sorted(snapshots, key=lambda s: (s.created_at, s.id), reverse=True)
    oldest_allowed = now - timedelta(days=keep_days)
    return [
        snapshot
        for index, snapshot in enumerate(newest_first)
        if index > 0 and (index >= keep_count or snapshot.created_at < oldest_allowed)
    ]


def create_snapshot(app: Praxis, progress: Progress = NO_PROGRESS) -> CreateResult:
    """Take a snapshot now (consistent while a session runs), then apply retention. What a
    killed snapshot left in backups/ goes first (praxis.archive.workdirs)."""
    from praxis.archive.export import write_bundle
    from praxis.archive.workdirs import SNAPSHOT_WORK, held_dir, sweep

    app.require_initialized()
    backups = app.data_dir.backups_dir
    backups.mkdir(parents=True, exist_ok=True)
    taken = clock.now()
    sweep(backups, SNAPSHOT_WORK)
    with held_dir(backups, SNAPSHOT_WORK) as work:
        try:
            manifest = write_bundle(app, work / "bundle", progress)
            final = _move_in(
                work / "bundle", backups / f"{PREFIX}{taken.strftime('%Y%m%dT%H%M%SZ')}"
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    snapshot = Snapshot(final.name, final, taken, len(manifest.data_files), manifest.schema_version)
    progress.step("applying retention")
    return CreateResult(snapshot, prune_snapshots(app))


def prune_snapshots(app: Praxis) -> list[str]:
    """Apply retention (runtime.snapshot_retention_count AND _days); returns removed ids.
    Only `snapshot-*` directories are ever removed."""
    runtime = app.config.settings.runtime
    snapshots = list_snapshots(app.data_dir)
    removed: list[str] = []
    for snapshot in expired(
        snapshots, runtime.snapshot_retention_count, runtime.snapshot_retention_days, clock.now()
    ):
        shutil.rmtree(snapshot.path)
        removed.append(snapshot.id)
    return removed


def restore_snapshot(
    app: Praxis, snapshot_id: str, progress: Progress = NO_PROGRESS
) -> RestoreResult:
    """Restore a snapshot into the data dir itself; the replaced dir is kept beside it and the
    snapshots stay in the restored dir's backups/."""
    from praxis.archive.import_ import import_bundle

    app.require_initialized()
    snapshot = find_snapshot(app.data_dir, snapshot_id)
    app.close()
    imported = import_bundle(
        app.data_dir.root, snapshot.path, True, carry_backups=True, progress=progress
    )
    return RestoreResult(snapshot, imported)


def take_daily_snapshot(app: Praxis) -> bool:
    """The daemon's daily job: one snapshot per local day when runtime.daily_backup_snapshots
    is on, recorded in daily_jobs.json (praxis.operator.daily_jobs) so a restart the same day
    takes none. True if taken."""
    from praxis.operator.daily_jobs import once_a_day

    settings = app.config.settings
    if not settings.runtime.daily_backup_snapshots:
        return False
    zone = clock.load_timezone(settings.instance.timezone)

    def run() -> tuple[bool, dict[str, object]]:
        today = clock.now().astimezone(zone).date()
        existing = [
            s for s in list_snapshots(app.data_dir) if s.created_at.astimezone(zone).date() == today
        ]
        if existing:
            return False, {"id": existing[-1].id}
        return True, {"id": create_snapshot(app).snapshot.id}

    return bool(once_a_day(app, "snapshot", run)[1])


def _move_in(bundle: Path, wanted: Path) -> Path:
    """Rename `bundle` to `wanted` (or `wanted-2`, ... when another snapshot took the name)."""
    import errno

    from praxis.archive.swap import free_name

    for _ in range(10):
        final = free_name(wanted)
        try:
            os.rename(bundle, final)
            return final
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    raise FileExistsError(errno.EEXIST, "no free snapshot name", str(wanted))


def _manifest_facts(directory: Path) -> tuple[int | None, int | None]:
    try:
        raw = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(raw, dict):
        return None, None
    files = raw.get("data_files")
    schema = raw.get("schema_version")
    return (
        len(files) if isinstance(files, list) else None,
        schema if isinstance(schema, int) else None,
    )
