"""`status` and `doctor`: keys in the original's order, --json, failures that name their fix."""

from __future__ import annotations

import json
import os

from praxis.storage.db import code_schema_version
from tests.conftest import PraxisRunner, use_backend

STATUS_KEYS = [
    "status",
    "instance",
    "backend",
    "profile",
    "freeze_on_model_regression",
    "data_dir",
    "phase",
    "last_outcome",
    "repeated_reads_avoided",
    "anatomy_entries",
    "pending_approvals",
    "pending_opportunities",
    "registered_tools",
    "drift_status",
    "operational_memory",
    "event_count",
    "canary_records",
    "boundary_review_due",
]
DOCTOR_KEYS = [
    "doctor",
    "config",
    "identity",
    "database",
    "tools",
    "providers",
    "budgets",
    "heartbeat",
    "quality",
    "goal_criteria",
    "evals",
    "backend",
]


def test_status_uninitialized(praxis: PraxisRunner) -> None:
    result = praxis("status")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "status: uninitialized",
        f"data_dir: {praxis.data_dir}",
        f"hint: run `praxis --data-dir {praxis.data_dir} init`",
    ]
    assert json.loads(praxis("status", "--json").stdout)["status"] == "uninitialized"


def test_status_keys_in_reference_order(initialized: PraxisRunner) -> None:
    result = initialized("status")
    assert result.returncode == 0, result.stderr
    keys = result.keys()
    assert keys[: len(STATUS_KEYS)] == STATUS_KEYS
    values = result.lines()
    assert values["status"] == "ready"
    assert values["backend"] == "stub"
    assert values["phase"] == "sleep"
    assert values["registered_tools"] == "2"
    assert values["drift_status"] == "insufficient_data"
    assert values["operational_memory"] == "dnr=0 bugs=0"
    assert values["goals"] == "open=1 done=0"
    assert values["budget_today"] == "tokens=0/1000000 est_cost_usd=0.000000/2.000000"
    assert values["last_session"] == "none"
    assert values["heartbeat"].startswith("phase=sleep updated_at=")
    assert int(values["heartbeat_age_seconds"]) >= 0
    assert keys[-1] == "data_dir_writable" and values["data_dir_writable"] == "true"


def test_status_json(initialized: PraxisRunner) -> None:
    data = json.loads(initialized("status", "--json").stdout)
    for key in STATUS_KEYS:
        assert key in data
    assert data["boundary_review_due"] is True
    assert data["goals"] == {"open": 1, "done": 0}
    assert data["registered_tools"] == 2
    assert data["data_dir_writable"] is True


def test_status_profile_changes_effective_backend(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    config.write_text(config.read_text().replace('profile = "quality"', 'profile = "offline"'))
    values = initialized("status").lines()
    assert values["backend"] == "ollama"
    assert values["profile"] == "offline"


def test_broken_praxis_toml_exits_2_naming_file_and_line(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    lines = config.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("level = "))
    lines[index] = "level = = 3"
    config.write_text("\n".join(lines) + "\n")
    result = initialized("status")
    assert result.returncode == 2
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {config} line {index + 1}: invalid TOML")
    assert result.stderr.splitlines()[1].startswith("hint: ")
    assert "Traceback" not in result.stderr


def test_invalid_config_value_names_line_key_and_fix(initialized: PraxisRunner) -> None:
    config = initialized.data_dir / "praxis.toml"
    text = config.read_text().replace('backend = "stub"', 'backend = "gpt"')
    config.write_text(text)
    line = (
        text.splitlines().index(
            next(x for x in text.splitlines() if x.startswith('backend = "gpt"'))
        )
        + 1
    )
    result = initialized("status")
    assert result.returncode == 2
    assert result.stderr.startswith(
        f'error: {config} line {line}: agent.backend must be one of "stub", "claude", '
        '"openai", "ollama", or "router", got gpt\nhint: '
    )


def test_doctor_ok(initialized: PraxisRunner) -> None:
    result = initialized("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    keys = result.keys()
    assert keys[: len(DOCTOR_KEYS)] == DOCTOR_KEYS
    values = result.lines()
    assert all(values[k] == "ok" for k in DOCTOR_KEYS[:9])
    assert values["goal_criteria"] == "1"
    assert values["evals"] == "1"
    assert values["backend"] == "stub"
    assert values["schema_version"] == str(code_schema_version())
    assert values["data_dir_writable"] == "ok"
    data = json.loads(initialized("doctor", "--json").stdout)
    assert data["doctor"] == "ok"
    assert {c["name"] for c in data["checks"]} >= {"config", "database", "disk", "env_file"}


def test_doctor_missing_identity_file_exits_1_naming_it(initialized: PraxisRunner) -> None:
    identity = initialized.data_dir / "IDENTITY.md"
    identity.unlink()
    result = initialized("doctor")
    assert result.returncode == 1
    assert result.lines()["doctor"] == "failed"
    assert result.lines()["identity"].startswith(
        f"failed: missing required identity file {identity}"
    )
    assert f"missing required identity file {identity}" in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_flags_world_readable_env_file(initialized: PraxisRunner) -> None:
    dotenv = initialized.data_dir / ".env"
    dotenv.write_text("OPENAI_API_KEY=sk-test-not-a-real-key-123456\n")
    os.chmod(dotenv, 0o644)
    result = initialized("doctor")
    assert result.returncode == 1
    assert "chmod 600" in result.lines()["env_file"]
    assert "sk-test-not-a-real-key" not in result.stdout + result.stderr
    os.chmod(dotenv, 0o600)
    assert initialized("doctor").returncode == 0


def test_doctor_requires_key_for_remote_backend(initialized: PraxisRunner) -> None:
    use_backend(initialized.data_dir, "claude")
    result = initialized("doctor")
    assert result.returncode == 1
    assert "ANTHROPIC_API_KEY is required for the claude provider" in result.lines()["providers"]
    ok = initialized("doctor", env={"ANTHROPIC_API_KEY": "sk-ant-secretvalue-0000000000"})
    assert ok.returncode == 0, ok.stdout
    assert "secretvalue" not in ok.stdout + ok.stderr


def test_doctor_reports_corrupt_goals(initialized: PraxisRunner) -> None:
    goals = initialized.data_dir / "GOALS.md"
    goals.write_text("# Goals\n\n- [ ] G-001 no colon here\n")
    result = initialized("doctor")
    assert result.returncode == 1
    assert "line 3" in result.lines()["goals"]


def test_doctor_checks_base_urls_from_the_environment(initialized: PraxisRunner) -> None:
    use_backend(initialized.data_dir, "claude")
    env = {
        "ANTHROPIC_API_KEY": "sk-ant-test-000000000000",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:99999",
    }
    result = initialized("doctor", env=env)
    assert result.returncode == 1
    assert "is not a valid URL" in result.lines()["providers"]
    assert "$ANTHROPIC_BASE_URL" in result.stderr
