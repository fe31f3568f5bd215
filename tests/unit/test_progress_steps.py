"""What each long piece of work reports as progress (`praxis.progress`): the session's phases,
model calls, tool runs and checks; the daemon; export, import and snapshots; canary, evals,
learning and consolidation. Services against a real data dir, watched by a recording Progress
(how it is drawn: tests/unit/test_progress.py and tests/cli/test_progress_tty.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from praxis.app import Praxis
from praxis.archive.export import export_state
from praxis.archive.import_ import import_bundle
from praxis.archive.snapshots import create_snapshot, restore_snapshot
from praxis.learning.service import run_learning
from praxis.loop.session import run_once
from praxis.memory.service import MemoryService
from praxis.operator.canary import run_canaries
from praxis.operator.daemon import run_daemon
from praxis.quality.evals import run_evals
from tests.conftest import use_backend, write_failing_eval, write_json
from tests.fakes.openai import FakeOpenAI
from tests.unit.test_progress import Recorder

SECRET = "sk-abcdefghijklmnop1234"
G001_CHECKS = ("test -f IDENTITY.md", "test -f praxis.db", "test -f tools/praxis-data-write.toml")
SMOKE = "Foundation runtime files stay healthy"


def _use_openai(app: Praxis, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    use_backend(app.data_dir.root, "openai")  # before app.config is first read
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)


def test_a_session_reports_each_phase_model_call_and_check(app: Praxis) -> None:
    progress = Recorder()
    result = run_once(app, progress=progress)
    assert result.outcome == "goal_selected"
    checks = [f"reflect: criteria G-001 check {n}/3: {c}" for n, c in enumerate(G001_CHECKS, 1)]
    assert progress.seen == [
        "orient: loading identity, goals, tools and context",
        "decide: selecting the next unit of work",
        "decide: asking stub",
        "act: carrying out the plan",
        "act: asking stub",
        "reflect: reviewing and recording the session",
        *checks,
        f"reflect: eval 1/1: {SMOKE}",
        "sleep: session complete",
    ]


def test_a_remote_call_names_the_route_and_a_tool_run_its_arguments_redacted(
    app: Praxis, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_openai(app, fake_openai, monkeypatch)
    fake_openai.script("ok", "tool_call", "ok")
    fake_openai.calls.append(("shell", {"argv": ["echo", SECRET, "two\nlines"]}))
    progress = Recorder()
    run_once(app, task="say hello", progress=progress)
    asked = progress.starting("decide: asking") + progress.starting("act: asking")
    assert asked == ["decide: asking openai gpt-5.4-mini"] + ["act: asking openai gpt-5.4-mini"] * 2
    assert progress.starting("act: running") == ["act: running shell echo [REDACTED] two lines"]
    assert not any(SECRET in step for step in progress.seen)


def test_the_daemon_is_done_before_each_tick_line_and_says_when_it_runs_next(
    app: Praxis,
) -> None:
    progress = Recorder()

    def on_tick(tick: Any) -> None:
        progress.seen.append("<tick>")

    run_daemon(app, interval_minutes=0.001, max_sessions=2, progress=progress, on_tick=on_tick)
    ticks = [i for i, s in enumerate(progress.seen) if s == "<tick>"]
    assert len(ticks) == 2
    assert all(progress.seen[i - 1] == "<done>" for i in ticks)
    assert progress.seen[0] == "daily jobs: running those that are due"
    assert progress.seen[ticks[0] + 1].startswith("sleep: next session at 2026-05-01T12:00")
    assert progress.seen.count("orient: loading identity, goals, tools and context") == 2


@pytest.mark.parametrize("name", ["bundle", "bundle.tar.gz"])
def test_export_and_import_report_each_file_out_of_all(
    app: Praxis, tmp_path: Path, name: str
) -> None:
    out = Recorder()
    result = export_state(app, tmp_path / name, False, out)
    files = result.manifest.data_files
    copied = out.starting("copying data file")
    assert copied == [f"copying data file {n}/{len(files)}: {f}" for n, f in enumerate(files, 1)]
    assert out.seen[len(files)].startswith("copying the database (")
    assert out.seen[len(files)].endswith(" kB)")
    tarball = name.endswith(".tar.gz")
    packed = [f"packing {len(result.manifest.members())} files into {name}"] if tarball else []
    assert out.seen[len(files) + 1 :] == packed
    back = Recorder()
    target = tmp_path / "restored"
    import_bundle(target, tmp_path / name, False, progress=back)
    restored = back.starting("restoring data file")
    assert len(restored) == len(files) and restored[-1].startswith(
        f"restoring data file {len(files)}/"
    )
    unpacked = [f"unpacking {name}"] if tarball else []
    assert back.seen[: len(unpacked) + 1] == [*unpacked, "checking the bundle"]
    assert back.seen[-4:] == [
        "restoring the database",
        f"checking and migrating the database (schema {result.manifest.schema_version})",
        "validating the restored data dir",
        f"swapping the restored data dir in at {target}",
    ]


def test_a_snapshot_reports_its_files_then_retention_and_a_restore_its_stages(
    app: Praxis,
) -> None:
    taken = Recorder()
    created = create_snapshot(app, taken)
    assert taken.seen[0].startswith(f"copying data file 1/{created.snapshot.data_files}: ")
    assert taken.seen[-1] == "applying retention"
    restored = Recorder()
    restore_snapshot(app, created.snapshot.id, restored)
    assert "checking the bundle" in restored.seen
    assert restored.seen[-1] == f"swapping the restored data dir in at {app.data_dir.root}"


def test_evals_count_only_those_that_run(app: Praxis) -> None:
    evals = app.data_dir.evals_dir
    smoke = json.loads((evals / "foundation-smoke.json").read_text())
    write_json(evals / "a-manual.json", smoke, id="a-manual", name="A manual check", when="manual")
    write_failing_eval(app.data_dir.root)  # malformed (no scenario): fails, runs no check
    session = Recorder()
    run_evals(app.data_dir, "session", progress=session)
    assert session.seen == [f"eval 1/1: {SMOKE}"]
    manual = Recorder()
    run_evals(app.data_dir, "manual", progress=manual)
    assert manual.seen == ["eval 1/2: A manual check", f"eval 2/2: {SMOKE}"]


def test_a_canary_names_each_route_it_probes_then_its_evals(
    app: Praxis, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_openai(app, fake_openai, monkeypatch)
    fake_openai.text = "PraxisCanaryReady"
    progress = Recorder()
    run_canaries(app, progress=progress)
    assert progress.seen == ["canary 1/1: asking openai gpt-5.4-mini", f"eval 1/1: {SMOKE}"]


def test_learning_and_consolidation_report_their_stages(app: Praxis) -> None:
    learning = Recorder()
    run_learning(app, learning)
    assert learning.seen == [
        "scanning learning sources",
        "analysing the newest 10 sessions",
        "mining opportunities",
        "queueing 0 candidate(s)",
        "writing PROPOSALS.md",
    ]
    consolidating = Recorder()
    MemoryService.of(app).consolidate("2026-05-01T12:00:00Z", True, consolidating)
    assert consolidating.seen == [
        "moving aged and over-capacity hot memories to cold memory (dry run)"
    ]
