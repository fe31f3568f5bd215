"""`shell`: run one allow-listed program with an argv list, in `workspace/`, with a hard timeout.

There is no shell string and no shell: `argv[0]` must be a bare name in `[tools.shell]
allowed_commands`, resolved on a fixed PATH. The child gets no stdin, a minimal environment (no
provider keys or bot tokens), `workspace/` as cwd and HOME, a timeout that kills its whole process
group, and its output capped and redacted.

Arguments that name paths outside `workspace/` (absolute paths, `..` that climbs out, symlinks
that lead out) are refused. That check is defence in depth, NOT a sandbox: an allowed program can
still reach anything the Praxis user can (an option with an attached path, a script's own code).
Keep `allowed_commands` to read-only tools and let approval gate everything not in
`safe_commands`.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from praxis.config.settings import Settings
from praxis.redact import redact
from praxis.tools.builtins.base import (
    Arguments,
    BuiltinTool,
    ToolContext,
    ToolOutcome,
    failure,
    guarded,
    object_schema,
    one_line,
)

NAME = "shell"
SAFE_PATH = (
    "/opt/homebrew/bin:" if sys.platform == "darwin" else ""
) + "/usr/local/bin:/usr/bin:/bin"
MAX_ARGS = 64
ARG_MAX_CHARS = 4096
_REDACT_SLACK = 256  # bytes kept past the cap so a secret cut at the edge is still recognised

SCHEMA = object_schema(
    ("argv",),
    argv={
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_ARGS,
        "items": {"type": "string", "minLength": 1, "maxLength": ARG_MAX_CHARS},
        "description": 'Program and arguments, e.g. ["ls", "-l"]. No shell syntax.',
    },
    timeout_seconds={
        "type": "number",
        "exclusiveMinimum": 0,
        "description": "Stop the command after this many seconds (capped by the operator).",
    },
)


class Finished(NamedTuple):
    exit_code: int | None  # None when it timed out
    output: bytes  # the first bytes of stdout+stderr (cap + a little slack)
    total_bytes: int


def refusal(arguments: Arguments, settings: Settings) -> str | None:
    """Why this call may not run even with approval (a command outside the allow-list)."""
    argv = arguments.get("argv") if isinstance(arguments, Mapping) else None
    if not isinstance(argv, list) or not argv or not isinstance(argv[0], str):
        return "argv must be a non-empty list of strings"
    allowed = settings.shell.allowed_commands
    if argv[0] not in allowed:
        listed = ", ".join(allowed) if allowed else "none"
        return f"command {argv[0]!r} is not allowed; allowed: {listed}"
    return None


def requires_approval(arguments: Arguments, settings: Settings) -> bool:
    """Only allow-listed `safe_commands` run without approval."""
    if refusal(arguments, settings) is not None:
        return True
    return arguments["argv"][0] not in settings.shell.safe_commands


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def escaping_argument(argv: list[str], workspace: Path) -> str | None:
    """The first argument that names a path outside `workspace`, lexically or via symlinks."""
    lexical_root = os.path.abspath(workspace)
    real_root = os.path.realpath(workspace)
    for arg in argv[1:]:
        # `--file=/etc/passwd` and `-f/etc/passwd` (a short option's attached value) name paths
        # too; so does anything after an `@` (curl-style "read from file").
        candidates = [arg]
        if arg.startswith("-"):
            candidates += [arg.partition("=")[2], arg.lstrip("-")[1:]]
        if "@" in arg:
            candidates.append(arg.partition("@")[2])
        for candidate in filter(None, candidates):
            joined = os.path.join(lexical_root, candidate)
            if not _inside(os.path.normpath(joined), lexical_root):
                return arg
            if not _inside(os.path.realpath(joined), real_root):
                return arg
    return None


def child_environment(workspace: Path) -> dict[str, str]:
    """Built from nothing, so no key, token or operator variable can leak in."""
    return {"PATH": SAFE_PATH, "HOME": str(workspace), "LANG": "C.UTF-8"}


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _collect(fd: int, deadline: float, keep: int) -> tuple[bytearray, int, bool]:
    """Read until end of file or the deadline: (first `keep` bytes, total bytes, timed out)."""
    kept = bytearray()
    total = 0
    os.set_blocking(fd, False)
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return kept, total, True
            if not selector.select(remaining):
                continue
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return kept, total, False
            total += len(chunk)
            # Read on past the cap (and drop it) so the child never blocks on a full pipe.
            if len(kept) < keep:
                kept.extend(chunk[: keep - len(kept)])


def execute(program: str, argv: list[str], cwd: Path, timeout: float, cap: int) -> Finished:
    proc = subprocess.Popen(
        argv,
        executable=program,
        cwd=cwd,
        env=child_environment(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    try:
        kept, total, timed_out = _collect(proc.stdout.fileno(), deadline, cap + _REDACT_SLACK)
        if not timed_out:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        # Also after a normal exit: nothing the command started may outlive it.
        _kill_group(proc.pid)
        proc.stdout.close()
        proc.wait()
    return Finished(None if timed_out else proc.returncode, bytes(kept), total)


def _render(result: Finished, cap: int, secrets: tuple[str, ...], timeout: float) -> str:
    text = redact(result.output.decode("utf-8", errors="replace"), secrets)
    shown = text.encode("utf-8")[:cap].decode("utf-8", errors="ignore")
    if result.exit_code is None:
        head = f"timed out after {timeout:g}s; the command was stopped"
    else:
        head = f"exit_code: {result.exit_code}"
    lines = [head, shown.rstrip("\n")] if shown else [head]
    if result.total_bytes > cap:
        lines.append(f"[output truncated: showing the first {cap} of {result.total_bytes} bytes]")
    return "\n".join(lines)


def _workspace(ctx: ToolContext) -> Path:
    from praxis.errors import StateError

    workspace = ctx.data_dir.workspace_dir
    if workspace.is_symlink() or (workspace.exists() and not workspace.is_dir()):
        raise StateError("workspace/ must be a real directory, not a symlink or a file")
    try:
        workspace.mkdir(exist_ok=True)
    except OSError as exc:
        raise StateError(f"cannot create workspace/: {exc.strerror or exc}") from None
    return workspace


def _run(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    from praxis.quality.commands import child_environment as known_secret_environment

    reason = refusal(arguments, ctx.settings)
    if reason is not None:
        return failure(NAME, reason)
    argv: list[str] = list(arguments["argv"])
    if any("\x00" in arg for arg in argv):
        return failure(NAME, "arguments must not contain NUL bytes")
    program = shutil.which(argv[0], path=SAFE_PATH)
    if program is None:
        return failure(NAME, f"command {argv[0]!r} was not found on PATH {SAFE_PATH}")
    workspace = _workspace(ctx)
    escaping = escaping_argument(argv, workspace)
    if escaping is not None:
        return failure(NAME, f"argument {escaping!r} names a path outside workspace/")
    shell = ctx.settings.shell
    timeout = min(
        float(arguments.get("timeout_seconds", shell.timeout_seconds)), shell.timeout_seconds
    )
    secrets = known_secret_environment()[1]
    command = one_line(redact(" ".join(argv), secrets), 100)
    try:
        result = execute(program, argv, workspace, timeout, shell.max_output_bytes)
    except OSError as exc:
        return failure(NAME, f"cannot start {argv[0]}: {exc.strerror or exc}")
    output = _render(result, shell.max_output_bytes, secrets, timeout)
    if result.exit_code is None:
        return ToolOutcome(False, output, f"shell {command} -> timed out after {timeout:g}s")
    return ToolOutcome(result.exit_code == 0, output, f"shell {command} -> exit {result.exit_code}")


SHELL = BuiltinTool(
    name=NAME,
    description=(
        "Run one allow-listed program (argv list, no shell syntax) in the workspace/ directory. "
        "Returns its exit code and output (stdout and stderr, capped)."
    ),
    parameters=SCHEMA,
    requires_approval=requires_approval,
    run=guarded(NAME, SCHEMA, _run),
)
