"""Run a command and turn every failure into `error:` / `hint:` lines and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from praxis.errors import EXIT_FAILED, EXIT_USAGE, PraxisError


def _say_error(message: str, hint: str | None = None) -> None:
    from praxis.redact import redact

    sys.stderr.write(f"error: {redact(message)}\n")
    if hint:
        sys.stderr.write(f"hint: {redact(hint)}\n")


def _debug_enabled(args: list[str]) -> bool:
    return "--debug" in args or os.environ.get("PRAXIS_DEBUG", "") not in ("", "0")


def run_cli(args: list[str]) -> int:
    from praxis.cli.fastpath import fast_command

    command = fast_command(args)
    return guarded(args, command if command is not None else lambda: _run_click(args))


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
            return EXIT_FAILED
        log = _write_crash_log(args)
        _say_error(
            f"internal error: {type(exc).__name__}: {exc}", f"details in {log}; rerun with --debug"
        )
        return EXIT_FAILED


def _run_click(args: list[str]) -> int:
    import click

    from praxis.cli.root import cli

    try:
        result = cli.main(args=args, prog_name="praxis", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.exceptions.Abort:
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


def _write_crash_log(args: list[str]) -> Path:
    import tempfile
    import traceback

    from praxis import clock
    from praxis.files import append_record
    from praxis.redact import redact

    text = redact(traceback.format_exc())
    log_dir = _log_dir(args)
    path = log_dir / "praxis-errors.log"
    try:
        stamp = clock.now_text()
    except PraxisError:
        stamp = "unknown-time"
    try:
        append_record(path, f"--- {stamp} praxis {' '.join(args)}\n{text}\n")
    except OSError:
        path = Path(tempfile.gettempdir()) / "praxis-errors.log"
        append_record(path, f"--- {stamp}\n{text}\n")
    return path


def _log_dir(args: list[str]) -> Path:
    import tempfile

    from praxis.paths import resolve_data_dir

    option = None
    for index, arg in enumerate(args):
        if arg == "--data-dir" and index + 1 < len(args):
            option = args[index + 1]
        elif arg.startswith("--data-dir="):
            option = arg.split("=", 1)[1]
    try:
        root = resolve_data_dir(option)
    except PraxisError:
        return Path(tempfile.gettempdir())
    return root / "logs" if root.is_dir() else Path(tempfile.gettempdir())
