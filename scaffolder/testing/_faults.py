"""What can go wrong with one response: the `Fault` value a test scripts for the next request."""

from __future__ import annotations

from dataclasses import dataclass

#: In-stream ``event: error`` types the real API sends (the SDK raises ``APIStatusError`` with
#: ``status_code == 200`` for each of them).
ERROR_TYPES = (
    "overloaded_error",
    "api_error",
    "rate_limit_error",
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "not_found_error",
    "request_too_large",
    "billing_error",
    "timeout_error",
)

#: The ``error.type`` the real API puts in the JSON body of each HTTP status.
STATUS_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "api_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

#: The human messages the real API pairs with each error type.
ERROR_MESSAGES = {
    "overloaded_error": "Overloaded",
    "api_error": "Internal server error",
    "rate_limit_error": "Number of request tokens has exceeded your per-minute rate limit",
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
    "timeout_error": "Request timed out",
}

# Names accepted by `Fault.from_name` (besides every ERROR_TYPES entry and any HTTP status code).
_NAMES = (
    "drop",
    "close",
    "reset",
    "stall",
    "stall_headers",
    "eof",
    "truncated_line",
    "invalid_json",
    "before_message_start",
    "after_message_delta",
    "overloaded",
)


@dataclass(frozen=True)
class Fault:
    """One thing going wrong with one response. Build it with the class methods.

    ``at`` is the index of the SSE event (0 = ``message_start``, counting ``ping`` events too)
    before which the fault happens: events ``0 .. at-1`` arrive intact. Negative values count
    from the end (``-1`` = just before ``message_stop``); ``None`` means halfway through the
    text. The index is clamped so that a body fault always happens before ``message_stop``.
    """

    kind: str
    at: int | None = None
    seconds: float = 0.0
    error_type: str | None = None
    message: str | None = None
    status_code: int | None = None
    retry_after: float | None = None
    should_retry: bool | None = None
    ping_interval: float | None = None

    @classmethod
    def close(cls, at: int | None = None) -> Fault:
        """Close the TCP connection mid-body (FIN, no final chunk)."""
        return cls("close", at=at)

    @classmethod
    def reset(cls, at: int | None = None) -> Fault:
        """Abort the TCP connection mid-body with a RST (``SO_LINGER`` 0)."""
        return cls("reset", at=at)

    @classmethod
    def stall(cls, seconds: float, at: int | None = None, *, pings: float | None = None) -> Fault:
        """Send nothing for ``seconds`` before event ``at``, then finish the response normally.

        With ``pings``, a ``ping`` event every ``pings`` seconds during the stall: bytes keep
        flowing (no read timeout fires) while no text arrives, as with a slow real stream.
        """
        return cls("stall", at=at, seconds=float(seconds), ping_interval=pings)

    @classmethod
    def stall_headers(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before sending the status line, then answer normally."""
        return cls("stall_headers", seconds=float(seconds))

    @classmethod
    def eof(cls, at: int | None = None) -> Fault:
        """End the body cleanly (final chunk sent) before event ``at``: no ``message_stop``."""
        return cls("eof", at=at)

    @classmethod
    def truncated_line(cls, at: int | None = None) -> Fault:
        """Send half of event ``at`` (cut inside its ``data:`` line), then end the body cleanly."""
        return cls("truncated_line", at=at)

    @classmethod
    def invalid_json(cls, at: int | None = None) -> Fault:
        """Send event ``at`` with a ``data:`` line that is not JSON, then end the body.

        A ``ping`` at ``at`` is sent intact and the next event is broken instead: the SDK never
        parses a ping's data.
        """
        return cls("invalid_json", at=at)

    @classmethod
    def after_message_delta(cls) -> Fault:
        """Close the connection after ``message_delta`` (the stop reason), before ``message_stop``.

        The whole answer arrived; only the end of the stream is lost. The same as
        ``Fault.close(at=-1)``.
        """
        return cls("close", at=-1)

    @classmethod
    def before_message_start(cls) -> Fault:
        """Send the 200 headers, then end the body cleanly before ``message_start`` (no events)."""
        return cls("before_message_start", at=0)

    @classmethod
    def error_event(
        cls, type: str = "overloaded_error", at: int | None = None, *, message: str | None = None
    ) -> Fault:
        """Send ``event: error`` with ``{"type": "error", "error": {"type": type, ...}}``."""
        return cls("error_event", at=at, error_type=type, message=message)

    @classmethod
    def status(
        cls,
        code: int,
        retry_after: float | None = None,
        should_retry: bool | None = None,
        *,
        type: str | None = None,
        message: str | None = None,
    ) -> Fault:
        """Answer with HTTP ``code`` and a JSON error body instead of a stream.

        ``retry_after`` sets the ``retry-after`` header (seconds), ``should_retry`` the
        ``x-should-retry`` header (``true``/``false``) the SDK obeys before its own rules.
        """
        if not 400 <= code <= 599:
            raise ValueError(f"Fault.status needs an HTTP error status (400-599), got {code}")
        error_type = type or STATUS_ERROR_TYPES.get(code, "api_error")
        return cls(
            "status",
            status_code=code,
            retry_after=retry_after,
            should_retry=should_retry,
            error_type=error_type,
            message=message,
        )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names `from_name` accepts (plus any HTTP error status such as ``"529"``)."""
        return _NAMES + ERROR_TYPES

    @classmethod
    def from_name(cls, name: str, *, at: int | None = None, seconds: float = 5.0) -> Fault:
        """Build a fault from a short name, for command lines and ``scaffold verify --simulate``.

        ``drop``/``close``, ``reset``, ``stall``, ``stall_headers``, ``eof``, ``truncated_line``,
        ``invalid_json``, ``before_message_start``, ``after_message_delta``, ``overloaded`` (an
        in-stream ``overloaded_error``), any in-stream error type (``api_error``, ...), or an
        HTTP status (``"529"``, ``"status_429"``). ``seconds`` is used by the two stalls.
        """
        key = name.strip().lower().replace("-", "_")
        if key.startswith("status_"):
            key = key[len("status_") :]
        if key in ("drop", "close"):
            return cls.close(at)
        if key == "reset":
            return cls.reset(at)
        if key == "stall":
            return cls.stall(seconds, at)
        if key == "stall_headers":
            return cls.stall_headers(seconds)
        if key == "eof":
            return cls.eof(at)
        if key == "truncated_line":
            return cls.truncated_line(at)
        if key == "invalid_json":
            return cls.invalid_json(at)
        if key == "before_message_start":
            return cls.before_message_start()
        if key == "after_message_delta":
            return cls.after_message_delta()
        if key == "overloaded":
            return cls.error_event("overloaded_error", at)
        if key in ERROR_TYPES:
            return cls.error_event(key, at)
        if key.isdigit() and 400 <= int(key) <= 599:
            return cls.status(int(key))
        known = ", ".join((*cls.names(), "<HTTP status>"))
        raise ValueError(f"unknown fault name {name!r}; known: {known}")

    @property
    def name(self) -> str:
        """A short label, e.g. ``close@5``, ``stall(2.0s)@3``, ``status 529``."""
        if self.kind == "status":
            return f"status {self.status_code}"
        if self.kind == "stall_headers":
            return f"stall_headers({self.seconds:g}s)"
        label = self.kind
        if self.kind == "stall":
            label = f"stall({self.seconds:g}s)"
        elif self.kind == "error_event":
            label = f"error_event({self.error_type})"
        where = "mid" if self.at is None else str(self.at)
        return f"{label}@{where}"
