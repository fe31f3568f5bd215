"""Issue 10 item 4: a full disk, a read-only data dir or a forbidden file is reported as what it is
(with the fix), never as a corrupt database or an internal error; the database stays intact."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxis.cli.boundary import guarded
from praxis.storage.db import connect, database_error
from tests.conftest import InProcessRunner

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
IS_ROOT = os.geteuid() == 0
NEVER = ("internal error", "is corrupt", "move it aside", "not a valid SQLite database")


def _integrity(data_dir: Path) -> str:
    with contextlib.closing(sqlite3.connect(data_dir / "praxis.db")) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _assert_true_error(result: object, first_line: str, hint: str) -> None:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 1, stderr  # type: ignore[attr-defined]
    assert stderr.startswith(first_line), stderr
    assert f"hint: {hint}" in stderr, stderr
    assert not any(text in stderr for text in NEVER), stderr


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@contextlib.contextmanager
def _ran_once_on_tmpfs(tmp_path: Path, size: str) -> Iterator[tuple[Path, InProcessRunner]]:
    """A data dir on a tmpfs of `size` (the mount point, the runner), initialized and one
    session run."""
    with _tmpfs(tmp_path / "mnt", size) as mnt:
        cli = InProcessRunner(mnt / "data")
        assert cli("init").returncode == 0
        assert cli("run", "--once", env=DAY).returncode == 0
        yield mnt, cli


def _fill(directory: Path) -> None:
    """Fill the file system holding `directory` to the last byte."""
    with open(directory / "filler", "wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * size)


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
def test_a_full_disk_says_no_space_left_and_the_database_survives(tmp_path: Path) -> None:
    with _ran_once_on_tmpfs(tmp_path, "4m") as (mnt, cli):
        goals_before = (cli.data_dir / "GOALS.md").read_bytes()
        _fill(mnt)

        run = cli("run", "--once", env=DAY)
        _assert_true_error(
            run, f"error: no space left on device writing {cli.data_dir}", "free space"
        )
        added = cli("goals", "add", "Write the report")
        _assert_true_error(
            added,
            f"error: no space left on device writing {cli.data_dir / 'GOALS.md'}",
            f"free space on the file system holding {cli.data_dir}",
        )
        doctor = cli("doctor")
        assert doctor.returncode == 1
        assert doctor.lines()["database"].startswith("failed: no space left on device"), (
            doctor.stdout
        )
        assert not any(text in doctor.stdout + doctor.stderr for text in NEVER)

        (mnt / "filler").unlink()
        assert _integrity(cli.data_dir) == "ok"
        assert (cli.data_dir / "GOALS.md").read_bytes() == goals_before
        assert not list(cli.data_dir.glob(".*.tmp"))  # the failed atomic write cleaned up
        assert cli("run", "--once", env=DAY).returncode == 0


@pytest.mark.parametrize(
    ("code", "first_line", "hint"),
    [
        (errno.ENOSPC, "error: no space left on device writing {goals}", "free space"),
        (errno.EDQUOT, "error: disk quota exceeded writing {goals}", "free some of your quota"),
        (errno.EROFS, "error: {goals} is on a read-only file system", "remount"),
        (errno.EACCES, "error: permission denied: {goals}", "give user"),
    ],
)
def test_an_injected_disk_error_at_the_storage_boundary_is_named(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch, code: int, first_line: str, hint: str
) -> None:
    """Without root (no tmpfs) the same errors come from the rename of an atomic write: the
    OSError carries no file name, and the message still names the file being written."""
    goals = cli.data_dir / "GOALS.md"
    before = goals.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    result = cli("goals", "add", "Write the report")
    monkeypatch.undo()
    _assert_true_error(result, first_line.format(goals=goals), hint)
    assert goals.read_bytes() == before
    assert _integrity(cli.data_dir) == "ok"


def test_a_full_database_at_the_boundary_names_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "praxis.db"

    def body() -> int:
        connect(db).close()  # the database this process opened
        raise sqlite3.OperationalError("database or disk is full")

    assert guarded(["status"], body) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: no space left on device writing {db}\nhint: free space"), err


@pytest.mark.skipif(not IS_ROOT, reason="a read-only remount needs root")
def test_a_read_only_data_dir_says_so_and_the_database_survives(tmp_path: Path) -> None:
    with _ran_once_on_tmpfs(tmp_path, "16m") as (mnt, cli):
        remount = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True)
        assert remount.returncode == 0, remount.stderr
        try:
            run = cli("run", "--once", env=DAY)
            _assert_true_error(
                run,
                f"error: {cli.data_dir}/.praxis-run.lock is on a read-only file system",
                "remount",
            )
            added = cli("goals", "add", "Write the report")
            _assert_true_error(added, f"error: {cli.data_dir}", "remount that file system")
            assert "is on a read-only file system" in added.stderr
            doctor = cli("doctor")  # reads work read-only; the dir itself is the finding
            assert doctor.lines()["database"] == "ok", doctor.stdout
            assert doctor.lines()["data_dir_writable"] == (
                f"warn: {cli.data_dir} is on a read-only file system: commands that read work; "
                "commands that write (run, approve, memory add, import, ...) fail; fix: "
                "remount that file system read-write, or choose another --data-dir "
                "(PRAXIS_DATA_DIR)"
            )
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mnt)], capture_output=True)
        assert _integrity(cli.data_dir) == "ok"


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions (see the read-only test)")
def test_a_data_dir_without_write_permission_says_permission_denied(cli: InProcessRunner) -> None:
    paths = [cli.data_dir, *cli.data_dir.iterdir()]
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        run = cli("run", "--once", env=DAY)
        _assert_true_error(run, "error: permission denied: ", "give user")
    finally:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert _integrity(cli.data_dir) == "ok"


def test_corrupt_only_when_quick_check_fails(cli: InProcessRunner) -> None:
    db = cli.data_dir / "praxis.db"
    healthy = database_error(
        db, sqlite3.DatabaseError("database disk image is malformed"), "database {path} failed"
    )
    assert "is corrupt" not in healthy.message
    assert healthy.hint is not None and "passed PRAGMA quick_check: keep it" in healthy.hint
    assert "move it aside" not in healthy.hint and "init" not in healthy.hint

    data = bytearray(db.read_bytes())
    page = 4096
    data[page : page * 3] = b"\xa5" * (page * 2)  # smash the pages after the header
    db.write_bytes(bytes(data))
    status = cli("status")
    assert status.returncode == 1
    assert f"error: database {db} is corrupt" in status.stderr, status.stderr
    assert "quick_check" in status.stderr and "move it aside" in status.stderr
