"""`export state`: a bundle of the data dir, consistent while a session runs."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from praxis import __version__, clock
from praxis.archive.bundle import (
    DATA,
    DATABASE_MEMBER,
    FORMAT_VERSION,
    MANIFEST,
    RUNTIME,
    STATE_MEMBER,
    Manifest,
    is_tarball,
    sha256_file,
)
from praxis.archive.secrets import known_secrets, scrub
from praxis.archive.selection import data_files
from praxis.archive.swap import replace_dir
from praxis.archive.workdirs import export_work, held_dir, sweep
from praxis.errors import DataDirError, StateError, UsageError
from praxis.files import atomic_write_bytes, atomic_write_text
from praxis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from praxis.app import Praxis


class ExportResult(NamedTuple):
    output: Path
    manifest: Manifest


def export_state(
    app: Praxis, output: Path, overwrite: bool, progress: Progress = NO_PROGRESS
) -> ExportResult:
    """Write a bundle to `output` (a directory, or a single `.tar.gz`), atomically. What a killed
    export to the same output left beside it goes first (praxis.archive.workdirs)."""
    output = export_target(app, output, "bundle")
    _check_existing(output, overwrite)
    output.parent.mkdir(parents=True, exist_ok=True)
    sweep(output.parent, export_work(output))
    with held_dir(output.parent, export_work(output)) as work:
        try:
            bundle = work / "bundle"
            manifest = write_bundle(app, bundle, progress)
            if is_tarball(output):
                from praxis.archive.tarball import write_tarball

                progress.step(f"packing {len(manifest.members())} files into {output.name}")
                packed = work / "bundle.tar.gz"
                write_tarball(bundle, [MANIFEST, *manifest.members()], packed)
                os.chmod(packed, 0o600)
                _fsync(packed)
                os.replace(packed, output)
            else:
                replace_dir(bundle, output, keep_as=work / "replaced" if output.exists() else None)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return ExportResult(output, manifest)


def write_bundle(app: Praxis, destination: Path, progress: Progress = NO_PROGRESS) -> Manifest:
    """Write a bundle directory at `destination` (which must not exist yet); each file copied
    is a progress step (`copying data file 3/120: GOALS.md`)."""
    root = app.data_dir.root
    declared = app.config.declared
    database = app.database_file
    state = app.state_file
    if not database.is_file():
        raise DataDirError(
            f"database file {database} does not exist",
            f"run `praxis --data-dir {root} init` to create it",
        )
    skip = {state, database, *(database.with_name(database.name + s) for s in _SIDE_FILES)}
    names = data_files(root, skip)
    secrets = known_secrets(app)
    destination.mkdir(mode=0o700)
    (destination / DATA).mkdir()
    (destination / RUNTIME).mkdir()
    digests: dict[str, str] = {}
    copied: list[str] = []
    for number, name in enumerate(names, 1):
        progress.step(f"copying data file {number}/{len(names)}: {name}")
        content = _read_regular(root / name)
        if content is None:  # removed while we were exporting (a finished temp file, ...)
            continue
        member = f"{DATA}/{name}"
        atomic_write_bytes(destination / member, scrub(content, secrets), mode=0o600)
        digests[member] = sha256_file(destination / member)
        copied.append(name)
    progress.step(f"copying the database{_size(database)}")
    schema = backup_database(database, destination / DATABASE_MEMBER)
    digests[DATABASE_MEMBER] = sha256_file(destination / DATABASE_MEMBER)
    state_content = _read_regular(state) if state.exists() else None
    if state_content is not None:
        atomic_write_bytes(destination / STATE_MEMBER, scrub(state_content, secrets), mode=0o600)
        digests[STATE_MEMBER] = sha256_file(destination / STATE_MEMBER)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        exported_at=clock.now_text(),
        source_data_dir=str(root),
        database_path=declared.database_path,
        state_file=declared.runtime.state_file,
        schema_version=schema,
        state_present=state_content is not None,
        data_files=tuple(copied),
        praxis_version=__version__,
        sha256=digests,
    )
    atomic_write_text(destination / MANIFEST, manifest.to_json(), mode=0o600)
    return manifest


_SIDE_FILES = ("-wal", "-shm", "-journal")


def backup_database(source: Path, target: Path) -> int:
    """Copy the live database with SQLite's backup API; returns its schema version.

    The copy is one consistent snapshot even while another connection holds a write
    transaction (WAL: the backup reads the last committed state). The copy is left in
    rollback-journal mode so the bundle needs no side files. A model call still on the wire
    belongs to the running source (its outcome is settled there), so its reservation is not
    carried into the copy, where it could only ever become "outcome unknown".
    """
    from praxis.storage.attempts import drop_in_flight
    from praxis.storage.db import schema_version
    from praxis.storage.read_only import connect_read_only

    src = connect_read_only(source)  # works where the data dir cannot be written, too
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            version = schema_version(dst)
            drop_in_flight(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise DataDirError(
            f"cannot copy database {source}: {exc}", "run `praxis doctor` to check it"
        ) from exc
    finally:
        src.close()
    os.chmod(target, 0o600)
    _fsync(target)
    return version


def export_target(app: Praxis, output: Path, what: str) -> Path:
    """Where an export of this (initialized) data dir writes its `what`: `output` made absolute,
    never the data dir itself, inside it, or around it."""
    app.require_initialized()
    output = output.expanduser().absolute()
    root = app.data_dir.root
    if overlaps(output, root):
        raise UsageError(
            f"export output must not overlap {root}", f"write the {what} outside the data dir"
        )
    return output


def refuse_existing(output: Path, overwrite: bool) -> bool:
    """Whether something is at `output` already (StateError unless --overwrite allows it)."""
    exists = output.exists() or output.is_symlink()
    if exists and not overwrite:
        raise StateError(
            f"{output} already exists; pass --overwrite to replace it",
            "or choose another --output",
        )
    return exists


def overlaps(one: Path, other: Path) -> bool:
    """Whether either path is the other or inside it (symlinks resolved)."""
    first, second = _real(one), _real(other)
    return first == second or second in first.parents or first in second.parents


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _check_existing(output: Path, overwrite: bool) -> None:
    if not refuse_existing(output, overwrite):
        return
    if output.is_symlink():
        raise UsageError(
            f"{output} is a symlink; refusing to replace it", "choose another --output"
        )
    if is_tarball(output):
        if not output.is_file():
            raise UsageError(
                f"{output} is not a file; refusing to replace it", "choose another --output"
            )
        return
    if not output.is_dir() or not ((output / MANIFEST).is_file() or not any(output.iterdir())):
        raise UsageError(
            f"{output} is not a Praxis bundle; refusing to replace it",
            "choose a new --output, or an earlier bundle's directory",
        )


def _size(path: Path) -> str:
    """` (12.3 MB)`: what a progress step says of a file's size ('' when it cannot be read)."""
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    return f" ({size / 1e6:.1f} MB)" if size >= 1e6 else f" ({size / 1e3:.0f} kB)"


def _read_regular(path: Path) -> bytes | None:
    """A regular file's bytes, never through a symlink or from a FIFO; None when it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if path.is_symlink():
            raise DataDirError(
                f"refusing to copy symlink {path}", "replace it with a regular file"
            ) from exc
        raise
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DataDirError(
                f"refusing to copy {path}: not a regular file", "replace it with a regular file"
            )
        return handle.read()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
