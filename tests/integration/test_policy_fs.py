"""Filesystem half of the path policy: symlinks anywhere, hard links, special files, containment,
and the idempotent no-follow append of praxis-data-write."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from praxis.errors import PolicyViolation
from praxis.tools.policy import (
    append_once,
    read_bytes_no_follow,
    resolve_for_read,
    resolve_for_write,
)


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """(data root, outside dir) side by side."""
    data = tmp_path / "data"
    outside = tmp_path / "outside"
    (data / "notes").mkdir(parents=True)
    outside.mkdir()
    (data / "JOURNAL.md").write_text("# Journal\n")
    (outside / "secret.txt").write_text("secret\n")
    return data, outside


def refused(func: Callable[..., object], *args: object) -> str:
    with pytest.raises(PolicyViolation) as info:
        func(*args)
    return info.value.message


def test_write_targets_inside_resolve(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    assert resolve_for_write(data, "JOURNAL.md") == data / "JOURNAL.md"
    assert resolve_for_write(data, "./notes/new/deep.md") == data / "notes/new/deep.md"
    assert not (data / "notes/new").exists()  # checking creates nothing


def test_symlinked_data_dir_is_refused(tree: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = tree
    link = tmp_path / "data-link"
    link.symlink_to(data, target_is_directory=True)
    assert refused(resolve_for_write, link, "JOURNAL.md") == (
        f"refusing to write through symlink target {link}"
    )
    assert refused(resolve_for_read, link, "JOURNAL.md", ["."]) == (
        f"refusing to read through symlink {link}"
    )


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("LEARNINGS.md", "../outside/secret.txt"),  # last component, to a file outside
        ("PROPOSALS.md", "../outside/new.txt"),  # dangling: following it would create outside
        ("AGENTS.md", "JOURNAL.md"),  # even a link that stays inside
    ],
)
def test_symlink_as_last_component_is_refused(
    tree: tuple[Path, Path], name: str, target: str
) -> None:
    data, outside = tree
    (data / name).symlink_to(target)
    assert refused(resolve_for_write, data, name) == (
        f"refusing to write through symlink target {name}"
    )
    assert (
        refused(resolve_for_read, data, name, ["."]) == f"refusing to read through symlink {name}"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_symlinked_directory_in_the_middle_is_refused(tree: tuple[Path, Path]) -> None:
    data, outside = tree
    (data / "notes" / "escape").symlink_to(outside, target_is_directory=True)
    assert refused(resolve_for_write, data, "notes/escape/secret.txt") == (
        "refusing to write through symlink target notes/escape/secret.txt"
    )
    assert refused(resolve_for_write, data, "notes/escape/brand-new.md") == (
        "refusing to write through symlink target notes/escape/brand-new.md"
    )
    assert refused(resolve_for_read, data, "notes/escape/secret.txt", ["notes"]) == (
        "refusing to read through symlink notes/escape/secret.txt"
    )


def test_hard_link_to_an_outside_file_is_refused(tree: tuple[Path, Path]) -> None:
    data, outside = tree
    os.link(outside / "secret.txt", data / "METRICS.md")
    assert refused(resolve_for_write, data, "METRICS.md") == (
        "refusing to write METRICS.md: it has 2 hard links"
    )
    assert refused(resolve_for_read, data, "METRICS.md", ["."]) == (
        "refusing to read METRICS.md: it has 2 hard links"
    )


def test_special_files_and_directories_are_refused(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    os.mkfifo(data / "notes" / "pipe")
    assert refused(resolve_for_write, data, "notes/pipe") == (
        "refusing to write notes/pipe: not a regular file"
    )
    assert refused(resolve_for_read, data, "notes/pipe", ["notes"]) == (
        "refusing to read notes/pipe: not a regular file"
    )
    assert refused(resolve_for_write, data, "notes") == "refusing to write notes: it is a directory"
    assert refused(resolve_for_read, data, "notes", ["."]) == (
        "refusing to read notes: it is a directory"
    )
    assert refused(resolve_for_write, data, "JOURNAL.md/x") == (
        "cannot write JOURNAL.md/x: JOURNAL.md is not a directory"
    )


def test_hostile_text_is_refused_before_touching_the_disk(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    assert refused(resolve_for_write, data, "../outside/secret.txt") == (
        "path escapes the allowed root: ../outside/secret.txt"
    )
    assert refused(resolve_for_write, data, str(data / "JOURNAL.md")).startswith(
        "absolute paths are not allowed"
    )


def test_read_respects_roots_and_locked_files(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    (data / ".env").write_text("OPENAI_API_KEY=sk-x\n")
    (data / "notes" / "a.md").write_text("a\n")
    assert resolve_for_read(data, "notes/a.md", ["notes"]) == data / "notes/a.md"
    assert resolve_for_read(data, "JOURNAL.md", ["."]) == data / "JOURNAL.md"
    assert refused(resolve_for_read, data, "JOURNAL.md", ["notes"]) == (
        "not allowed to read JOURNAL.md"
    )
    assert refused(resolve_for_read, data, "JOURNAL.md", []) == "not allowed to read JOURNAL.md"
    assert refused(resolve_for_read, data, ".env", ["."]) == "refusing to read locked path .env"
    assert refused(resolve_for_read, data, "notes/none.md", ["notes"]) == (
        "no such file in the data directory: notes/none.md"
    )


def test_read_bytes_no_follow_refuses_a_link_swapped_in(tree: tuple[Path, Path]) -> None:
    data, outside = tree
    path = resolve_for_read(data, "JOURNAL.md", ["."])
    assert read_bytes_no_follow(path, 4) == b"# Jo"
    path.unlink()
    path.symlink_to(outside / "secret.txt")  # swapped after the check
    with pytest.raises(PolicyViolation, match=r"cannot read JOURNAL\.md"):
        read_bytes_no_follow(path, 100)


def test_append_once_adds_a_whole_block_once(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    journal = data / "JOURNAL.md"
    assert append_once(journal, "hello") is True
    assert append_once(journal, "hello") is False
    assert journal.read_text() == "# Journal\nhello\n"
    assert append_once(journal, "two\nlines") is True
    assert append_once(journal, "two\nlines") is False
    assert journal.read_text() == "# Journal\nhello\ntwo\nlines\n"


def test_append_once_separates_from_an_unterminated_last_line(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    path = data / "notes" / "x.md"
    path.write_text("no newline")
    assert append_once(path, "next") is True
    assert path.read_text() == "no newline\nnext\n"


def test_append_once_matches_whole_lines_only(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    path = data / "notes" / "x.md"
    path.write_text("xhello\n")
    assert append_once(path, "hello") is True  # the original would have skipped this
    assert path.read_text() == "xhello\nhello\n"
    exact = data / "notes" / "exact.md"
    exact.write_text("hello\n")
    assert append_once(exact, "hello") is False


def test_append_once_creates_the_file_and_its_parents(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    target = resolve_for_write(data, "notes/2026/may.md")
    assert append_once(target, "first") is True
    assert target.read_text() == "first\n"


def test_append_once_refuses_links_swapped_in_after_the_check(tree: tuple[Path, Path]) -> None:
    data, outside = tree
    target = resolve_for_write(data, "PROPOSALS.md")
    target.symlink_to(outside / "secret.txt")
    with pytest.raises(PolicyViolation, match="refusing to write through symlink target"):
        append_once(target, "evil")
    target.unlink()
    os.link(outside / "secret.txt", target)
    with pytest.raises(PolicyViolation, match="it has 2 hard links"):
        append_once(target, "evil")
    assert (outside / "secret.txt").read_text() == "secret\n"


def test_concurrent_appends_write_the_block_once(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    journal = data / "JOURNAL.md"
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(append_once(journal, "same")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert journal.read_text() == "# Journal\nsame\n"


def test_append_once_refuses_a_parent_swapped_for_a_link(tree: tuple[Path, Path]) -> None:
    data, outside = tree
    target = resolve_for_write(data, "notes/sub/x.md")
    (data / "notes" / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PolicyViolation, match="refusing to write through symlink target sub"):
        append_once(target, "evil")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_append_once_reports_an_unusable_parent(tree: tuple[Path, Path]) -> None:
    data, _ = tree
    with pytest.raises(PolicyViolation, match=r"cannot write x\.md: "):
        append_once(data / "JOURNAL.md" / "x.md", "text")
