"""One redaction at every boundary (issue 10 item 5): the known secret values are redacted without
callers passing them, and every write and print boundary applies it."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from praxis import env
from praxis.app import Praxis
from praxis.events import emit_event
from praxis.files import append_record, atomic_write_json, atomic_write_text
from praxis.memory.store import add_hot_memory
from praxis.redact import redact, redact_value, register_values
from praxis.report import Report
from praxis.storage.sessions import SessionRecord, insert_session, insert_snapshot
from praxis.tools import approvals

NOW = "2026-05-01T12:00:00Z"
PLAIN = "plain-value-without-shape-0042"


def test_known_values_are_redacted_without_being_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert redact(f"key {PLAIN}") == f"key {PLAIN}"
    monkeypatch.setenv("OPENAI_API_KEY", PLAIN)
    assert redact(f"key {PLAIN}") == "key [REDACTED]"
    monkeypatch.delenv("OPENAI_API_KEY")
    # .env values count as much as the environment's.
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"PRAXIS_TELEGRAM_BOT_TOKEN={PLAIN}-tg\n")
    env.load_dotenv(dotenv)
    assert redact(f"token {PLAIN}-tg.") == "token [REDACTED]."


def test_short_values_are_not_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "abc1234")  # 7 characters: too many false hits
    assert redact("abc1234 stays") == "abc1234 stays"
    assert redact("abc1234 goes", ("abc1234",)) == "[REDACTED] goes"


def test_config_registers_route_key_names_and_the_dashboard_token_file(
    app: Praxis, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.data_dir.providers_toml.write_text(
        '[[providers]]\nprovider = "openai"\nmodel = "m"\napi_key_env = "MY_ROUTE_KEY"\n'
    )
    app.data_dir.dashboard_token.write_text("dashboard-token-0123456789\n")
    monkeypatch.setenv("MY_ROUTE_KEY", "route-key-value-987654")
    assert redact("route-key-value-987654") == "route-key-value-987654"
    assert app.config.routes[0].key_env == "MY_ROUTE_KEY"
    assert redact("a route-key-value-987654 b") == "a [REDACTED] b"
    assert redact("t=dashboard-token-0123456789") == "t=[REDACTED]"


def test_escaped_forms_and_shapes() -> None:
    register_values(['quote"and\\slash-secret'])  # a registered value, as JSON escapes it
    text = json.dumps({"v": 'x quote"and\\slash-secret y'})
    assert json.loads(redact(text)) == {"v": "x [REDACTED] y"}
    shapes = {
        "ghp_" + "a" * 36: "github",
        "AKIA" + "B" * 16: "aws",
        "xoxb-1234567890-abcdef": "slack",
        "AIza" + "c" * 35: "google",
        "OPENAI_API_KEY=whatever-value-1": "assignment",
    }
    for text in shapes:
        assert text not in redact(f"see {text} here"), shapes[text]
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----"
    assert "MIIabc" not in redact(pem)
    # No false hits on ordinary words that merely contain `sk-`.
    assert redact("multitask-learning and a desk-lamp-fixture") == (
        "multitask-learning and a desk-lamp-fixture"
    )


def test_redacting_json_text_keeps_it_valid() -> None:
    document = json.dumps(
        {
            "a": 'Authorization: abc\\"def sk-ant-abcdefghijkl',
            "b": 'TOKEN="abcdefghijk"',
            "c": "-----BEGIN PRIVATE KEY-----\nxyz\n-----END PRIVATE KEY-----",
        }
    )
    clean = json.loads(redact(document))
    assert "sk-ant-abcdefghijkl" not in clean["a"] and "xyz" not in clean["c"]
    assert redact_value({"k": ["sk-ant-abcdefghijkl", 3]}) == {"k": ["[REDACTED]", 3]}


def test_files_redact_every_text_they_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", PLAIN)
    atomic_write_text(tmp_path / "a.md", f"x {PLAIN}\n")
    atomic_write_json(tmp_path / "b.json", {"reply": PLAIN})
    append_record(tmp_path / "c.md", f"- {PLAIN}\n")
    emit_event(tmp_path / "events.jsonl", f"kind {PLAIN}", f"detail {PLAIN}")
    for name in ("a.md", "b.json", "c.md", "events.jsonl"):
        assert PLAIN not in (tmp_path / name).read_text(), name
    append_record(tmp_path / "private.log", "entry\n", mode=0o600)
    assert stat.S_IMODE((tmp_path / "private.log").stat().st_mode) == 0o600


def test_reports_redact_text_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", 'key-with"quote-0042')
    report = (
        Report().add("prompt", 'say key-with"quote-0042').extra("list", ['key-with"quote-0042'])
    )
    assert "quote-0042" not in report.to_text()
    assert "quote-0042" not in report.to_json()
    assert json.loads(report.to_json())["prompt"] == "say [REDACTED]"


def test_database_rows_are_stored_redacted(app: Praxis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", PLAIN)
    conn = app.db
    record = SessionRecord(
        "run-1", 1, NOW, NOW, "task_selected", None, f"goal {PLAIN}", f"task {PLAIN}",
        f"summary {PLAIN}", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {},
    )  # fmt: skip
    insert_session(conn, record)
    insert_snapshot(conn, "run-1", None, NOW, "act", "end", json.dumps({"r": PLAIN}), NOW)
    add_hot_memory(conn, f"memory {PLAIN}", f"sum {PLAIN}", [PLAIN], 0.5, NOW)
    asked = approvals.NewRequest(
        "shell", f"echo {PLAIN}", "model", [f"workspace/{PLAIN}"], {"argv": ["echo", PLAIN]}
    )
    request = approvals.create_request(
        conn,
        asked,
        "approved",
        NOW,
        result=f"result {PLAIN}",
        output=f"out {PLAIN}",
    )
    approvals.finish(conn, request.id, "executed", f"ran {PLAIN}", NOW)
    conn.commit()
    with sqlite3.connect(app.database_file) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in raw.execute(f'SELECT * FROM "{table}"'):
                assert PLAIN not in repr(row), table
    assert PLAIN.encode() not in app.database_file.read_bytes()
