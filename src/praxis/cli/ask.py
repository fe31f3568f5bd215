"""`ask`: answer a one-off prompt without creating a session or changing state."""

from __future__ import annotations

import sys

import click

from praxis.cli.common import app, emit, json_command
from praxis.redact import StreamRedactor


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
    """Prints an answer's text as it arrives, redacted like every other output: a secret split
    across pieces is masked too, so text that could still become one waits for the next piece
    (`StreamRedactor`). When an attempt fails after part of its answer was printed (`void`), what
    it held back is printed (redacted) and the retry's text starts on a fresh line after
    `(retrying)` on stderr: it never runs on from the cut text, nor repeats it."""

    def __init__(self) -> None:
        self.redactor = StreamRedactor(self._write)
        self.fed = False  # the current attempt passed text
        self.voided = False
        self.open_line = False

    def __call__(self, text: str) -> None:
        if self.voided:
            self.end_line()
            sys.stderr.write("(retrying)\n")
            sys.stderr.flush()
            self.voided = False
        self.fed = self.fed or bool(text)
        self.redactor.feed(text)

    def void(self) -> None:
        self.redactor.flush()  # the cut text's held-back tail: the retry starts over
        if self.fed:
            self.voided = True
            self.fed = False

    def finish(self, answer: str) -> None:
        """The answer succeeded: print it whole if it was not streamed (or only a void one was)."""
        if not self.fed and answer:
            self(answer)
        self.end_line()

    def end_line(self) -> None:
        """Print what is held back (redacted), then end the line."""
        self.redactor.flush()
        if self.open_line:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self.open_line = False

    def _write(self, text: str) -> None:
        if text:
            sys.stdout.write(text)
            sys.stdout.flush()
            self.open_line = not text.endswith("\n")
