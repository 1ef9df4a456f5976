"""Protection analysis: whether a streaming call site survives an interrupted stream.

What it does: `protection(node)` walks up from a call site and returns the best protection
around it: inside the vendored recovery module, passed to a recovery function (configured
ones by name; the runtime's names when imported, or judged by their body when defined in the
file), inside a retry loop whose handler covers transport errors and goes round again, or in
a non-generator function with a retry decorator (tenacity, backoff, stamina, retry, retrying,
celery `autoretry_for`, or a configured one). A retry that only catches anthropic's
connection errors is `NAIVE`, one that catches the other httpx generation's `WRONG_HTTPX`.

Why: SCF001/SCF002 report unprotected calls and SCF004 half-protected ones; the judgement is
the same for all three, and which httpx generation counts follows `Settings.sdk`.

Example: a `messages.stream(...)` inside ``for _ in range(3): try: ...; break`` /
``except httpx.RemoteProtocolError: continue`` is `PROTECTED` on an SDK built on httpx.
"""

from __future__ import annotations

import ast
import enum

from scaffolder.lint._names import FUNCS, LOOPS, MAX_DEPTH, Names, is_class_name, own_nodes, walk
from scaffolder.lint.config import Settings

#: The recovery runtime's public entry points (see docs/runtime.md); calls inside them or
#: passed to them are protected.
RUNTIME_RECOVERY_FUNCTIONS = frozenset(
    {"recovering_stream", "async_recovering_stream", "stream_with_recovery"}
)

#: httpx / httpx2 classes that catch a mid-body disconnect or read timeout.
TRANSPORT_ERRORS = frozenset(
    {
        "HTTPError",
        "RequestError",
        "TransportError",
        "ProtocolError",
        "RemoteProtocolError",
        "NetworkError",
        "ReadError",
        "TimeoutException",
        "ReadTimeout",
    }
)
#: anthropic classes that catch `APIConnectionError` but never a raw httpx error.
NAIVE_ERRORS = frozenset({"APIConnectionError", "APITimeoutError", "APIError", "AnthropicError"})
#: tenacity's decorator and iterators: they retry what `retry=` says, by default everything.
TENACITY_RETRY = frozenset(
    {"tenacity.retry", "tenacity.asyncio.retry", "tenacity.Retrying", "tenacity.AsyncRetrying"}
)
#: Retry helpers that take the exceptions to retry as an argument, (position, keyword), and
#: retry every exception without it; a keyword of None: only a predicate, not knowable here.
RETRY_EXCEPTIONS_ARGUMENT: dict[str, tuple[int | None, str | None]] = {
    "backoff.on_exception": (1, "exception"),
    "stamina.retry": (None, "on"),
    "stamina.retry_context": (None, "on"),
    "retry.retry": (0, "exceptions"),
    "retrying.retry": (None, None),
}


class Protection(enum.IntEnum):
    NONE = 0
    WRONG_HTTPX = 1  # a retry that catches the other httpx generation's errors only (SCF004)
    NAIVE = 2  # a retry that only catches anthropic.APIConnectionError & co (SCF004)
    PROTECTED = 3


class ProtectionAnalysis:
    """Protection of call sites in one file, over its `Names` (see the module docstring)."""

    def __init__(self, names: Names, settings: Settings, *, vendored: bool = False):
        self.names = names
        self.settings = settings
        #: Trusted by name (configured); the runtime's names only when imported.
        self.configured_recovery = {name.rpartition(".")[2] for name in settings.recovery_functions}
        self.retry_decorator_names = {name.rpartition(".")[2] for name in settings.retry_decorators}
        self.transport_module = settings.sdk.httpx
        # The vendored runtime (known by its path or its header, see engine): its own calls are
        # the recovery.
        self.is_recovery_module = vendored
        self._protection_memo: dict[ast.AST, Protection] = {}
        self._function_coverage_memo: dict[ast.AST, Protection] = {}

    def protection(self, node: ast.AST) -> Protection:
        if self.is_recovery_module:
            return Protection.PROTECTED
        if node not in self._protection_memo:
            self._protection_memo[node] = self._protection(node)
        return self._protection_memo[node]

    def _protection(self, node: ast.AST) -> Protection:
        best = Protection.NONE
        pending_trys: list[ast.Try] = []
        loops_open = True  # a `def` or `class` ends what enclosing loops and decorators mean
        decorators_checked = False
        step = self.names.up(node)
        while step is not None:
            child, current = step
            if isinstance(current, ast.Call) and child is not current.func:
                best = max(best, self._recovery_call(current))
            elif isinstance(current, FUNCS):
                if current.name in self.configured_recovery:
                    return Protection.PROTECTED
                if not decorators_checked and (child is current.args or child in current.body):
                    decorators_checked = True
                    best = max(best, self._decorator_protection(current))
                loops_open = False
            elif isinstance(current, ast.ClassDef):
                loops_open = False
            elif loops_open and isinstance(current, ast.Try) and _in_list(child, current.body):
                pending_trys.append(current)
            elif loops_open and isinstance(current, LOOPS) and _in_list(child, current.body):
                if isinstance(current, (ast.For, ast.AsyncFor)):
                    best = max(best, self._retry_helper(current.iter) or Protection.NONE)
                for try_node in pending_trys:
                    best = max(best, self._loop_protection(current, try_node))
                pending_trys.clear()
            if best is Protection.PROTECTED:
                return best
            step = self.names.up(current)
        return best

    def _recovery_call(self, call: ast.Call) -> Protection:
        """How a call that receives the streaming call (or a reference to it) protects it: a
        configured recovery function does; one of the runtime's names does when it is
        imported, and when it is defined in this file, as well as its own retry loop does."""
        func = call.func
        name = self.names.last_name(func)
        if name in self.configured_recovery:
            return Protection.PROTECTED
        if name not in RUNTIME_RECOVERY_FUNCTIONS:
            return Protection.NONE
        if not isinstance(func, ast.Name):
            return Protection.PROTECTED  # `claude_stream.recovering_stream(...)`
        best = Protection.NONE
        for binding in self.names.lookup(func.id, func):
            if binding.kind == "import":
                return Protection.PROTECTED
            if binding.kind == "def" and isinstance(binding.site, FUNCS):
                best = max(best, self._function_retry_coverage(binding.site))
        return best

    def _function_retry_coverage(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Protection:
        """How well the retry loops in `func`'s own body protect what they run."""
        if func not in self._function_coverage_memo:
            self._function_coverage_memo[func] = Protection.NONE  # (recursion guard)
            best = self._decorator_protection(func)
            for node in own_nodes(func):
                if isinstance(node, ast.Try):
                    step = self.names.up(node)
                    while step is not None and not isinstance(step[1], (*FUNCS, ast.Lambda)):
                        if isinstance(step[1], LOOPS):
                            best = max(best, self._loop_protection(step[1], node))
                        step = self.names.up(step[1])
            self._function_coverage_memo[func] = best
        return self._function_coverage_memo[func]

    def _loop_protection(self, loop: ast.stmt, try_node: ast.Try) -> Protection:
        if not try_node.handlers:
            return Protection.NONE
        rest = _statements_after(try_node, loop, self.names.parents)
        rest_outcomes = _outcomes(rest)
        success = _outcomes([*try_node.body, *try_node.orelse])
        leaves = bool(success & {"break", "return"}) or (
            "next" in success and bool(rest_outcomes & {"break", "return"})
        )
        if not leaves:
            return Protection.NONE  # e.g. a websocket loop: success waits for the next message
        best = Protection.NONE
        for handler in try_node.handlers:
            handler_outcomes = _outcomes(handler.body)
            goes_round = "continue" in handler_outcomes or (
                "next" in handler_outcomes and bool(rest_outcomes & {"next", "continue"})
            )
            if goes_round:
                best = max(best, self._exception_coverage(handler.type))
        return best

    def _decorator_protection(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Protection:
        best = Protection.NONE
        for decorator in func.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            verdict = self._retry_helper(decorator)
            if verdict is None and (
                self.names.last_name(target) in self.retry_decorator_names
                or self.names.qualname(target) in self.settings.retry_decorators
            ):
                verdict = Protection.PROTECTED
            best = max(best, verdict or Protection.NONE)
        # A retry cannot re-run an iteration that the caller drives.
        return Protection.NONE if best and _is_generator(func) else best

    def _retry_helper(self, expr: ast.expr) -> Protection | None:
        """How a known retry decorator (also a celery task with `autoretry_for=`), or the
        iterator of `for attempt in tenacity.Retrying(...)` / `stamina.retry_context(...)`,
        protects its body; None when `expr` is not one."""
        call = expr if isinstance(expr, ast.Call) else None
        qualname = self.names.qualname(call.func if call is not None else expr)
        if qualname in TENACITY_RETRY:
            return self._tenacity_retry(call)
        if qualname in RETRY_EXCEPTIONS_ARGUMENT:
            position, keyword = RETRY_EXCEPTIONS_ARGUMENT[qualname]
            if keyword is None:
                return Protection.PROTECTED
            # Without the argument they retry every exception, as a bare `except:` does.
            return self._exception_coverage(_argument(call, position, keyword))
        autoretry = _argument(call, None, "autoretry_for")  # a celery task
        return None if autoretry is None else self._exception_coverage(autoretry)

    def _tenacity_retry(self, call: ast.Call | None) -> Protection:
        strategy = _argument(call, None, "retry") if call else None
        if strategy is None:
            return Protection.PROTECTED  # tenacity retries on every exception by default
        best: Protection | None = None
        for part in walk(strategy, limit=200):
            if not isinstance(part, ast.Call):
                continue
            qualname = self.names.qualname(part.func) or ""
            if qualname == "tenacity.retry_if_exception_type":
                coverage = (
                    self._exception_coverage(_argument(part, 0, "exception_types"))
                    if part.args or part.keywords
                    else Protection.PROTECTED
                )
                best = coverage if best is None else max(best, coverage)
        # Any other strategy (retry_if_result, a custom predicate): assume it retries.
        return Protection.PROTECTED if best is None else best

    def _exception_coverage(self, expr: ast.expr | None, depth: int = 0) -> Protection:
        """PROTECTED if `expr` (a handler's type) catches transport errors; NAIVE if it catches
        only anthropic connection errors; NONE if unrelated."""
        if expr is None:
            return Protection.PROTECTED  # bare `except:`
        if depth > MAX_DEPTH:
            return Protection.PROTECTED
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return max(
                (self._exception_coverage(e, depth + 1) for e in expr.elts),
                default=Protection.NONE,
            )
        qualname = self.names.qualname(expr)
        if qualname is not None:
            root, last = qualname.partition(".")[0], qualname.rpartition(".")[2]
            if root in ("httpx", "httpx2") and last in TRANSPORT_ERRORS:
                # The other generation's classes are unrelated: they catch nothing.
                if root == self.transport_module or self.names.both_httpx_generations(expr):
                    return Protection.PROTECTED
                return Protection.WRONG_HTTPX
            if root == "anthropic":
                return Protection.NAIVE if last in NAIVE_ERRORS else Protection.NONE
            if qualname in ("builtins.Exception", "builtins.BaseException"):
                return Protection.PROTECTED
            # An imported constant (RETRYABLE_ERRORS) cannot be seen from here; a class can.
            return Protection.NONE if is_class_name(last) else Protection.PROTECTED
        if isinstance(expr, ast.Name):
            bindings = self.names.lookup(expr.id, expr)
            if not bindings:
                return (
                    Protection.PROTECTED
                    if expr.id in ("Exception", "BaseException")
                    else Protection.NONE
                )
            best = Protection.NONE
            for binding in bindings:
                if binding.value is not None and binding.kind in ("assign", "ann"):
                    best = max(best, self._exception_coverage(binding.value, depth + 1))
                elif binding.kind == "import":
                    # Relative (`from .errors import RetryableError`): an unknown name like
                    # any other, a class covers nothing the file shows; a constant may.
                    original = _imported_name(binding.site, expr.id)
                    if not is_class_name(original):
                        return Protection.PROTECTED
                elif binding.kind in ("param", "other"):
                    return Protection.PROTECTED  # not knowable here: assume it covers
            return best
        # A predicate or a computed tuple: not knowable here, so assume it covers.
        return Protection.PROTECTED


def _argument(call: ast.Call | None, position: int | None, keyword: str) -> ast.expr | None:
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and len(call.args) > position:
        arg = call.args[position]
        return None if isinstance(arg, ast.Starred) else arg
    return None


def _imported_name(site: ast.AST, local: str) -> str:
    """The name an import statement imports as `local` (`from .e import A as B`: `A`)."""
    if isinstance(site, (ast.Import, ast.ImportFrom)):
        for alias in site.names:
            if (alias.asname or alias.name) == local:
                return alias.name.rpartition(".")[2]
    return local


def _in_list(node: ast.AST, nodes: list[ast.stmt]) -> bool:
    return any(node is item for item in nodes)


def _is_generator(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(func))


def _statements_after(
    try_node: ast.Try, loop: ast.stmt, parents: dict[ast.AST, ast.AST]
) -> list[ast.stmt]:
    """The statements that run after `try_node` completes, up to the end of the loop body."""
    rest: list[ast.stmt] = []
    node: ast.AST = try_node
    while node is not loop:
        parent = parents.get(node)
        if parent is None:
            break
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and _in_list(node, block):
                index = next(i for i, stmt in enumerate(block) if stmt is node)
                rest.extend(block[index + 1 :])
                break
        node = parent
    return rest


def _outcomes(statements: list[ast.stmt]) -> set[str]:
    """How a block can end: next (falls through), continue, break, return, raise."""
    current = {"next"}
    for stmt in statements:
        if "next" not in current:
            break
        current = (current - {"next"}) | _stmt_outcomes(stmt)
    return current


def _stmt_outcomes(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.Return):
        return {"return"}
    if isinstance(stmt, ast.Raise):
        return {"raise"}
    if isinstance(stmt, ast.Break):
        return {"break"}
    if isinstance(stmt, ast.Continue):
        return {"continue"}
    if isinstance(stmt, ast.If):
        return _outcomes(stmt.body) | _outcomes(stmt.orelse)
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return _outcomes(stmt.body)
    if isinstance(stmt, LOOPS):
        inner = _outcomes(stmt.body)
        result = inner & {"return", "raise"}
        if "break" in inner:
            result.add("next")
        infinite = (
            isinstance(stmt, ast.While)
            and isinstance(stmt.test, ast.Constant)
            and bool(stmt.test.value)
        )
        if not infinite:  # it runs out, through `else:`, whose break/continue are the outer loop's
            result |= _outcomes(stmt.orelse)
        return result
    if isinstance(stmt, ast.Try):
        result = _outcomes([*stmt.body, *stmt.orelse])
        for handler in stmt.handlers:
            result |= _outcomes(handler.body)
        if stmt.finalbody:
            final = _outcomes(stmt.finalbody)
            result = final if "next" not in final else result | (final - {"next"})
        return result
    if isinstance(stmt, ast.Match):
        result = {"next"}
        for case in stmt.cases:
            result |= _outcomes(case.body)
        return result
    return {"next"}
