"""`ask --file`: read operator-named UTF-8 files safely and render them into the prompt.

Files up to 100,000 bytes are attached whole. Larger ones are rejected, chunked into
≤48,000-byte parts (never splitting a UTF-8 character) or summarised (anchors + preview),
each with a visible note, as the original.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from typing import Literal, NamedTuple

from praxis.errors import UsageError
from praxis.text import DOTS, clip

AttachmentPolicy = Literal["reject", "chunk", "summarize"]
POLICIES: tuple[AttachmentPolicy, ...] = ("reject", "chunk", "summarize")

MAX_ATTACHMENT_BYTES = 100_000
CHUNK_BYTES = 48_000
# Even chunk/summarize need the whole file in memory; past this we refuse rather than swap.
MAX_READ_BYTES = 16_000_000
MAX_ANCHORS = 12
PREVIEW_CHARS = 4_000

# Markdown headings and list items, goal ids, ISO dates (not any "20"), boundary mentions.
_ANCHOR_RE = re.compile(r"G-\d+|\b20\d\d-\d\d-\d\d|boundar", re.IGNORECASE)


class Attachment(NamedTuple):
    path: str
    text: str
    size: int


def parse_policy(value: str) -> AttachmentPolicy:
    for policy in POLICIES:
        if value == policy:
            return policy
    raise UsageError(
        "attachment policy must be one of reject, chunk, or summarize",
        "pass --attachment-policy reject, chunk or summarize",
    )


def read_attachment(path: str, policy: AttachmentPolicy) -> Attachment:
    """Read one regular UTF-8 file; every refusal is a UsageError (exit 2) naming the path."""
    shown = path.replace("\x00", "\\0")
    if not path.strip():
        raise UsageError("--file path must not be empty", "pass the path of a UTF-8 text file")
    if "\x00" in path:
        raise UsageError(f"{shown} is not a valid path: it contains a NUL byte")
    data = _read_regular_file(path, shown, policy)
    if policy == "reject" and len(data) > MAX_ATTACHMENT_BYTES:
        raise UsageError(
            f"{shown} exceeds {MAX_ATTACHMENT_BYTES} bytes; "
            "rerun with --attachment-policy chunk or summarize"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{shown} is not valid UTF-8 text", "attach text files only (save them as UTF-8)"
        ) from None
    if "\x00" in text:
        raise UsageError(
            f"{shown} is not valid UTF-8 text", "it contains NUL bytes; attach text files only"
        )
    return Attachment(path=shown, text=text, size=len(data))


def _read_regular_file(path: str, shown: str, policy: AttachmentPolicy) -> bytes:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat on the open descriptor
    # (not stat on the name) so the file cannot be swapped between the check and the read.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UsageError(f"{shown} does not exist", "check the --file path") from None
    except IsADirectoryError:
        raise _not_a_file(shown, "a directory") from None
    except PermissionError:
        raise UsageError(f"{shown} cannot be read: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{shown} cannot be opened: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _not_a_file(shown, "a directory")
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(shown, _kind(info.st_mode))
        limit = MAX_ATTACHMENT_BYTES if policy == "reject" else MAX_READ_BYTES
        data = _read_at_most(fd, limit + 1, shown)
    finally:
        os.close(fd)
    if len(data) > MAX_READ_BYTES:
        raise UsageError(
            f"{shown} exceeds {MAX_READ_BYTES} bytes, the most ask will read",
            "attach a smaller excerpt of the file",
        )
    return data


def _read_at_most(fd: int, limit: int, shown: str) -> bytes:
    # Sizes from stat lie for some regular files (/proc); read until EOF or the limit.
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        try:
            chunk = os.read(fd, min(1 << 20, limit - total))
        except OSError as exc:
            raise UsageError(f"{shown} cannot be read: {exc.strerror}") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _not_a_file(shown: str, what: str) -> UsageError:
    return UsageError(
        f"{shown} is {what}, not a regular file", "pass the path of a UTF-8 text file"
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def load_attachments(paths: Sequence[str], policy: AttachmentPolicy) -> tuple[Attachment, ...]:
    return tuple(read_attachment(path, policy) for path in paths)


def render_attachment(attachment: Attachment, policy: AttachmentPolicy) -> str:
    """One `Attachment ...` block; oversized files are only read under chunk or summarize."""
    if attachment.size <= MAX_ATTACHMENT_BYTES:
        return f"Attachment {attachment.path}:\n{attachment.text}"
    head = (
        f"Attachment {attachment.path} exceeded {MAX_ATTACHMENT_BYTES} bytes "
        f"({attachment.size} bytes);"
    )
    if policy == "chunk":
        parts = chunk_utf8(attachment.text.encode("utf-8"), CHUNK_BYTES)
        body = "".join(f"\n[chunk {i}/{len(parts)}]\n{part}" for i, part in enumerate(parts, 1))
        return f"{head} chunked into {len(parts)} part(s).{body}"
    return f"{head} summarized instead of truncating.\n{summarize(attachment.text)}"


def chunk_utf8(data: bytes, limit: int) -> list[str]:
    """Split UTF-8 bytes into parts of at most `limit` bytes without cutting a character."""
    if limit < 4:
        raise ValueError("limit must hold at least one UTF-8 character (4 bytes)")
    parts: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + limit, len(data))
        # Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return parts


def summarize(text: str) -> str:
    anchors: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(("#", "- ")) or _ANCHOR_RE.search(line):
            anchors.append(line)
            if len(anchors) == MAX_ANCHORS:
                break
    preview = clip(text, PREVIEW_CHARS + len(DOTS))  # the start, `...` if cut
    anchor_text = "\n".join(anchors) if anchors else "(none)"
    return f"Anchors:\n{anchor_text}\nPreview:\n{preview}"


def render_prompt(base: str, attachments: Sequence[Attachment], policy: AttachmentPolicy) -> str:
    """The operator's full prompt: `{base}` plus an `Attached files:` section when there are any."""
    if not attachments:
        return base
    blocks = "\n\n".join(render_attachment(item, policy) for item in attachments)
    return f"{base}\n\nAttached files:\n{blocks}"
