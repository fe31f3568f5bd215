"""Surfaces hold no logic (DESIGN habit 1, issue 11): nothing in src/praxis/cli/ runs SQL, holds a
database handle or picks a file in the data dir. A command parses, calls a service with the app
(Praxis) and renders the typed result, so Telegram and the dashboard can call the same service.

Passing the data dir handle on (`service(app.data_dir)`) is allowed: the service names the file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import praxis.cli

CLI_DIR = Path(praxis.cli.__file__).parent
# A database handle or a query: `app.db`, `conn.execute(...)`, the database or state file's path.
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "db",
        "execute",
        "executemany",
        "executescript",
        "cursor",
        "database_file",
        "state_file",
    }
)
SQL = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|"
    r"\bDELETE\s+FROM\b|\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER)\b|\bPRAGMA\s+\w+",
    re.DOTALL,
)  # case-sensitive: Praxis writes SQL keywords in capitals, help texts use "Select", "Delete"


def _names_data_dir(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "data_dir") or (
        isinstance(node, ast.Attribute) and node.attr == "data_dir"
    )


def violations(source: str, filename: str = "<cli>") -> list[str]:
    """Each place in `source` where a surface does a service's work, as `file:line: what`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute):
            if node.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"{where}: .{node.attr}")
            elif _names_data_dir(node.value):
                found.append(f"{where}: data_dir.{node.attr} (a path in the data dir)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                found.append(f"{where}: SQL {node.value[:40]!r}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules.append(node.module or "")
            if any(m.split(".")[0] == "sqlite3" for m in modules):
                found.append(f"{where}: import sqlite3")
    return found


def test_cli_holds_no_sql_no_db_handles_and_no_data_dir_paths() -> None:
    files = sorted(CLI_DIR.glob("*.py"))
    assert len(files) > 10
    found = [v for path in files for v in violations(path.read_text(), path.name)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "code",
    [
        "rows = app.db.execute('SELECT id FROM sessions').fetchall()",
        "n = count(praxis.db)",
        "conn.execute(sql)",
        "f'SELECT COUNT(*) FROM {table} WHERE x = 1'",
        "'INSERT OR IGNORE INTO memories (a) VALUES (1)'",
        "'UPDATE approval_requests SET status = ?'",
        "'DELETE FROM tools'",
        "'PRAGMA quick_check'",
        "edit(app(ctx).data_dir.goals_md)",
        "root = data_dir.root",
        "path = app.database_file",
        "import sqlite3",
        "from sqlite3 import Connection",
    ],
)
def test_the_check_sees_a_surface_doing_a_services_work(code: str) -> None:
    assert violations(code)


@pytest.mark.parametrize(
    "code",
    [
        "found = read_agents(app(ctx).data_dir)",
        "report.add('data_dir', result.data_dir)",
        "'Delete a tool manifest (its request history stays).'",
        "'delete from the queue'",
        "'Select the next goal from GOALS.md'",
        "'Show which goal the planner would pick next, and why the others wait.'",
    ],
)
def test_the_check_lets_a_surface_pass_the_app_on(code: str) -> None:
    assert violations(code) == []
