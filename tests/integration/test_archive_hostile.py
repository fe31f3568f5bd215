"""Hostile bundles: every unsafe member kind is refused before anything is written, and the
target (and the directory around it) stays exactly as it was."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praxis.archive.bundle import member_path
from praxis.errors import UsageError
from tests.conftest import InProcessRunner
from tests.integration.test_archive_export_import import LATER, NOW, export, tree


@pytest.fixture
def bundle(cli: InProcessRunner, tmp_path: Path) -> Path:
    assert cli("run", "--once", env=NOW).returncode == 0
    return export(cli, tmp_path / "bundle")


@pytest.fixture
def target(tmp_path: Path) -> InProcessRunner:
    runner = InProcessRunner(tmp_path / "target")
    assert runner("init", env=NOW).returncode == 0
    assert runner("run", "--once", env=NOW).returncode == 0
    return runner


def pack(bundle: Path, output: Path, extra: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    """A tar.gz of a valid bundle plus the hostile `extra` members (last, after valid ones)."""
    with tarfile.open(output, "w:gz") as archive:
        for path in sorted(bundle.rglob("*")):
            archive.add(path, arcname=path.relative_to(bundle).as_posix(), recursive=False)
        for info, content in extra:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return output


def member(
    name: str, kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    if kind == tarfile.REGTYPE:
        info.size = 4
        return info, b"evil"
    return info, None


HOSTILE = {
    "absolute": ([member("/tmp/praxis-evil")], "unsafe member name '/tmp/praxis-evil'"),
    "dotdot": ([member("../evil")], "unsafe member name '../evil'"),
    "nested dotdot": ([member("data/../../evil")], "unsafe member name 'data/../../evil'"),
    "backslash": ([member("data\\..\\evil")], "unsafe member name"),
    "symlink": (
        [member("data/link", tarfile.SYMTYPE, "/etc/passwd")],
        "member data/link is a symlink",
    ),
    "hard link": (
        [member("data/hard", tarfile.LNKTYPE, "data/GOALS.md")],
        "member data/hard is a hard link",
    ),
    "device": (
        [member("data/dev", tarfile.CHRTYPE)],
        "member data/dev is not a regular file or directory",
    ),
    "fifo": (
        [member("data/fifo", tarfile.FIFOTYPE)],
        "member data/fifo is not a regular file or directory",
    ),
    "duplicate": ([member("data/GOALS.md")], "member data/GOALS.md appears twice"),
    "duplicate after normalising": (
        [member("./data//GOALS.md")],
        "member ./data//GOALS.md appears twice",
    ),
    "outside the layout": ([member("evil.sh")], "unexpected member evil.sh"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_unsafe_members_are_refused_before_anything_is_written(
    bundle: Path, target: InProcessRunner, tmp_path: Path, kind: str
) -> None:
    extra, message = HOSTILE[kind]
    hostile = pack(bundle, tmp_path / "hostile.tar.gz", extra)
    before, around = tree(target.data_dir), sorted(os.listdir(tmp_path))
    result = target("import", "--input", str(hostile), "--overwrite", env=LATER)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: bundle {hostile}: ")
    assert message in result.stderr.splitlines()[0]
    assert tree(target.data_dir) == before
    assert sorted(os.listdir(tmp_path)) == around
    assert not Path("/tmp/praxis-evil").exists()
    assert not (tmp_path / "evil").exists()


def test_the_valid_pack_imports(bundle: Path, target: InProcessRunner, tmp_path: Path) -> None:
    """Control for the test above: the same tarball without a hostile member is accepted."""
    packed = pack(bundle, tmp_path / "fine.tar.gz", [])
    result = target("import", "--input", str(packed), "--overwrite", env=LATER)
    assert result.returncode == 0, result.stderr


def test_a_truncated_tarball_is_refused(
    bundle: Path, target: InProcessRunner, tmp_path: Path
) -> None:
    whole = pack(bundle, tmp_path / "whole.tar.gz", []).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    before, around = tree(target.data_dir), sorted(os.listdir(tmp_path))
    result = target("import", "--input", str(cut), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert f"error: bundle {cut} is not a readable .tar.gz (truncated or corrupt)" in result.stderr
    assert tree(target.data_dir) == before
    assert sorted(os.listdir(tmp_path)) == around


def test_not_a_tarball_at_all(target: InProcessRunner, tmp_path: Path) -> None:
    fake = tmp_path / "fake.tar.gz"
    fake.write_text("hello")
    result = target("import", "--input", str(fake), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert "is not a readable .tar.gz" in result.stderr


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_directory_bundle_with_a_special_file_is_refused(
    bundle: Path, target: InProcessRunner, tmp_path: Path, kind: str
) -> None:
    special = bundle / "data" / "special"
    if kind == "symlink":
        special.symlink_to("/etc/passwd")
    else:
        os.mkfifo(special)
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 2
    expected = "is a symlink" if kind == "symlink" else "is not a regular file or directory"
    assert f"bundle {bundle}: member data/special {expected}" in result.stderr
    assert tree(target.data_dir) == before


def test_a_manifest_entry_that_escapes_is_refused(bundle: Path, tmp_path: Path) -> None:
    import json

    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["data_files"].append("../../outside.txt")
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    result = InProcessRunner(tmp_path / "new")("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 2
    assert "unsafe member name 'data/../../outside.txt'" in result.stderr
    assert not (tmp_path / "new").exists()


# --- member-name validation, property-tested ---

_SEGMENT = st.text(
    alphabet=st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=8,
).filter(lambda s: s not in (".", ".."))


@given(st.text(max_size=40))
def test_an_accepted_member_name_never_leaves_the_bundle(name: str) -> None:
    try:
        path = member_path(name)
    except UsageError:
        return
    assert not path.is_absolute()
    assert ".." not in path.parts
    assert "\x00" not in str(path) and "\\" not in str(path)
    root = PurePosixPath("/bundle")
    assert os.path.normpath(root / path).startswith("/bundle/")


@given(st.lists(_SEGMENT, min_size=1, max_size=5))
def test_plain_relative_names_are_accepted_unchanged(parts: list[str]) -> None:
    name = "/".join(parts)
    if name[0].isalpha() and name[1:2] == ":":
        return  # looks like a Windows drive: refused on purpose
    assert member_path(name) == PurePosixPath(*parts)
    assert member_path(f"./{name}/") == PurePosixPath(*parts)


@given(
    st.lists(_SEGMENT, max_size=3),
    st.lists(_SEGMENT, max_size=3),
    st.sampled_from(["..", "/", "\\", "\x00"]),
)
def test_names_with_an_escape_are_refused(before: list[str], after: list[str], bad: str) -> None:
    if bad == "..":
        name = "/".join([*before, "..", *after])
    elif bad == "/":
        name = "/" + "/".join([*before, *after])
    else:
        name = "/".join(before) + bad + "/".join(after)
    with pytest.raises(UsageError):
        member_path(name)


# --- configured paths and exclusions ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("praxis.db", "praxis.db"),
        ("./state/./db.sqlite", "state/db.sqlite"),
        ("/home/old/praxis/sub/praxis.db", "sub/praxis.db"),  # under the source dir
        ("/var/elsewhere/praxis.db", "praxis.db"),  # elsewhere: the file name only
        ("../../etc/passwd", "database.sqlite"),  # escapes: the fallback
        ("", "database.sqlite"),
        ("C:\\Users\\old\\praxis.db", "praxis.db"),
    ],
)
def test_configured_paths_are_rehomed_inside_the_target(value: str, expected: str) -> None:
    from praxis.archive.rehome import inside

    assert inside(value, "/home/old/praxis", "database.sqlite") == expected


@pytest.mark.parametrize(
    ("name", "left_out"),
    [
        (".env", True),
        ("workspace/.env", True),
        (".env.local", True),
        ("praxis.db-wal", True),
        ("praxis.db-shm", True),
        (".praxis-run.lock", True),
        (".GOALS.md.k3j4.tmp", True),
        ("backups/snapshot-20260101T000000Z/manifest.json", True),
        ("backups", True),
        ("GOALS.md", False),
        ("workspace/backups/notes.md", False),
        ("logs/praxis-errors.log", False),
        ("envoy.md", False),
    ],
)
def test_what_never_goes_into_a_bundle(name: str, left_out: bool) -> None:
    from praxis.archive.selection import excluded

    assert excluded(name) is left_out
