"""Work dirs that killed imports, exports and snapshots leave behind: the next run of the same
command sweeps them (and `doctor` counts them), never one in use, never a name not exactly ours.

A dir nobody holds the lock of is exactly what kill -9 leaves (the lock dies with the process);
tests/cli/test_archive_cli.py does the real kill -9."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from praxis.archive.import_ import STAGING_MARKER
from praxis.archive.workdirs import (
    SNAPSHOT_WORK,
    export_work,
    held_dir,
    import_staging,
    import_unpacked,
)
from tests.conftest import InProcessRunner
from tests.integration.test_archive_export_import import LATER, export


def left_by_a_killed_import(path: Path) -> Path:
    """A staging dir as an import killed while restoring leaves it: marked, half filled."""
    path.mkdir()
    (path / STAGING_MARKER).write_text(path.name)
    (path / "GOALS.md").write_text("half a restore")
    return path


def test_the_next_import_sweeps_stale_dirs_but_never_one_in_use(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(cli, tmp_path / "b.tar.gz")
    target = tmp_path / "target"
    stale = [
        left_by_a_killed_import(tmp_path / ".target.import-abcd1234"),
        tmp_path / ".target.bundle-abcd1234",
        tmp_path / ".target.import-emptydir",  # killed before its marker was written
    ]
    for path in stale[1:]:
        path.mkdir(exist_ok=True)
    (stale[1] / "manifest.json").write_text("{}")
    not_ours = [
        tmp_path / ".target.import-abc",  # not tempfile's 8 characters
        tmp_path / ".other.import-abcd1234",  # another target's
        tmp_path / ".target.import-abcd1234x",
        tmp_path / "target.import-abcd1234",
    ]
    for path in not_ours:
        path.mkdir()
        (path / "keep.md").write_text("not ours")
    file_shaped = tmp_path / ".target.import-filefile"
    file_shaped.write_text("a file, not a dir")
    with contextlib.ExitStack() as running:  # another import into the same target, mid-way
        in_use = [
            running.enter_context(held_dir(tmp_path, import_staging(target))),
            running.enter_context(held_dir(tmp_path, import_unpacked(target))),
        ]
        for path in in_use:
            (path / "work.md").write_text("in progress")
        result = InProcessRunner(target)("import", "--input", str(bundle), env=LATER)
        assert result.returncode == 0, result.stderr
        for path in in_use:
            assert (path / "work.md").read_text() == "in progress"
            shutil.rmtree(path)
    for path in stale:
        assert not path.exists(), path
    for path in not_ours:
        assert (path / "keep.md").read_text() == "not ours"
    assert file_shaped.read_text() == "a file, not a dir"
    assert not (target / STAGING_MARKER).exists()  # the marker never stays in a data dir
    assert not list(tmp_path.glob("target.replaced-*"))


def test_an_unmarked_staging_dir_is_kept_as_the_replaced_data_dir(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    """What an import killed between the swap's two renames leaves: the old data dir, under the
    staging name. It is the data `--overwrite` promised to keep."""
    bundle = export(cli, tmp_path / "b")
    swapped_out = tmp_path / ".target.import-qwer5678"
    swapped_out.mkdir()
    (swapped_out / "GOALS.md").write_text("the old data dir's goals")
    (swapped_out / STAGING_MARKER).write_text(".target.import-another1")  # an older import's
    result = InProcessRunner(tmp_path / "target")("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "target.replaced-20260501T090000Z"
    assert (kept / "GOALS.md").read_text() == "the old data dir's goals"
    assert not swapped_out.exists()


def test_export_sweeps_its_own_leftovers_beside_the_output(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    output = tmp_path / "b.tar.gz"
    stale = tmp_path / ".b.tar.gz.abcd1234.export"
    (stale / "bundle").mkdir(parents=True)
    (stale / "bundle" / "manifest.json").write_text("{}")
    other = tmp_path / ".c.tar.gz.abcd1234.export"  # another output's
    other.mkdir()
    with held_dir(tmp_path, export_work(output)) as in_use:
        export(cli, output)
        assert in_use.is_dir()
        in_use.rmdir()  # as its command does when it is done
    assert not stale.exists()
    assert other.is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".b.")] == []


def test_doctor_counts_leftovers_and_snapshots_create_sweeps_its_own(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    backups = cli.data_dir / "backups"
    backups.mkdir(exist_ok=True)
    (backups / ".snapshot-abcd1234.tmp" / "bundle").mkdir(parents=True)
    left_by_a_killed_import(tmp_path / ".data.import-abcd1234")
    assert cli("doctor").lines()["temp_dirs"] == "2"
    with held_dir(backups, SNAPSHOT_WORK) as in_use:
        assert cli("doctor").lines()["temp_dirs"] == "2"  # one in use is not a leftover
        assert cli("snapshots", "create", env=LATER).returncode == 0
        assert in_use.is_dir()
        in_use.rmdir()
    assert not (backups / ".snapshot-abcd1234.tmp").exists()
    assert cli("doctor").lines()["temp_dirs"] == "1"  # the import's: the next import's to sweep
    assert cli("doctor", "--json").returncode == 0
