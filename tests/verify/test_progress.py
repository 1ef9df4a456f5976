"""The live progress display: plain lines off a terminal, one redrawn line on it."""

from __future__ import annotations

import io

from scaffolder._progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_mode_prints_a_final_line_and_events() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress(out, animate=False, interval=3600, clock=clock) as progress:
        clock.now += 2.0
        progress.update(400)
        progress.note("  reconnect 1")
        clock.now += 3.0  # silent for 3 s
        assert progress.status().endswith("(idle 3.0 s)")
    lines = out.getvalue().splitlines()
    assert lines[0] == "  reconnect 1"
    assert lines[1].split() == [
        "400",
        "chars",
        "5.0",
        "s",
        "~",
        "20.0",
        "tok/s",
        "(idle",
        "3.0",
        "s)",
    ]
    assert "\r" not in out.getvalue()


def test_plain_mode_prints_nothing_for_an_empty_stream() -> None:
    out = io.StringIO()
    with Progress(out, animate=False, interval=3600, clock=Clock()):
        pass
    assert out.getvalue() == ""


def test_terminal_mode_redraws_one_line_and_keeps_events_above_it() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress(out, animate=True, clock=clock) as progress:
        clock.now += 1.0
        progress.update(1234)
        progress.note("event")  # redraws the status line below the event
    text = out.getvalue()
    assert "\r" in text
    assert text.count("1,234 chars") >= 1
    # The event is on its own line: the status line was cleared before it was written.
    before, _, after = text.partition("event\n")
    assert before == "" or before.endswith("\r")  # the ticker may have drawn a line already
    assert after.startswith("\r")
    # Leaving clears the status line, so the summary starts on a clean line.
    assert text.endswith("\r")
