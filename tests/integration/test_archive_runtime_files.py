"""Process-local runtime files stay out of bundles, an older bundle's copies are skipped on
import, and `import --overwrite` leaves the target its own; state files travel."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import InProcessRunner
from tests.integration.test_archive_export_import import LATER, export, tree

# A record of tool children naming process groups of the machine that wrote it.
OLD_MACHINE = json.dumps({"children": [{"pgid": 4242, "owner": 4241, "boot": "old-machine"}]})
LOCAL = {"tool_processes.json": OLD_MACHINE, "dashboard.token": "old-install-dashboard-token"}
STATE = {
    "daily_jobs.json": json.dumps({"memory": {"day": "2026-05-01", "at": "2026-05-01T03:00:00Z"}}),
    ".praxis-stop-condition.json": json.dumps({"session_id": 1, "goals_sha256": "ab"}),
    "logs/praxis-errors.log": "--- 2026-05-01T07:00:00Z praxis run\nTraceback ...\n",
}


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)


def add_to_bundle(bundle: Path, files: dict[str, str]) -> None:
    """What an older Praxis put in a bundle: the files listed and checksummed like any other."""
    manifest = json.loads((bundle / "manifest.json").read_text())
    for name, content in files.items():
        (bundle / "data" / name).write_text(content)
        manifest["data_files"] = sorted([*manifest["data_files"], name])
        manifest["sha256"][f"data/{name}"] = hashlib.sha256(content.encode()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest))


def test_export_leaves_out_process_local_files_and_keeps_state(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    assert cli("run", "--once", env=LATER).returncode == 0
    write_files(cli.data_dir, {**LOCAL, **STATE})
    bundle = export(cli, tmp_path / "bundle")
    files = json.loads((bundle / "manifest.json").read_text())["data_files"]
    for name in LOCAL:
        assert name not in files
        assert not (bundle / "data" / name).exists()
    for name in (*STATE, "heartbeat.json", "events.jsonl"):
        assert name in files, name
    restored = InProcessRunner(tmp_path / "restored")
    assert restored("import", "--input", str(bundle), env=LATER).returncode == 0
    for name, content in STATE.items():
        assert (restored.data_dir / name).read_text() == content, name
    beat = json.loads((cli.data_dir / "heartbeat.json").read_text())
    assert restored("status", env=LATER).lines()["heartbeat"] == (
        f"phase={beat['phase']} updated_at={beat['updated_at']}"
    )


def test_import_skips_the_local_files_an_older_bundle_has(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(cli, tmp_path / "bundle")
    add_to_bundle(bundle, LOCAL)
    manifest = json.loads((bundle / "manifest.json").read_text())
    restored = InProcessRunner(tmp_path / "restored")
    result = restored("import", "--input", str(bundle), env=LATER)
    assert result.returncode == 0, result.stderr
    for name in LOCAL:
        assert not (restored.data_dir / name).exists(), name
    # every listed file but the two local ones, plus the database (and the state file)
    expected = len(manifest["data_files"]) - len(LOCAL) + 1 + int(manifest["state_present"])
    assert result.lines()["restored_files"] == str(expected)


def test_overwrite_leaves_the_target_its_own_local_files(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    bundle = export(cli, tmp_path / "bundle.tar.gz")
    target = InProcessRunner(tmp_path / "target")
    assert target("init", "--name", "Other", env=LATER).returncode == 0
    assert target("run", "--once", env=LATER).returncode == 0  # its run lock file exists
    own = json.dumps({"children": [{"pgid": 77, "owner": 76, "boot": "this-machine"}]})
    write_files(target.data_dir, {"tool_processes.json": own, "dashboard.token": "this-install"})
    (target.data_dir / "tool_processes.json").chmod(0o600)
    before = tree(target.data_dir)
    result = target("import", "--input", str(bundle), "--overwrite", env=LATER)
    assert result.returncode == 0, result.stderr
    assert (target.data_dir / "tool_processes.json").read_text() == own
    assert (target.data_dir / "tool_processes.json").stat().st_mode & 0o777 == 0o600
    assert (target.data_dir / "dashboard.token").read_text() == "this-install"
    assert tree(Path(result.lines()["replaced"])) == before  # the replaced dir is untouched
    assert target("status", env=LATER).lines()["instance"] == "Praxis"


def test_the_tables_name_the_files_their_owners_write() -> None:
    from praxis import child_processes
    from praxis.archive.selection import LOCAL_FILES, STATE_DESPITE_NAME, excluded
    from praxis.loop.session import STOP_RECORD
    from praxis.paths import DASHBOARD_TOKEN_NAME

    assert {local.path for local in LOCAL_FILES} == {
        child_processes.FILE_NAME,
        DASHBOARD_TOKEN_NAME,
    }
    assert STOP_RECORD in STATE_DESPITE_NAME
    assert not excluded(STOP_RECORD)
    assert excluded(".praxis-route-tools.json")  # a cache: re-learned on the first call
