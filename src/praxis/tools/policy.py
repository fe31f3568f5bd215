"""Tool request policy (reference §8.5): security level, circuit breakers, locked paths, allow-list.

Pure checks, run at request time and again at execution; messages are the reference's. The
filesystem half (symlinks, hard links, containment, the append itself) is in `paths_safe`.
"""

from __future__ import annotations

from collections.abc import Sequence

from praxis.errors import PolicyViolation
from praxis.paths import IDENTITY_FILES
from praxis.tools.manifest import Manifest
from praxis.tools.paths_safe import (
    append_once,
    is_locked,
    is_under,
    normalise,
    read_bytes_no_follow,
    resolve_for_read,
    resolve_for_write,
)

__all__ = [
    "APPEND_LIMIT_BYTES",
    "PROTECTED_FILES",
    "PROTECTED_LIMIT",
    "WRITE_PATH_LIMIT",
    "append_once",
    "check_request",
    "is_locked",
    "is_protected",
    "normalise",
    "read_bytes_no_follow",
    "resolve_for_read",
    "resolve_for_write",
]

WRITE_PATH_LIMIT = 8
APPEND_LIMIT_BYTES = 4096
PROTECTED_LIMIT = 2
# The identity documents (all but DAY_COUNT, which no tool may write anyway).
PROTECTED_FILES = frozenset(name.casefold() for name in IDENTITY_FILES if name.endswith(".md"))


def is_protected(path: str) -> bool:
    return path.casefold() in PROTECTED_FILES


def _allowed_roots(manifest: Manifest) -> list[str]:
    roots = []
    for entry in manifest.allowed_paths:
        try:
            roots.append(normalise(entry))
        except PolicyViolation:
            continue  # an unusable allow-list entry permits nothing
    return roots


def check_request(
    manifest: Manifest,
    write_paths: Sequence[str],
    append_text: str | None,
    security_level: int,
    request_id: int = 0,
) -> tuple[str, ...]:
    """Refuse (PolicyViolation) or return the normalised write paths, in request order."""
    name = manifest.name
    if manifest.required_level > security_level:
        raise PolicyViolation(
            f"tool {name} requires security level {manifest.required_level}, "
            f"but Praxis is configured for level {security_level}",
            "raise security.level in praxis.toml only if you trust this tool",
        )
    if len(write_paths) > WRITE_PATH_LIMIT:
        raise PolicyViolation(
            f"tool request {request_id} exceeds the write-path circuit breaker limit of "
            f"{WRITE_PATH_LIMIT}",
            f"split it into requests of at most {WRITE_PATH_LIMIT} paths",
        )
    if append_text is not None:
        try:
            size = len(append_text.encode("utf-8"))
        except UnicodeEncodeError:
            raise PolicyViolation("append text is not valid UTF-8", "send plain text") from None
        if size > APPEND_LIMIT_BYTES:
            raise PolicyViolation(
                f"tool request {request_id} exceeds the append-size circuit breaker limit of "
                f"{APPEND_LIMIT_BYTES} bytes",
                f"shorten the text to at most {APPEND_LIMIT_BYTES} bytes",
            )
    seen: set[str] = set()
    for path in write_paths:
        if path in seen:
            raise _repeats(request_id, path)
        seen.add(path)
    roots = _allowed_roots(manifest)
    clean_paths: list[str] = []
    folded: set[str] = set()
    for path in write_paths:
        clean = normalise(path)
        # `a/./b` and `a/b` (or `x.md` and `X.md` on a case-insensitive volume) are one file.
        if clean.casefold() in folded:
            raise _repeats(request_id, path)
        folded.add(clean.casefold())
        if is_locked(clean):
            raise PolicyViolation(
                f"tool request {request_id} targets locked path {path}",
                "config, state, tools/ and backups/ are edited by the operator, never by a tool",
            )
        if not any(is_under(clean, root) for root in roots):
            listed = ", ".join(manifest.allowed_paths) or "none"
            raise PolicyViolation(
                f"tool {name} is not allowed to write {path}", f"allowed paths: {listed}"
            )
        clean_paths.append(clean)
    if sum(1 for clean in clean_paths if is_protected(clean)) > PROTECTED_LIMIT:
        raise PolicyViolation(
            f"tool request {request_id} exceeds the protected-file circuit breaker limit of "
            f"{PROTECTED_LIMIT}",
            f"split it: at most {PROTECTED_LIMIT} of the identity files per request",
        )
    return tuple(clean_paths)


def _repeats(request_id: int, path: str) -> PolicyViolation:
    return PolicyViolation(
        f"tool request {request_id} repeats write path {path}", "list each path once"
    )
