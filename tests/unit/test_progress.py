"""Progress: the base protocol (`praxis.progress`) and the terminal line that renders it
(`praxis.cli.progress`): when it is drawn at all, and what one frame of it says."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from praxis.cli.progress import StatusLine, elapsed, on_terminal, shown
from praxis.progress import NO_PROGRESS, Prefixed


class Recorder:
    """A Progress that keeps what it was told (`<done>` for done())."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def step(self, text: str) -> None:
        self.seen.append(text)

    def done(self) -> None:
        self.seen.append("<done>")

    def starting(self, prefix: str) -> list[str]:
        return [s for s in self.seen if s.startswith(prefix)]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prefixed_puts_the_prefix_before_every_step_and_passes_done_on() -> None:
    recorder = Recorder()
    prefixed = Prefixed(recorder, "reflect")
    prefixed.step("eval 1/2: smoke")
    prefixed.done()
    assert recorder.seen == ["reflect: eval 1/2: smoke", "<done>"]


def test_no_progress_takes_anything_and_does_nothing() -> None:
    NO_PROGRESS.step("orient: anything")
    NO_PROGRESS.done()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (0.9, "0s"), (12.4, "12s"), (59.9, "59s"), (60, "1m 00s"), (185, "3m 05s")],
)
def test_elapsed_reads_like_a_clock(seconds: float, text: str) -> None:
    assert elapsed(seconds) == text
    assert elapsed(2 * 3600 + 7 * 60 + 5) == "2h 07m"


def _frame(line: StatusLine, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(line)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text


def test_a_step_is_drawn_on_one_line_redacted_and_clipped_to_the_terminal() -> None:
    line = StatusLine()
    secret = "sk-abcdefghijklmnop1234"
    line.step(f"act: running shell echo {secret}\nrm -rf x")  # stderr is no terminal here:
    line.done()  # the live line draws nothing, but the step is kept as it would be drawn
    frame = _frame(line, 200)
    assert secret not in frame
    assert "act: running shell echo [REDACTED] rm -rf x 0s" in frame
    assert frame.count("\n") == 1
    narrow = _frame(line, 30)
    assert narrow.count("\n") == 1 and len(narrow.rstrip("\n")) <= 30
    assert "act: running shell ech... 0s" in narrow


def test_the_line_is_drawn_only_on_a_terminal_that_can_redraw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not on_terminal()
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    assert on_terminal()
    with shown(as_json=True) as progress:
        assert progress is NO_PROGRESS
    for term in ("dumb", "unknown"):
        monkeypatch.setenv("TERM", term)
        assert not on_terminal()
        with shown() as progress:
            assert progress is NO_PROGRESS
