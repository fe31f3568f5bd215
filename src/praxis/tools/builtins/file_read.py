"""`file-read`: read a file under the data dir's readable roots, through the anatomy index.

Readable: the markdown identity files at the root and everything under `goals/`, `learning/`,
`workspace/` and `evals/`. Never `.env`, the TOML config, the database, `tools/`, `backups/` or
logs. The path policy refuses escapes, symlinks anywhere in the path, FIFOs and devices. A file
that is unchanged since it was last read (this session or an earlier one) comes back as a short
note plus an anchor summary, as in the context engine.
"""

from __future__ import annotations

import stat

from praxis.paths import IDENTITY_FILES
from praxis.tools.builtins.base import Arguments, ToolContext, ToolOutcome, builtin_tool, failure
from praxis.tools.builtins.schema import object_schema, string_schema

NAME = "file-read"
READ_ROOTS: tuple[str, ...] = (
    *(name for name in IDENTITY_FILES if name.endswith(".md")),
    "goals",
    "learning",
    "workspace",
    "evals",
)
OUTPUT_CAP_BYTES = 16_384
# Bigger files are refused rather than hashed and indexed whole; `shell` `head` can page them.
MAX_FILE_BYTES = 1_048_576
PATH_MAX_CHARS = 1024

SCHEMA = object_schema(
    ("path",),
    path=string_schema(
        PATH_MAX_CHARS,
        "Path relative to the data dir: a root markdown file such as GOALS.md, or a file "
        "under goals/, learning/, workspace/ or evals/.",
    ),
)


def cap_text(text: str, cap: int = OUTPUT_CAP_BYTES) -> str:
    """`text` cut to at most `cap` UTF-8 bytes, with a note saying how much was left out."""
    data = text.encode("utf-8")
    if len(data) <= cap:
        return text
    shown = data[:cap].decode("utf-8", errors="ignore")
    return f"{shown}\n[truncated: showing the first {cap} of {len(data)} bytes]"


# What the model is shown for this tool.
DESCRIPTION = (
    "Read a text file in the Praxis data dir: a root markdown file (IDENTITY.md, GOALS.md, "
    "JOURNAL.md, ...) or a file under goals/, learning/, workspace/ or evals/. A file that "
    "has not changed since it was last read returns a short summary instead."
)


def _read(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    """The file-read call."""
    from praxis.context.anatomy import tracked_read
    from praxis.tools.policy import normalise, resolve_for_read

    rel = normalise(str(arguments["path"]))
    path = resolve_for_read(ctx.data_dir.root, rel, READ_ROOTS)
    try:
        info = path.lstat()
    except FileNotFoundError:
        return failure(NAME, f"{rel} does not exist")
    except OSError as exc:
        return failure(NAME, f"cannot read {rel}: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return failure(NAME, f"{rel} is {what}; give the path of a file")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        return failure(
            NAME, f"{rel} is {size} bytes, more than the {MAX_FILE_BYTES}-byte limit for file-read"
        )
    read = tracked_read(ctx.conn, path, f"tool:{NAME}", ctx.data_dir.root, {})
    if read.avoided:
        return ToolOutcome(True, cap_text(read.content), f"file-read {rel} (unchanged, summary)")
    return ToolOutcome(True, cap_text(read.content), f"file-read {rel} ({size} bytes)")


FILE_READ = builtin_tool(NAME, DESCRIPTION, SCHEMA, _read)
