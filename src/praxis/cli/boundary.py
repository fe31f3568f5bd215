"""Run a command and turn every failure into `error:` / `hint:` lines and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from praxis.errors import EXIT_FAILED, EXIT_USAGE, InternalError, PraxisError


def _say_error(message: str, hint: str | None = None) -> None:
    from praxis.redact import redact

    sys.stderr.write(f"error: {redact(message)}\n")
    if hint:
        sys.stderr.write(f"hint: {redact(hint)}\n")


def _debug_enabled(args: list[str]) -> bool:
    return "--debug" in args or os.environ.get("PRAXIS_DEBUG", "") not in ("", "0")


def run_cli(args: list[str], fast: Callable[[], int] | None = None) -> int:
    """Run the fast path's command `fast`, else click, inside the one error boundary."""
    return guarded(args, fast if fast is not None else lambda: _run_click(args))


def guarded(args: list[str], body: Callable[[], int]) -> int:
    """The one error boundary: expected failures become error/hint lines, crashes are logged."""
    try:
        return body()
    except PraxisError as exc:
        _say_error(exc.message, exc.hint)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_FAILED
    except KeyboardInterrupt:
        _say_error("interrupted")
        return 130
    except Exception as exc:  # the one boundary for unexpected crashes
        if _debug_enabled(args):
            import traceback

            traceback.print_exc()
        true_error = _storage_error(args, exc)
        if true_error is not None:  # a full, read-only or forbidden disk is not a crash
            _say_error(true_error.message, true_error.hint)
            return true_error.exit_code
        if _debug_enabled(args):
            return EXIT_FAILED
        log = _write_crash_log(args)
        where = f"details in {log}; " if log is not None else ""
        _say_error(f"internal error: {type(exc).__name__}: {exc}", f"{where}rerun with --debug")
        return EXIT_FAILED


def _storage_error(args: list[str], exc: Exception) -> PraxisError | None:
    """ENOSPC / EROFS / EACCES / EDQUOT, and SQLite's full / read-only / cannot-open errors, as
    what they are (`praxis.io_errors`), naming the file: the error's, the writer's, the
    database this process opened, or at least the data dir."""
    if not isinstance(exc, OSError) and type(exc).__module__ != "sqlite3":
        return None
    try:
        from praxis.io_errors import is_corruption, storage_error
        from praxis.paths import resolve_data_dir

        db = sys.modules.get("praxis.storage.db")
        db_path = db.opened_path() if db is not None else None
        try:
            fallback: Path | None = resolve_data_dir(_data_dir_option(args))
        except PraxisError:
            fallback = None
        found = storage_error(exc, db_path, fallback)
        if found is None and db is not None and db_path is not None and is_corruption(exc):
            return db.database_error(db_path, exc, "database {path} failed")  # type: ignore[no-any-return]
        return found
    except Exception:  # describing the error must never hide it
        return None


class crashes_contained:
    """For work that must go on after an unexpected crash (each daemon tick): the crash is
    logged like any other (`praxis-errors.log`) and raised again as an InternalError, which
    the caller handles as it handles every PraxisError. (A class, not contextlib: this module
    is on `status`' start-up path.)"""

    def __init__(self, args: list[str]) -> None:
        self.args = args

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        if not isinstance(exc, Exception) or isinstance(exc, PraxisError):
            return  # nothing, an expected failure, or KeyboardInterrupt/SystemExit: as they are
        true_error = _storage_error(self.args, exc)
        if true_error is not None:  # a full, read-only or forbidden disk is not a crash
            raise true_error from exc
        log = _write_crash_log(self.args)
        where = f"details in {log}" if log is not None else "rerun with --debug for details"
        raise InternalError(f"internal error: {type(exc).__name__}: {exc}", where) from exc


def _data_dir_option(args: list[str]) -> str | None:
    from praxis.cli.fastpath import parse_globals

    return parse_globals(args).data_dir


def _run_click(args: list[str]) -> int:
    import click

    from praxis.cli.root import cli

    try:
        result = cli.main(args=args, prog_name="praxis", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.exceptions.Abort as abort:
        if isinstance(abort.__cause__, KeyboardInterrupt):  # Ctrl-C: the same on every path
            raise abort.__cause__ from None
        _say_error("aborted")
        return EXIT_FAILED
    except click.exceptions.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "praxis"
        _say_error(exc.format_message(), f"run `{command} --help` for usage")
        return EXIT_USAGE
    except click.exceptions.ClickException as exc:
        _say_error(exc.format_message())
        return exc.exit_code
    return int(result) if isinstance(result, int) else 0


def _write_crash_log(args: list[str]) -> Path | None:
    """Append the command line and traceback, redacted, to `praxis-errors.log` (mode 600) in the
    data dir's logs/, else in the per-user state dir (mode 700); never a shared /tmp file.
    None when neither can take it (the error line still says what happened)."""
    import traceback

    from praxis import clock
    from praxis.files import append_record
    from praxis.paths import CRASH_LOG_NAME
    from praxis.redact import redact

    try:
        stamp = clock.now_text()
    except PraxisError:
        stamp = "unknown-time"
    record = redact(f"--- {stamp} praxis {' '.join(args)}\n{traceback.format_exc()}\n")
    for directory in _log_dirs(args):
        path = directory / CRASH_LOG_NAME
        try:
            _private_dir(directory)
            append_record(path, record, mode=0o600)
        except (OSError, PraxisError):
            continue
        return path
    return None


def _log_dirs(args: list[str]) -> list[Path]:
    """The data dir's logs/ (when the data dir exists), then $XDG_STATE_HOME/praxis or
    ~/.local/state/praxis."""
    from praxis import env
    from praxis.paths import DataDir, resolve_data_dir

    found: list[Path] = []
    try:
        root = resolve_data_dir(_data_dir_option(args))
    except PraxisError:
        root = None
    if root is not None and root.is_dir():
        found.append(DataDir(root).logs_dir)
    state, home = env.get("XDG_STATE_HOME"), env.get("HOME")
    if state and Path(state).is_absolute():
        found.append(Path(state) / "praxis")
    elif home:
        found.append(Path(home) / ".local" / "state" / "praxis")
    return found


def _private_dir(directory: Path) -> None:
    """Create `directory` (mode 700), or make an existing one of ours private. Raises OSError
    when it cannot be used (e.g. it belongs to another user)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = directory.stat()
    if info.st_uid != os.getuid():
        raise PermissionError(f"{directory} belongs to another user")
    if info.st_mode & 0o077:
        directory.chmod(0o700)
