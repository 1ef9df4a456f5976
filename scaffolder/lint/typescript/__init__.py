"""TypeScript and JavaScript for `scaffold lint`: SCF001-SCF005 with the Python rules' semantics.

The door into the engine is narrow: `handles(path)` (by suffix), `may_have_findings(source)`
(the prefilter: only files that mention an `@anthropic-ai/` package are parsed) and
`analyze_source(...)`, which returns the same `Diagnostic`s as the Python engine. The
tree-sitter grammars are imported only when such a file is analysed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.lint.codes import NODE_SUFFIXES as SUFFIXES

if TYPE_CHECKING:
    from scaffolder.lint.config import Settings
    from scaffolder.lint.diagnostics import Diagnostic


_DECLARATIONS = (".d.ts", ".d.mts", ".d.cts")  # types only: no calls to check


def handles(path: str) -> bool:
    """Whether `path` is linted as TypeScript/JavaScript (declaration files included: they
    are found and skipped here, never handed to the Python parser)."""
    return path.endswith(SUFFIXES)


# `from "@anthropic-ai/sdk"`, `require('@anthropic-ai/...')`, `import("@anthropic-ai/...")`
_IMPORT = re.compile(rb"""(?:\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*["'`]@anthropic-ai/""")


def may_have_findings(source: bytes) -> bool:
    """Whether `source` may import an `@anthropic-ai/` package (never misses one)."""
    return b"@anthropic-ai/" in source and _IMPORT.search(source) is not None


def analyze_source(
    source: bytes, path: Path, settings: Settings, *, prefilter: bool = True
) -> list[Diagnostic]:
    """Every rule's findings for one file (after `// noqa`). Never raises for bad input."""
    if path.name.endswith(_DECLARATIONS) or (prefilter and not may_have_findings(source)):
        return []
    from scaffolder.lint.typescript._analyze import analyze

    return analyze(source, path, settings)
