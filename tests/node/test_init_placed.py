"""The Node module as `scaffold init` places it in a Node-only repository works there: the
JavaScript variants recover a dropped stream through the real SDK (every character once), and
the TypeScript one compiles under the repository's own strict tsconfig."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffolder.cli import main
from scaffolder.testing import FakeAnthropic, Fault
from tests.init.repos import make_repo

from . import npm
from .conftest import NodeSDK, run_node
from .test_fault_matrix import TEXT, params

# node + npm packages from the registry (installed once into a cache): like building a venv
pytestmark = pytest.mark.slow

SDK = '"dependencies": {"@anthropic-ai/sdk": "*"}'
PROJECTS: dict[str, dict[str, str | bytes]] = {
    "esm": {"package.json": f'{{"type": "module", {SDK}}}\n', "index.mjs": ""},
    "cjs": {"package.json": f"{{{SDK}}}\n", "index.js": ""},
}


def init(root: Path) -> dict[str, Any]:
    assert main(["init", "-y", str(root)]) == 0
    answers: dict[str, Any] = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    return answers


@pytest.mark.parametrize("variant", list(PROJECTS))
def test_the_placed_javascript_module_recovers_a_dropped_stream(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, variant: str
) -> None:
    # Inside the SDK's cache directory, so node resolves @anthropic-ai/sdk from the repository.
    root = make_repo(node_sdk.work / f"repo-{variant}", PROJECTS[variant])
    answers = init(root)
    assert answers["node_runtime"] == variant
    placed = root / str(answers["node_module_path"])
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=300))
    report = run_node(node_sdk, fake_anthropic, params(), runtime=placed)
    assert "error" not in report, report
    assert "".join(report["pieces"]) == TEXT
    assert len(fake_anthropic.requests) == 2


def test_the_placed_typescript_module_compiles_in_the_repository(node_sdk: NodeSDK) -> None:
    options = {
        "strict": True,
        "noEmit": True,
        "target": "es2020",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "types": ["node"],
    }
    files: dict[str, str | bytes] = {
        "package.json": f'{{"type": "module", {SDK}}}\n',
        "tsconfig.json": json.dumps({"compilerOptions": options, "include": ["src"]}),
        "src/lib/.keep": "",
    }
    root = make_repo(node_sdk.work / "repo-ts", files)
    answers = init(root)
    assert answers["node_module_path"] == "src/lib/claudeStream.ts"
    (root / "src" / "index.ts").write_text(
        f'import {{ makeClient, recoveringStream }} from "{answers["node_import"]}";\n'
        "const stream = recoveringStream(makeClient(), {\n"
        '  model: "m", max_tokens: 1024, messages: [{ role: "user", content: "hi" }],\n'
        "});\n"
        "for await (const text of stream.textStream) process.stdout.write(text);\n",
        encoding="utf-8",
    )
    result = npm.tsc(node_sdk.root, "-p", "tsconfig.json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
