"""Shared fixtures. Tests drive real parts: the real CLI, real git, real copier, real HTTP."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import Any

import pytest

# `pytester` runs a user's test suite against our pytest plugin (tests/testing/test_plugin.py).
pytest_plugins = ["pytester"]

FailNthReplace = Callable[..., list[str]]


@pytest.fixture
def fail_nth_replace(monkeypatch: pytest.MonkeyPatch) -> FailNthReplace:
    """`calls = fail_nth_replace(n)`: the n-th `os.replace` from now on raises (a full disk,
    or the `error` given) instead of moving the file; every other call goes through.

    `calls` lists the destination of every call, the failing one included: the journal's own
    replace counts (see `scaffolder._journal`), and a rollback's replaces come after.
    """

    def arm(n: int, error: OSError | None = None) -> list[str]:
        real_replace = os.replace
        calls: list[str] = []

        def replace(src: Any, dst: Any, **kwargs: Any) -> None:
            calls.append(os.fspath(dst))
            if len(calls) == n:
                raise error or OSError(errno.ENOSPC, "No space left on device", os.fspath(dst))
            real_replace(src, dst, **kwargs)

        monkeypatch.setattr(os, "replace", replace)
        return calls

    return arm
