"""`ask`: answer a one-off prompt without creating a session or changing state."""

from __future__ import annotations

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
    from praxis.report import Report

    policy = parse_policy(attachment_policy)
    praxis = app(ctx)
    # --stream: the stub answers at once; streaming arrives with the remote adapters.
    result = run_ask(praxis.config, praxis.data_dir, prompt, files, policy)
    reply = result.reply
    if as_json:
        report = Report()
        report.extra("answer", reply.text)
        report.extra("backend", result.backend)
        report.extra("model", reply.model)
        report.extra("tokens", reply.usage.total)
        report.extra("est_cost_usd", round(result.est_cost_usd, 6))
        emit(report, as_json=True)
        return
    report = Report()
    report.add("mode", "ask")
    report.add("backend", result.backend)
    report.add("stateful", False)
    report.add("attachments", result.attachments)
    report.add("prompt", result.prompt)
    report.add("answer", reply.text)
    emit(report)
