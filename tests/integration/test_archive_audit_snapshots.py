"""export audit (parsed-time windows, redaction) and snapshots (retention by count AND age,
prune only snapshot-* dirs, restore, the daily job)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from praxis.app import Praxis
from praxis.archive.snapshots import list_snapshots, take_daily_snapshot
from praxis.config.edit import set_value
from praxis.paths import DataDir
from tests.conftest import InProcessRunner

NOW = "2026-05-01T08:00:00Z"


def at(moment: str) -> dict[str, str]:
    return {"PRAXIS_FIXED_NOW": moment}


def add_session(db: Path, ended_at: str, outcome: str, summary: str = "done") -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO sessions (day, session_num, started_at, ended_at, outcome, "
            "selected_goal_id, action_summary) VALUES (1, 1, ?, ?, ?, 'G-001', ?)",
            (ended_at, ended_at, outcome, summary),
        )


# --- audit ---


def test_audit_days_compares_parsed_times_across_formats(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    db = cli.data_dir / "praxis.db"
    add_session(db, "2026-04-30T10:00:00+00:00", "rfc3339_offset")  # in
    add_session(db, "2026-04-30 11:00:00", "sqlite_format")  # in (SQLite's UTC format)
    add_session(db, "2026-04-20T10:00:00Z", "too_old")  # out
    # 07:00Z: before the cutoff (08:00Z), though the string sorts after it
    add_session(db, "2026-04-24T09:00:00+02:00", "offset_before_cutoff")
    add_session(db, "2026-04-24T11:00:00+02:00", "offset_after_cutoff")  # 09:00Z: in
    add_session(db, "not a time", "unparseable")  # out
    output = tmp_path / "audit.md"
    result = cli("export", "audit", "--output", str(output), "--days", "7", env=at(NOW))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "export: ok",
        "kind: audit",
        f"output: {output}",
        "sessions: 3",
        "approvals: 0",
        "format: md",
    ]
    text = output.read_text()
    assert text.startswith(
        "# Praxis Audit Export\n\n- generated_at: 2026-05-01T08:00:00Z\n"
        f"- data_dir: {cli.data_dir}\n- cutoff: 2026-04-24T08:00:00Z\n- file_diffs: not_captured\n"
    )
    sessions = text.split("## Sessions\n")[1].split("\n\n")[0].splitlines()
    assert [line.split(" outcome=")[1].split()[0] for line in sessions] == [
        "sqlite_format",
        "rfc3339_offset",
        "offset_after_cutoff",
    ]
    for section in ("## Approvals\nNo recent approvals.", "## Reviews\nNo recent reviews."):
        assert section in text


def test_audit_json_and_its_window(cli: InProcessRunner, tmp_path: Path) -> None:
    assert cli("run", "--once", env=at("2026-04-01T08:00:00Z")).returncode == 0
    assert cli("goals", "add", "Second goal", env=at(NOW)).returncode == 0
    assert cli("run", "--once", env=at(NOW)).returncode == 0
    output = tmp_path / "audit.json"
    result = cli(
        "export", "audit", "--output", str(output), "--days", "3", "--format", "json", env=at(NOW)
    )
    assert result.returncode == 0, result.stderr
    audit = json.loads(output.read_text())
    assert audit["cutoff"] == "2026-04-28T08:00:00Z"
    assert [s["ended_at"] for s in audit["sessions"]] == ["2026-05-01T08:00:00Z"]
    # Only the second session's attempts (decide + act): the first one is outside the window.
    assert audit["provider_usage"] == [
        {"provider": "stub", "attempts": 2, "tokens": 0, "cost_micros": 0}
    ]
    assert all("2026-04-01" not in line for line in audit["recent_events"])
    assert audit["recent_events"]
    assert audit["file_diffs"] == "not_captured"


def test_audit_redacts_secrets(cli: InProcessRunner, tmp_path: Path) -> None:
    shaped = "sk-ant-api03-abcdefghijklmnopqrstuv"
    plain = "correct-horse-battery-staple"
    (cli.data_dir / ".env").write_text(f"MY_SERVICE_TOKEN={plain}\n")
    add_session(cli.data_dir / "praxis.db", NOW, "leaky", f"used {shaped} and {plain}")
    with (cli.data_dir / "events.jsonl").open("a") as events:
        line = {
            "emitted_at": NOW,
            "event": {"kind": "x", "detail": f"Authorization: Bearer {plain}"},
        }
        events.write(json.dumps(line) + "\n")
    for fmt in ("md", "json"):
        output = tmp_path / f"audit.{fmt}"
        result = cli("export", "audit", "--output", str(output), "--format", fmt, env=at(NOW))
        assert result.returncode == 0, result.stderr
        text = output.read_text()
        assert shaped not in text and plain not in text, fmt
        assert "[REDACTED]" in text
        if fmt == "json":
            json.loads(text)


def test_audit_output_rules(cli: InProcessRunner, tmp_path: Path) -> None:
    output = tmp_path / "audit.md"
    assert cli("export", "audit", "--output", str(output), env=at(NOW)).returncode == 0
    again = cli("export", "audit", "--output", str(output), env=at(NOW))
    assert again.returncode == 1
    assert f"error: {output} already exists; pass --overwrite to replace it" in again.stderr
    assert (
        cli("export", "audit", "--output", str(output), "--overwrite", env=at(NOW)).returncode == 0
    )
    inside = cli("export", "audit", "--output", str(cli.data_dir / "GOALS.md"), "--overwrite")
    assert inside.returncode == 2
    assert f"export output must not overlap {cli.data_dir}" in inside.stderr
    assert "# Goals" in (cli.data_dir / "GOALS.md").read_text()


# --- snapshots ---


def retention(data_dir: Path, count: int, days: int, daily: bool = False) -> None:
    toml = data_dir / "praxis.toml"
    set_value(toml, "runtime", "snapshot_retention_count", count)
    set_value(toml, "runtime", "snapshot_retention_days", days)
    set_value(toml, "runtime", "daily_backup_snapshots", daily)


def ids(data_dir: Path) -> list[str]:
    return [s.id for s in list_snapshots(DataDir(data_dir))]


def test_retention_by_count(cli: InProcessRunner) -> None:
    retention(cli.data_dir, count=2, days=30)
    for day in (1, 2, 3, 4):
        result = cli("snapshots", "create", env=at(f"2026-05-0{day}T08:00:00Z"))
        assert result.returncode == 0, result.stderr
    assert result.lines()["snapshot"] == (
        f"created {cli.data_dir}/backups/snapshot-20260504T080000Z pruned=1"
    )
    assert ids(cli.data_dir) == ["snapshot-20260503T080000Z", "snapshot-20260504T080000Z"]


def test_retention_by_age(cli: InProcessRunner) -> None:
    retention(cli.data_dir, count=10, days=3)
    for day in (1, 2, 3, 4, 5, 6):
        assert cli("snapshots", "create", env=at(f"2026-05-0{day}T08:00:00Z")).returncode == 0
    assert ids(cli.data_dir) == [
        "snapshot-20260503T080000Z",
        "snapshot-20260504T080000Z",
        "snapshot-20260505T080000Z",
        "snapshot-20260506T080000Z",
    ]
    # Weeks later, prune alone keeps only the newest (never zero snapshots).
    result = cli("snapshots", "prune", env=at("2026-06-01T08:00:00Z"))
    assert result.returncode == 0, result.stderr
    assert result.lines()["pruned"] == "3"
    assert result.lines()["kept"] == "1"
    assert ids(cli.data_dir) == ["snapshot-20260506T080000Z"]


def test_prune_touches_only_snapshot_dirs(cli: InProcessRunner) -> None:
    retention(cli.data_dir, count=1, days=1)
    backups = cli.data_dir / "backups"
    assert cli("snapshots", "create", env=at("2026-01-01T08:00:00Z")).returncode == 0
    keep = {
        "manual-export": "dir",
        "snapshot-notes": "dir",
        "snapshot-2026": "dir",
        "snapshot-20200101": "file",
        "praxis-2026-01-01.tar.gz": "file",
    }
    for name, kind in keep.items():
        if kind == "dir":
            (backups / name).mkdir()
            (backups / name / "x.md").write_text("mine")
        else:
            (backups / name).write_text("mine")
    (backups / "snapshot-20200102").symlink_to(backups / "manual-export")
    for moment in ("2026-03-01T08:00:00Z", "2026-03-02T08:00:00Z"):
        assert cli("snapshots", "create", env=at(moment)).returncode == 0
    assert ids(cli.data_dir) == ["snapshot-20260302T080000Z"]
    for name in keep:
        assert (backups / name).exists(), name
    assert (backups / "snapshot-20200102").is_symlink()
    assert (backups / "manual-export" / "x.md").read_text() == "mine"


def test_the_originals_snapshot_names_are_listed_and_pruned(cli: InProcessRunner) -> None:
    retention(cli.data_dir, count=1, days=30)
    old = cli.data_dir / "backups" / "snapshot-20260301"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text('{"data_files": ["a"], "schema_version": 10}')
    listed = cli("snapshots", "list", env=at(NOW))
    assert "- snapshot-20260301 created_at=2026-03-01T00:00:00Z data_files=1 schema_version=10" in (
        listed.stdout.splitlines()
    )
    assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    assert not old.exists()


def test_snapshots_list_text_and_json(cli: InProcessRunner) -> None:
    empty = cli("snapshots", "list", "--json")
    assert json.loads(empty.stdout) == {
        "snapshots": 0,
        "daily_backup_snapshots": False,
        "retention": {"count": 7, "days": 7},
        "items": [],
    }
    assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    listed = cli("snapshots", "list", env=at(NOW))
    assert listed.stdout.splitlines()[:3] == [
        "snapshots: 1",
        "daily_backup_snapshots: false",
        "retention: count=7 days=7",
    ]
    item = json.loads(cli("snapshots", "list", "--json").stdout)["items"][0]
    assert item["id"] == "snapshot-20260501T080000Z"
    assert item["created_at"] == NOW
    assert item["path"] == str(cli.data_dir / "backups" / "snapshot-20260501T080000Z")


def test_a_snapshot_is_a_bundle_without_backups(cli: InProcessRunner) -> None:
    assert cli("snapshots", "create", env=at("2026-05-01T08:00:00Z")).returncode == 0
    assert cli("snapshots", "create", env=at("2026-05-01T09:00:00Z")).returncode == 0
    newest = cli.data_dir / "backups" / "snapshot-20260501T090000Z"
    manifest = json.loads((newest / "manifest.json").read_text())
    assert not [f for f in manifest["data_files"] if f.startswith("backups/")]
    assert (newest / "runtime" / "database.sqlite").is_file()


def test_two_snapshots_in_the_same_second_get_their_own_names(cli: InProcessRunner) -> None:
    for _ in range(2):
        assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    assert ids(cli.data_dir) == ["snapshot-20260501T080000Z", "snapshot-20260501T080000Z-2"]


def test_restore_goes_through_import_and_keeps_both(cli: InProcessRunner, tmp_path: Path) -> None:
    assert cli("run", "--once", env=at(NOW)).returncode == 0
    assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    original_goals = (cli.data_dir / "GOALS.md").read_text()
    assert cli("goals", "add", "Learn the guitar", env=at(NOW)).returncode == 0
    changed_goals = (cli.data_dir / "GOALS.md").read_text()
    result = cli("snapshots", "restore", "20260501T080000Z", env=at("2026-05-01T10:00:00Z"))
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "data.replaced-20260501T100000Z"
    assert result.lines()["replaced"] == str(kept)
    assert result.lines()["snapshot"] == "snapshot-20260501T080000Z"
    assert (cli.data_dir / "GOALS.md").read_text() == original_goals
    assert (kept / "GOALS.md").read_text() == changed_goals
    assert ids(cli.data_dir) == ["snapshot-20260501T080000Z"]  # still there after the restore
    assert cli("status", env=at(NOW)).returncode == 0
    missing = cli("snapshots", "restore", "snapshot-19990101T000000Z")
    assert missing.returncode == 2
    assert "error: snapshot snapshot-19990101T000000Z not found" in missing.stderr


def test_a_broken_snapshot_is_refused_by_restore(cli: InProcessRunner) -> None:
    assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    snapshot = cli.data_dir / "backups" / "snapshot-20260501T080000Z"
    (snapshot / "data" / "GOALS.md").write_text("# tampered\n")
    before = (cli.data_dir / "GOALS.md").read_text()
    result = cli("snapshots", "restore", "snapshot-20260501T080000Z", env=at(NOW))
    assert result.returncode == 2
    assert "checksum mismatch for data/GOALS.md" in result.stderr
    assert (cli.data_dir / "GOALS.md").read_text() == before


# --- the daemon's daily job ---


def daily(data_dir: Path, moment: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setenv("PRAXIS_FIXED_NOW", moment)
    app = Praxis(DataDir(data_dir))  # a fresh process each time: a restart changes nothing
    try:
        return take_daily_snapshot(app)
    finally:
        app.close()


def test_daily_snapshot_is_off_by_default(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert daily(cli.data_dir, NOW, monkeypatch) is False
    assert ids(cli.data_dir) == []


def test_daily_snapshot_once_per_local_day_with_retention(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    retention(cli.data_dir, count=7, days=7, daily=True)
    taken = []
    for day in range(1, 11):
        taken.append(daily(cli.data_dir, f"2026-05-{day:02d}T08:00:00Z", monkeypatch))
        assert daily(cli.data_dir, f"2026-05-{day:02d}T20:00:00Z", monkeypatch) is False
    assert taken == [True] * 10
    assert ids(cli.data_dir) == [f"snapshot-202605{day:02d}T080000Z" for day in range(4, 11)]
    record = json.loads((cli.data_dir / "daily_jobs.json").read_text())
    assert record["snapshot"] == {
        "day": "2026-05-10",
        "at": "2026-05-10T08:00:00Z",
        "id": "snapshot-20260510T080000Z",
    }


def test_daily_snapshot_follows_the_operators_timezone(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    retention(cli.data_dir, count=7, days=7, daily=True)
    set_value(cli.data_dir / "praxis.toml", "instance", "timezone", "Asia/Tokyo")
    assert daily(cli.data_dir, "2026-05-01T08:00:00Z", monkeypatch) is True  # 17:00 JST, May 1
    assert daily(cli.data_dir, "2026-05-01T14:00:00Z", monkeypatch) is False  # 23:00 JST, May 1
    assert daily(cli.data_dir, "2026-05-01T16:00:00Z", monkeypatch) is True  # 01:00 JST, May 2


def test_a_manual_snapshot_today_counts_as_the_daily_one(
    cli: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    retention(cli.data_dir, count=7, days=7, daily=True)
    assert cli("snapshots", "create", env=at(NOW)).returncode == 0
    assert daily(cli.data_dir, "2026-05-01T12:00:00Z", monkeypatch) is False
    assert ids(cli.data_dir) == ["snapshot-20260501T080000Z"]
