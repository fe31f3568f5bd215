"""`import`: restore a bundle into a data dir through a staging dir and an atomic swap.

Order: check the target and the bundle's member list (nothing written yet), copy every file into
a staging dir next to the target while verifying its checksum, re-home the config, check and
migrate the database, validate the result, and only then swap it in. Any failure before the swap
removes the staging dir and leaves the target exactly as it was.

What a killed import left beside the target is swept by the next one (praxis.archive.workdirs).
A staging dir carries a marker naming itself from the moment it exists; an unmarked one can only
be the data dir that an import killed mid-swap had just swapped out, so it is kept as
`<target>.replaced-<timestamp>`, as `--overwrite` promised, never removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from praxis import clock
from praxis.archive.bundle import (
    DATA,
    DATABASE_MEMBER,
    MANIFEST,
    STATE_MEMBER,
    Manifest,
    is_tarball,
    parse_manifest,
)
from praxis.archive.export import overlaps
from praxis.archive.rehome import Rehomed, configured_paths, rewrite
from praxis.archive.restore_checks import check_tree, prepare_database, validate_staged
from praxis.archive.selection import LOCAL_FILES, excluded
from praxis.archive.workdirs import held_dir, import_staging, import_unpacked, sweep
from praxis.errors import DataDirError, PraxisError, StateError, UsageError
from praxis.faults import crash_point
from praxis.files import atomic_write_bytes
from praxis.progress import NO_PROGRESS, Progress
from praxis.safe_read import open_regular, read_bytes_regular

if TYPE_CHECKING:
    from praxis.app import Praxis


# In every staging dir, naming it: how a sweep tells a staging dir from a swapped-out data dir.
STAGING_MARKER = ".praxis-import-staging"


class ImportResult(NamedTuple):
    data_dir: Path
    restored_files: int
    schema_version: int
    bundle_schema_version: int
    replaced: Path | None


def import_into(
    app: Praxis, source: Path, overwrite: bool, progress: Progress = NO_PROGRESS
) -> ImportResult:
    """`praxis import`: restore the bundle at `source` as the app's data dir."""
    return import_bundle(app.data_dir.root, source, overwrite, progress=progress)


def import_bundle(
    target: Path,
    source: Path,
    overwrite: bool,
    *,
    carry_backups: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Restore the bundle at `source` (dir or .tar.gz) as the data dir `target`.

    `carry_backups` (snapshot restore): the target's own `backups/` moves into the restored dir.
    Each stage, and each file restored, is a progress step.
    """
    from praxis.loop.lock import run_lock
    from praxis.paths import DataDir

    source = source.expanduser().absolute()
    where = str(source)
    if not (source.is_dir() or source.is_file()):
        raise UsageError(
            f"import input {source} does not exist",
            "pass a bundle directory or .tar.gz made by `praxis export state`",
        )
    if not carry_backups and overlaps(source, target):
        raise UsageError(
            f"import input must not overlap {target}",
            "import from outside it; restore a snapshot with `praxis snapshots restore ID`",
        )
    occupied = _check_target(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if occupied and DataDir(target).is_initialized():
            stack.enter_context(run_lock(DataDir(target).run_lock))
        staged: Path | None = None
        unpacked: Path | None = None
        swapping = False
        try:
            _sweep_leftovers(target)
            staged = stack.enter_context(held_dir(target.parent, import_staging(target)))
            _mark(staged)
            if source.is_file():
                if not is_tarball(source):
                    raise UsageError(
                        f"import input {source} is neither a directory nor a .tar.gz",
                        "pass a bundle made by `praxis export state`",
                    )
                from praxis.archive.tarball import extract

                unpacked = stack.enter_context(held_dir(target.parent, import_unpacked(target)))
                progress.step(f"unpacking {source.name}")
                extract(source, unpacked, where)
            bundle = unpacked or source
            progress.step("checking the bundle")
            check_tree(bundle, where)
            manifest = _read_manifest(bundle, where)
            restored, paths = _restore_files(bundle, manifest, staged, where, progress)
            rewrite(staged / "praxis.toml", target, paths)
            progress.step(f"checking and migrating the database (schema {manifest.schema_version})")
            bundle_version, version = prepare_database(staged / paths.database, where)
            progress.step("validating the restored data dir")
            validate_staged(staged, where)
            if occupied:
                _keep_local_files(target, staged)
            replaced = _free_replaced(target) if occupied else None
            progress.step(f"swapping the restored data dir in at {target}")
            crash_point("import:before_swap")
            swapping = True
            _swap(staged, target, replaced, carry_backups)
        except OSError as exc:
            raise DataDirError(
                f"import failed: {exc}",
                "check free space and permissions next to the target; the target is unchanged"
                if not swapping
                else f"check {target} and {staged}",
            ) from exc
        finally:
            if unpacked is not None:
                shutil.rmtree(unpacked, ignore_errors=True)
            if staged is not None and not swapping:
                shutil.rmtree(staged, ignore_errors=True)
    return ImportResult(target, restored, version, bundle_version, replaced)


def _check_target(target: Path, overwrite: bool) -> bool:
    """Whether the target holds something that the import will replace (kept aside)."""
    if target.is_symlink():
        raise UsageError(
            f"{target} is a symlink; refusing to replace it", "pass the directory it points to"
        )
    if not target.exists():
        return False
    if not target.is_dir():
        raise UsageError(f"{target} is not a directory", "choose another --data-dir")
    if not any(target.iterdir()):
        return False
    if not overwrite:
        raise StateError(
            f"{target} already exists; pass --overwrite to replace it",
            "the replaced data dir is kept next to it as <dir>.replaced-<timestamp>",
        )
    if os.path.ismount(target):
        raise DataDirError(
            f"{target} is a mount point; it cannot be swapped as a whole",
            "import into a directory inside the mount (see docs/deployment.md)",
        )
    return True


def _read_manifest(bundle: Path, where: str) -> Manifest:
    path = bundle / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"bundle {where} has no manifest.json", "use a bundle made by `praxis export state`"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"bundle {where}: manifest.json is not UTF-8 text") from None
    return parse_manifest(text, where)


def _restore_files(
    bundle: Path, manifest: Manifest, staged: Path, where: str, progress: Progress
) -> tuple[int, Rehomed]:
    """Copy and verify every listed file into `staged`; returns (files restored, paths)."""
    names = [name for name in manifest.data_files if not excluded(name)]
    for number, name in enumerate(names, 1):
        progress.step(f"restoring data file {number}/{len(names)}: {name}")
        _copy_verified(bundle, f"{DATA}/{name}", staged / name, manifest, where)
    paths = configured_paths(staged / "praxis.toml", manifest.source_data_dir, where)
    for runtime in (paths.database, paths.state_file):
        if runtime in names or any(n.startswith(runtime + "/") for n in names):
            raise UsageError(
                f"bundle {where}: runtime file {runtime} collides with a data file",
                "use a bundle made by `praxis export state`",
            )
    progress.step("restoring the database")
    _copy_verified(bundle, DATABASE_MEMBER, staged / paths.database, manifest, where)
    if manifest.state_present:
        _copy_verified(bundle, STATE_MEMBER, staged / paths.state_file, manifest, where)
    return len(names) + 1 + int(manifest.state_present), paths


def _copy_verified(
    bundle: Path, member: str, destination: Path, manifest: Manifest, where: str
) -> None:
    import hashlib

    source = bundle / member
    try:
        mode = os.lstat(source).st_mode
    except FileNotFoundError:
        raise UsageError(
            f"bundle {where}: member {member} is missing", "the bundle is incomplete; export again"
        ) from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"bundle {where}: member {member} is not a regular file")
    content = source.read_bytes()
    expected = manifest.sha256.get(member)
    if expected is not None and hashlib.sha256(content).hexdigest() != expected.lower():
        raise UsageError(
            f"bundle {where}: checksum mismatch for {member}",
            "the bundle is damaged; export it again or use another snapshot",
        )
    try:
        atomic_write_bytes(destination, content)
    except (NotADirectoryError, IsADirectoryError, FileExistsError) as exc:
        raise UsageError(f"bundle {where}: member {member} cannot be restored: {exc}") from None


def _free_replaced(target: Path) -> Path:
    from praxis.archive.swap import free_name

    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    return free_name(target.with_name(f"{target.name}.replaced-{stamp}"))


def _swap(staged: Path, target: Path, replaced: Path | None, carry_backups: bool) -> None:
    """Swap the staged dir in; then `backups/` (snapshot restore) moves over from the replaced
    dir, so at no moment do the snapshots sit in a staging dir that a sweep could remove."""
    from praxis.archive.swap import replace_dir

    replace_dir(staged, target, replaced)
    if _marker(target) == staged.name:
        with contextlib.suppress(OSError):
            (target / STAGING_MARKER).unlink()
    if carry_backups and replaced is not None and (replaced / "backups").is_dir():
        os.rename(replaced / "backups", target / "backups")


def _mark(staged: Path) -> None:
    """One write of the dir's own name: after kill -9 the marker is whole or absent."""
    fd = os.open(staged / STAGING_MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, staged.name.encode())
    finally:
        os.close(fd)


def _sweep_leftovers(target: Path) -> None:
    """What killed imports into `target` left beside it (the module docstring says how)."""

    def dispose(path: Path) -> None:
        if _marker(path) == path.name or not any(path.iterdir()):
            shutil.rmtree(path)
        else:
            os.rename(path, _free_replaced(target))

    sweep(target.parent, import_unpacked(target))
    sweep(target.parent, import_staging(target), dispose)


def _marker(directory: Path) -> str | None:
    try:
        raw = read_bytes_regular(directory / STAGING_MARKER, max_bytes=256, follow_symlinks=False)
    except (OSError, PraxisError):
        return None
    return raw.decode(errors="replace")


def _keep_local_files(target: Path, staged: Path) -> None:
    """The target's own machine-local files (selection.LOCAL_FILES) stay with it."""
    for local in LOCAL_FILES:
        destination = staged / local.path
        try:
            fd = open_regular(target / local.path, follow_symlinks=False)
        except (OSError, PraxisError):
            continue  # missing, or not a plain file: nothing of ours to keep
        with os.fdopen(fd, "rb") as source:
            if destination.exists() or destination.is_symlink():
                continue  # the bundle's database or state file took the name
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with destination.open("xb") as copy:
                shutil.copyfileobj(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
            os.chmod(destination, stat.S_IMODE(os.fstat(fd).st_mode))
