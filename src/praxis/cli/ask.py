"""`ask`: answer a one-off prompt without creating a session or changing state."""

from __future__ import annotations

import sys

import click

from praxis.cli.common import app, emit, json_command


@json_command()
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
@click.argument("prompt", nargs=-1, required=True)
def ask(
    ctx: click.Context,
    files: tuple[str, ...],
    attachment_policy: str,
    stream: bool,
    as_json: bool,
    prompt: tuple[str, ...],
) -> None:
    """Answer PROMPT statelessly: no session, memory, journal or heartbeat change."""
    if not stream or as_json:
        from praxis.cli.hot import ask as answer

        answer(app(ctx, initialized=False), prompt, as_json, files, attachment_policy)
        return
    from praxis.ask.attachments import parse_policy
    from praxis.ask.service import ask as run_ask
    from praxis.cli.views import ask_report

    policy = parse_policy(attachment_policy)
    praxis = app(ctx)
    # --stream: the answer is printed as it arrives, then the usual lines without `answer:`.
    live = LiveAnswer()
    try:
        result = run_ask(praxis.config, praxis.data_dir, prompt, files, policy, on_text=live)
    finally:
        live.end_line()  # a cut answer, then the error, each on its own line
    live.finish(result.reply.text)
    emit(ask_report(result, as_json=False, include_answer=False))


class LiveAnswer:
    """Prints an answer's text as it arrives. When an attempt fails after part of its answer was
    printed (`void`), the retry's text starts on a fresh line after `(retrying)` on stderr: it
    never runs on from the cut text."""

    def __init__(self) -> None:
        self.printed = ""  # of the current attempt
        self.voided = False
        self.open_line = False

    def __call__(self, text: str) -> None:
        if self.voided:
            self.end_line()
            sys.stderr.write("(retrying)\n")
            sys.stderr.flush()
            self.voided = False
        sys.stdout.write(text)
        sys.stdout.flush()
        self.printed += text
        self.open_line = not text.endswith("\n")

    def void(self) -> None:
        if self.printed:
            self.voided = True
            self.printed = ""

    def finish(self, answer: str) -> None:
        """The answer succeeded: print it whole if it was not streamed (or only a void one was)."""
        if not self.printed and answer:
            self(answer)
        self.end_line()

    def end_line(self) -> None:
        if self.open_line:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self.open_line = False
