"""The rendered TypeScript module compiles under `tsc --strict` with both SDK majors, as ES module
and CommonJS, with and without Node's types; the JavaScript variants are its compiled output."""

from __future__ import annotations

import json

import pytest

from . import build_js, npm
from .conftest import TIMEOUT, NodeSDK

# node + npm packages from the registry (installed once into a cache): like building a venv
pytestmark = pytest.mark.slow

CONFIGS = {
    "node-esm": {"module": "nodenext", "moduleResolution": "nodenext", "types": ["node"]},
    "node-cjs": {"module": "commonjs", "moduleResolution": "node10", "types": ["node"]},
    # A bundler/browser project: the DOM's types, no Node ones; the strictest common flags.
    "bundler-dom": {
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2020", "dom"],
        "types": [],
        "exactOptionalPropertyTypes": True,
        "noUncheckedIndexedAccess": True,
        "noImplicitOverride": True,
        "noUnusedLocals": True,
        "noUnusedParameters": True,
    },
}


@pytest.mark.parametrize("config", list(CONFIGS))
def test_tsc_strict_accepts_the_rendered_module(node_sdk: NodeSDK, config: str) -> None:
    options = {"strict": True, "noEmit": True, "target": "es2020", **CONFIGS[config]}
    tsconfig = node_sdk.work / f"tsconfig.{config}.json"
    tsconfig.write_text(
        json.dumps({"compilerOptions": options, "files": ["claudeStream.ts"]}), encoding="utf-8"
    )
    result = npm.tsc(node_sdk.root, "-p", tsconfig.name, cwd=node_sdk.work)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_timeout(node_sdk: NodeSDK) -> None:
    source = node_sdk.runtime("ts").read_text(encoding="utf-8")
    assert f"export const TIMEOUT_MS: number = {TIMEOUT} * 1000;" in source
    for variant in ("esm", "cjs"):
        assert f"TIMEOUT_MS = {TIMEOUT} * 1000;" in node_sdk.runtime(variant).read_text("utf-8")


def test_javascript_variants_are_the_compiled_module() -> None:
    reason = npm.missing_node()
    if reason is not None:
        pytest.skip(reason)
    compiled = build_js.compile_variants(npm.sdk_dir(npm.SDK_MAJORS[0]))
    for variant, text in compiled.items():
        assert npm.template_file(variant).read_text(encoding="utf-8") == text, (
            f"{npm.TEMPLATE_NAMES[variant]} is out of date: run `python -m tests.node.build_js`"
        )
