"""Shared fixtures. Tests drive real parts: the real CLI, real git, real copier, real HTTP."""

# `pytester` runs a user's test suite against our pytest plugin (tests/testing/test_plugin.py).
pytest_plugins = ["pytester"]
