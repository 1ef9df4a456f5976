"""Rule codes, importable without the rule engine (config validation, selection)."""

from __future__ import annotations

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
