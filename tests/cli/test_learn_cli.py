"""`learn note|run|list|accept|dismiss` as an operator types them: the reference's keys, free-text
notes (words starting with `-` included), errors with their exit codes, `--json`."""

from __future__ import annotations

import json

from tests.conftest import InProcessRunner

NOW = {"PRAXIS_FIXED_NOW": "2026-05-01T08:00:00Z"}


def test_note_keeps_words_that_start_with_a_dash(cli: InProcessRunner) -> None:
    result = cli("learn", "note", "Prefer", "pip  install", "--require-hashes", "-q", env=NOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "learning: noted",
        "kind: operational-note",
        "appended_at: 2026-05-01T08:00:00Z",
        "summary: Prefer pip install --require-hashes -q",
    ]
    assert (cli.data_dir / "LEARNINGS.md").read_text() == (
        "# Learnings\n\n- No learnings captured yet.\n"
        "\n## 2026-05-01T08:00:00Z\n- Kind: operational-note\n- Source: cli/manual\n"
        "- Summary: Prefer pip install --require-hashes -q\n"
    )


def test_note_errors(cli: InProcessRunner) -> None:
    missing = cli("learn", "note")
    assert missing.returncode == 2
    blank = cli("learn", "note", "   ")
    assert blank.returncode == 2
    assert blank.stderr.splitlines()[0] == "error: learning summary cannot be empty"
    assert blank.stderr.splitlines()[1].startswith("hint: ")
    assert "Summary:" not in (cli.data_dir / "LEARNINGS.md").read_text()


def test_run_and_list_keys_on_a_fresh_data_dir(cli: InProcessRunner) -> None:
    empty = cli("learn", "list", env=NOW)
    assert empty.stdout.splitlines() == [
        "learning: ready",
        "last_run: none",
        "pending_opportunities: 0",
        "pending: none",
    ]
    ran = cli("learn", "run", env=NOW)
    assert ran.returncode == 0, ran.stderr
    assert ran.keys() == [
        "learning",
        "sources_processed",
        "sources_changed",
        "opportunities_created",
        "throttle_reached",
        "notes",
    ]
    assert "- Captured fresh learning from learning/sources/operator-notes.md." in ran.stdout
    listed = cli("learn", "list", "--all", env=NOW)
    assert listed.stdout.splitlines() == [
        "learning: ready",
        "last_run: processed=1 changed=1 opportunities=0 completed_at=2026-05-01T08:00:00Z",
        "pending_opportunities: 0",
        "accepted_opportunities: 0",
        "dismissed_opportunities: 0",
        "pending: none",
        "accepted: none",
        "dismissed: none",
    ]
    data = json.loads(cli("learn", "list", "--json", env=NOW).stdout)
    assert data["last_run"] == {
        "processed": 1,
        "changed": 1,
        "opportunities": 0,
        "completed_at": "2026-05-01T08:00:00Z",
    }
    assert (data["pending"], data["accepted"], data["dismissed"]) == ([], [], [])
    run_json = json.loads(cli("learn", "run", "--json", env=NOW).stdout)
    assert run_json["throttle_reached"] is False
    assert run_json["notes"] == [] and run_json["opportunities"] == []


def test_accept_and_dismiss_unknown_or_invalid_ids(cli: InProcessRunner) -> None:
    for action in ("accept", "dismiss"):
        unknown = cli("learn", action, "7", env=NOW)
        assert unknown.returncode == 1
        assert unknown.stderr.splitlines() == [
            "error: opportunity 7 was not found",
            "hint: list them with `praxis learn list --all`",
        ]
        assert cli("learn", action, "seven").returncode == 2
    assert (cli.data_dir / "GOALS.md").read_text().count("- [ ]") == 1


def test_learn_and_argus_are_working_commands(cli: InProcessRunner) -> None:
    from praxis.cli.root import is_planned

    assert not is_planned("learn") and not is_planned("argus")
    assert cli("argus", "--help").returncode == 0
    assert "Planned" not in cli("learn", "--help").stdout
