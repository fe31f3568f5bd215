"""`ask --file`: safe reading of operator-named files and the original's rendering rules."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praxis.ask import attachments
from praxis.ask.attachments import (
    Attachment,
    chunk_utf8,
    load_attachments,
    parse_policy,
    read_attachment,
    render_attachment,
    render_prompt,
    summarize,
)
from praxis.errors import UsageError


def usage_error(path: str, policy: str = "reject") -> UsageError:
    with pytest.raises(UsageError) as caught:
        read_attachment(path, policy)  # type: ignore[arg-type]
    assert caught.value.exit_code == 2
    return caught.value


def test_small_file_is_attached_whole(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\nline two\n", encoding="utf-8")
    item = read_attachment(str(path), "reject")
    assert item == Attachment(str(path), "# Notes\nline two\n", 17)
    assert render_attachment(item, "reject") == f"Attachment {path}:\n# Notes\nline two\n"


def test_limit_is_inclusive_under_reject(tmp_path: Path) -> None:
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"a" * 100_000)
    assert read_attachment(str(exact), "reject").size == 100_000
    over = tmp_path / "over.txt"
    over.write_bytes(b"a" * 100_001)
    error = usage_error(str(over))
    assert error.message == (
        f"{over} exceeds 100000 bytes; rerun with --attachment-policy chunk or summarize"
    )


def test_invalid_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("café".encode("latin-1"))
    assert usage_error(str(path)).message == f"{path} is not valid UTF-8 text"


def test_nul_bytes_in_content_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.bin"
    path.write_bytes(b"text\x00more")
    error = usage_error(str(path))
    assert error.message == f"{path} is not valid UTF-8 text"
    assert error.hint is not None and "NUL" in error.hint


def test_nul_byte_in_path_is_refused() -> None:
    assert (
        usage_error("notes\x00.md").message
        == "notes\\0.md is not a valid path: it contains a NUL byte"
    )


def test_empty_path_is_refused() -> None:
    assert usage_error("  ").message == "--file path must not be empty"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    assert usage_error(str(path)).message == f"{path} does not exist"


def test_directory_is_refused(tmp_path: Path) -> None:
    assert usage_error(str(tmp_path)).message == f"{tmp_path} is a directory, not a regular file"


@pytest.mark.timeout(10)
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert usage_error(str(fifo)).message == f"{fifo} is a FIFO, not a regular file"


@pytest.mark.timeout(10)
def test_device_is_refused() -> None:
    assert usage_error("/dev/zero", "chunk").message == "/dev/zero is a device, not a regular file"


def test_symlink_to_a_regular_file_is_allowed(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("real", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    item = read_attachment(str(link), "reject")
    assert item.text == "real" and item.path == str(link)


def test_symlink_to_a_directory_or_nowhere_is_refused(tmp_path: Path) -> None:
    to_dir = tmp_path / "to-dir"
    to_dir.symlink_to(tmp_path)
    assert "is a directory" in usage_error(str(to_dir)).message
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone")
    assert usage_error(str(dangling)).message == f"{dangling} does not exist"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    assert usage_error(str(path)).message == f"{path} cannot be read: permission denied"


def test_hard_read_cap_applies_to_every_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "MAX_READ_BYTES", 200_000)
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 200_001)
    assert usage_error(str(path), "chunk").message == (
        f"{path} exceeds 200000 bytes, the most ask will read"
    )


def test_parse_policy() -> None:
    assert [parse_policy(p) for p in ("reject", "chunk", "summarize")] == [
        "reject",
        "chunk",
        "summarize",
    ]
    for bad in ("Reject", "truncate", ""):
        with pytest.raises(UsageError) as caught:
            parse_policy(bad)
        assert caught.value.message == (
            "attachment policy must be one of reject, chunk, or summarize"
        )


def test_chunk_policy_splits_on_character_boundaries(tmp_path: Path) -> None:
    # 47,999 ASCII bytes then 4-byte characters: the first cut would land inside "😀".
    text = "a" * 47_999 + "😀" * 20_000 + "tail"
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    rendered = render_attachment(read_attachment(str(path), "chunk"), "chunk")
    header, *blocks = re.split(r"\n\[chunk \d+/\d+\]\n", rendered)
    assert header == (
        f"Attachment {path} exceeded 100000 bytes ({size} bytes); chunked into 3 part(s)."
    )
    assert re.findall(r"\[chunk (\d+)/3\]", rendered) == ["1", "2", "3"]
    assert "".join(blocks) == text
    assert all(len(block.encode("utf-8")) <= 48_000 for block in blocks)
    assert blocks[0] == "a" * 47_999


@given(st.text(), st.integers(min_value=4, max_value=64))
def test_chunks_rejoin_and_respect_the_limit(text: str, limit: int) -> None:
    parts = chunk_utf8(text.encode("utf-8"), limit)
    assert "".join(parts) == text
    assert all(0 < len(part.encode("utf-8")) <= limit for part in parts)


def test_summarize_policy_keeps_anchors_and_a_preview(tmp_path: Path) -> None:
    lines = ["# Title", "plain 2024 line", "- item", "see G-12", "2026-03-01 entry"]
    lines += ["Boundary: none", "filler " * 20]
    body = "\n".join(lines + [f"## Section {i}" for i in range(20)]) + "\n" + "z" * 120_000
    path = tmp_path / "big.md"
    path.write_text(body, encoding="utf-8")
    rendered = render_attachment(read_attachment(str(path), "summarize"), "summarize")
    head, _, rest = rendered.partition("\nAnchors:\n")
    assert head == (
        f"Attachment {path} exceeded 100000 bytes ({len(body)} bytes); "
        "summarized instead of truncating."
    )
    anchors, _, preview = rest.partition("\nPreview:\n")
    assert anchors.splitlines() == [
        "# Title",
        "- item",
        "see G-12",
        "2026-03-01 entry",
        "Boundary: none",
        *[f"## Section {i}" for i in range(7)],
    ]
    assert preview == body[:4000] + "..."


def test_summarize_without_anchors_or_cut() -> None:
    assert summarize("just text\n") == "Anchors:\n(none)\nPreview:\njust text\n"


def test_render_prompt_joins_blocks_with_a_blank_line(tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("A", encoding="utf-8")
    second.write_text("B", encoding="utf-8")
    items = load_attachments([str(first), str(second)], "reject")
    assert render_prompt("question", items, "reject") == (
        f"question\n\nAttached files:\nAttachment {first}:\nA\n\nAttachment {second}:\nB"
    )
    assert render_prompt("question", (), "reject") == "question"
