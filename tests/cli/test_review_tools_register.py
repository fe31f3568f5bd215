"""Review of `tools register`: a `--command` that is not a valid command line (an unbalanced
quote) is bad input (exit 2, `error:` naming the option), not an internal error."""

from __future__ import annotations

from tests.conftest import InProcessRunner


def test_an_unbalanced_command_is_bad_input(cli: InProcessRunner) -> None:
    register = ["tools", "register", "--name", "clock", "--description", "Time", "--kind", "mcp"]
    result = cli(*register, "--command", 'python "unbalanced')
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: Invalid value for '--command'")
    assert "internal error" not in result.stderr
    assert not (cli.data_dir / "tools" / "clock.toml").exists()
