from tests.update.conftest import versions

__all__ = ["versions"]
