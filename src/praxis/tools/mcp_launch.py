"""How an MCP server is started so that it dies with Praxis, though the SDK takes no `preexec_fn`.

The SDK spawns the command we give it in a new session (its own process group). We give it
`python -I -S praxis/child_exec.py …  -- <the manifest's command>`: that wrapper asks the kernel
to kill it when Praxis dies (Linux), sets an alarm a little past the server's timeout, writes its
pid to a private file and `exec`s the server in its own place. Once the server has answered,
Praxis records the group in `tool_processes.json` (`praxis.child_processes`) until it has stopped,
so the next start also reaps what a killed Praxis left running below the server (`npx`, `uvx` and
the like start the real server as a child, which PDEATHSIG does not reach).

PDEATHSIG fires when the *thread* that forked the child ends, not the process. The SDK forks
from the thread that runs the session's event loop, and `mcp_client` runs each session inside
one synchronous call (`anyio.run` on the caller's thread) that stops the server before it
returns: that thread always outlives its server, so a thread ending never kills a live server.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from praxis import child_exec
from praxis import child_processes as children
from praxis.paths import DataDir
from praxis.tools.mcp_manifest import McpServerSpec


class Launch:
    """One server start: the argv the SDK runs, and the record of its process group."""

    def __init__(self, spec: McpServerSpec, environment: Mapping[str, str], cwd: Path | None):
        _require_program(spec.command[0], environment, cwd)
        self.root = _data_root(spec)
        self.pid: int | None = None
        self.pid_file: Path | None = None
        if os.name != "posix" or not sys.executable:
            self.argv = list(spec.command)
            return
        if self.root is not None:
            children.reap_leftovers(self.root)
            fd, name = tempfile.mkstemp(prefix="praxis-mcp-", suffix=".pid")
            os.close(fd)
            self.pid_file = Path(name)
        wrapper = os.path.abspath(child_exec.__file__)
        seconds = children.alarm_seconds(spec.timeout_seconds)
        setup = [str(os.getpid()), str(seconds), str(self.pid_file or "")]
        self.argv = [sys.executable, "-I", "-S", wrapper, *setup, "--", *spec.command]

    def record(self) -> None:
        """Put the server's group on record (call it once the server has answered)."""
        if self.root is None or self.pid_file is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self.pid = int(self.pid_file.read_text(encoding="ascii"))
            children.register(self.root, self.pid, "mcp")
        self.pid_file.unlink(missing_ok=True)  # now: a Praxis killed later leaves nothing in /tmp
        self.pid_file = None

    def forget(self) -> None:
        """Drop the record and the pid file (call it once the server has stopped)."""
        if self.root is not None and self.pid is not None:
            children.unregister(self.root, self.pid)
        if self.pid_file is not None:
            self.pid_file.unlink(missing_ok=True)


def _require_program(program: str, environment: Mapping[str, str], cwd: Path | None) -> None:
    """Fail as the spawn itself would: the wrapper always starts, so a missing program would
    otherwise look like a server that closed the connection."""
    where = os.path.join(cwd, program) if cwd is not None and os.sep in program else program
    if shutil.which(where, path=environment.get("PATH", os.defpath)) is None:
        code = errno.EACCES if os.sep in program and os.path.exists(where) else errno.ENOENT
        raise OSError(code, os.strerror(code), program)


def _data_root(spec: McpServerSpec) -> Path | None:
    """The initialized data dir whose `tools/` holds this manifest; None for one elsewhere."""
    if spec.path is None:
        return None
    data_dir = DataDir(spec.path.parent.parent)
    if spec.path.parent != data_dir.tools_dir or not data_dir.is_initialized():
        return None
    return data_dir.root
