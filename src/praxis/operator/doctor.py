"""`praxis doctor`: every check the original ran, plus database, secrets, disk and schedule sanity."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from praxis.app import Praxis
from praxis.errors import PraxisError
from praxis.report import Report

MIN_FREE_BYTES = 100 * 1024 * 1024
LOW_FREE_BYTES = 1024 * 1024 * 1024


@dataclass
class Check:
    name: str
    status: str = "ok"  # ok | warn | failed
    message: str = ""
    hint: str | None = None

    @property
    def line(self) -> str:
        if self.status == "ok":
            return "ok"
        fix = f"; fix: {self.hint}" if self.hint else ""
        return f"{self.status}: {self.message}{fix}"


@dataclass
class DoctorResult:
    checks: list[Check]
    report: Report = field(default_factory=Report)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failures


def _guard(name: str, body: Callable[[Check], None]) -> Check:
    check = Check(name)
    try:
        body(check)
    except PraxisError as exc:
        check.status, check.message, check.hint = "failed", exc.message, exc.hint
    return check


def run_doctor(app: Praxis) -> DoctorResult:
    counts = {"goal_criteria": 0, "evals": 0}
    checks = [
        _guard("config", lambda c: _check_config(app)),
        _guard("identity", lambda c: _check_identity(app)),
        _guard("goals", lambda c: _check_goals(app)),
        _guard("database", lambda c: _check_database(app, c, counts)),
        _guard("tools", lambda c: _check_tools(app, c)),
        _guard("providers", lambda c: _check_providers(app, c)),
        _guard("budgets", lambda c: _check_config(app)),
        _guard("heartbeat", lambda c: _check_heartbeat(app)),
        _guard("quality", lambda c: _check_quality(app, counts)),
        _guard("env_file", lambda c: _check_env_file(app, c)),
        _guard("canary_ledger", lambda c: _check_canary_ledger(app)),
        _guard("quiet_hours", lambda c: _check_quiet_hours(app, c)),
        _guard("disk", lambda c: _check_disk(app, c)),
        _guard("data_dir_writable", lambda c: _check_writable(app, c)),
        _guard("memory", lambda c: _check_memory(app, c)),
    ]
    result = DoctorResult(checks)
    report = result.report
    report.add("doctor", "ok" if result.ok else "failed")
    by_name = {c.name: c for c in checks}
    for name in (
        "config",
        "identity",
        "database",
        "tools",
        "providers",
        "budgets",
        "heartbeat",
        "quality",
    ):
        _add_check(report, by_name[name])
    report.add("goal_criteria", counts["goal_criteria"])
    report.add("evals", counts["evals"])
    report.add("backend", _backend(app))
    for name in (
        "goals",
        "env_file",
        "canary_ledger",
        "quiet_hours",
        "disk",
        "data_dir_writable",
        "memory",
    ):
        _add_check(report, by_name[name])
    report.add("memory_counts", by_name["memory"].message)
    if counts.get("schema_version"):
        report.add("schema_version", counts["schema_version"])
    report.add("tokenizer", _tokenizer(app))
    report.add("temp_files", _temp_files(app))
    report.add("temp_dirs", _temp_dirs(app))
    report.extra("checks", [c.__dict__ for c in checks])
    return result


def _add_check(report: Report, check: Check) -> None:
    report.add(check.name, check.line, check.status)


def _backend(app: Praxis) -> str:
    try:
        return app.config.backend
    except PraxisError:
        return "unknown"


def _tokenizer(app: Praxis) -> str:
    from praxis.operator.doctor_providers import tokenizer_description

    try:
        return tokenizer_description(app)
    except PraxisError:
        return "unknown"


def _temp_files(app: Praxis) -> int:
    """Temp files left by killed writes (the next session removes them)."""
    from praxis.tempfiles import stale_temp_files

    try:
        extra: tuple[Path, ...] = (app.state_file.parent,)
    except PraxisError:
        extra = ()
    return len(stale_temp_files(app.data_dir, extra))


def _temp_dirs(app: Praxis) -> int:
    """Work dirs of killed imports into this data dir and of killed snapshots (the next import
    or `snapshots create` removes them)."""
    from praxis.archive.workdirs import leftovers

    return len(leftovers(app.data_dir))


def _check_config(app: Praxis) -> None:
    app.config  # noqa: B018 - loading validates every config file


def _check_identity(app: Praxis) -> None:
    from praxis.identity.foundation import validate_identity

    validate_identity(app.data_dir)


def _check_goals(app: Praxis) -> None:
    from praxis.identity.goals import load_goals

    load_goals(app.data_dir)


def _check_database(app: Praxis, check: Check, counts: dict[str, int]) -> None:
    from praxis.errors import CheckFailed
    from praxis.storage.db import code_schema_version, integrity, missing_tables, schema_version

    db = app.db
    verdict = integrity(db)
    if verdict != "ok":
        raise CheckFailed(
            f"integrity_check reported: {verdict}",
            "restore the database from a snapshot (`praxis snapshots list`, `praxis import`)",
        )
    missing = missing_tables(db)
    if missing:
        raise CheckFailed(
            f"tables missing from {app.database_file}: {', '.join(missing)}",
            "restore the database from a snapshot or re-create it with `praxis init`",
        )
    version = schema_version(db)
    counts["schema_version"] = version
    check.message = f"schema_version={version}"
    if version != code_schema_version():
        raise CheckFailed(
            f"schema version {version}, expected {code_schema_version()}",
            "run any praxis command to migrate",
        )


def _check_tools(app: Praxis, check: Check) -> None:
    from praxis.tools.manifest import load_registry

    check.message = f"{len(load_registry(app.data_dir.tools_dir))} registered"


def _check_providers(app: Praxis, check: Check) -> None:
    from praxis.operator.doctor_providers import provider_findings

    summary, warnings = provider_findings(app)
    check.message = summary
    if warnings:
        check.status = "warn"
        check.message = "; ".join(warnings)
        check.hint = "see providers.toml and the environment variables it names"


def _check_canary_ledger(app: Praxis) -> None:
    from praxis.providers.freeze import load_records

    _regular_files(app.data_dir.model_canary)
    load_records(app.data_dir.model_canary)


def _check_heartbeat(app: Praxis) -> None:
    from praxis.heartbeat import read_heartbeat

    read_heartbeat(app.data_dir)


def _check_quality(app: Praxis, counts: dict[str, int]) -> None:
    from praxis.quality.specs import load_all_criteria, load_all_evals

    _regular_files(
        *app.data_dir.criteria_dir.glob("*.json"), *app.data_dir.evals_dir.glob("*.json")
    )
    counts["goal_criteria"] = len(load_all_criteria(app.data_dir.criteria_dir))
    counts["evals"] = len(load_all_evals(app.data_dir.evals_dir))


def _regular_files(*paths: Path) -> None:
    """Refuse a FIFO or device before a reader that would block on it opens it."""
    from praxis.safe_read import check_regular

    for path in paths:
        if path.exists():
            check_regular(path)


def _check_env_file(app: Praxis, check: Check) -> None:
    import stat

    from praxis.errors import CheckFailed
    from praxis.safe_read import not_regular

    path = app.data_dir.dotenv
    if not path.exists():
        check.message = "absent"
        return
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(path, info.st_mode)
    mode = info.st_mode & 0o777
    if mode & 0o077:
        raise CheckFailed(f"{path} is readable by others (mode {mode:o})", f"chmod 600 {path}")
    if path.stat().st_uid != os.getuid():
        raise CheckFailed(f"{path} is not owned by the current user", f"chown $(id -u) {path}")


def _check_quiet_hours(app: Praxis, check: Check) -> None:
    from praxis.clock import parse_hhmm

    runtime = app.config.settings.runtime
    sh, sm = parse_hhmm(runtime.quiet_hours_start)
    eh, em = parse_hhmm(runtime.quiet_hours_end)
    quiet_minutes = ((eh * 60 + em) - (sh * 60 + sm)) % (24 * 60)
    check.message = f"{runtime.quiet_hours_start}-{runtime.quiet_hours_end} {app.config.settings.instance.timezone}"
    if quiet_minutes > 20 * 60:
        check.status = "warn"
        check.message += f": quiet for {quiet_minutes // 60}h a day"
        check.hint = "shorten runtime.quiet_hours_* in praxis.toml, or the agent will rarely run"


def _check_disk(app: Praxis, check: Check) -> None:
    from praxis.errors import CheckFailed

    free = shutil.disk_usage(app.data_dir.root).free
    check.message = f"free={free // (1024 * 1024)}MiB"
    if free < MIN_FREE_BYTES:
        raise CheckFailed(
            f"only {free // (1024 * 1024)} MiB free on the data dir's disk",
            "free some space; SQLite needs room to write",
        )
    if free < LOW_FREE_BYTES:
        check.status = "warn"
        check.hint = "free some space soon"


def _check_writable(app: Praxis, check: Check) -> None:
    """A data dir that cannot be written (a read-only mount, another user's dir) is a warning:
    every read works (the database opens read-only); commands that write fail."""
    refusal = app.write_refusal()
    if refusal is not None:
        check.status, check.hint = "warn", refusal.hint
        check.message = (
            f"{refusal.message}: commands that read work; commands that write (run, approve, "
            "memory add, import, ...) fail"
        )


def _check_memory(app: Praxis, check: Check) -> None:
    """Memory counts and the last consolidation / decay runs (praxis.memory.service); warns
    when hot memory is over capacity and no consolidation ran for two days."""
    from praxis import clock
    from praxis.memory.stats import memory_stats, run_summary

    stats = memory_stats(app.db, app.config.settings.memory.hot_capacity)
    last = stats.last_consolidation
    check.message = (
        f"hot={stats.hot}/{stats.hot_capacity} cold={stats.cold} flagged={stats.flagged} "
        f"dnr_open={stats.ops['dnr_open']} bugs_open={stats.ops['bugs_open']}; "
        f"last consolidation: {run_summary(last)[0]}; "
        f"last decay: {run_summary(stats.last_decay)[0]}"
    )
    stale = last is None or clock.age_seconds(clock.parse_timestamp(last.ran_at)) > 2 * 86_400
    if stats.hot > stats.hot_capacity and stale:
        check.status = "warn"
        check.hint = (
            "run `praxis memory consolidate` (the daemon does it daily; with cron, schedule it)"
        )
