"""Single-file bundles: write a bundle dir as `.tar.gz`; check every member before extracting.

Nothing is extracted until the whole member list passed our checks (names, types, duplicates,
layout); extraction then also runs through tarfile's own `data` filter.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from praxis.archive.bundle import DATA, DATABASE_MEMBER, MANIFEST, STATE_MEMBER, member_path
from praxis.errors import UsageError

_TOP_DIRS = (DATA, "runtime")
_TOP_FILES = (MANIFEST, DATABASE_MEMBER, STATE_MEMBER)


def write_tarball(bundle_dir: Path, members: list[str], output: Path) -> None:
    """Write `members` (bundle paths, files only) of `bundle_dir` into a gzip tar at `output`."""
    with tarfile.open(output, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as archive:
        for name in members:
            archive.add(bundle_dir / name, arcname=name, recursive=False)


def checked_members(tar: tarfile.TarFile, where: str) -> list[tarfile.TarInfo]:
    """The archive's members when every one is safe; otherwise UsageError naming the member."""
    try:
        members = tar.getmembers()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise unreadable(where, exc) from None
    seen: set[PurePosixPath] = set()
    for member in members:
        if member.isdir() and member.name in (".", "./"):
            continue  # `tar -C bundle -czf x.tar.gz .` writes the root itself
        path = member_path(member.name, where)
        if member.issym() or member.islnk():
            kind = "symlink" if member.issym() else "hard link"
            raise UsageError(
                f"bundle {where}: member {member.name} is a {kind}",
                "bundles hold regular files only; use a bundle made by `praxis export`",
            )
        if not (member.isreg() or member.isdir()):
            raise UsageError(
                f"bundle {where}: member {member.name} is not a regular file or directory",
                "devices, FIFOs and other special files are refused",
            )
        if path in seen:
            raise UsageError(
                f"bundle {where}: member {member.name} appears twice",
                "a bundle names each file once; use a bundle made by `praxis export`",
            )
        seen.add(path)
        _check_layout(path, member.isdir(), where, member.name)
    return members


def extract(tarball: Path, destination: Path, where: str) -> None:
    """Check every member, then extract into `destination` (which must be empty)."""
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            members = checked_members(tar, where)
            tar.extractall(destination, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise unreadable(where, exc) from None


def _check_layout(path: PurePosixPath, is_dir: bool, where: str, name: str) -> None:
    text = path.as_posix()
    if is_dir and (text in _TOP_DIRS or text.startswith(f"{DATA}/")):
        return
    if not is_dir and (text in _TOP_FILES or text.startswith(f"{DATA}/")):
        return
    raise UsageError(
        f"bundle {where}: unexpected member {name}",
        "a bundle holds manifest.json, data/ and runtime/ only",
    )


def unreadable(where: str, exc: BaseException) -> UsageError:
    return UsageError(
        f"bundle {where} is not a readable .tar.gz (truncated or corrupt): {exc}",
        "export it again, or copy the whole file",
    )
