"""`scaffold verify`: stream a long answer through the recovery runtime and report how it went.

Live mode talks to the real API (or `--base-url`) with the user's key, through whatever proxy
the environment configures: the point is to prove *this* machine and network. Simulate mode
starts the bundled fake Messages API on 127.0.0.1 in-process, injects the requested faults and
checks that the text arrives whole: the proof for a newcomer with no key and no network.

Either way the stream goes through the repository's vendored `claude_stream.py` when
`.scaffold-answers.yml` names one, else through the runtime rendered from the bundled template,
loaded by file path so the code that runs is exactly the code on disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from scaffolder._api import (
    api_credentials,
    describe_failure,
    reachability_problem,
    resolve_base_url,
)
from scaffolder._proxyenv import ProxyRoute, route
from scaffolder._runtime_module import load_bundled, load_file
from scaffolder.errors import ConfigError, UsageError

DEFAULT_MODEL = "claude-haiku-5-5"
DEFAULT_MAX_TOKENS = 4096
DEFAULT_PROMPT = (
    "Write a detailed essay of about 2,500 words on the history of long-distance "
    "communication, from optical telegraphs to undersea cables."
)
#: What `--simulate all` injects, one fault per request, in this order.
ALL_FAULTS = (
    "drop",
    "reset",
    "stall",
    "overloaded",
    "eof",
    "truncated_line",
    "invalid_json",
    "before_message_start",
    "529",
)
#: Simulated stalls last this long; the runtime's idle watchdog is set far shorter, so a stall
#: costs about a second instead of the 600 s read timeout it would cost without recovery.
SIM_STALL_SECONDS = 4.0
SIM_IDLE_TIMEOUT = 1.0
SIM_TEXT_CHARS = 12_000
_KEY_HELP = (
    "ANTHROPIC_API_KEY is not set: create a key at https://console.anthropic.com/settings/keys "
    "and run `export ANTHROPIC_API_KEY=sk-ant-...` (or try `scaffold verify --simulate all`, "
    "which needs no key)"
)


@dataclass(frozen=True)
class Runtime:
    """The recovery module a run uses and where it came from."""

    module: ModuleType
    path: str  # relative to the repository root when vendored
    vendored: bool


@dataclass
class VerifyReport:
    ok: bool
    mode: str  # "live" | "simulate"
    base_url: str
    route: str
    runtime: str
    vendored: bool
    model: str
    chars: int = 0
    expected_chars: int | None = None
    intact: bool | None = None
    attempts: int = 0
    time_to_first_token: float | None = None
    #: The longest pause between two chunks of one connection (a gap the path survived).
    longest_gap: float = 0.0
    #: Seconds without a chunk before each interruption the runtime recovered from.
    idle_before_cuts: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    stop_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def reconnects(self) -> int:
        return max(self.attempts - 1, 0)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data, credentials in URLs redacted."""
        from scaffolder._redact import redact_text

        data = dataclasses.asdict(self)
        data["reconnects"] = self.reconnects
        for key in ("base_url", "route", "error"):
            if isinstance(data[key], str):
                data[key] = redact_text(data[key])
        data["events"] = [redact_text(event) for event in self.events]
        return data


def run_verify(
    *,
    path: Path = Path("."),
    model: str = DEFAULT_MODEL,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    prompt: str = DEFAULT_PROMPT,
    base_url: str | None = None,
    simulate: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    on_start: Callable[[], None] | None = None,
    on_text: Callable[[int], None] | None = None,
    on_event: Callable[[str], None] | None = None,
) -> VerifyReport:
    """Stream one answer through the runtime; `simulate` = fault names for the offline run.

    Callbacks for a live display: `on_start()` as the request is sent, `on_text(chars)` per
    chunk, `on_event(line)` per interruption the runtime recovers from.

    Raises `UsageError` (exit 2) for a missing key or unknown fault names; every failure of the
    stream itself is in the report (`ok` False, `error` one line).
    """
    env = os.environ if env is None else env
    callbacks = _Callbacks(on_start, on_text, on_event)
    if simulate is not None:
        if base_url is not None:
            raise UsageError(
                "--simulate runs against the bundled fake API, not --base-url; drop one of the two"
            )
        return _simulate(path=path, model=model, faults=simulate, callbacks=callbacks)
    url = resolve_base_url(base_url, env)
    credentials = api_credentials(url, env)
    if credentials is None:
        raise UsageError(_KEY_HELP)
    proxy_route = route(url, env)
    _require_socks_support(proxy_route)
    report = VerifyReport(
        ok=False,
        mode="live",
        base_url=url,
        route=proxy_route.describe(),
        runtime="",
        vendored=False,
        model=model,
    )
    # Before loading anything heavy: an unreachable host fails in milliseconds.
    unreachable = reachability_problem(url, proxy_route)
    if unreachable is not None:
        report.error = unreachable
        return report
    runtime = load_runtime(path)
    report.runtime, report.vendored = runtime.path, runtime.vendored
    client = runtime.module.make_client(base_url=url, **credentials)
    params = {
        "model": model,
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": prompt}],
    }
    try:
        _stream(runtime, client, None, params, report, callbacks)
    except Exception as exc:  # every failure becomes one line; the report says how far it got
        report.error = describe_failure(exc, url, proxy_route)
    report.ok = report.error is None and report.stop_reason in ("end_turn", "max_tokens")
    if report.error is None and not report.ok:
        report.error = f"the stream ended without a stop reason after {report.chars} chars"
    return report


def parse_faults(spec: str) -> list[str]:
    """`"drop,stall"` -> `["drop", "stall"]`, `"all"` -> every fault; UsageError for unknowns."""
    from scaffolder.testing import Fault

    names = [name.strip() for name in spec.split(",") if name.strip()]
    if names == ["all"]:
        return list(ALL_FAULTS)
    if not names:
        raise UsageError("--simulate needs fault names, e.g. --simulate drop,stall,overloaded")
    for name in names:
        try:
            Fault.from_name(name)
        except ValueError:
            known = ", ".join(("all", *Fault.names(), "<HTTP status such as 529>"))
            raise UsageError(f"unknown fault {name!r} for --simulate; known: {known}") from None
    return names


def _simulate(
    *,
    path: Path,
    model: str,
    faults: Sequence[str],
    callbacks: _Callbacks,
) -> VerifyReport:
    import anthropic

    from scaffolder.testing import FakeAnthropic, Fault

    script = [Fault.from_name(name, seconds=SIM_STALL_SECONDS) for name in faults]
    runtime = load_runtime(path)
    with FakeAnthropic() as api:
        text = _simulation_text()
        api.text = text
        api.script(*script)
        report = VerifyReport(
            ok=False,
            mode="simulate",
            base_url=api.base_url,
            route="direct, in-process fake API (proxy variables ignored)",
            runtime=runtime.path,
            vendored=runtime.vendored,
            model=model,
            expected_chars=len(text),
            faults=[fault.name for fault in script],
        )
        # The fake runs on 127.0.0.1: never send that through the user's proxy.
        http_client = anthropic.DefaultHttpxClient(trust_env=False)
        client = runtime.module.make_client(
            base_url=api.base_url, api_key="scaffold-simulate", http_client=http_client
        )
        policy = _policy(
            runtime.module,
            idle_timeout=SIM_IDLE_TIMEOUT,
            max_attempts=len(script) + 3,
            backoff_base=0.05,
            backoff_max=0.5,
        )
        params = {
            "model": model,
            "max_tokens": 8192,
            "messages": [{"role": "user", "content": "Say the simulated answer."}],
        }
        received: list[str] = []

        def collect(chunk: str) -> None:
            received.append(chunk)

        try:
            _stream(runtime, client, policy, params, report, callbacks, collect)
        except Exception as exc:
            report.error = describe_failure(exc, api.base_url, None)
        finally:
            client.close()
    whole = "".join(received)
    report.intact = whole == text
    if report.error is None and not report.intact:
        report.error = _first_difference(whole, text)
    report.ok = report.error is None and report.stop_reason == "end_turn"
    if report.error is None and not report.ok:
        report.error = f"the stream ended with stop_reason {report.stop_reason!r}"
    return report


def _simulation_text() -> str:
    from scaffolder.testing import long_text

    text: str = long_text(SIM_TEXT_CHARS, seed=8)
    return text


def _first_difference(got: str, want: str) -> str:
    pairs = enumerate(zip(got, want, strict=False))
    same = next((i for i, (a, b) in pairs if a != b), min(len(got), len(want)))
    return (
        f"the text did not arrive whole: {len(got)} of {len(want)} chars, "
        f"first difference at char {same}"
    )


def _policy(module: ModuleType, **wanted: float) -> Any:
    """A RecoveryPolicy with the wanted fields this runtime version knows (older ones lack some)."""
    policy_type = module.RecoveryPolicy
    known = {f.name for f in dataclasses.fields(policy_type)}
    return policy_type(**{name: value for name, value in wanted.items() if name in known})


@dataclass(frozen=True)
class _Callbacks:
    on_start: Callable[[], None] | None
    on_text: Callable[[int], None] | None
    on_event: Callable[[str], None] | None


def _stream(
    runtime: Runtime,
    client: Any,
    policy: Any,
    params: dict[str, Any],
    report: VerifyReport,
    callbacks: _Callbacks,
    collect: Callable[[str], None] | None = None,
) -> None:
    """Run one recovering stream, filling `report` as it goes (also when it raises)."""
    on_text, on_event = callbacks.on_text, callbacks.on_event
    if callbacks.on_start is not None:
        callbacks.on_start()
    start = time.monotonic()
    last: float | None = None
    resumed = False  # the next chunk comes over a new connection: its gap was not survived

    def event(message: str) -> None:
        nonlocal resumed
        now = time.monotonic()
        report.idle_before_cuts.append(now - (last if last is not None else start))
        resumed = True
        line = f"[{now - start:6.1f} s] {message}"
        report.events.append(line)
        if on_event is not None:
            on_event(line)

    try:
        with _runtime_log(runtime.module, event):
            kwargs: dict[str, Any] = dict(params)
            if policy is not None:
                kwargs["policy"] = policy
            with runtime.module.recovering_stream(client, **kwargs) as stream:
                try:
                    for chunk in stream.text_stream:
                        now = time.monotonic()
                        if last is None:
                            report.time_to_first_token = now - start
                        elif not resumed:
                            report.longest_gap = max(report.longest_gap, now - last)
                        last, resumed = now, False
                        report.chars += len(chunk)
                        if collect is not None:
                            collect(chunk)
                        if on_text is not None:
                            on_text(len(chunk))
                    message = stream.get_final_message()
                finally:
                    report.attempts = len(getattr(stream, "attempts", ()) or ()) or 1
            report.stop_reason = message.stop_reason
            report.usage = _usage(message.usage)
    except Exception as exc:
        attempts = getattr(exc, "attempts", None)
        if attempts is not None:
            report.attempts = len(attempts) if not isinstance(attempts, int) else attempts
        raise
    finally:
        report.elapsed = time.monotonic() - start


def _usage(usage: Any) -> dict[str, int]:
    fields = (
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    )
    # Zero cache counters are noise in a report; input and output tokens are always shown.
    return {
        name: value
        for name in fields
        if isinstance(value := getattr(usage, name, None), int)
        and (value or name in ("input_tokens", "output_tokens"))
    }


class _EventHandler(logging.Handler):
    def __init__(self, event: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self._event = event

    def emit(self, record: logging.LogRecord) -> None:
        self._event(record.getMessage())


@contextlib.contextmanager
def _runtime_log(module: ModuleType, event: Callable[[str], None]) -> Iterator[None]:
    """Show what the runtime logs (each reconnect) while the stream runs."""
    loggers = {value for value in vars(module).values() if isinstance(value, logging.Logger)}
    loggers.add(logging.getLogger(module.__name__))
    handler = _EventHandler(event)
    saved = [(logger, logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # ours is the display; don't duplicate into the root logger
    try:
        yield
    finally:
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


# --- locating and loading the runtime -------------------------------------------------------


def load_runtime(start: Path) -> Runtime:
    """The vendored module of the repository around `start`, else the bundled one."""
    from scaffolder.answers import ANSWERS_FILE, load_answers

    root = _answers_root(Path(start), ANSWERS_FILE)
    timeout = 600
    why = "no vendored claude_stream.py found"
    if root is not None:
        answers = load_answers(root) or {}
        module_path = answers.get("module_path")
        if isinstance(answers.get("timeout"), int):
            timeout = answers["timeout"]
        if answers.get("python_runtime") is False:
            # A Node-only repository: its module is TypeScript/JavaScript, which verify does not
            # run; say so rather than let a pass look like a verdict on that module.
            why = (
                f"this repository vendors the Node module {answers.get('node_module_path')}, "
                "which verify does not run: this checks the Python runtime"
            )
        elif isinstance(module_path, str) and module_path:
            candidate = root / module_path
            if candidate.is_file():
                return Runtime(load_file(candidate), module_path, vendored=True)
            why = f"{module_path} is missing: `scaffold update` restores it"
    return Runtime(load_bundled(timeout), f"bundled template ({why})", vendored=False)


def _answers_root(start: Path, name: str) -> Path | None:
    """The nearest directory at or above `start` holding the answers file, up to the git root."""
    here = start.resolve()
    for directory in (here, *here.parents):
        if (directory / name).is_file():
            return directory
        if (directory / ".git").exists():
            return None
    return None


def _require_socks_support(proxy_route: ProxyRoute) -> None:
    """httpx needs the `socksio` extra for a SOCKS proxy; without it the client cannot even be
    built (an ImportError deep in the SDK): say so in one line first."""

    proxy = proxy_route.proxy or ""
    if proxy.lower().startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigError(
            f"{proxy_route.variable} is a SOCKS proxy, but the socksio package is not "
            "installed: pip install 'httpx[socks]' (or unset the variable)"
        )
