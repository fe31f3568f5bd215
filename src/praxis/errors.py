"""One error tree. Each error carries its exit code and, when there is one, how to fix it.

Only `praxis.cli.main` turns these into `error:` / `hint:` lines and an exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from praxis.providers.base import Attempt

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class PraxisError(Exception):
    """An expected failure: bad input, a refused action, a missing file."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(PraxisError):
    """Bad command-line usage or invalid input (exit 2)."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A config or data file that cannot be parsed or fails validation (exit 2)."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        if path is not None:
            where = f"{path} line {line}" if line is not None else path
            message = f"{where}: {message}"
        super().__init__(message, hint)
        self.path = path
        self.line = line


class DataDirError(PraxisError):
    """The data directory is missing, not initialized or unusable (exit 1)."""


class NotAvailable(PraxisError):
    """A command that is part of the surface but not built yet (exit 1)."""


class CheckFailed(PraxisError):
    """A health check (doctor, heartbeat check) ran and failed (exit 1)."""


class StateError(PraxisError):
    """An action refused because something is in the wrong state (exit 1)."""


class LockHeld(PraxisError):
    """Another Praxis process holds the lock this action needs (exit 1)."""


class BudgetExceeded(PraxisError):
    """A model call that could cross a spending limit was not made (exit 1 for `ask`)."""

    def __init__(self, message: str, hint: str | None = None, line: str | None = None) -> None:
        super().__init__(message, hint)
        self.line = line or message


class PolicyViolation(PraxisError):
    """A tool request refused by policy: security level, circuit breaker, unsafe path (exit 1)."""


class InvalidDataFile(DataDirError):
    """A data-dir file Praxis reads has content it cannot use: a mistyped session state, an empty
    or non-SQLite database (exit 2, nothing changed)."""

    exit_code = EXIT_USAGE


class UnsafeFile(DataDirError):
    """A data-dir file is not a regular file (FIFO, device, directory) or is far too large (exit 1)."""


class InternalError(PraxisError):
    """An unexpected crash contained by the CLI's boundary where the work must go on (the
    daemon's ticks); its traceback is in the crash log (exit 1)."""


class StorageError(PraxisError):
    """The disk refused a read or write: full, read-only, permission denied (exit 1)."""


class CallError(PraxisError):
    """One failed provider call. `error_class` is one of ERROR_CLASSES."""

    def __init__(
        self,
        message: str,
        hint: str | None,
        *,
        error_class: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.error_class = error_class
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.error_class in ("transient", "rate_limit")


class ProviderFailed(PraxisError):
    """Every configured route failed; the attempts are kept so they can still be recorded."""

    def __init__(
        self,
        phase: str,
        attempts: tuple[Attempt, ...],
        hint: str | None = None,
        message: str | None = None,
    ) -> None:
        if hint is None and attempts and attempts[-1].error:
            last = attempts[-1]
            hint = f"last error ({last.provider} {last.model}): {last.error}"
        super().__init__(message or f"all configured providers failed during {phase}", hint)
        self.phase = phase
        self.attempts = attempts


class FrozenRoutes(PraxisError):
    """Every remote route is frozen by the canary gate."""

    def __init__(self, message: str, skipped: list[Attempt]) -> None:
        super().__init__(message, "run `praxis canary run`, or turn off freeze_on_model_regression")
        self.skipped = tuple(skipped)


class McpError(PraxisError):
    """An MCP server could not be started, timed out or broke the protocol (exit 1)."""
