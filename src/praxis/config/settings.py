"""praxis.toml: the typed settings of one Praxis instance, their defaults and validation."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.toml_source import TomlSource

BACKENDS = ("stub", "claude", "openai", "ollama", "router")
MAX_DAYS = 36_500  # day counts beyond a century only overflow date arithmetic
MAX_TIMEOUT_SECONDS = 86_400.0
BACKEND_LIST_TEXT = '"stub", "claude", "openai", "ollama", or "router"'


class BudgetEntry(NamedTuple):
    source: str
    priority: int
    max_pct: float


# Percentages sum to exactly 1.0 (the original's summed to 1.05). The original's `predictions`
# slot never received any input, so it is gone; its share went to the task.
DEFAULT_CONTEXT_BUDGET: tuple[BudgetEntry, ...] = (
    BudgetEntry("identity", 1, 0.05),
    BudgetEntry("agents", 2, 0.05),
    BudgetEntry("active_goals", 3, 0.10),
    BudgetEntry("do_not_repeat", 4, 0.07),
    BudgetEntry("known_bugs", 5, 0.06),
    BudgetEntry("memory_hot", 6, 0.17),
    BudgetEntry("memory_cold", 7, 0.11),
    BudgetEntry("patterns", 8, 0.05),
    BudgetEntry("journal", 9, 0.05),
    BudgetEntry("tools", 10, 0.05),
    BudgetEntry("task", 11, 0.24),
)


class InstanceSettings(NamedTuple):
    name: str = "Praxis"
    timezone: str = "UTC"
    data_dir: str = ""


class RuntimeSettings(NamedTuple):
    quiet_hours_start: str = "23:00"
    quiet_hours_end: str = "07:00"
    state_file: str = "session_state.json"
    daily_backup_snapshots: bool = False
    snapshot_retention_days: int = 7
    snapshot_retention_count: int = 7


MAX_REPLY_BYTES = 100_000_000


class AgentSettings(NamedTuple):
    backend: str = "stub"
    context_ceiling_pct: float = 0.8
    profile: str = "quality"
    model_pin: str | None = None
    local_first_fallback: bool = False
    freeze_on_model_regression: bool = False
    max_tool_calls: int = 8
    canary_max_age_days: int = 7
    approval_wait_hours: float = 72.0
    max_reply_bytes: int = 200_000  # a provider reply larger than this is refused, never stored


class ContextSettings(NamedTuple):
    window_tokens: int = 12000
    budget: tuple[BudgetEntry, ...] = DEFAULT_CONTEXT_BUDGET


class MemorySettings(NamedTuple):
    hot_days: int = 14
    hot_capacity: int = 500
    max_chars: int = 600  # a stored memory / journal summary is cut to this many characters
    merge_similarity: float = 0.8  # token-set similarity at which consolidation merges memories
    decay_after_days: int = 90  # cold memories not reinforced for this long decay (once a day)
    decay_factor: float = 0.97
    decay_floor: float = 0.25


class ShellSettings(NamedTuple):
    """The built-in `shell` tool: argv only, commands by name, run in workspace/."""

    allowed_commands: tuple[str, ...] = (
        "ls",
        "cat",
        "head",
        "tail",
        "wc",
        "grep",
        "date",
        "echo",
        "pwd",
    )
    safe_commands: tuple[str, ...] = ("ls", "echo", "pwd", "wc")  # run without approval
    timeout_seconds: float = 30.0
    max_output_bytes: int = 16_384


class Settings(NamedTuple):
    instance: InstanceSettings = InstanceSettings()
    runtime: RuntimeSettings = RuntimeSettings()
    database_path: str = "praxis.db"
    security_level: int = 2
    agent: AgentSettings = AgentSettings()
    context: ContextSettings = ContextSettings()
    memory: MemorySettings = MemorySettings()
    shell: ShellSettings = ShellSettings()

    def resolve(self, root: Path, value: str) -> Path:
        """A configured path under the data dir (parse_settings refused any that escape it)."""
        return root / value

    def with_data_dir(self, root: Path) -> Settings:
        return self._replace(instance=self.instance._replace(data_dir=str(root)))


def parse_settings(source: TomlSource) -> Settings:
    """Validate praxis.toml with the original's messages, each pointing at its line."""
    instance = TableReader.of(source, "instance")
    name = instance.nonblank_string("name", "Praxis")
    timezone = instance.string("timezone", "UTC")
    _check_timezone(instance, timezone)

    runtime = _parse_runtime(TableReader.of(source, "runtime"))

    database = TableReader.of(source, "database")
    db_path = database.nonblank_string("path", "praxis.db")
    _check_inside(database, "path", db_path, "praxis.db")

    security = TableReader.of(source, "security")
    level = security.integer("level", 2)
    if not 1 <= level <= 4:
        raise security.fail(
            "level", "security.level must be between 1 and 4", "set level = 1, 2, 3 or 4"
        )

    return Settings(
        instance=InstanceSettings(name=name, timezone=timezone),
        runtime=runtime,
        database_path=db_path,
        security_level=level,
        agent=_parse_agent(TableReader.of(source, "agent")),
        context=_parse_context(source),
        memory=_parse_memory(TableReader.of(source, "memory")),
        shell=_parse_shell(source),
    )


def _check_inside(table: TableReader, key: str, value: str, example: str) -> None:
    """A configured file must stay inside the data dir: relative, no `..` escaping it, no `~`."""
    import posixpath

    name = f"{table.table}.{key}"
    normal = posixpath.normpath(value.replace("\\", "/"))
    if Path(value).is_absolute() or value.startswith("~") or normal.startswith("/"):
        problem = "must be a path relative to the data dir, not an absolute path"
    elif normal == ".." or normal.startswith("../"):
        problem = "must stay inside the data dir (`..` leads out of it)"
    elif normal == "." or value.endswith(("/", "\\")) or "\x00" in value:
        problem = "must name a file inside the data dir"
    else:
        return
    raise table.fail(key, f"{name} {problem}, got {value!r}", f'set {key} = "{example}"')


def _check_timezone(table: TableReader, timezone: str) -> None:
    from praxis.clock import load_timezone
    from praxis.errors import ConfigError

    try:
        load_timezone(timezone)
    except ConfigError:
        raise table.fail(
            "timezone",
            f"invalid timezone {timezone}",
            "use an IANA name such as UTC or Europe/Berlin",
        ) from None


def _parse_runtime(table: TableReader) -> RuntimeSettings:
    from praxis.clock import parse_hhmm

    defaults = RuntimeSettings()
    hours: dict[str, str] = {}
    for key in ("quiet_hours_start", "quiet_hours_end"):
        value = table.string(key, getattr(defaults, key))
        try:
            parse_hhmm(value)
        except ValueError:
            raise table.fail(
                key,
                f"invalid quiet-hours time {value}, expected HH:MM",
                f'write {key} = "23:00" (24-hour clock)',
            ) from None
        hours[key] = value
    state_file = table.nonblank_string("state_file", defaults.state_file)
    _check_inside(table, "state_file", state_file, "session_state.json")
    retention = {
        "snapshot_retention_days": table.positive_integer(
            "snapshot_retention_days", defaults.snapshot_retention_days, maximum=MAX_DAYS
        ),
        "snapshot_retention_count": table.positive_integer(
            "snapshot_retention_count", defaults.snapshot_retention_count
        ),
    }
    return RuntimeSettings(
        quiet_hours_start=hours["quiet_hours_start"],
        quiet_hours_end=hours["quiet_hours_end"],
        state_file=state_file,
        daily_backup_snapshots=table.boolean("daily_backup_snapshots", False),
        **retention,
    )


def _parse_agent(table: TableReader) -> AgentSettings:
    defaults = AgentSettings()
    backend = table.string("backend", defaults.backend)
    if backend not in BACKENDS:
        raise table.fail(
            "backend",
            f"agent.backend must be one of {BACKEND_LIST_TEXT}, got {backend}",
            'set backend = "stub" to run offline',
        )
    ceiling = table.number("context_ceiling_pct", defaults.context_ceiling_pct)
    if not 0.0 < ceiling <= 1.0:
        raise table.fail(
            "context_ceiling_pct",
            "agent.context_ceiling_pct must be greater than 0.0 and at most 1.0",
            "set context_ceiling_pct = 0.8",
        )
    profile = table.nonblank_string("profile", defaults.profile)
    model_pin = table.optional_string("model_pin")
    if model_pin is not None and not model_pin.strip() and backend in ("claude", "openai"):
        raise table.fail(
            "model_pin",
            "agent.model_pin must not be blank when provided",
            "remove model_pin or name a model",
        )
    max_tool_calls = table.positive_integer("max_tool_calls", defaults.max_tool_calls)
    canary_age = table.positive_integer(
        "canary_max_age_days", defaults.canary_max_age_days, maximum=MAX_DAYS
    )
    approval_wait = table.positive_number(
        "approval_wait_hours", defaults.approval_wait_hours, maximum=MAX_DAYS * 24
    )
    return AgentSettings(
        backend=backend,
        context_ceiling_pct=ceiling,
        profile=profile,
        model_pin=model_pin if model_pin and model_pin.strip() else None,
        local_first_fallback=table.boolean("local_first_fallback", False),
        freeze_on_model_regression=table.boolean("freeze_on_model_regression", False),
        max_tool_calls=max_tool_calls,
        canary_max_age_days=canary_age,
        approval_wait_hours=approval_wait,
        max_reply_bytes=table.positive_integer(
            "max_reply_bytes", defaults.max_reply_bytes, maximum=MAX_REPLY_BYTES
        ),
    )


def _parse_context(source: TomlSource) -> ContextSettings:
    if "context" not in source.data:
        return ContextSettings()
    table = TableReader.of(source, "context")
    window = table.integer("window_tokens")
    if window <= 0:
        raise table.fail(
            "window_tokens",
            "context.window_tokens must be greater than 0",
            "set window_tokens = 12000",
        )
    entries = table.nonempty_tables(
        "budget",
        "context.budget must include at least one entry",
        "add [[context.budget]] entries with source, priority and max_pct",
    )
    budget = tuple(_parse_budget_entry(entry) for entry in entries)
    if len({b.priority for b in budget}) != len(budget):
        raise table.fail(
            "budget",
            "context.budget priorities must be unique",
            "give every source its own priority",
        )
    return ContextSettings(window_tokens=window, budget=budget)


def _parse_budget_entry(entry: TableReader) -> BudgetEntry:
    source_name = entry.nonblank_string(
        "source", message="context.budget source must not be empty", hint="name a source"
    )
    priority = entry.integer("priority")
    if not 0 <= priority <= 255:
        raise entry.fail(
            "priority", "context.budget priority must be between 0 and 255", "use 1..255"
        )
    max_pct = entry.number("max_pct")
    if not 0.0 < max_pct <= 1.0:
        raise entry.fail(
            "max_pct",
            f"context.budget max_pct for {source_name} must be greater than 0.0 and at most 1.0",
            "use a fraction such as 0.05",
        )
    return BudgetEntry(source_name, priority, max_pct)


MAX_MEMORY_CHARS = 20_000
MAX_HOT_CAPACITY = 1_000_000


def _parse_memory(table: TableReader) -> MemorySettings:
    defaults = MemorySettings()

    def fraction(key: str, default: float, low: float, high: float, shown: str) -> float:
        value = table.number(key, default)
        if not low < value <= high:
            raise table.fail(key, f"memory.{key} must be {shown}", f"set {key} = {default!r}")
        return value

    max_chars = table.positive_integer("max_chars", defaults.max_chars, maximum=MAX_MEMORY_CHARS)
    if max_chars < 100:
        raise table.fail(
            "max_chars", "memory.max_chars must be at least 100", "set max_chars = 600"
        )
    return MemorySettings(
        hot_days=table.positive_integer("hot_days", defaults.hot_days, maximum=MAX_DAYS),
        hot_capacity=table.positive_integer(
            "hot_capacity", defaults.hot_capacity, maximum=MAX_HOT_CAPACITY
        ),
        max_chars=max_chars,
        merge_similarity=fraction(
            "merge_similarity",
            defaults.merge_similarity,
            0.5,
            1.0,
            "greater than 0.5 and at most 1.0",
        ),
        decay_after_days=table.positive_integer(
            "decay_after_days", defaults.decay_after_days, maximum=MAX_DAYS
        ),
        decay_factor=fraction(
            "decay_factor", defaults.decay_factor, 0.0, 1.0, "greater than 0.0 and at most 1.0"
        ),
        decay_floor=fraction(
            "decay_floor", defaults.decay_floor, 0.0, 1.0, "greater than 0.0 and at most 1.0"
        ),
    )


def _parse_shell(source: TomlSource) -> ShellSettings:
    tools = source.data.get("tools", {})
    raw = tools.get("shell", {}) if isinstance(tools, dict) else {}
    if not isinstance(raw, dict):
        raise source.error(
            "[tools.shell] must be a table", "write it as a [tools.shell] section", "tools.shell"
        )
    table = TableReader(source, "tools.shell", raw)
    defaults = ShellSettings()
    allowed = tuple(table.string_list("allowed_commands", list(defaults.allowed_commands)))
    safe = tuple(table.string_list("safe_commands", list(defaults.safe_commands)))
    for name in (*allowed, *safe):
        if not name or "/" in name or name != name.strip():
            raise table.fail(
                "allowed_commands",
                f"tools.shell command names must be bare program names, got {name!r}",
                'list names such as "ls", not paths or command lines',
            )
    unknown = [name for name in safe if name not in allowed]
    if unknown:
        raise table.fail(
            "safe_commands",
            f"tools.shell safe_commands must also be allowed_commands: {', '.join(unknown)}",
            "add them to allowed_commands or remove them from safe_commands",
        )
    timeout = table.positive_number(
        "timeout_seconds", defaults.timeout_seconds, maximum=MAX_TIMEOUT_SECONDS
    )
    cap = table.positive_integer("max_output_bytes", defaults.max_output_bytes)
    return ShellSettings(allowed, safe, timeout, cap)
