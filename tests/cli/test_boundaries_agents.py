"""`boundaries` and `agents`: in-place edits of IDENTITY.md / AGENTS.md and the weekly review."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from praxis.identity.foundation import seed_documents
from tests.conftest import InProcessRunner, PraxisRunner

AGENTS_SEED = seed_documents("Praxis", "UTC", "x")["AGENTS.md"]
IDENTITY_SEED = seed_documents("Praxis", "UTC", "x")["IDENTITY.md"]
T0 = "2026-05-01T08:00:00Z"


def at(moment: str) -> dict[str, str]:
    return {"PRAXIS_FIXED_NOW": moment}


def test_fresh_init_has_no_explicit_rules_and_the_review_is_due(cli: InProcessRunner) -> None:
    assert (cli.data_dir / "IDENTITY.md").read_text() == IDENTITY_SEED  # placeholder present
    result = cli("boundaries", "show")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "boundary_review_due: true",
        "boundary_review_prompt: Weekly alignment review: have any hard limits changed?",
        "boundaries: none explicitly recorded",
    ]
    data = json.loads(cli("boundaries", "show", "--json").stdout)
    assert data["boundaries"] == []
    assert data["boundary_review_due"] is True
    assert data["next_review_due_at"] is None


def test_add_inserts_one_line_and_keeps_every_other_byte(cli: InProcessRunner) -> None:
    path = cli.data_dir / "IDENTITY.md"
    path.write_bytes(path.read_bytes() + b"\n## Notes\nOperator prose  \n")
    before = path.read_bytes()
    result = cli("boundaries", "add", "Never", "spend", "money")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["boundary: added", "rule: Never spend money"]
    assert path.read_bytes() == before.replace(
        b"recorded yet.\n", b"recorded yet.\n- Never spend money\n"
    )
    again = cli("boundaries", "add", "Never spend money")
    assert again.stdout.splitlines() == ["boundary: exists", "rule: Never spend money"]
    assert path.read_bytes().count(b"- Never spend money") == 1
    shown = cli("boundaries", "show").stdout.splitlines()
    assert shown[-2:] == ["boundaries:", "- Never spend money"]
    assert json.loads(cli("boundaries", "show", "--json").stdout)["boundaries"] == [
        "Never spend money"
    ]


def test_review_is_due_seven_days_after_confirm_and_confirm_clears_it(
    cli: InProcessRunner,
) -> None:
    assert cli("status", env=at(T0)).lines()["boundary_review_due"] == "true"
    confirmed = cli("boundaries", "confirm", "--note", "  all still true  ", env=at(T0))
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.splitlines() == [
        f"boundary_review_confirmed: {T0}",
        "note: all still true",
    ]
    stored = json.loads((cli.data_dir / "boundary_review.json").read_text())
    assert stored == {"last_confirmed_at": T0, "last_note": "all still true"}

    almost = cli("status", env=at("2026-05-08T07:59:59Z")).lines()
    assert almost["boundary_review_due"] == "false"
    assert almost["last_boundary_review"] == T0
    shown = cli("boundaries", "show", env=at("2026-05-08T07:59:59Z")).stdout.splitlines()
    assert shown[:2] == ["boundary_review_due: false", f"last_boundary_review: {T0}"]
    data = json.loads(cli("boundaries", "show", "--json", env=at(T0)).stdout)
    assert data["next_review_due_at"] == "2026-05-08T08:00:00Z"
    assert data["last_note"] == "all still true"

    week = "2026-05-08T08:00:00Z"
    assert cli("status", env=at(week)).lines()["boundary_review_due"] == "true"
    assert "boundary_review_prompt: Weekly" in cli("boundaries", "show", env=at(week)).stdout
    blank = cli("boundaries", "confirm", "--note", "  ", env=at(week))
    assert blank.stdout.splitlines() == [f"boundary_review_confirmed: {week}", "note: -"]
    assert json.loads((cli.data_dir / "boundary_review.json").read_text())["last_note"] is None
    assert cli("status", env=at(week)).lines()["boundary_review_due"] == "false"
    assert json.loads(cli("status", "--json", env=at(week)).stdout)["boundary_review_due"] is False


def test_broken_review_file_does_not_break_status_and_confirm_repairs_it(
    cli: InProcessRunner,
) -> None:
    review = cli.data_dir / "boundary_review.json"
    review.write_text('{"last_confirmed_at": "last tuesday"}')
    status = cli("status")
    assert status.returncode == 0, status.stderr
    assert status.lines()["boundary_review_due"] == "error (run `praxis boundaries show`)"
    shown = cli("boundaries", "show")
    assert shown.returncode == 2
    assert "invalid boundary review timestamp last tuesday" in shown.stderr
    assert cli("boundaries", "confirm", env=at(T0)).returncode == 0
    assert cli("status", env=at(T0)).lines()["boundary_review_due"] == "false"


def test_agents_add_gotcha_lands_under_the_gotchas_items(cli: InProcessRunner) -> None:
    path = cli.data_dir / "AGENTS.md"
    assert path.read_text() == AGENTS_SEED
    result = cli("agents", "add", "--section", "gotcha", "--note", "x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["agents: updated", "section: Gotchas", "note: x"]
    expected = AGENTS_SEED.replace(
        "- No project-specific gotchas captured yet.\n",
        "- No project-specific gotchas captured yet.\n- x\n",
    )
    assert path.read_bytes() == expected.encode()
    # The form (the note as words) and the default section.
    assert cli("agents", "add", "--section", "gotcha", "y", "z").returncode == 0
    assert cli("agents", "add", "--note", "run", "--note", "make test").returncode == 0
    text = path.read_text()
    assert "- x\n- y z\n\n## Handoffs" in text
    assert "remember here.\n- run make test\n\n## Gotchas" in text
    again = cli("agents", "add", "--section", "gotcha", "--note", "x")
    assert again.stdout.splitlines()[0] == "agents: unchanged"
    assert path.read_text() == text


def test_agents_view_prints_the_file_and_json_lists_notes(cli: InProcessRunner) -> None:
    assert cli("agents", "view").stdout == AGENTS_SEED
    cli("agents", "add", "--section", "handoff", "--note", "Deploy is manual")
    data = json.loads(cli("agents", "view", "--json").stdout)
    assert data["sections"] == {
        "Workflow Notes": [],
        "Gotchas": [],
        "Handoffs": ["Deploy is manual"],
    }
    assert data["content"] == (cli.data_dir / "AGENTS.md").read_text()


def test_missing_sections_are_created_at_the_end(cli: InProcessRunner) -> None:
    agents = cli.data_dir / "AGENTS.md"
    agents.write_text("# Agents\n\nMy own notes.\n")
    cli("agents", "add", "--section", "handoff", "--note", "h")
    assert agents.read_text() == "# Agents\n\nMy own notes.\n\n## Handoffs\n- h\n"
    identity = cli.data_dir / "IDENTITY.md"
    identity.write_text("# Identity\n- Name: P")
    cli("boundaries", "add", "r")
    assert identity.read_text() == "# Identity\n- Name: P\n\n## Boundaries\n- r\n"


def test_crlf_files_keep_crlf(cli: InProcessRunner) -> None:
    agents = cli.data_dir / "AGENTS.md"
    agents.write_bytes(AGENTS_SEED.replace("\n", "\r\n").encode())
    identity = cli.data_dir / "IDENTITY.md"
    identity.write_bytes(IDENTITY_SEED.replace("\n", "\r\n").encode())
    cli("agents", "add", "--section", "workflow", "--note", "w")
    cli("boundaries", "add", "b")
    assert (
        agents.read_bytes()
        == AGENTS_SEED.replace("remember here.\n", "remember here.\n- w\n")
        .replace("\n", "\r\n")
        .encode()
    )
    assert identity.read_bytes() == (IDENTITY_SEED + "- b\n").replace("\n", "\r\n").encode()
    assert cli("boundaries", "show").stdout.splitlines()[-1] == "- b"


@pytest.mark.parametrize(
    "args",
    [
        ("boundaries", "add", "ok\n## Gotchas\n- smuggled"),
        ("boundaries", "add", "line\r- two"),
        ("agents", "add", "--section", "gotcha", "--note", "a\n## Handoffs"),
        ("agents", "add", "--section", "gotcha", "--note", "a\u2028b"),
        ("agents", "add", "--note", "x" * 1001),
        ("boundaries", "confirm", "--note", "fine\n## Boundaries"),
    ],
)
def test_multi_line_or_control_input_is_refused_and_nothing_changes(
    cli: InProcessRunner, args: tuple[str, ...]
) -> None:
    files = ("IDENTITY.md", "AGENTS.md", "boundary_review.json")
    before = {name: (cli.data_dir / name).read_bytes() for name in files}
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert {name: (cli.data_dir / name).read_bytes() for name in files} == before


def test_a_heading_like_note_stays_a_list_item(cli: InProcessRunner) -> None:
    cli("agents", "add", "--section", "gotcha", "--note", "## Handoffs")
    cli("agents", "add", "--section", "handoff", "--note", "real handoff")
    text = (cli.data_dir / "AGENTS.md").read_text()
    assert "- No project-specific gotchas captured yet.\n- ## Handoffs\n" in text
    assert text.endswith("## Handoffs\n- No handoff notes captured yet.\n- real handoff\n")
    cli("boundaries", "add", "# Not a heading")
    assert cli("boundaries", "show").stdout.splitlines()[-1] == "- # Not a heading"


def test_empty_entries_use_the_reference_messages(cli: InProcessRunner) -> None:
    agents = cli("agents", "add", "--section", "gotcha", "--note", "  ")
    assert agents.returncode == 2
    assert agents.stderr.splitlines()[0] == "error: agent note must not be empty"
    assert cli("agents", "add").stderr.splitlines()[0] == "error: agent note must not be empty"
    rule = cli("boundaries", "add", " ")
    assert rule.stderr.splitlines()[0] == "error: boundary rule must not be empty"


def test_fifo_or_symlink_in_place_of_a_file_is_refused(
    cli: InProcessRunner, tmp_path: Path
) -> None:
    agents = cli.data_dir / "AGENTS.md"
    agents.unlink()
    os.mkfifo(agents)
    view = cli("agents", "view")
    assert view.returncode == 1
    assert "not a regular file: it is a named pipe (FIFO)" in view.stderr
    review = cli.data_dir / "boundary_review.json"
    review.unlink()
    os.mkfifo(review)
    assert cli("status").returncode == 0
    assert cli("boundaries", "show").returncode == 1

    outside = tmp_path / "elsewhere.md"
    outside.write_text(IDENTITY_SEED)
    identity = cli.data_dir / "IDENTITY.md"
    identity.unlink()
    identity.symlink_to(outside)
    added = cli("boundaries", "add", "r")
    assert added.returncode == 1
    assert "it is a symlink" in added.stderr
    assert identity.is_symlink() and outside.read_text() == IDENTITY_SEED


def test_missing_identity_file_names_the_fix(cli: InProcessRunner) -> None:
    (cli.data_dir / "IDENTITY.md").unlink()
    result = cli("boundaries", "add", "r")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("error: missing required identity file ")
    assert "praxis init" in result.stderr


def test_concurrent_adds_lose_nothing(initialized: PraxisRunner) -> None:
    # Eight real processes at once: the file locks are what is under test.
    procs = [
        initialized.popen(*args, stdout=subprocess.DEVNULL)
        for i in range(4)
        for args in (
            ("boundaries", "add", f"rule {i}"),
            ("agents", "add", "--section", "gotcha", "--note", f"note {i}"),
        )
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    rules = json.loads(initialized("boundaries", "show", "--json").stdout)["boundaries"]
    assert sorted(rules) == [f"rule {i}" for i in range(4)]
    notes = json.loads(initialized("agents", "view", "--json").stdout)["sections"]["Gotchas"]
    assert sorted(notes) == [f"note {i}" for i in range(4)]
