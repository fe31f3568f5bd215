"""Replay harness: TOML fixtures of CLI steps run through `praxis`'s entry point (reference §18).

Each step runs in this process (`tests.conftest.run_in_process`: `praxis.cli.main` with the step's
whole environment, the fixture's work dir as cwd, output captured), as the installed script would
run it in a fresh process. A step whose `env` sets PRAXIS_CRASH_AT (the process SIGKILLs itself
there) runs the installed script as a child process instead.

A fixture is `[[steps]]` with: `at` (RFC 3339 → PRAXIS_FIXED_NOW for that step), `args` (after
`--data-dir {dir}`), `env` (list of {key, value}), `stdout` / `stderr` (substrings that must all
appear), `stdout_lines` (whole lines that must appear), `status` ("success" = exit 0, "failure" =
non-zero, or an integer exit code), `files` (list of {path, contains} or {path, absent = true}),
and `edit` (list of {path, append} or {path, write} or {path, delete = true}) applied BEFORE the
command runs.

A fixture with a top-level `[model] vendor = "openai"` runs against that fake vendor server
(tests/fakes; the environment points Praxis at it). A step may then script the model before it
runs — `model_script` (fake modes, e.g. ["ok", "tool_call"]), `model_calls` (list of {name,
arguments} the "tool_call" replies use in order), `model_text` (the text of "ok" replies) — and
check what the model received: `model_requests` (how many requests the fake has had in total)
and `model_tool_results` (substrings that must appear in the tool messages of its last request).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import needs_a_process, run_in_process, run_subprocess


class FixtureError(AssertionError):
    pass


@dataclass(frozen=True)
class StepOutcome:
    index: int
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def load_fixture(path: Path) -> list[dict[str, Any]]:
    steps = tomllib.loads(path.read_text(encoding="utf-8")).get("steps")
    if not isinstance(steps, list) or not steps:
        raise FixtureError(f"{path.name}: a fixture needs at least one [[steps]] table")
    return steps


def load_model(path: Path) -> dict[str, Any] | None:
    model = tomllib.loads(path.read_text(encoding="utf-8")).get("model")
    return model if isinstance(model, dict) else None


def run_fixture(path: Path, workdir: Path, base_env: dict[str, str]) -> list[StepOutcome]:
    model = load_model(path)
    if model is None:
        return _run_steps(path, workdir, base_env, None)
    if model.get("vendor") != "openai":
        raise FixtureError(f'{path.name}: [model] vendor must be "openai"')
    from tests.fakes.openai import FakeOpenAI

    fake = FakeOpenAI()
    try:
        return _run_steps(path, workdir, {**base_env, **fake.env()}, fake)
    finally:
        fake.close()


def _script_model(step: dict[str, Any], fake: Any) -> None:
    if fake is None:
        return
    for call in step.get("model_calls", []):
        fake.calls.append((str(call["name"]), dict(call["arguments"])))
    if "model_text" in step:
        fake.text = str(step["model_text"])
    fake.script(*step.get("model_script", []))


def _check_model(name: str, step: dict[str, Any], index: int, fake: Any) -> None:
    if fake is None:
        return
    where = f"{name} step {index}"
    if "model_requests" in step and len(fake.requests) != int(step["model_requests"]):
        raise FixtureError(
            f"{where}: the model got {len(fake.requests)} requests, not {step['model_requests']}"
        )
    wanted = step.get("model_tool_results", [])
    if wanted:
        messages = fake.requests[-1].json.get("messages", [])
        told = "\n".join(str(m.get("content")) for m in messages if m.get("role") == "tool")
        for needle in wanted:
            if needle not in told:
                raise FixtureError(f"{where}: the model's tool results lack {needle!r}:\n{told}")


def _run_steps(path: Path, workdir: Path, base_env: dict[str, str], fake: Any) -> list[StepOutcome]:
    data_dir = workdir / "praxis"
    outcomes: list[StepOutcome] = []
    for index, step in enumerate(load_fixture(path), start=1):
        _apply_edits(step.get("edit", []), data_dir)
        _script_model(step, fake)
        env = dict(base_env)
        if "at" in step:
            env["PRAXIS_FIXED_NOW"] = str(step["at"])
        for pair in step.get("env", []):
            env[str(pair["key"])] = str(pair["value"])
        args = [str(a) for a in step.get("args", [])]
        argv = ["--data-dir", str(data_dir), *args]
        run = run_subprocess if needs_a_process(env) else run_in_process
        result = run(argv, env, cwd=workdir)
        outcome = StepOutcome(index, args, result.returncode, result.stdout, result.stderr)
        _check(path.name, step, outcome, data_dir)
        _check_model(path.name, step, index, fake)
        outcomes.append(outcome)
    return outcomes


def _apply_edits(edits: list[dict[str, Any]], data_dir: Path) -> None:
    for edit in edits:
        target = data_dir / str(edit["path"])
        if edit.get("delete"):
            target.unlink()
        elif "write" in edit:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(str(edit["write"]), encoding="utf-8")
        elif "append" in edit:
            with target.open("a", encoding="utf-8") as handle:
                handle.write(str(edit["append"]))
        elif "replace" in edit:
            old, new = edit["replace"]
            text = target.read_text(encoding="utf-8")
            if old not in text:
                raise FixtureError(f"edit: {old!r} not found in {target}")
            target.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(name: str, step: dict[str, Any], outcome: StepOutcome, data_dir: Path) -> None:
    where = f"{name} step {outcome.index} ({' '.join(outcome.args)})"
    context = f"\n--- stdout\n{outcome.stdout}--- stderr\n{outcome.stderr}"
    expected = step.get("status", "success")
    if expected == "success":
        ok = outcome.returncode == 0
    elif expected == "failure":
        ok = outcome.returncode != 0
    elif isinstance(expected, int):
        ok = outcome.returncode == expected
    else:
        raise FixtureError(f"{where}: unknown status {expected!r}")
    if not ok:
        raise FixtureError(f"{where}: expected {expected}, exit {outcome.returncode}{context}")
    if "Traceback" in outcome.stderr:
        raise FixtureError(f"{where}: traceback on stderr{context}")
    for stream, text in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        for needle in step.get(stream, []):
            if needle not in text:
                raise FixtureError(f"{where}: {stream} lacks {needle!r}{context}")
    lines = outcome.stdout.splitlines()
    for line in step.get("stdout_lines", []):
        if line not in lines:
            raise FixtureError(f"{where}: stdout lacks the line {line!r}{context}")
    for check in step.get("files", []):
        target = data_dir / str(check["path"])
        if check.get("absent"):
            if target.exists():
                raise FixtureError(f"{where}: {check['path']} should not exist")
            continue
        if not target.is_file():
            raise FixtureError(f"{where}: {check['path']} does not exist")
        if "contains" in check and str(check["contains"]) not in target.read_text(encoding="utf-8"):
            raise FixtureError(f"{where}: {check['path']} lacks {check['contains']!r}")
