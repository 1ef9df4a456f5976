"""Load the recovery runtime (`claude_stream.py`) as a module, from a file or from the template.

What it does: `load_file(path)` imports a `claude_stream.py` by path under a private name;
`load_bundled(timeout)` renders the bundled template's runtime into a temporary directory and
imports that; `bundled_source(timeout)` is the rendered text.

Why: `scaffold verify` streams through the repository's vendored copy (else the bundled one),
`scaffold doctor --messages` repairs a saved conversation with the bundled one: both load the
code that is on disk, exactly, and say in one line when it does not import.

Example:
    runtime = load_file(root / "app" / "claude_stream.py")  # verify: the vendored copy
    runtime = load_bundled(600)  # doctor --messages: scaffold's own, never the repository's
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from scaffolder.errors import UsageError

#: What verify calls on the runtime module.
RUNTIME_API = ("make_client", "recovering_stream", "RecoveryPolicy")


def load_bundled(timeout: int = 600) -> ModuleType:
    """The runtime rendered from the bundled template with `timeout`, imported."""
    with tempfile.TemporaryDirectory(prefix="scaffold-verify-") as scratch:
        file = Path(scratch, "claude_stream.py")
        file.write_text(bundled_source(timeout), encoding="utf-8")
        return load_file(file)


@functools.lru_cache(maxsize=4)
def bundled_source(timeout: int) -> str:
    from scaffolder.render import render_files

    return render_files({"timeout": timeout})["claude_stream.py"]


def load_file(file: Path) -> ModuleType:
    # A private name: the user's own `claude_stream` import (if any) must not be shadowed.
    name = f"_scaffold_verify_runtime_{abs(hash(str(file.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot load the recovery runtime from {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        del sys.modules[name]
        raise UsageError(
            f"{file} failed to import ({type(exc).__name__}: {exc}); "
            "fix it or restore it with `scaffold update`"
        ) from None
    missing = [api for api in RUNTIME_API if not hasattr(module, api)]
    if missing:
        raise UsageError(
            f"{file} lacks {', '.join(missing)}: it is not scaffold's recovery runtime; "
            "restore it with `scaffold update`"
        )
    return module
