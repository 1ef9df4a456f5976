"""Rule codes, importable without the rule engine (config validation, selection)."""

from __future__ import annotations

ALL_CODES = ("SCF001", "SCF002", "SCF003", "SCF004", "SCF005", "SCF006", "SCF900", "SCF901")
SYNTAX_ERROR = "SCF900"
DECODE_ERROR = "SCF901"
