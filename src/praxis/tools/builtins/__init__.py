"""Built-in tools the model can call (SPEC §7.2): file-read, memory-search, memory-write,
goal-complete and shell. `praxis-data-write` is a manifest tool and lives in `praxis.tools`.
"""

from __future__ import annotations

from praxis.tools.builtins.base import BuiltinTool


def builtin_tools() -> dict[str, BuiltinTool]:
    """Every built-in tool by name, in the order they are offered to the model."""
    from praxis.tools.builtins.file_read import FILE_READ
    from praxis.tools.builtins.goal_complete import GOAL_COMPLETE
    from praxis.tools.builtins.memory_tools import MEMORY_SEARCH, MEMORY_WRITE
    from praxis.tools.builtins.shell import SHELL

    tools = (FILE_READ, MEMORY_SEARCH, MEMORY_WRITE, GOAL_COMPLETE, SHELL)
    return {tool.name: tool for tool in tools}


__all__ = ["BuiltinTool", "builtin_tools"]
