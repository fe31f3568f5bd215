"""One behaviour, two ways in: every form the click-free fast path takes (cli/fastpath.py), run
once through it and once through click (PRAXIS_NO_FAST_PATH=1), must print the same stdout and
stderr and exit the same way — on an initialized and an uninitialized data dir, with the global
options before and after the command. A change to one path alone fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from praxis.cli.fastpath import fast_command, parse_globals
from tests.conftest import Result, clean_env, run_in_process

NOW = "2026-05-01T08:00:00Z"

# (command, whether the fast path takes it). The ones it does not take are in the matrix too:
# they must reach click either way, so both runs are click and agree by construction, but they
# pin where the fast path's table ends.
FORMS: list[tuple[tuple[str, ...], bool]] = [
    (("status",), True),
    (("status", "--json"), True),
    (("ask", "hi"), True),
    (("ask", "hi", "--json"), True),
    (("ask", "--json", "hello", "there"), True),
    (("ask", ""), True),  # an empty prompt: a usage error from the one handler
    (("ask", "   "), True),
    (("--version",), True),
    (("-V",), True),
    (("--debug", "status"), True),
    (("status", "--debug", "--json"), True),
    (("ask",), False),  # no prompt: click's usage error
    (("status", "--bogus"), False),
    (("status", "extra"), False),
    (("ask", "--stream", "hi"), False),
    (("-V", "status"), False),
]
PLACEMENTS = ("before", "after", "equals")


def _argv(form: tuple[str, ...], data_dir: Path, placement: str) -> list[str]:
    if placement == "before":
        return ["--data-dir", str(data_dir), *form]
    if placement == "after":
        return [*form, "--data-dir", str(data_dir)]
    return [f"--data-dir={data_dir}", *form]


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, str]]]:
    """An initialized and an uninitialized data dir, shared by the matrix (nothing in it
    changes them: `ask` on the stub and `status` write nothing that `status` shows)."""
    root = tmp_path_factory.mktemp("matrix")
    env = {**clean_env(root / "home"), "PRAXIS_FIXED_NOW": NOW}
    env.pop("PRAXIS_NO_FAST_PATH", None)
    ready = root / "ready"
    made = run_in_process(["--data-dir", str(ready), "init", "--name", "Matrix"], env)
    assert made.returncode == 0, made.stderr
    return {"initialized": (ready, env), "uninitialized": (root / "empty", env)}


def _both(argv: list[str], env: dict[str, str]) -> tuple[Result, Result]:
    fast = run_in_process(argv, env)
    via_click = run_in_process(argv, {**env, "PRAXIS_NO_FAST_PATH": "1"})
    return fast, via_click


@pytest.mark.parametrize("state", ["initialized", "uninitialized"])
@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize(
    ("form", "fast"),
    FORMS,
    ids=[" ".join(a if a.strip() else repr(a) for a in f) for f, _ in FORMS],
)
def test_fast_path_and_click_agree(
    homes: dict[str, tuple[Path, dict[str, str]]],
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    placement: str,
    form: tuple[str, ...],
    fast: bool,
) -> None:
    data_dir, env = homes[state]
    argv = _argv(form, data_dir, placement)
    monkeypatch.delenv("PRAXIS_NO_FAST_PATH", raising=False)
    assert (fast_command(parse_globals(argv)) is not None) is fast
    via_fast, via_click = _both(argv, env)
    assert (via_fast.returncode, via_fast.stdout, via_fast.stderr) == (
        via_click.returncode,
        via_click.stdout,
        via_click.stderr,
    )
    assert "internal error" not in via_fast.stderr + via_click.stderr


def test_the_matrix_sees_real_output(homes: dict[str, tuple[Path, dict[str, str]]]) -> None:
    """The pairs above compare something: each path prints what the command should."""
    ready, env = homes["initialized"]
    empty, _ = homes["uninitialized"]
    for no_fast in ("", "1"):
        run_env = {**env, "PRAXIS_NO_FAST_PATH": no_fast}
        assert run_in_process(["status", "--data-dir", str(ready)], run_env).lines()["status"] == (
            "ready"
        )
        assert run_in_process(["--data-dir", str(empty), "status"], run_env).lines() == {
            "status": "uninitialized",
            "data_dir": str(empty),
            "hint": f"run `praxis --data-dir {empty} init`",
        }
        answer = run_in_process(["--data-dir", str(ready), "ask", "hello", "there"], run_env)
        assert answer.lines()["answer"] == (
            "Stub backend answered without creating a session: hello there"
        )
        version = run_in_process(["-V"], run_env)
        assert (version.returncode, version.stdout) == (0, f"praxis {_version()}\n")
        refused = run_in_process(["--data-dir", str(empty), "ask", "hi"], run_env)
        assert refused.returncode == 1
        assert refused.stderr.startswith("error: Praxis is not initialized in ")
        empty_prompt = run_in_process(["--data-dir", str(ready), "ask", ""], run_env)
        assert empty_prompt.returncode == 2 and empty_prompt.stderr.startswith("error: ")
        assert run_in_process(["status", "--bogus"], run_env).returncode == 2


def test_no_fast_path_sends_everything_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    hot = parse_globals(["--data-dir", "/d", "status"])
    assert fast_command(hot) is not None
    monkeypatch.setenv("PRAXIS_NO_FAST_PATH", "1")
    assert fast_command(hot) is None
    monkeypatch.setenv("PRAXIS_NO_FAST_PATH", "0")
    assert fast_command(hot) is not None


def _version() -> str:
    from praxis import __version__

    return __version__
