"""Rule codes and the files lint checks, importable without the rule engine (config
validation, selection, discovery, the Claude Code hook)."""

from __future__ import annotations

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
#: TypeScript (.ts .mts .cts .tsx) and JavaScript (.js .jsx .mjs .cjs): `lint/typescript`.
NODE_SUFFIXES = (".ts", ".mts", ".cts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")
#: What `scaffold lint` checks. A file named explicitly is linted as Python unless its suffix
#: is a Node one or one of OTHER_SOURCE_SUFFIXES (a script with a python shebang and no
#: suffix is Python).
LINTED_SUFFIXES = PYTHON_SUFFIXES + NODE_SUFFIXES
LINTED_LANGUAGES = "Python, TypeScript and JavaScript"
#: Source files of languages with an Anthropic SDK that scaffold does not lint (yet): never
#: silently passed (lint counts those that mention the SDK; one named explicitly gets a note).
OTHER_SOURCE_SUFFIXES = (".go", ".java", ".kt", ".rb", ".cs", ".php")

#: Every rule, in the order `scaffold rules` lists them: the one list of codes. A rule is the
#: module of the same name in `scaffolder/lint/rules/` (SCF001: `scf001.py`), which the
#: registry (`scaffolder.lint.rules.RULES`) loads from this list.
ALL_CODES = (
    "SCF001",
    "SCF002",
    "SCF003",
    "SCF004",
    "SCF005",
    "SCF006",
    "SCF100",
    "SCF900",
    "SCF901",
)
SYNTAX_ERROR = "SCF900"
DECODE_ERROR = "SCF901"
UNUSED_NOQA = "SCF100"
#: Reported only when selected by their own code (or `ALL`), not by the `SCF` prefix: as
#: ruff's RUF100, unused-noqa detection is opt-in.
OPT_IN_CODES = frozenset({UNUSED_NOQA})
