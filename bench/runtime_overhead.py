"""Cost and correctness of the recovery runtime, measured on the module `scaffold init` renders.

1. Overhead. A 200,000-character answer streamed from the fake Messages API (run in its own
   process, so the server does not compete with the client for the GIL) through the SDK's own
   ``client.messages.stream(...).text_stream`` (the baseline) and through ``recovering_stream``,
   healthy streams, runs interleaved. Prints the median ratio recovering / raw.
   Target: <= 1.02. Also prints the ratio to the floor both are built on, iterating the raw
   events of ``messages.create(stream=True)`` (what the runtime reads): the runtime's own cost.
2. Soak. 1,000 streams over 4 threads (one in-process fake API each) with random faults: 0-4
   retryable faults per stream, all kinds (close, reset, stall, clean EOF, cut line, bad JSON,
   in-stream errors, 429/5xx/529), prefill and user-turn continuations; 3 % of the streams get
   more faults than the attempt budget. Prints how many answers came out exact, with lost or
   duplicated text, and how many gave up. Target: 0 lost, 0 duplicated.

    python bench/runtime_overhead.py [--runs 9] [--chars 200000] [--streams 1000] [--threads 4]

Backoff sleeps are switched off for the soak (``set_testing``); its stalls (1.5 s) meet a 0.5 s
idle timeout.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import anthropic

from scaffolder.render import render_files
from scaffolder.testing import FakeAnthropic, Fault, long_text

TARGET_RATIO = 1.02
PREFILL_MODEL = "claude-haiku-4-5"
NO_PREFILL_MODEL = "claude-sonnet-4-6"
ASK = [{"role": "user", "content": "Write it all."}]


def load_runtime(directory: Path) -> ModuleType:
    """Render the template as `scaffold init` does and import the vendored module."""
    path = directory / "claude_stream.py"
    path.write_text(render_files({"timeout": 600})["claude_stream.py"], encoding="utf-8")
    spec = importlib.util.spec_from_file_location("claude_stream", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["claude_stream"] = module
    spec.loader.exec_module(module)
    return module


# --- overhead --------------------------------------------------------------------------------


def start_server(chars: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "scaffolder.testing", "--chars", str(chars)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def time_raw(client: anthropic.Anthropic, expected: int) -> float:
    """The baseline: the SDK's own MessageStream."""
    start = time.perf_counter()
    with client.messages.stream(model=PREFILL_MODEL, max_tokens=200_000, messages=ASK) as s:
        size = sum(len(text) for text in s.text_stream)
    elapsed = time.perf_counter() - start
    assert size == expected, (size, expected)
    return elapsed


def time_events(client: anthropic.Anthropic, expected: int) -> float:
    """The floor: raw events from messages.create(stream=True), which the runtime reads."""
    start = time.perf_counter()
    size = 0
    events = client.messages.create(
        model=PREFILL_MODEL, max_tokens=200_000, messages=ASK, stream=True
    )
    with events:
        for event in events:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                size += len(event.delta.text)
    elapsed = time.perf_counter() - start
    assert size == expected, (size, expected)
    return elapsed


def time_recovering(cs: ModuleType, client: anthropic.Anthropic, expected: int) -> float:
    start = time.perf_counter()
    with cs.recovering_stream(
        client, model=PREFILL_MODEL, max_tokens=200_000, messages=ASK
    ) as stream:
        size = sum(len(text) for text in stream.text_stream)
    elapsed = time.perf_counter() - start
    assert size == expected, (size, expected)
    return elapsed


def overhead(cs: ModuleType, runs: int, chars: int) -> float:
    server, base_url = start_server(chars)
    variants = {
        "raw": lambda client: time_raw(client, chars),
        "events": lambda client: time_events(client, chars),
        "recovering": lambda client: time_recovering(cs, client, chars),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        with anthropic.Anthropic(base_url=base_url, api_key="bench") as client:
            for measure in variants.values():  # warm-up: connection pool, imports, caches
                measure(client)
            order = list(variants)
            for run in range(runs):
                # rotate the order so drift on a shared machine hits every variant alike
                for name in order[run % 3 :] + order[: run % 3]:
                    times[name].append(variants[name](client))
    finally:
        server.terminate()
        server.wait()
    ratios = [r / b for r, b in zip(times["recovering"], times["raw"], strict=True)]
    floor = [r / b for r, b in zip(times["recovering"], times["events"], strict=True)]
    ratio = statistics.median(ratios)
    print(
        f"overhead: {chars:,} characters, {runs} interleaved runs; medians: "
        f"messages.stream {statistics.median(times['raw']):.3f} s, "
        f"create(stream=True) events {statistics.median(times['events']):.3f} s, "
        f"recovering_stream {statistics.median(times['recovering']):.3f} s"
    )
    print(
        f"overhead: median ratio recovering_stream / messages.stream = {ratio:.3f} "
        f"(min {min(ratios):.3f}, max {max(ratios):.3f}; target <= {TARGET_RATIO}); "
        f"recovering_stream / raw create(stream=True) events = {statistics.median(floor):.3f}"
    )
    return ratio


# --- soak ------------------------------------------------------------------------------------


def random_fault(rng: random.Random) -> Fault:
    at = rng.choice([None, rng.randint(0, 60), rng.randint(-5, -1)])
    kind = rng.randrange(10)
    if kind == 0:
        return Fault.close(at)
    if kind == 1:
        return Fault.reset(at)
    if kind == 2:
        return Fault.stall(1.5, at)
    if kind == 3:
        return Fault.eof(at)
    if kind == 4:
        return Fault.truncated_line(at)
    if kind == 5:
        return Fault.invalid_json(at)
    if kind == 6:
        return Fault.error_event(rng.choice(["overloaded_error", "api_error"]), at)
    if kind == 7:
        return Fault.status(rng.choice([429, 500, 502, 503, 529]))
    if kind == 8:
        return Fault.before_message_start()
    return Fault.close(rng.randint(0, 8))


def soak_worker(
    cs: ModuleType, seeds: list[int], counts: Counter[str], lock: threading.Lock
) -> None:
    policy = cs.RecoveryPolicy(idle_timeout=0.5)
    with (
        FakeAnthropic() as api,
        anthropic.Anthropic(base_url=api.base_url, api_key="soak") as client,
    ):
        for seed in seeds:
            rng = random.Random(seed)
            api.reset()
            api.text = long_text(rng.randint(200, 4000), seed=seed)
            n_faults = policy.max_attempts + 1 if rng.random() < 0.03 else rng.randint(0, 4)
            api.script(*(random_fault(rng) for _ in range(n_faults)))
            model = rng.choice([PREFILL_MODEL, NO_PREFILL_MODEL])
            pieces: list[str] = []
            outcome = ""
            try:
                params: dict[str, Any] = {"model": model, "max_tokens": 100_000, "messages": ASK}
                with cs.recovering_stream(client, policy=policy, **params) as stream:
                    pieces.extend(stream.text_stream)
            except cs.StreamRecoveryError:
                outcome = "gave up"
            received = "".join(pieces)
            if outcome == "gave up":
                if not api.text.startswith(received):
                    outcome = "gave up, partial text corrupted"
            elif received == api.text:
                outcome = "exact"
            elif len(received) < len(api.text):
                outcome = "lost"
            elif len(received) > len(api.text):
                outcome = "duplicated"
            else:
                outcome = "changed"
            with lock:
                counts[outcome] += 1
                counts["requests"] += len(api.requests)
                if outcome not in ("exact", "gave up"):
                    print(f"  seed {seed} ({model}): {outcome}", file=sys.stderr)


def soak(cs: ModuleType, streams: int, threads: int) -> Counter[str]:
    cs.set_testing(True)
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    seeds = list(range(streams))
    workers = [
        threading.Thread(target=soak_worker, args=(cs, seeds[i::threads], counts, lock))
        for i in range(threads)
    ]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    print(
        f"soak: {streams} streams, {threads} threads, {counts['requests']} requests, "
        f"{elapsed:.1f} s: exact {counts['exact']}, lost {counts['lost']}, "
        f"duplicated {counts['duplicated']}, changed {counts['changed']}, "
        f"gave up {counts['gave up']} (corrupted partial text: "
        f"{counts['gave up, partial text corrupted']}); target 0 lost, 0 duplicated"
    )
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cs = load_runtime(Path(scratch))
        ratio = overhead(cs, args.runs, args.chars)
        counts = soak(cs, args.streams, args.threads)
    bad = counts["lost"] + counts["duplicated"] + counts["changed"]
    bad += counts["gave up, partial text corrupted"]
    return 0 if ratio <= TARGET_RATIO and bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
