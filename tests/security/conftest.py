"""A repository set up by the real `scaffold init` (shared with tests/update)."""

from tests.update.conftest import _initialized, repo

__all__ = ["_initialized", "repo"]
