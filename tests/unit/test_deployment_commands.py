"""Every `praxis …` command that compose.yaml, the Dockerfile, docs/, README.md and contrib/ name
exists in the CLI's real command tree (walked from the click group), with options it accepts,
and none of them is a planned command (those still mapped to cli/planned.py).

No Docker engine is needed: the files are parsed, nothing is built or started.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from praxis.cli.root import COMMANDS, cli, is_planned
from tests.dockerfile import DOCKERFILE, dockerfile_instructions

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"praxis-init", "praxis-run", "praxis-status", "praxis-daemon"}
GLOBAL_OPTIONS = {"--data-dir": True, "--debug": False, "--help": False, "-h": False}
PLACEHOLDERS = {"…", "...", "COMMAND…", "COMMAND..."}
OPERATOR = re.compile(r"^[();<>|&]+$")
KEYWORDS = {"exec", "then", "do", "else", "sudo", "time", "nohup", "command"}
CRON = re.compile(r"^\s*(?:@\w+|(?:[\d*/,-]+\s+){4}[\d*/,-]+)\s+")  # a crontab schedule


# ---------------------------------------------------------------------------------------------
# The command tree
# ---------------------------------------------------------------------------------------------


@dataclass
class Resolved:
    path: list[str]
    problems: list[str]


def _option(command: click.Command, name: str) -> click.Option | None:
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _takes_value(option: click.Option) -> bool:
    return not option.is_flag and not option.count


def _clean(tokens: list[str]) -> list[str]:
    """Drop usage brackets: `[--json]`, `[--days N]`."""
    cleaned = []
    for token in tokens:
        token = token.strip("[]")
        if token:
            cleaned.append(token)
    return cleaned


def resolve(tokens: list[str]) -> Resolved:
    """Walk `praxis <tokens>` through the command tree: subcommands, then options."""
    ctx = click.Context(cli)
    command: click.Command = cli
    path: list[str] = []
    problems: list[str] = []
    positional = False
    args = _clean(tokens)
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if token == "--":
            break
        if token.startswith("-") and len(token) > 1:
            name, has_value = token.split("=", 1)[0], "=" in token
            option = _option(command, name)
            if option is not None:
                index += _takes_value(option) and not has_value
            elif name in GLOBAL_OPTIONS or _option(cli, name) is not None:
                index += GLOBAL_OPTIONS.get(name, False) and not has_value
            else:
                problems.append(f"`{' '.join(['praxis', *path])}` has no option {name}")
            continue
        if isinstance(command, click.Group) and not positional:
            if token in PLACEHOLDERS:
                break
            sub = command.get_command(ctx, token)
            if sub is None:
                problems.append(f"`{' '.join(['praxis', *path])}` has no command {token!r}")
                break
            command = sub
            path.append(token)
            if len(path) == 1 and is_planned(token):
                problems.append(f"`praxis {token}` is planned, not built")
            continue
        positional = True
    return Resolved(path, problems)


def test_the_walker_catches_unknown_commands_options_and_planned_ones() -> None:
    assert resolve(["heartbeat", "check", "--max-age-seconds", "900"]).problems == []
    assert resolve(["--data-dir", "/x", "snapshots", "list", "--json"]).problems == []
    assert resolve(["watchdog", "--once", "--", "systemctl", "--user"]).problems == []
    assert resolve(["heartbeat", "chekc"]).problems
    assert resolve(["run", "--interval-minute", "5"]).problems
    assert resolve(["serve", "--port", "8787"]).problems == ["`praxis serve` is planned, not built"]
    assert resolve(["telegram", "run"]).problems


def test_planned_commands_are_those_still_in_cli_planned() -> None:
    planned = {name for name in COMMANDS if is_planned(name)}
    assert "watchdog" not in planned
    assert {"serve", "telegram"} <= planned  # until they are built; then drop this line


# ---------------------------------------------------------------------------------------------
# Invocations in text: code spans, fenced blocks, unit files, shell lines
# ---------------------------------------------------------------------------------------------


def _tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""  # `# praxis init …` comments name commands too
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes in prose
        return line.split()


def _is_praxis(token: str) -> bool:
    return token == "praxis" or token.endswith("/praxis")


def _command_position(tokens: list[str], index: int) -> bool:
    """Where a shell would look for a command: the start, after an operator or a keyword, after
    `VAR=value` assignments, or at the start of a comment (`# praxis init …`)."""
    while index > 0 and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=\S*", tokens[index - 1]):
        index -= 1
    if index == 0:
        return True
    before = tokens[index - 1]
    return bool(OPERATOR.match(before)) or before.startswith("#") or before in KEYWORDS


def invocations(line: str) -> list[list[str]]:
    """The argument lists of every `praxis …` (or `…/bin/praxis …`) run in one shell-like line,
    and of `docker compose run [opts] praxis-<service> …` with arguments."""
    tokens = _tokens(CRON.sub("", line))
    found: list[list[str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        service = token in SERVICES and "compose run" in line
        praxis = _is_praxis(token) and _command_position(tokens, index - 1)
        if not (praxis or service):
            continue
        args: list[str] = []
        while index < len(tokens) and not OPERATOR.match(tokens[index]):
            if tokens[index].startswith("#"):
                break
            args.append(tokens[index])
            index += 1
        if args:
            found.append(args)
    return found


def _joined(lines: list[str]) -> list[str]:
    """Shell lines with `\\` continuations joined."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
        else:
            out.append(pending + line)
            pending = ""
    return out + ([pending] if pending else [])


def markdown_snippets(text: str) -> list[str]:
    """Fenced code lines (continuations joined) and inline code spans of a markdown text."""
    snippets: list[str] = []
    fenced: list[str] | None = None
    prose: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            if fenced is None:
                fenced = []
            else:
                snippets += _joined(fenced)
                fenced = None
        elif fenced is not None:
            fenced.append(line)
        else:
            prose.append(line)
    spans = re.findall(r"`([^`\n]+)`", "\n".join(prose))
    return snippets + [span.replace("\\|", "|") for span in spans]


def plain_snippets(text: str) -> list[str]:
    """Lines of a unit or shell file; `backquoted` parts of comments count on their own."""
    return [part for line in _joined(text.splitlines()) for part in line.split("`")]


def _documents() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted(path for path in (ROOT / "contrib").iterdir() if path.is_file())
    return files


def _problems_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    snippets = markdown_snippets(text) if path.suffix == ".md" else plain_snippets(text)
    problems = []
    for snippet in snippets:
        for args in invocations(snippet):
            for problem in resolve(args).problems:
                problems.append(f"{path.relative_to(ROOT)}: `{snippet.strip()}`: {problem}")
        if "docker compose" in snippet or "docker-compose" in snippet:
            for token in _tokens(snippet):
                if re.fullmatch(r"praxis-[a-z]+", token) and token not in SERVICES:
                    problems.append(f"{path.relative_to(ROOT)}: no compose service {token}")
    return problems


@pytest.mark.parametrize("path", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_command_named_in_the_docs_exists(path: Path) -> None:
    assert _problems_in(path) == []


def test_the_docs_do_name_commands() -> None:
    """The scan is not vacuous: the deployment guide and the units name real commands."""
    named = {
        " ".join(resolve(args).path)
        for path in (ROOT / "docs" / "deployment.md", ROOT / "contrib" / "praxis-watchdog.service")
        for snippet in markdown_snippets(path.read_text()) + plain_snippets(path.read_text())
        for args in invocations(snippet)
    }
    assert {"watchdog", "heartbeat check", "run", "snapshots create", "init"} <= named


def test_the_doc_scan_flags_a_missing_command(tmp_path: Path) -> None:
    doc = "Run `praxis serve --port 8787`, then\n```sh\npraxis heartbeat chek\n```\n"
    problems = [
        problem
        for snippet in markdown_snippets(doc)
        for args in invocations(snippet)
        for problem in resolve(args).problems
    ]
    assert problems == [
        "`praxis heartbeat` has no command 'chek'",
        "`praxis serve` is planned, not built",
    ]


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, title
    return match.group(1)


def test_readme_lists_only_working_commands_as_working() -> None:
    rows = [line for line in _readme_section("What works today").splitlines() if line[:3] == "| `"]
    assert rows
    for row in rows:
        cell = row.split(" | ")[0]
        for span in re.findall(r"`([^`]+)`", cell):
            first = span.split()[0]
            assert first in COMMANDS, row
            assert not is_planned(first), f"{first} is planned but listed as working"


def test_readme_still_to_come_names_every_planned_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"Still to come.*?\n\n", text, re.DOTALL)
    assert match
    listed = set(re.findall(r"`([a-z-]+)`", match.group(0).split("):", 1)[1]))
    assert {name for name in COMMANDS if is_planned(name)} <= listed
    assert listed <= set(COMMANDS)
    assert "watchdog" not in listed


# ---------------------------------------------------------------------------------------------
# compose.yaml and the Dockerfile
# ---------------------------------------------------------------------------------------------


def _compose() -> dict[str, dict[str, object]]:
    yaml = pytest.importorskip("yaml")
    document = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, dict[str, object]] = document["services"]
    return services


def test_compose_offers_only_services_for_commands_that_exist() -> None:
    services = _compose()
    assert set(services) == SERVICES
    for name, service in services.items():
        command = service["command"]
        assert isinstance(command, list) and command, name
        result = resolve([str(part) for part in command])
        assert result.problems == [], (name, result.problems)
        assert result.path, name
        healthcheck = service.get("healthcheck") or {}
        assert isinstance(healthcheck, dict)
        test = healthcheck.get("test")
        if isinstance(test, list) and test[:1] in (["CMD"], ["CMD-SHELL"]):
            for args in invocations(" ".join(shlex.quote(str(part)) for part in test[1:])):
                assert resolve(args).problems == [], (name, test)


def test_compose_daemon_runs_the_daemon_and_restarts_unless_stopped() -> None:
    daemon = _compose()["praxis-daemon"]
    assert resolve([str(part) for part in daemon["command"]]).path == ["run"]  # type: ignore[union-attr]
    assert "--once" not in daemon["command"]  # type: ignore[operator]
    assert daemon["restart"] == "unless-stopped"


def _exec_form(value: str) -> list[str] | None:
    import json

    value = value.strip()
    if value.startswith("["):
        parsed: list[str] = json.loads(value)
        return parsed
    return None


def test_dockerfile_praxis_commands_exist() -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))
    entrypoint = [_exec_form(v) for k, v in instructions if k == "ENTRYPOINT"][-1]
    assert entrypoint == ["praxis"]
    cmd = [_exec_form(v) for k, v in instructions if k == "CMD"][-1]
    assert cmd is not None
    assert resolve(cmd).problems == [] and resolve(cmd).path == ["status"]
    checked = 0
    for kind, value in instructions:
        if kind == "HEALTHCHECK":
            value = value.split(" CMD ", 1)[1]
            assert [resolve(args).path for args in invocations(value)] == [["heartbeat", "check"]]
        if kind in ("RUN", "HEALTHCHECK"):
            for args in invocations(value):
                assert resolve(args).problems == [], (kind, value)
                checked += 1
    assert checked >= 2  # `praxis --version` after the install, and the health check
