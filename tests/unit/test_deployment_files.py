"""Deployment files (SPEC §13): Dockerfile, compose.yaml, check-heartbeat.sh, systemd units.

No Docker engine is needed: the container files are checked as text, the script is run for real
against a fake `praxis` executable.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.dockerfile import dockerfile_instructions

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-heartbeat.sh"
USAGE = "usage: check-heartbeat.sh <data-dir> [max-age-seconds]"
# Only services for commands that exist: praxis-serve and praxis-telegram come back with the
# work that builds `serve` and `telegram`.
SERVICES = ("praxis-init", "praxis-run", "praxis-status", "praxis-daemon")

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")


def _read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# compose.yaml, read without a YAML library: top-level keys at column 0, services at 2 spaces.
# ---------------------------------------------------------------------------------------------


def _top_level_blocks(text: str) -> dict[str, str]:
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z][\w-]*):(.*)$", line)
        if match:
            current = blocks.setdefault(match.group(1), [line])
        elif current is not None:
            current.append(line)
    return {key: "\n".join(lines) for key, lines in blocks.items()}


def _services(text: str) -> dict[str, str]:
    """Each service's lines, with the `<<: *anchor` merges of top-level `x-` blocks inlined."""
    blocks = _top_level_blocks(text)
    anchors: dict[str, str] = {}
    for block in blocks.values():
        match = re.match(r"^[\w-]+:\s*&([\w-]+)\s*$", block.splitlines()[0])
        if match:
            anchors[match.group(1)] = block
    services: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in blocks["services"].splitlines()[1:]:
        match = re.match(r"^  ([\w-]+):\s*$", line)
        if match:
            current = services.setdefault(match.group(1), [])
        elif current is not None and line.strip() and not line.lstrip().startswith("#"):
            current.append(line)
    resolved: dict[str, str] = {}
    for name, lines in services.items():
        body = "\n".join(lines)
        for anchor in re.findall(r"^\s+<<:\s*\*([\w-]+)\s*$", body, flags=re.MULTILINE):
            body += "\n" + anchors[anchor]
        for anchor in re.findall(r"^\s+environment:\s*\*([\w-]+)\s*$", body, flags=re.MULTILINE):
            body += "\n" + anchors[anchor]
        resolved[name] = body
    return resolved


def _command(body: str) -> list[str]:
    match = re.search(r"^\s+command:\s*(\[.*\])\s*$", body, flags=re.MULTILINE)
    assert match, body
    command: list[str] = json.loads(match.group(1))
    return command


def _profiles(body: str) -> list[str]:
    match = re.search(r"^\s+profiles:\s*(\[.*\])\s*$", body, flags=re.MULTILINE)
    return json.loads(match.group(1)) if match else []


def test_compose_declares_the_four_services_on_the_shared_volume() -> None:
    services = _services(_read("compose.yaml"))
    assert set(services) == set(SERVICES)
    for name, body in services.items():
        assert "- ./docker-data:/var/lib/praxis" in body, name
        assert re.search(r"^\s+image:\s*praxis:local\s*$", body, flags=re.MULTILINE), name
        assert re.search(r"^\s+build:", body, flags=re.MULTILINE), name
        assert "PRAXIS_UID: ${PRAXIS_UID:-10001}" in body, name


def test_compose_commands_restart_policies_and_profiles() -> None:
    services = _services(_read("compose.yaml"))
    assert _command(services["praxis-init"]) == ["init", "--timezone", "UTC"]
    assert _command(services["praxis-run"]) == ["run", "--once"]
    assert _command(services["praxis-status"]) == ["status"]
    assert _command(services["praxis-daemon"]) == ["run", "--interval-minutes", "60"]
    for name in ("praxis-init", "praxis-run", "praxis-status"):
        assert _profiles(services[name]), f"{name} would start with a bare `docker compose up`"
        assert "restart:" not in services[name]
    assert _profiles(services["praxis-daemon"]) == []
    assert re.search(r"^\s+restart:\s*unless-stopped\s*$", services["praxis-daemon"], re.MULTILINE)


def test_compose_publishes_no_port_and_offers_no_unbuilt_service() -> None:
    text = _read("compose.yaml")
    assert "ports:" not in text
    for unbuilt in ("praxis-serve", "praxis-telegram", "--profile serve", "--profile telegram"):
        assert unbuilt not in text, unbuilt


def test_compose_holds_no_secret_values() -> None:
    text = _read("compose.yaml")
    assert "sk-" not in text
    # Pass-through by bare name only: `NAME=value` or `NAME: value` would bake in a value, and
    # `${NAME:-}` would set an empty string that hides the data dir's .env.
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY"):
        assert re.search(rf"^\s+- {name}\s*$", text, flags=re.MULTILINE), name
        assert not re.search(rf"{name}\s*[=:]", text), name


def test_compose_parses_as_yaml_when_pyyaml_is_available() -> None:
    yaml = pytest.importorskip("yaml")
    document = yaml.safe_load(_read("compose.yaml"))
    services = document["services"]
    assert set(services) == set(SERVICES)
    for name, service in services.items():
        assert service["volumes"] == ["./docker-data:/var/lib/praxis"], name
        assert service["image"] == "praxis:local", name
        assert "ports" not in service, name


# ---------------------------------------------------------------------------------------------
# Dockerfile and .dockerignore
# ---------------------------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user_with_a_build_time_uid() -> None:
    instructions = dockerfile_instructions(_read("Dockerfile"))
    args = dict(
        value.split("=", 1) for kind, value in instructions if kind == "ARG" and "=" in value
    )
    assert int(args["PRAXIS_UID"]) > 0
    assert "PRAXIS_GID" in args
    users = [value for kind, value in instructions if kind == "USER"]
    assert users, "no USER instruction"
    assert users[-1] == "praxis"
    runs = " ".join(value for kind, value in instructions if kind == "RUN")
    assert re.search(r"useradd\b.*--uid \"?\$\{?PRAXIS_UID\}?", runs)
    assert "chown" in runs and "/var/lib/praxis" in runs


def test_dockerfile_data_dir_healthcheck_and_entrypoint() -> None:
    text = _read("Dockerfile")
    instructions = dockerfile_instructions(text)
    assert "python:3.11-slim" in text
    assert ("VOLUME", "/var/lib/praxis") in instructions
    assert ("WORKDIR", "/var/lib/praxis") in instructions
    env = " ".join(value for kind, value in instructions if kind == "ENV")
    assert "PRAXIS_DATA_DIR=/var/lib/praxis" in env.split()
    healthchecks = [value for kind, value in instructions if kind == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert "praxis heartbeat check --max-age-seconds 900" in healthchecks[0]
    assert ("ENTRYPOINT", '["praxis"]') in instructions
    assert ("CMD", '["status"]') in instructions
    assert "pip install --no-cache-dir" in " ".join(v for k, v in instructions if k == "RUN")
    copies = [value for kind, value in instructions if kind == "COPY"]
    assert not any(re.match(r"^\.\s", value) for value in copies), "COPY . copies everything"


def test_dockerignore_keeps_data_tests_and_secrets_out() -> None:
    entries = {
        line.strip()
        for line in _read(".dockerignore").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for entry in (".git", ".venv", "docker-data", "local-data", "tests", ".env"):
        assert entry in entries, entry


# ---------------------------------------------------------------------------------------------
# scripts/check-heartbeat.sh
# ---------------------------------------------------------------------------------------------


def _fake_praxis(tmp_path: Path) -> Path:
    fake = tmp_path / "fake-praxis"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\nexit "${FAKE_RC:-0}"\n', encoding="utf-8")
    fake.chmod(0o755)
    return fake


def _run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_check_heartbeat_script_is_executable_bash() -> None:
    assert SCRIPT.stat().st_mode & stat.S_IXUSR
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n") or text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text


@needs_bash
def test_check_heartbeat_script_syntax() -> None:
    result = subprocess.run(
        ["bash", "-n", str(SCRIPT)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr


@needs_bash
def test_check_heartbeat_script_without_data_dir_is_a_usage_error(tmp_path: Path) -> None:
    result = _run_script(env={"PRAXIS_BIN": str(_fake_praxis(tmp_path))})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == USAGE


@needs_bash
def test_check_heartbeat_script_passes_the_data_dir_and_default_max_age(tmp_path: Path) -> None:
    data_dir = tmp_path / "data dir"
    result = _run_script(str(data_dir), env={"PRAXIS_BIN": str(_fake_praxis(tmp_path))})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "--data-dir",
        str(data_dir),
        "heartbeat",
        "check",
        "--max-age-seconds",
        "900",
    ]


@needs_bash
@pytest.mark.parametrize("code", [0, 1, 2])
def test_check_heartbeat_script_propagates_the_exit_code(tmp_path: Path, code: int) -> None:
    result = _run_script(
        "/srv/praxis", "60", env={"PRAXIS_BIN": str(_fake_praxis(tmp_path)), "FAKE_RC": str(code)}
    )
    assert result.returncode == code
    assert result.stdout.splitlines()[-2:] == ["--max-age-seconds", "60"]


# ---------------------------------------------------------------------------------------------
# contrib/ systemd units
# ---------------------------------------------------------------------------------------------


def _directives(relative: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for line in _read(relative).splitlines():
        match = re.match(r"^([A-Za-z]+)=(.*)$", line)
        if match:
            directives.setdefault(match.group(1), []).append(match.group(2))
    return directives


def test_systemd_daemon_unit_is_sandboxed_but_can_write_the_data_dir() -> None:
    unit = _directives("contrib/praxis.service")
    assert unit["ExecStart"][-1].endswith("praxis run --interval-minutes 60")
    assert unit["Environment"] == ["PRAXIS_DATA_DIR=%h/.local/share/praxis"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ReadWritePaths"] == ["-%h/.local/share/praxis"]
    # The data dir's .env is read by Praxis itself and must not be exported by systemd.
    assert not any(".local/share/praxis" in value for value in unit.get("EnvironmentFile", []))
    assert unit["WantedBy"] == ["default.target"]


def test_systemd_watchdog_timer_checks_every_five_minutes_and_restarts_the_daemon() -> None:
    service = _directives("contrib/praxis-watchdog.service")
    assert service["Type"] == ["oneshot"]
    argv = shlex.split(service["ExecStart"][-1])
    assert argv[0].endswith("/praxis")
    assert argv[1:3] == ["watchdog", "--once"]
    restart = shlex.split(argv[argv.index("--restart-command") + 1])
    assert restart == ["systemctl", "--user", "try-restart", "praxis.service"]
    # The oneshot must outlive the restart command's own timeout.
    timeout = float(argv[argv.index("--restart-timeout-seconds") + 1])
    assert int(service["TimeoutStartSec"][-1]) > timeout
    assert service["ReadWritePaths"] == ["-%h/.local/share/praxis"]  # events.jsonl
    assert "AF_UNIX" in service["RestrictAddressFamilies"][-1]  # the user manager's socket
    timer = _directives("contrib/praxis-watchdog.timer")
    assert timer["OnUnitActiveSec"] == ["5min"]
    assert timer["WantedBy"] == ["timers.target"]
