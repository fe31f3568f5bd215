"""Clock, atomic files, redaction, dotenv, argv hoisting, events."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from praxis import clock, env
from praxis.cli.fastpath import parse_globals
from praxis.errors import ConfigError
from praxis.events import count_events, last_event
from praxis.files import append_line, atomic_write_text, write_if_missing
from praxis.redact import redact


def test_fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "2026-05-01T10:00:00+02:00")
    assert clock.now() == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    assert clock.now_text() == "2026-05-01T08:00:00Z"
    monkeypatch.setenv("PRAXIS_FIXED_NOW", "soon")
    with pytest.raises(ConfigError, match="invalid PRAXIS_FIXED_NOW value soon"):
        clock.now()


@pytest.mark.parametrize(
    ("hhmm", "start", "end", "quiet"),
    [
        ("23:30", "23:00", "07:00", True),
        ("06:59", "23:00", "07:00", True),
        ("07:00", "23:00", "07:00", False),
        ("12:00", "23:00", "07:00", False),
        ("12:00", "09:00", "17:00", True),
        ("17:00", "09:00", "17:00", False),
        ("03:00", "08:00", "08:00", False),
    ],
)
def test_quiet_hours(hhmm: str, start: str, end: str, quiet: bool) -> None:
    hour, minute = map(int, hhmm.split(":"))
    moment = datetime(2026, 5, 1, hour, minute, tzinfo=UTC)
    assert clock.in_quiet_hours(moment, clock.load_timezone("UTC"), start, end) is quiet


def test_quiet_hours_use_operator_timezone() -> None:
    moment = datetime(2026, 5, 1, 21, 30, tzinfo=UTC)  # 23:30 in Berlin (CEST)
    assert clock.in_quiet_hours(moment, clock.load_timezone("Europe/Berlin"), "23:00", "07:00")
    assert not clock.in_quiet_hours(moment, clock.load_timezone("UTC"), "23:00", "07:00")


@pytest.mark.parametrize("name", ["", " UTC", "../etc/passwd", "/etc/localtime", "Not/AZone"])
def test_bad_timezones(name: str) -> None:
    with pytest.raises(ConfigError):
        clock.load_timezone(name)


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.md"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.md"]
    assert not write_if_missing(target, "three\n")
    assert target.read_text() == "two\n"


def test_atomic_write_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    atomic_write_text(target, "A=1\n", mode=0o600)
    atomic_write_text(target, "A=2\n")
    assert target.stat().st_mode & 0o777 == 0o600


def test_append_line_is_whole_records(tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    for i in range(5):
        append_line(
            target, json.dumps({"emitted_at": "t", "event": {"kind": f"k{i}", "detail": ""}})
        )
    assert count_events(target) == 5
    last = last_event(target)
    assert last is not None and last.kind == "k4"
    with target.open("a") as handle:
        handle.write("{broken")
    last = last_event(target)
    assert last is not None and last.kind == "k4"


def test_redaction() -> None:
    text = (
        "key sk-ant-api03-abcdefghijklmnop and sk-proj-ABCDEFGH12345678 "
        "Authorization: Bearer abc.def.ghi x-api-key: secretsecret "
        "https://api.telegram.org/bot123456789:AAbbccddeeffgghhiijjkkllmmnnooppqqr/getUpdates"
    )
    cleaned = redact(text)
    for secret in (
        "abcdefghijklmnop",
        "ABCDEFGH12345678",
        "abc.def.ghi",
        "secretsecret",
        "AAbbccdd",
    ):
        assert secret not in cleaned
    assert redact("my value hunter2-long", ("hunter2-long",)) == "my value [REDACTED]"


def test_dotenv_parsing_and_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".env"
    path.write_text('# comment\nexport A_KEY="quoted value"\nB_KEY=plain\n\nnot a line\n')
    env.load_dotenv(path)
    assert env.get("A_KEY") == "quoted value"
    monkeypatch.setenv("B_KEY", "from-process")
    assert env.get("B_KEY") == "from-process"
    monkeypatch.setenv("A_KEY", "")
    assert env.get("A_KEY") == "quoted value"
    assert "A_KEY" not in {k for k, v in env.snapshot().items() if v}


def hoist_global_options(argv: list[str]) -> list[str]:
    return parse_globals(argv).argv


def test_hoist_global_options() -> None:
    assert hoist_global_options(["status", "--data-dir", "/d", "--json"]) == [
        "--data-dir",
        "/d",
        "status",
        "--json",
    ]
    assert hoist_global_options(["goals", "add", "--data-dir=/d", "x"]) == [
        "--data-dir=/d",
        "goals",
        "add",
        "x",
    ]
    assert hoist_global_options(["watchdog", "--", "praxis", "--data-dir", "/x"]) == [
        "watchdog",
        "--",
        "praxis",
        "--data-dir",
        "/x",
    ]
    assert hoist_global_options(["status", "--debug"]) == ["--debug", "status"]
    parsed = parse_globals(["--data-dir", "/a", "status", "--data-dir=/b", "--debug"])
    assert (parsed.data_dir, parsed.debug, parsed.rest) == ("/b", True, ["status"])
    after_dashes = parse_globals(["watchdog", "--", "praxis", "--data-dir", "/x", "--debug"])
    assert (after_dashes.data_dir, after_dashes.debug) == (None, False)


def test_atomic_write_survives_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "GOALS.md"
    target.write_text("original\n")

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["GOALS.md"]


def test_append_refuses_symlinks_and_hard_links(tmp_path: Path) -> None:
    from praxis.errors import DataDirError

    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    link = tmp_path / "data" / "JOURNAL.md"
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(DataDirError, match="symlink"):
        append_line(link, "entry")
    link.unlink()
    os.link(outside, link)
    with pytest.raises(DataDirError, match="hard link"):
        append_line(link, "entry")
    assert outside.read_text() == "outside\n"
