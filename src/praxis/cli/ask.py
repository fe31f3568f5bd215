"""`ask`: answer a one-off prompt without creating a session or changing state."""

from __future__ import annotations

import sys

import click

from praxis.cli.common import app, emit, json_option


@click.command()
@click.option(
    "--file",
    "files",
    multiple=True,
    metavar="PATH",
    help="Attach a UTF-8 text file (repeatable).",
)
@click.option(
    "--attachment-policy",
    default="reject",
    show_default=True,
    metavar="reject|chunk|summarize",
    help="What to do with attachments over 100,000 bytes.",
)
@click.option("--stream", is_flag=True, help="Stream the answer as it arrives (remote backends).")
@json_option
@click.argument("prompt", nargs=-1, required=True)
@click.pass_context
def ask(
    ctx: click.Context,
    files: tuple[str, ...],
    attachment_policy: str,
    stream: bool,
    as_json: bool,
    prompt: tuple[str, ...],
) -> None:
    """Answer PROMPT statelessly: no session, memory, journal or heartbeat change."""
    from praxis.ask.attachments import parse_policy
    from praxis.ask.service import ask as run_ask
    from praxis.cli.views import ask_report

    policy = parse_policy(attachment_policy)
    praxis = app(ctx)
    if not stream or as_json:
        result = run_ask(praxis.config, praxis.data_dir, prompt, files, policy)
        emit(ask_report(result, as_json), as_json)
        return
    # --stream: the answer is printed as it arrives, then the usual lines without `answer:`.
    result = run_ask(praxis.config, praxis.data_dir, prompt, files, policy, on_text=_write_live)
    sys.stdout.write("\n")
    emit(ask_report(result, as_json=False, include_answer=False))


def _write_live(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
