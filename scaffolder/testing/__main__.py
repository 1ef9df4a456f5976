"""``python -m scaffolder.testing``: run the fake Messages API until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from scaffolder.testing._faults import Fault
from scaffolder.testing._server import FakeAnthropic
from scaffolder.testing._text import long_text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scaffolder.testing",
        description="Serve a fake Anthropic Messages API on 127.0.0.1 and print its base URL.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: 0 = any free port)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", help="the answer the model gives")
    source.add_argument("--text-file", type=Path, help="read the answer from this UTF-8 file")
    source.add_argument("--chars", type=int, help="generate a deterministic answer this long")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help=f"fault for the next request, repeatable, in order ({', '.join(Fault.names())}, "
        "an HTTP status, or 'none')",
    )
    parser.add_argument("--at", type=int, default=None, help="SSE event index of body faults")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of stalls")
    args = parser.parse_args(argv)

    text: str | None = args.text
    if args.text_file is not None:
        text = args.text_file.read_text(encoding="utf-8")
    elif args.chars is not None:
        text = long_text(args.chars)
    try:
        faults = [
            None if name == "none" else Fault.from_name(name, at=args.at, seconds=args.seconds)
            for name in args.fault
        ]
    except ValueError as error:
        parser.error(str(error))
    done = threading.Event()
    # SIGTERM (a supervisor, `timeout`, `kill`) stops as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    with FakeAnthropic(text, host=args.host, port=args.port) as api:
        api.script(*faults)
        print(api.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not done.wait(0.5):
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
