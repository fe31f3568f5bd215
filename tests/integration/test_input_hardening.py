"""Issue 10 item 6: bad input is refused with a clear error before anything changes — non-finite
or absurd config numbers, FIFOs and directories where files belong, a huge DAY_COUNT, a mistyped
session state, an empty or foreign praxis.db, configured paths outside the data dir — and temp
files of killed writes are counted by `doctor` and removed by the next session."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from praxis.errors import UnsafeFile
from praxis.loop.state import _FIELD_TYPES, _TYPES
from praxis.safe_read import read_tail
from tests.conftest import InProcessRunner, Result, clean_env, run_in_process
from tests.records import session_count

DAY = {"PRAXIS_FIXED_NOW": "2026-05-01T12:00:00Z"}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _praxis(data_dir: Path, home: Path, *args: str) -> Result:
    """The command, in this process (the FIFO test's timeout mark stops a hang)."""
    return run_in_process(["--data-dir", str(data_dir), *args], {**clean_env(home), **DAY})


# -- config numbers ----------------------------------------------------------------------------

CONFIG_CASES = [
    (
        "budgets.toml",
        "max_cost_usd = 0.25",
        "max_cost_usd = nan",
        "line 8: run.max_cost_usd must be a finite number, got nan",
    ),
    (
        "budgets.toml",
        "max_cost_usd = 2.0",
        "max_cost_usd = inf",
        "daily.max_cost_usd must be a finite number, got inf",
    ),
    (
        "budgets.toml",
        "max_tokens = 1000000\n",
        "max_tokens = 1000000000000000000000000000000\n",
        "daily.max_tokens is out of range (1,000,000,000,000,000,000,000,000,000,000); the "
        "limit is 9,007,199,254,740,992",
    ),
    (
        "providers.toml",
        "timeout_seconds = 45",
        "timeout_seconds = inf",
        "providers.timeout_seconds must be a finite number, got inf",
    ),
    (
        "praxis.toml",
        "context_ceiling_pct = 0.8",
        "context_ceiling_pct = nan",
        "agent.context_ceiling_pct must be a finite number, got nan",
    ),
    (
        "praxis.toml",
        "timeout_seconds = 30",
        "timeout_seconds = 1e300",
        "tools.shell.timeout_seconds is out of range (1e+300); the limit is 86,400",
    ),
    (
        "praxis.toml",
        "hot_days = 14",
        "hot_days = 9007199254740000",
        "memory.hot_days is out of range (9,007,199,254,740,000); the limit is 36,500",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), CONFIG_CASES)
def test_config_numbers_must_be_finite_and_in_range(
    cli: InProcessRunner, name: str, old: str, new: str, message: str
) -> None:
    config = cli.data_dir / name
    _edit(config, old, new)
    run = cli("run", "--once", env=DAY)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(f"error: {config}"), run.stderr
    assert message in run.stderr
    assert session_count(cli.data_dir) == 0
    doctor = cli("doctor")  # doctor loads the config: the same message, a failed check
    assert doctor.returncode == 1
    assert message in doctor.lines()["config"], doctor.stdout


# -- files that are not regular files ----------------------------------------------------------

FIFO_CASES = [
    (".env", ("status",), 1),
    (".env", ("doctor",), 1),
    ("GOALS.md", ("run", "--once"), 2),
    ("GOALS.md", ("goals", "list"), 2),
    ("GOALS.md", ("goals", "add", "Ship it"), 2),
    ("GOALS.md", ("doctor",), 1),
    ("budgets.toml", ("run", "--once"), 2),
    ("budgets.toml", ("status",), 2),
    ("budgets.toml", ("doctor",), 1),
    ("heartbeat.json", ("heartbeat", "check"), 1),
    ("heartbeat.json", ("doctor",), 1),
    ("session_state.json", ("run", "--once"), 1),
    ("DAY_COUNT", ("run", "--once"), 1),
    ("DAY_COUNT", ("doctor",), 1),
    ("model_canary.json", ("doctor",), 1),
    ("goals/criteria/G-001.json", ("doctor",), 1),
    ("evals/foundation-smoke.json", ("doctor",), 1),
]


@pytest.mark.timeout(20)  # a read that blocked on the FIFO would hang here
@pytest.mark.parametrize(("name", "command", "code"), FIFO_CASES)
def test_a_fifo_in_place_of_a_file_is_refused_without_hanging(
    tmp_path: Path, name: str, command: tuple[str, ...], code: int
) -> None:
    data = tmp_path / "data"
    assert _praxis(data, tmp_path / "home", "init").returncode == 0
    (data / name).unlink(missing_ok=True)
    os.mkfifo(data / name)
    result = _praxis(data, tmp_path / "home", *command)
    assert result.returncode == code, result.stdout + result.stderr
    said = result.stderr + result.stdout
    assert f"{data / name}: not a regular file: it is a named pipe (FIFO)" in said, said
    assert "internal error" not in said
    assert session_count(data) == 0


def test_a_directory_in_place_of_a_config_file_is_refused(cli: InProcessRunner) -> None:
    budgets = cli.data_dir / "budgets.toml"
    budgets.unlink()
    budgets.mkdir()
    result = cli("run", "--once", env=DAY)
    assert result.returncode == 2
    assert f"error: {budgets}: not a regular file: it is a directory" in result.stderr


def test_read_tail_refuses_a_fifo_instead_of_blocking(tmp_path: Path) -> None:
    journal = tmp_path / "JOURNAL.md"
    os.mkfifo(journal)
    outcome: list[BaseException | str] = []

    def read() -> None:
        try:
            outcome.append(read_tail(journal, 100))
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert outcome and isinstance(outcome[0], UnsafeFile), outcome


# -- DAY_COUNT and session_state.json ----------------------------------------------------------


def test_a_huge_day_count_is_refused_before_anything_changes(cli: InProcessRunner) -> None:
    day_count = cli.data_dir / "DAY_COUNT"
    day_count.write_text(f"{10**30}\n")
    run = cli("run", "--once", env=DAY)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: DAY_COUNT value {10**30} in {day_count} is more than 1,000,000 days",
        f"hint: write the number of days this agent has run (0 or more) into {day_count}",
    ]
    assert session_count(cli.data_dir) == 0
    assert not (cli.data_dir / "session_state.json").exists()
    assert cli("doctor").lines()["identity"].startswith(f"failed: DAY_COUNT value {10**30}")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("resume_count", "x", 'resume_count must be a whole number ≥ 0, got "x"'),
        ("day", [], "day must be a whole number ≥ 0, got []"),
        ("provider_attempts", {}, "provider_attempts must be a list of objects, got {}"),
        ("day", 10**30, f"day must be a whole number ≥ 0, got {10**30}"),
        ("selected_goal_id", 7, "selected_goal_id must be a string or null, got 7"),
    ],
)
def test_a_mistyped_session_state_names_the_file_and_the_key(
    cli: InProcessRunner, key: str, value: object, expected: str
) -> None:
    assert cli("run", "--once", env=DAY).returncode == 0
    state = cli.data_dir / "session_state.json"
    record = json.loads(state.read_text())
    record.update({key: value, "current_phase": "Act", "completed_at": None})
    state.write_text(json.dumps(record))
    before = state.read_bytes()
    run = cli("run", "--once", env=DAY)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [
        f"error: session state {state}: {expected}",
        f"hint: move {state} aside to start a fresh session (forensics keep the history)",
    ]
    assert state.read_bytes() == before and session_count(cli.data_dir) == 1


def test_a_mistyped_file_read_cache_is_dropped_not_fatal(cli: InProcessRunner) -> None:
    assert cli("run", "--once", env=DAY).returncode == 0
    state = cli.data_dir / "session_state.json"
    record = json.loads(state.read_text())
    state.write_text(json.dumps({**record, "file_reads": {"a.md": 3}}))
    assert cli("run", "--once", env=DAY).returncode == 0


def test_state_checks_every_field() -> None:
    assert set(_FIELD_TYPES.values()) <= set(_TYPES)


# -- praxis.db ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty (0 bytes)"), (b"key,value\n1,2\n" * 10, "is not a valid SQLite database")],
)
def test_an_empty_or_foreign_database_is_refused(
    cli: InProcessRunner, content: bytes, message: str
) -> None:
    db = cli.data_dir / "praxis.db"
    db.write_bytes(content)
    for command in (("status",), ("run", "--once"), ("init",)):
        result = cli(*command, env=DAY)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.splitlines() == [
            f"error: database {db} {message}" + (" (no SQLite header)" if content else ""),
            "hint: restore it from a snapshot (`praxis import`), or move it aside and run "
            "`praxis init` to start a new database",
        ]
        assert db.read_bytes() == content  # never silently reused as a fresh database
    assert cli("doctor").lines()["database"].startswith(f"failed: database {db} {message}")


# -- configured paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'state_file = "session_state.json"',
            'state_file = "../outside.json"',
            "line 11: runtime.state_file must stay inside the data dir (`..` leads out of it), "
            "got '../outside.json'",
        ),
        (
            'state_file = "session_state.json"',
            'state_file = "/tmp/state.json"',
            "runtime.state_file must be a path relative to the data dir, not an absolute path",
        ),
        (
            'path = "praxis.db"',
            'path = "sub/../../praxis.db"',
            "line 17: database.path must stay inside the data dir",
        ),
        (
            'path = "praxis.db"',
            'path = "~/praxis.db"',
            "database.path must be a path relative to the data dir",
        ),
        ('path = "praxis.db"', 'path = "."', "database.path must name a file inside the data dir"),
    ],
)
def test_configured_paths_must_stay_inside_the_data_dir(
    cli: InProcessRunner, old: str, new: str, message: str
) -> None:
    config = cli.data_dir / "praxis.toml"
    _edit(config, old, new)
    result = cli("run", "--once", env=DAY)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {config} "), result.stderr
    assert message in result.stderr
    assert session_count(cli.data_dir) == 0


def test_a_configured_path_inside_the_data_dir_works(cli: InProcessRunner) -> None:
    _edit(
        cli.data_dir / "praxis.toml",
        'state_file = "session_state.json"',
        'state_file = "run/s.json"',
    )
    (cli.data_dir / "run").mkdir()
    assert cli("run", "--once", env=DAY).returncode == 0
    assert (cli.data_dir / "run" / "s.json").is_file()


# -- temp files of killed writes ---------------------------------------------------------------


def test_stale_temp_files_are_counted_by_doctor_and_removed_by_the_next_session(
    cli: InProcessRunner,
) -> None:
    root = cli.data_dir
    (root / "workspace").mkdir(exist_ok=True)
    old = time.time() - 120
    stale = [root / ".GOALS.md.k2j4_x9a.tmp", root / "tools" / ".shell.toml.abcdefgh.tmp"]
    fresh = root / ".session_state.json.zz99yy88.tmp"  # a write in progress elsewhere
    kept = [root / ".notes.tmp", root / "workspace" / ".draft.md.abcdefgh.tmp"]
    for path in [*stale, fresh, *kept]:
        path.write_text("partial")
    for path in [*stale, *kept]:
        os.utime(path, (old, old))
    assert cli("doctor").lines()["temp_files"] == "2"
    assert cli("run", "--once", env=DAY).returncode == 0
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and all(path.exists() for path in kept)
    assert cli("doctor").lines()["temp_files"] == "0"
