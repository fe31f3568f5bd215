"""`shell`: run one allow-listed program with an argv list, in `workspace/`, with a hard timeout.

There is no shell string and no shell: `argv[0]` must be a bare name in `[tools.shell]
allowed_commands`, resolved on a fixed PATH. The child gets no stdin, a minimal environment (no
provider keys or bot tokens), `workspace/` as cwd and HOME, a timeout that kills its whole process
group, and its output capped and redacted. It dies with Praxis (see `praxis.child_processes`).

What arguments may name is `shell_policy`: paths outside `workspace/`, symlinks, hard links and
FIFOs are refused when the model asks (a call that can never run is never queued for approval);
options that follow symlinks need approval even for a safe command. That check is defence in
depth, NOT a sandbox: an allowed program can still reach anything the Praxis user can (a
script's own code). Keep `allowed_commands` to read-only tools and let approval gate everything
not in `safe_commands`.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from praxis import child_processes as children
from praxis.config.settings import Settings
from praxis.paths import DataDir
from praxis.redact import redact
from praxis.text import one_line
from praxis.tools.builtins.base import (
    Arguments,
    ToolContext,
    ToolOutcome,
    builtin_tool,
    failure,
)
from praxis.tools.builtins.schema import object_schema, string_schema
from praxis.tools.builtins.shell_policy import (
    SAFE_PATH,
    argv_problem,
    escaping_argument,
    following_option,
    workspace_problem,
)

__all__ = ["SAFE_PATH", "SHELL", "escaping_argument", "refusal", "requires_approval"]

NAME = "shell"
MAX_ARGS = 64
ARG_MAX_CHARS = 4096
_REDACT_SLACK = 256  # bytes kept past the cap so a secret cut at the edge is still recognised

SCHEMA = object_schema(
    ("argv",),
    argv={
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_ARGS,
        "items": string_schema(ARG_MAX_CHARS),
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


def _workspace_of(settings: Settings) -> Path | None:
    root = settings.instance.data_dir
    return DataDir(Path(root)).workspace_dir if root else None


def refusal(arguments: Arguments, settings: Settings, workspace: Path | None = None) -> str | None:
    """Why this call may not run even with approval: a command outside the allow-list, a path
    outside `workspace/`, a file that is not a plain regular file. Secret shapes are redacted."""
    argv = arguments.get("argv") if isinstance(arguments, Mapping) else None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        return "argv must be a non-empty list of strings"
    where = workspace if workspace is not None else _workspace_of(settings)
    problem = argv_problem(argv, settings.shell.allowed_commands, where)
    return None if problem is None else redact(problem)


def requires_approval(arguments: Arguments, settings: Settings) -> bool:
    """Only allow-listed `safe_commands` run without approval, and only without options that
    follow symlinks."""
    if refusal(arguments, settings) is not None:
        return True
    argv: list[str] = arguments["argv"]
    return argv[0] not in settings.shell.safe_commands or following_option(argv) is not None


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


def execute(
    program: str,
    argv: list[str],
    cwd: Path,
    timeout: float,
    cap: int,
    registry: Path | None = None,
) -> Finished:
    """Run to completion or `timeout`. With `registry` (the data dir), the child's process group
    is recorded there while it runs, and leftovers of a killed Praxis are reaped first."""
    if registry is not None:
        children.reap_leftovers(registry)
    proc = subprocess.Popen(
        argv,
        executable=program,
        cwd=cwd,
        env=child_environment(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=children.preexec_for(timeout),
    )
    assert proc.stdout is not None
    if registry is not None:
        children.register(registry, proc.pid, "shell")
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
        if registry is not None:
            children.unregister(registry, proc.pid)
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
    problem = workspace_problem(workspace)
    if problem is not None:
        raise StateError(problem)
    try:
        workspace.mkdir(exist_ok=True)
    except OSError as exc:
        raise StateError(f"cannot create workspace/: {exc.strerror or exc}") from None
    return workspace


# What the model is shown for this tool.
DESCRIPTION = (
    "Run one allow-listed program (argv list, no shell syntax) in the workspace/ directory. "
    "Returns its exit code and output (stdout and stderr, capped)."
)


def _run(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    """The shell call."""
    from praxis.quality.commands import child_environment as known_secret_environment

    # The same rules the request passed, again now: the workspace may have changed since.
    reason = refusal(arguments, ctx.settings, ctx.data_dir.workspace_dir)
    if reason is not None:
        return failure(NAME, reason)
    workspace = _workspace(ctx)
    argv: list[str] = list(arguments["argv"])
    program = shutil.which(argv[0], path=SAFE_PATH)
    if program is None:  # removed since the check above
        return failure(NAME, f"command {argv[0]!r} was not found on PATH {SAFE_PATH}")
    shell = ctx.settings.shell
    timeout = min(
        float(arguments.get("timeout_seconds", shell.timeout_seconds)), shell.timeout_seconds
    )
    secrets = known_secret_environment()[1]
    command = one_line(redact(" ".join(argv), secrets), 100)
    try:
        result = execute(
            program, argv, workspace, timeout, shell.max_output_bytes, ctx.data_dir.root
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return failure(NAME, f"cannot start {argv[0]}: {getattr(exc, 'strerror', None) or exc}")
    output = _render(result, shell.max_output_bytes, secrets, timeout)
    if result.exit_code is None:
        return ToolOutcome(False, output, f"shell {command} -> timed out after {timeout:g}s")
    return ToolOutcome(result.exit_code == 0, output, f"shell {command} -> exit {result.exit_code}")


SHELL = builtin_tool(NAME, DESCRIPTION, SCHEMA, _run, requires_approval)
