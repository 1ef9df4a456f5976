"""Shared fixtures. Tests drive real parts: the real CLI, real git, real copier, real HTTP."""
