"""A data dir that cannot be written can still be inspected: the commands that only read open the
database read-only (`mode=ro`, else `immutable=1` under a shared lock: storage/read_only.py);
the commands that write fail with the read-only message and change nothing.

The read-only mounts are real bind mounts (root with CAP_SYS_ADMIN; skipped elsewhere, saying
why); the other tests need no mount: a dir without write permission, and the read-only
connection itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxis.errors import DataDirError
from praxis.storage.db import code_schema_version
from praxis.storage.read_only import connect_read_only, open_read_only
from tests.conftest import (
    InProcessRunner,
    Result,
    clean_env,
    praxis_executable,
    run_subprocess,
)
from tests.records import file_digests

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}
READ_ONLY = "is on a read-only file system"


@contextlib.contextmanager
def _read_only_view(source: Path, where: Path) -> Iterator[InProcessRunner]:
    """`source` bind-mounted read-only at `where`: a runner on that view (the same files)."""
    if shutil.which("mount") is None:
        pytest.skip("no `mount` command here")
    where.mkdir()
    bound = subprocess.run(["mount", "--bind", str(source), str(where)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"bind mounts need root with CAP_SYS_ADMIN: {bound.stderr.decode().strip()}")
    try:
        remount = subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(where)], capture_output=True
        )
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr.decode().strip()}")
        yield InProcessRunner(where)
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _ok(result: Result) -> Result:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stderr, result.stderr
    return result


def _refused(result: Result, first_line: str, hint: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"error: {first_line}"), result.stderr
    assert f"hint: {hint}" in result.stderr, result.stderr
    assert "internal error" not in result.stderr and "is corrupt" not in result.stderr


def _ran_once_with_a_request(cli: InProcessRunner) -> None:
    """One session (a memory, checkpoints) and one pending approval request (#1)."""
    assert cli("run", "--once", env=DAY).returncode == 0
    request = cli(
        *("tools", "request", "--name", "praxis-data-write", "--summary", "Record the plan"),
        *("--write-path", "JOURNAL.md", "--append-text", "- a note"),
    )
    assert request.lines()["request"] == "pending", request.stdout + request.stderr


def test_read_commands_answer_on_a_read_only_mount(cli: InProcessRunner, tmp_path: Path) -> None:
    _ran_once_with_a_request(cli)
    before = file_digests(cli.data_dir)
    with _read_only_view(cli.data_dir, tmp_path / "ro") as ro:
        status = _ok(ro("status"))
        assert status.lines()["data_dir_writable"] == "false"
        assert status.lines()["last_session"].startswith("#1 ")
        assert json.loads(_ok(ro("status", "--json")).stdout)["data_dir_writable"] is False
        assert "#1 pending praxis-data-write" in _ok(ro("queue")).stdout
        assert _ok(ro("queue", "show", "1")).lines()["status"] == "pending"
        found = _ok(ro("memory", "search", "Goal", "--json"))
        assert json.loads(found.stdout)["matches"] >= 1
        for args in (
            ("usage",),
            ("argus",),
            ("memory", "list"),
            ("memory", "show", "hot-1"),
            ("memory", "stats"),
            ("forensics", "latest"),
            ("goals",),
            ("learn", "list"),
            ("snapshots", "list"),
            ("tools", "list"),
        ):
            _ok(ro(*args))
        doctor = _ok(ro("doctor"))
        assert doctor.lines()["doctor"] == "ok"
        assert doctor.lines()["database"] == "ok"
        assert doctor.lines()["memory"] == "ok"
        assert doctor.lines()["data_dir_writable"].startswith(f"warn: {ro.data_dir} {READ_ONLY}")
        bundle = tmp_path / "bundle.tar.gz"
        exported = _ok(ro("export", "state", "--output", str(bundle)))
        assert exported.lines()["schema_version"] == str(code_schema_version())
        _ok(ro("export", "audit", "--output", str(tmp_path / "audit.md")))
    assert file_digests(cli.data_dir) == before  # nothing written, no -wal/-shm left beside it
    restored = InProcessRunner(tmp_path / "restored")
    _ok(restored("import", "--input", str(bundle)))
    assert restored("status").lines()["last_session"] == status.lines()["last_session"]


def test_writing_commands_fail_on_a_read_only_mount_and_change_nothing(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    _ran_once_with_a_request(cli)
    bundle = tmp_path / "bundle"
    assert cli("export", "state", "--output", str(bundle)).returncode == 0
    before = file_digests(cli.data_dir)
    with _read_only_view(cli.data_dir, tmp_path / "ro") as ro:
        db = ro.data_dir / "praxis.db"
        for args, named in (
            (("run", "--once"), ro.data_dir / ".praxis-run.lock"),
            (("approve", "1"), db),
            (("memory", "add", "a new fact"), db),
            (("memory", "consolidate"), db),
            (("import", "--input", str(bundle), "--overwrite"), ro.data_dir / ".praxis-run.lock"),
            (("goals", "add", "Write the report"), ro.data_dir / ".praxis-goals.lock"),
        ):
            _refused(ro(*args, env=DAY), f"{named} {READ_ONLY}", "remount that file system")
        init = ro("init")  # the temp file of its first atomic write
        _refused(init, f"{ro.data_dir}/.praxis.toml.", "remount that file system")
        assert READ_ONLY in init.stderr
    assert file_digests(cli.data_dir) == before
    assert cli("queue").stdout.startswith("#1 pending")


def test_a_writer_through_another_mount_is_read_as_it_commits(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    """While a connection is open elsewhere (-wal and -shm exist), `mode=ro` reads through
    SQLite's own locks and sees each commit; with none open, the immutable reader's shared lock
    keeps a writer that starts meanwhile from checkpointing into the pages it reads."""
    assert cli("run", "--once", env=DAY).returncode == 0
    source_db = cli.data_dir / "praxis.db"
    with _read_only_view(cli.data_dir, tmp_path / "ro") as ro:
        holder = sqlite3.connect(source_db)  # a live writer's connection (the daemon's)
        try:
            holder.execute("SELECT COUNT(*) FROM sessions").fetchone()
            assert _ok(ro("memory", "search", "ficus")).lines()["matches"] == "0"
            assert cli("memory", "add", "The ficus needs water on Mondays").returncode == 0
            assert _ok(ro("memory", "search", "ficus")).lines()["matches"] == "1"
        finally:
            holder.close()
        assert not Path(f"{source_db}-wal").exists()  # closed cleanly: the next open is immutable

        reader = connect_read_only(ro.data_dir / "praxis.db")
        try:
            assert reader.lock_fd is not None  # the immutable way in, under the shared lock
            count = "SELECT COUNT(*) FROM hot_memories"
            memories = reader.execute(count).fetchone()[0]
            # A real process: POSIX locks exclude other processes, not this one.
            added = run_subprocess(
                ["--data-dir", str(cli.data_dir), "memory", "add", "The fern likes shade"],
                clean_env(tmp_path / "home"),
            )
            assert added.returncode == 0, added.stderr
            assert Path(f"{source_db}-wal").stat().st_size > 0  # its checkpoint was held off
            assert reader.execute(count).fetchone()[0] == memories  # the pages read are intact
            assert reader.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            reader.close()
    assert cli("memory", "search", "fern").lines()["matches"] == "1"
    assert not Path(f"{source_db}-wal").exists()  # the next writer folded the log in


def test_a_killed_writers_log_is_read_and_one_without_its_index_is_refused(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    # A real process: PRAXIS_CRASH_AT kills it (-9) with the session row committed to the -wal.
    crashed = run_subprocess(
        ["--data-dir", str(cli.data_dir), "run", "--once"],
        {**clean_env(tmp_path / "home"), **DAY, "PRAXIS_CRASH_AT": "reflect:after_session_row"},
    )
    assert crashed.returncode == -9, crashed.stderr
    wal, shm = (Path(f"{cli.data_dir / 'praxis.db'}{suffix}") for suffix in ("-wal", "-shm"))
    assert wal.stat().st_size > 0 and shm.exists()
    with _read_only_view(cli.data_dir, tmp_path / "ro") as ro:
        assert _ok(ro("status")).lines()["last_session"].startswith("#1 ")
        shm.unlink()  # a copy that kept the log but not its index
        refused = ro("status")
        _refused(
            refused,
            f"{ro.data_dir / 'praxis.db-wal'} holds changes that can be read only where SQLite "
            "may create praxis.db-shm beside it",
            "open the data dir read-write once (any praxis command)",
        )
    assert cli("status").lines()["last_session"].startswith("#1 ")  # read-write: recovered


def test_an_older_schema_is_not_migrated_on_a_read_only_mount(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    newest = code_schema_version()
    with contextlib.closing(sqlite3.connect(cli.data_dir / "praxis.db")) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", (newest,))
        conn.commit()
    before = file_digests(cli.data_dir)
    with _read_only_view(cli.data_dir, tmp_path / "ro") as ro:
        _refused(
            ro("status"),
            f"database {ro.data_dir / 'praxis.db'} has schema version {newest - 1}, older than "
            f"this Praxis ({newest}), and cannot be migrated while its data dir is read-only",
            "run any praxis command once where the data dir can be written",
        )
        assert ro("doctor").lines()["database"].startswith("failed: database ")
    assert file_digests(cli.data_dir) == before


# Without a mount: the read-only connection itself, and a dir without write permission.


def test_a_read_only_connection_reads_and_cannot_write(cli: InProcessRunner) -> None:
    conn = open_read_only(cli.data_dir / "praxis.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE scratch (x)")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.close()


@pytest.mark.parametrize("version", ["older", "newer"])
def test_a_schema_that_is_not_this_codes_is_refused_read_only(
    cli: InProcessRunner, version: str
) -> None:
    newest = code_schema_version()
    with contextlib.closing(sqlite3.connect(cli.data_dir / "praxis.db")) as conn:
        if version == "older":
            conn.execute("DELETE FROM schema_migrations WHERE version = ?", (newest,))
        else:
            conn.execute("INSERT INTO schema_migrations VALUES (?, 'later')", (newest + 1,))
        conn.commit()
    with pytest.raises(DataDirError) as refused:
        open_read_only(cli.data_dir / "praxis.db")
    expected = "older than this Praxis" if version == "older" else "newer than this Praxis"
    assert expected in refused.value.message
    assert refused.value.exit_code == 1


def _without_write_permission(data_dir: Path) -> list[str]:
    """The dir made read-only by its mode; the command prefix that makes the mode count (root
    ignores modes unless it runs without CAP_DAC_OVERRIDE)."""
    data_dir.chmod(0o555)
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores file modes and `setpriv` (to drop that power) is missing")
    return ["setpriv", "--bounding-set=-dac_override,-fowner", "--"]


def test_a_dir_where_the_shm_cannot_be_created_is_read_immutably(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    """Another user's data dir: no -wal/-shm beside the database and none can be created."""
    assert cli("run", "--once", env=DAY).returncode == 0
    before = file_digests(cli.data_dir)
    prefix = _without_write_permission(cli.data_dir)
    env = clean_env(tmp_path / "home")

    def praxis(*args: str) -> Result:  # a real process: the dropped capability is per process
        argv = ["--data-dir", str(cli.data_dir), *args]
        if not prefix:
            return run_subprocess(argv, env)
        done = subprocess.run(
            [*prefix, *praxis_executable(), *argv], capture_output=True, text=True, env=env
        )
        return Result(done.returncode, done.stdout, done.stderr)

    try:
        status = _ok(praxis("status"))
        assert status.lines()["data_dir_writable"] == "false"
        assert status.lines()["last_session"].startswith("#1 ")
        assert _ok(praxis("memory", "search", "Goal")).lines()["matches"] == "1"
        assert (
            _ok(praxis("doctor"))
            .lines()["data_dir_writable"]
            .startswith(f"warn: permission denied: {cli.data_dir}")
        )
        _ok(praxis("export", "state", "--output", str(tmp_path / "bundle.tar.gz")))
        _refused(praxis("memory", "add", "x"), f"permission denied: {cli.data_dir}", "give user")
    finally:
        cli.data_dir.chmod(0o755)
    assert file_digests(cli.data_dir) == before
