"""Live progress for a stream: characters, elapsed time, tokens/s.

On a terminal one status line is redrawn in place with a spinner, and keeps moving while the
stream is silent (a stall is exactly when you want to see time passing). Anywhere else (CI logs,
pipes) a plain line is printed every `interval` seconds. `note()` prints an event (a reconnect)
on its own line without garbling the status line. Both are driven by a ticker thread, so a
stalled stream still shows how long it has been idle.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ASCII_SPINNER = "|/-\\"
#: Output tokens are not known until the stream ends; until then we estimate from characters.
CHARS_PER_TOKEN = 4.0


class Progress:
    def __init__(
        self,
        out: TextIO,
        *,
        animate: bool,
        interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._out = out
        self._animate = animate
        self._interval = interval
        self._clock = clock
        self._start = clock()
        self._last_chunk = self._start
        self._chars = 0
        self._frame = 0
        self._printed = 0  # characters in the last plain line (no duplicate final line)
        self._drawn = 0  # width of the status line currently on screen
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        encoding = (getattr(out, "encoding", None) or "ascii").lower()
        self._frames = _SPINNER if encoding.startswith("utf") else _ASCII_SPINNER

    def __enter__(self) -> Progress:
        self._start = self._last_chunk = self._clock()
        self._ticker = threading.Thread(target=self._tick, name="scaffold-progress", daemon=True)
        self._ticker.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            self._clear()
            if not self._animate and self._chars != self._printed:
                self._out.write(f"  {self.status()}\n")  # the final count, not a stale one
                self._out.flush()

    def update(self, chars: int) -> None:
        """`chars` more characters arrived."""
        with self._lock:
            # No drawing here: the ticker redraws at 10 Hz, a chunk can come every millisecond.
            self._chars += chars
            self._last_chunk = self._clock()

    def note(self, line: str) -> None:
        """Print an event on its own line (the status line is redrawn below it)."""
        with self._lock:
            self._clear()
            self._out.write(line + "\n")
            if self._animate:
                self._draw()
            self._out.flush()

    def status(self) -> str:
        now = self._clock()
        elapsed = now - self._start
        rate = self._chars / CHARS_PER_TOKEN / elapsed if elapsed > 0 else 0.0
        text = f"{self._chars:>7,} chars  {elapsed:6.1f} s  ~{rate:5.1f} tok/s"
        idle = now - self._last_chunk
        if idle >= 1.0:
            text += f"  (idle {idle:.1f} s)"
        return text

    def _tick(self) -> None:
        period = 0.1 if self._animate else self._interval
        while not self._stop.wait(period):
            with self._lock:
                if self._animate:
                    self._frame += 1
                    self._draw()
                else:
                    self._printed = self._chars
                    self._out.write(f"  {self.status()}\n")
                    self._out.flush()

    def _draw(self) -> None:
        frame = self._frames[self._frame % len(self._frames)]
        line = f"{frame} {self.status()}"
        self._out.write("\r" + line.ljust(self._drawn))
        self._drawn = len(line)
        self._out.flush()

    def _clear(self) -> None:
        if self._drawn:
            self._out.write("\r" + " " * self._drawn + "\r")
            self._drawn = 0
            self._out.flush()
