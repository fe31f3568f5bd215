"""export state → import: round trip, consistency, exclusions, checksums, schema, the original's
bundles, --overwrite, and failures that leave the target exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tarfile
from pathlib import Path

import pytest

from praxis.storage.db import code_schema_version
from tests.conftest import InProcessRunner

NOW = {"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"}
LATER = {"PRAXIS_FIXED_NOW": "2026-05-01T09:00:00Z"}
TABLES = (
    "sessions",
    "hot_memories",
    "provider_attempts",
    "token_ledger",
    "session_snapshots",
    "approval_requests",
    "review_runs",
    "eval_runs",
    "schema_migrations",
)


def tree(root: Path) -> dict[str, str]:
    """Every entry under `root`: files by content hash, directories and links marked."""
    found: dict[str, str] = {}
    for directory, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = f"link:{os.readlink(path)}"
            elif path.is_dir():
                found[relative] = "dir"
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]


def without_data_dir(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not line.startswith("data_dir: ")]


@pytest.fixture
def source(cli: InProcessRunner) -> InProcessRunner:
    """An initialized data dir with one finished session and a second goal."""
    assert cli("run", "--once", env=NOW).returncode == 0
    assert cli("goals", "add", "Water the plants", env=NOW).returncode == 0
    return cli


@pytest.fixture
def target(tmp_path: Path) -> InProcessRunner:
    """An initialized data dir with its own session (its lock file exists): an import target."""
    runner = InProcessRunner(tmp_path / "target")
    assert runner("init", "--name", "Other", env=NOW).returncode == 0
    assert runner("run", "--once", env=NOW).returncode == 0
    return runner


def export(source: InProcessRunner, output: Path) -> Path:
    result = source("export", "state", "--output", str(output), env=LATER)
    assert result.returncode == 0, result.stderr
    return output


def rewrite_manifest(bundle: Path, **changes: object) -> None:
    path = bundle / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("name", ["bundle", "bundle.tar.gz"])
def test_round_trip_gives_the_same_answers(
    source: InProcessRunner, tmp_path: Path, name: str
) -> None:
    bundle = export(source, tmp_path / name)
    restored = InProcessRunner(tmp_path / "restored")
    result = restored("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 0, result.stderr
    assert result.lines()["import"] == "ok"
    assert result.lines()["data_dir"] == str(tmp_path / "restored")
    assert result.lines()["schema_version"] == str(code_schema_version())
    for args in (["status"], ["goals"], ["usage", "--days", "30"], ["queue", "--all"]):
        before, after = source(*args, env=LATER), restored(*args, env=LATER)
        assert after.returncode == 0, after.stderr
        assert without_data_dir(after.stdout) == without_data_dir(before.stdout), args
    for table in TABLES:
        assert rows(restored.data_dir / "praxis.db", table) == rows(
            source.data_dir / "praxis.db", table
        ), table
    toml = (restored.data_dir / "praxis.toml").read_text()
    assert f'data_dir = "{restored.data_dir}"' in toml
    assert "# Praxis instance settings." in toml  # comments survive the re-homing
    assert restored("run", "--once", env=LATER).returncode == 0


def test_bundle_layout_manifest_and_checksums(source: InProcessRunner, tmp_path: Path) -> None:
    bundle = export(source, tmp_path / "bundle")
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["format_version"] == 1
    assert manifest["praxis_version"]
    assert manifest["exported_at"] == "2026-05-01T09:00:00Z"
    assert manifest["source_data_dir"] == str(source.data_dir)
    assert (manifest["database_path"], manifest["state_file"]) == (
        "praxis.db",
        "session_state.json",
    )
    assert manifest["schema_version"] == code_schema_version()
    assert manifest["state_present"] is True
    assert manifest["data_files"] == sorted(manifest["data_files"])
    assert "GOALS.md" in manifest["data_files"]
    assert "praxis.db" not in manifest["data_files"]
    assert "session_state.json" not in manifest["data_files"]
    members = [f"data/{f}" for f in manifest["data_files"]]
    members += ["runtime/database.sqlite", "runtime/session_state.json"]
    assert sorted(manifest["sha256"]) == sorted(members)
    for member in members:
        digest = hashlib.sha256((bundle / member).read_bytes()).hexdigest()
        assert manifest["sha256"][member] == digest, member


def test_export_is_consistent_while_a_write_transaction_is_open(
    source: InProcessRunner, tmp_path: Path
) -> None:
    db = source.data_dir / "praxis.db"
    committed = rows(db, "sessions")
    writer = sqlite3.connect(db, isolation_level=None, timeout=10)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO sessions (day, session_num, started_at, ended_at, outcome) "
            "VALUES (9, 9, 'x', 'x', 'uncommitted')"
        )
        bundle = export(source, tmp_path / "bundle")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = bundle / "runtime" / "database.sqlite"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert rows(copy, "sessions") == committed
    assert not list((bundle / "runtime").glob("*-wal"))


def test_bundle_leaves_out_secrets_locks_temp_files_and_backups(
    source: InProcessRunner, tmp_path: Path
) -> None:
    data = source.data_dir
    key = "sk-test-secretvalue-0123456789"
    (data / ".env").write_text(f"OPENAI_API_KEY={key}\nMY_SERVICE_TOKEN=plain-token-value-42\n")
    (data / "backups" / "snapshot-20260101T000000Z").mkdir(parents=True)
    (data / "backups" / "snapshot-20260101T000000Z" / "old.md").write_text("old")
    (data / ".GOALS.md.abc123.tmp").write_text("half a write")
    (data / ".praxis-extra.lock").write_text("")
    (data / "workspace").mkdir(exist_ok=True)
    (data / "workspace" / "notes.md").write_text(f"key {key} and plain-token-value-42\n")
    bundle = export(source, tmp_path / "bundle")
    files = json.loads((bundle / "manifest.json").read_text())["data_files"]
    assert "workspace/notes.md" in files
    for name in files:
        assert not name.startswith(("backups/", ".")), name
        assert not name.endswith((".tmp", ".lock")), name
    for path in bundle.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert key.encode() not in content, path
            assert b"plain-token-value-42" not in content, path
    assert (bundle / "data" / "workspace" / "notes.md").read_text() == (
        "key [REDACTED] and [REDACTED]\n"
    )


def test_export_refuses_a_symlink_in_the_data_dir(source: InProcessRunner, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    (source.data_dir / "notes.md").symlink_to(outside)
    result = source("export", "state", "--output", str(tmp_path / "bundle"), env=LATER)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"error: refusing to copy symlink {source.data_dir / 'notes.md'}"
    )
    assert not (tmp_path / "bundle").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bundle")] == []


def test_export_output_must_not_overlap_the_data_dir(
    source: InProcessRunner, tmp_path: Path
) -> None:
    for output in (source.data_dir / "inside", tmp_path, source.data_dir):
        result = source("export", "state", "--output", str(output), env=LATER)
        assert result.returncode == 2, output
        assert result.stderr.splitlines()[0] == (
            f"error: export output must not overlap {source.data_dir}"
        )
    assert not (source.data_dir / "inside").exists()


def test_an_existing_output_needs_overwrite(source: InProcessRunner, tmp_path: Path) -> None:
    for name in ("bundle", "bundle.tar.gz"):
        output = export(source, tmp_path / name)
        again = source("export", "state", "--output", str(output), env=LATER)
        assert again.returncode == 1
        assert again.stderr.splitlines()[0] == (
            f"error: {output} already exists; pass --overwrite to replace it"
        )
        replaced = source("export", "state", "--output", str(output), "--overwrite", env=LATER)
        assert replaced.returncode == 0, replaced.stderr
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    refused = source("export", "state", "--output", str(precious), "--overwrite", env=LATER)
    assert refused.returncode == 2
    assert "is not a Praxis bundle; refusing to replace it" in refused.stderr
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_import_refuses_an_initialized_target_without_overwrite(
    source: InProcessRunner, target: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(source, tmp_path / "bundle")
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"error: {target.data_dir} already exists; pass --overwrite to replace it"
    )
    assert tree(target.data_dir) == before


def test_overwrite_keeps_the_replaced_dir(
    source: InProcessRunner, target: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(source, tmp_path / "bundle.tar.gz")
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "target.replaced-20260501T090000Z"
    assert result.lines()["replaced"] == str(kept)
    assert tree(kept) == before
    assert target("status", env=LATER).lines()["instance"] == "Praxis"  # the source's name
    again = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert again.lines()["replaced"] == f"{kept}-2"  # same second: a new name, nothing lost


def test_a_checksum_failure_after_other_files_were_copied_leaves_the_target_as_it_was(
    source: InProcessRunner, target: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(source, tmp_path / "bundle")
    last = json.loads((bundle / "manifest.json").read_text())["data_files"][-1]
    with (bundle / "data" / last).open("a") as handle:
        handle.write("tampered")
    before, around = tree(target.data_dir), sorted(os.listdir(tmp_path))
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"error: bundle {bundle}: checksum mismatch for data/{last}"
    )
    assert tree(target.data_dir) == before
    assert sorted(os.listdir(tmp_path)) == around  # no staging dir or replaced copy left


def test_a_damaged_database_is_refused(
    source: InProcessRunner, target: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(source, tmp_path / "bundle")
    database = bundle / "runtime" / "database.sqlite"
    database.write_bytes(b"not a database at all" * 100)
    rewrite_manifest(
        bundle,
        sha256={
            **json.loads((bundle / "manifest.json").read_text())["sha256"],
            "runtime/database.sqlite": hashlib.sha256(database.read_bytes()).hexdigest(),
        },
    )
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert "runtime/database.sqlite is not a valid SQLite database" in result.stderr
    assert tree(target.data_dir) == before


def test_a_newer_schema_is_refused(
    source: InProcessRunner, target: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(source, tmp_path / "bundle")
    database = bundle / "runtime" / "database.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, '2027-01-01T00:00:00Z')")
    sums = json.loads((bundle / "manifest.json").read_text())["sha256"]
    sums["runtime/database.sqlite"] = hashlib.sha256(database.read_bytes()).hexdigest()
    rewrite_manifest(bundle, sha256=sums)
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"error: bundle {bundle} has schema version 999, newer than this Praxis supports "
        f"({code_schema_version()})"
    )
    assert tree(target.data_dir) == before


@pytest.mark.parametrize("version", [2, 0, "1", None])
def test_an_unknown_format_version_is_refused(
    source: InProcessRunner, tmp_path: Path, version: object
) -> None:
    bundle = export(source, tmp_path / "bundle")
    rewrite_manifest(bundle, format_version=version)
    result = InProcessRunner(tmp_path / "new")("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 2
    assert f"has format_version {version}; this Praxis reads format_version 1" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_missing_member_and_a_missing_input_are_bad_input(
    source: InProcessRunner, tmp_path: Path
) -> None:
    runner = InProcessRunner(tmp_path / "new")
    missing = runner("import", "--input", str(tmp_path / "nope"), env=LATER)
    assert missing.returncode == 2
    assert f"import input {tmp_path / 'nope'} does not exist" in missing.stderr
    bundle = export(source, tmp_path / "bundle")
    (bundle / "data" / "GOALS.md").unlink()
    result = runner("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 2
    assert f"bundle {bundle}: member data/GOALS.md is missing" in result.stderr
    assert not (tmp_path / "new").exists()


def test_import_input_must_not_overlap_the_target(source: InProcessRunner, tmp_path: Path) -> None:
    bundle = export(source, tmp_path / "bundle")
    inside = InProcessRunner(bundle / "data")
    result = inside("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[0] == f"error: import input must not overlap {bundle / 'data'}"
    )


# --- a bundle written by the Rust original (reference §17.1: format_version 1, schema 10) ---

RUST_TOML = """[instance]
name = "Old Praxis"
timezone = "UTC"
data_dir = "/home/old/.local/share/praxis"

[runtime]
quiet_hours_start = "23:00"
quiet_hours_end = "07:00"
state_file = "session_state.json"
daily_backup_snapshots = true
snapshot_retention_days = 7

[database]
path = "/home/old/.local/share/praxis/praxis.db"

[security]
level = 2

[agent]
backend = "stub"
context_ceiling_pct = 0.800000011920929
profile = "quality"
local_first_fallback = false
freeze_on_model_regression = false

[context]
window_tokens = 12000

[[context.budget]]
source = "identity"
priority = 1
max_pct = 0.05000000074505806

[[context.budget]]
source = "predictions"
priority = 2
max_pct = 0.05000000074505806

[[context.budget]]
source = "task"
priority = 3
max_pct = 0.30000001192092896
"""


def rust_bundle(seed: Path, bundle: Path) -> None:
    """A bundle laid out as the original writes it: no praxis_version, no checksums, its
    timestamps (`+00:00` and SQLite's `YYYY-MM-DD HH:MM:SS`), its backups/ inside data/."""
    from praxis.storage.db import MIGRATIONS_DIR

    files: list[str] = []
    for path in sorted(seed.rglob("*")):
        relative = path.relative_to(seed).as_posix()
        if not path.is_file() or relative in ("praxis.db", "session_state.json"):
            continue
        if relative.startswith(".") or relative.endswith(".lock"):
            continue
        (bundle / "data" / relative).parent.mkdir(parents=True, exist_ok=True)
        (bundle / "data" / relative).write_bytes(path.read_bytes())
        files.append(relative)
    (bundle / "data" / "praxis.toml").write_text(RUST_TOML)
    (bundle / "data" / "backups" / "snapshot-20260330").mkdir(parents=True)
    (bundle / "data" / "backups" / "snapshot-20260330" / "manifest.json").write_text("{}")
    files.append("backups/snapshot-20260330/manifest.json")
    (bundle / "runtime").mkdir()
    schema = (MIGRATIONS_DIR / "0010_reference_schema.sql").read_text()
    with sqlite3.connect(bundle / "runtime" / "database.sqlite") as conn:
        conn.executescript(schema)
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)"
        )
        conn.execute("INSERT INTO schema_migrations VALUES (10, '2026-03-31T12:30:00+00:00')")
        conn.execute(
            "INSERT INTO sessions (day, session_num, started_at, ended_at, outcome, "
            "selected_goal_id, action_summary) VALUES (0, 1, '2026-03-31T12:30:00+00:00', "
            "'2026-03-31T12:31:00+00:00', 'goal_selected', 'G-001', 'Stub backend prepared')"
        )
        conn.execute(
            "INSERT INTO hot_memories (content, created_at) VALUES ('remember', '2026-03-31 12:31:00')"
        )
    state = {
        "current_phase": "Sleep",
        "started_at": "2026-03-31T12:30:00Z",
        "updated_at": "2026-03-31T12:31:00Z",
        "completed_at": "2026-03-31T12:31:00Z",
        "selected_goal_id": "G-001",
        "selected_goal_title": "Complete the first Praxis foundation run",
        "requested_task": None,
        "orientation_summary": "Loaded.",
        "action_summary": "Stub backend prepared",
        "last_outcome": "goal_selected",
        "resume_count": 0,
    }
    (bundle / "runtime" / "session_state.json").write_text(json.dumps(state, indent=2))
    manifest = {
        "format_version": 1,
        "exported_at": "2026-03-31T13:00:00+00:00",
        "source_data_dir": "/home/old/.local/share/praxis",
        "database_path": "/home/old/.local/share/praxis/praxis.db",
        "state_file": "session_state.json",
        "schema_version": 10,
        "state_present": True,
        "data_files": sorted(files),
    }
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2))


def test_a_bundle_from_the_rust_original_imports_and_migrates(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    bundle = tmp_path / "rust-bundle"
    rust_bundle(cli.data_dir, bundle)
    restored = InProcessRunner(tmp_path / "restored")
    result = restored("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 0, result.stderr
    values = result.lines()
    assert values["bundle_schema_version"] == "10"
    assert values["schema_version"] == str(code_schema_version())
    toml = (restored.data_dir / "praxis.toml").read_text()
    assert f'data_dir = "{restored.data_dir}"' in toml
    assert 'path = "praxis.db"' in toml  # absolute under the old data dir → its remainder
    assert (restored.data_dir / "praxis.db").is_file()
    assert not (restored.data_dir / "backups").exists()  # snapshots stay out of imports
    sessions = rows(restored.data_dir / "praxis.db", "sessions")
    assert [s[-1] for s in sessions] == [None]  # run_key: a column migration 0013 added
    listed = json.loads((bundle / "manifest.json").read_text())["data_files"]
    # every listed file but the one under backups/, plus the database and the state file
    assert values["restored_files"] == str(len(listed) - 1 + 2)
    status = restored("status", env=LATER)
    assert status.returncode == 0, status.stderr
    assert status.lines()["instance"] == "Old Praxis"
    assert status.lines()["last_outcome"] == "goal_selected"  # from the original's state file
    assert restored("doctor", env=LATER).returncode in (0, 1)  # runs; no traceback
    assert restored("run", "--once", env=LATER).returncode == 0
    audit = restored(
        "export", "audit", "--output", str(tmp_path / "a.md"), "--days", "60", env=LATER
    )
    assert audit.returncode == 0, audit.stderr
    # migration 0021 stores the original's `YYYY-MM-DD HH:MM:SS` memory times as RFC 3339
    assert "- hot 2026-03-31T12:31:00Z remember" in (tmp_path / "a.md").read_text()


def test_a_tarball_of_the_rust_layout_imports(cli: InProcessRunner, tmp_path: Path) -> None:
    bundle = tmp_path / "rust-bundle"
    rust_bundle(cli.data_dir, bundle)
    packed = tmp_path / "rust.tar.gz"
    with tarfile.open(packed, "w:gz") as archive:
        archive.add(bundle, arcname=".")
    result = InProcessRunner(tmp_path / "restored")("import", "--input", str(packed), env=LATER)
    assert result.returncode == 0, result.stderr
