"""The bench scripts import scaffolder's internals inside functions, where a rename goes
unnoticed until someone measures (bench/lint_bench.py once asked `lint.discovery` for a name
that had moved to `lint.codes`). Every `from scaffolder... import name` in bench/ must resolve."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
IMPORTS = [
    (script.name, node.module, alias.name)
    for script in sorted(BENCH.glob("*.py"))
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8")))
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scaffolder")
    for alias in node.names
]


def test_the_bench_scripts_import_scaffolder() -> None:
    assert {script for script, _, _ in IMPORTS} >= {"lint_bench.py", "init_bench.py"}


@pytest.mark.parametrize(("script", "module", "name"), IMPORTS)
def test_every_name_a_bench_script_imports_exists(script: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    if not hasattr(imported, name):  # `from package import submodule`
        importlib.import_module(f"{module}.{name}")
