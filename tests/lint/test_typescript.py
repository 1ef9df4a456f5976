"""TypeScript/JavaScript lint: fixtures under fixtures/typescript/ mark each expected finding
with `// error: CODE` on its line; the linter must report exactly those (line, code) pairs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder.lint import lint_source
from scaffolder.lint.config import settings_from_table
from scaffolder.lint.typescript import SUFFIXES

FIXTURES = Path(__file__).parent / "fixtures" / "typescript"
_EXPECTED = re.compile(rb"//\s*(?:noqa[^e\n]*)?error:\s*(SCF\d{3}(?:\s*,\s*SCF\d{3})*)")


def expectations(source: bytes) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(source.split(b"\n"), start=1):
        for match in _EXPECTED.finditer(line):
            for code in re.split(rb"\s*,\s*", match.group(1)):
                expected.add((number, code.decode()))
    return expected


FILES = sorted(p for p in FIXTURES.iterdir() if p.name.endswith(SUFFIXES))


@pytest.mark.parametrize("fixture", FILES, ids=lambda p: p.name)
def test_fixture_findings_match_inline_expectations(fixture: Path) -> None:
    source = fixture.read_bytes()
    settings = settings_from_table({}, root=FIXTURES, source=None)
    found = {(d.line, d.code) for d in lint_source(source, fixture, settings)}
    expected = expectations(source)
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    assert (missing, unexpected) == ([], []), f"missing={missing} unexpected={unexpected}"


def test_every_rule_is_exercised() -> None:
    seen = set()
    for fixture in FILES:
        seen |= {code for _, code in expectations(fixture.read_bytes())}
    from scaffolder.lint.codes import ALL_CODES

    # SCF006 is about Python's httpx/httpx2 split; unused-noqa detection is Python-only so far.
    assert seen == set(ALL_CODES) - {"SCF006", "SCF100"}


def test_min_timeout_setting_is_in_seconds() -> None:
    source = b'import Anthropic from "@anthropic-ai/sdk";\nnew Anthropic({ timeout: 120_000 });\n'
    path = FIXTURES / "inline.ts"
    relaxed = settings_from_table({"min-timeout": 60}, root=FIXTURES, source=None)
    strict = settings_from_table({}, root=FIXTURES, source=None)
    assert lint_source(source, path, relaxed) == []
    assert [d.code for d in lint_source(source, path, strict)] == ["SCF003"]


def test_vendored_runtime_has_no_findings() -> None:
    from scaffolder.render import render_files

    for variant, name in (("ts", "claudeStream.ts"), ("esm", "claudeStream.mjs")):
        source = render_files({"node_runtime": variant})[name].encode()
        settings = settings_from_table({}, root=FIXTURES, source=None)
        assert lint_source(source, FIXTURES / name, settings) == []


def _scaffold(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaffolder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_lints_a_node_project(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "chat.ts").write_text(
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const client = new Anthropic();\n"
        'client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n',
        encoding="utf-8",
    )
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "index.js").write_text(
        (tmp_path / "src" / "chat.ts").read_text(), encoding="utf-8"
    )
    (tmp_path / "src" / "util.js").write_text("export const x = 1;\n", encoding="utf-8")
    result = _scaffold("lint", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    assert [(f["filename"].replace("\\", "/"), f["code"]) for f in findings] == [
        ("src/chat.ts", "SCF001")
    ] or [(Path(f["filename"]).name, f["code"]) for f in findings] == [("chat.ts", "SCF001")]
    assert findings[0]["location"]["row"] == 3
    clean = _scaffold("lint", "src/util.js", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # the cache: a second run gives the same answer
    again = _scaffold("lint", ".", "--format", "json", cwd=tmp_path)
    assert json.loads(again.stdout) == findings


def test_tree_sitter_is_imported_only_for_node_files(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import anthropic\nanthropic.Anthropic()\n", encoding="utf-8")
    (tmp_path / "b.ts").write_text("export const x = 1; // no SDK here\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from scaffolder.cli import main\n"
        "main(['lint', '--no-cache', 'a.py', 'b.ts'])\n"
    )
    probe = code.replace("main(", "rc = main(") + "print('tree_sitter' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr


@pytest.mark.parametrize(
    "source",
    [
        b'import Anthropic from "@anthropic-ai/sdk";',
        b"import Anthropic from\n  '@anthropic-ai/sdk';",
        b'import {\n  Anthropic,\n} from "@anthropic-ai/sdk/index.mjs";',
        b'const Anthropic = require( "@anthropic-ai/sdk" );',
        b'const { AnthropicBedrock } = await import("@anthropic-ai/bedrock-sdk");',
        b'import type { Message } from "@anthropic-ai/sdk/resources";',
        b'export * from "@anthropic-ai/sdk";',
        b'import Anthropic = require("@anthropic-ai/sdk");',
    ],
)
def test_prefilter_never_misses_an_sdk_import(source: bytes) -> None:
    from scaffolder.lint.typescript import may_have_findings

    assert may_have_findings(source)


def test_prefilter_skips_mentions() -> None:
    from scaffolder.lint.typescript import may_have_findings

    assert not may_have_findings(b"// see @anthropic-ai/sdk docs\nconst pkg = 'x';\n")
    assert not may_have_findings(b"export const x = 1;\n")


def _doc_blocks(code: str) -> tuple[list[str], list[str]]:
    """The ```ts blocks of a rule page's TypeScript section: (examples, use-instead)."""
    from scaffolder.lint.rules import RULES

    page = RULES[code].markdown()
    section = page.split("## TypeScript and JavaScript", 1)[1]
    bad, _, good = section.partition("Use instead:")
    block = re.compile(r"```ts\n(.*?)```", re.DOTALL)
    return block.findall(bad), block.findall(good)


_PREAMBLE = (
    'import Anthropic from "@anthropic-ai/sdk";\n'
    'import { makeClient, recoveringStream } from "./claudeStream";\n'
)


@pytest.mark.parametrize("code", ["SCF001", "SCF002", "SCF003", "SCF004", "SCF005"])
def test_rule_page_typescript_examples(code: str) -> None:
    settings = settings_from_table({}, root=FIXTURES, source=None)
    bad, good = _doc_blocks(code)
    assert bad
    assert good
    for example in bad:
        source = example if "@anthropic-ai/sdk" in example else _PREAMBLE + example
        setup = "const client = new Anthropic();\n" if "client" not in source.split("=")[0] else ""
        found = {
            d.code
            for d in lint_source((_PREAMBLE + setup + source).encode(), FIXTURES / "x.ts", settings)
        }
        assert code in found, (example, found)
    for example in good:
        source = "const client = makeClient();\n" + example if code != "SCF003" else example
        found = {
            d.code for d in lint_source((_PREAMBLE + source).encode(), FIXTURES / "x.ts", settings)
        }
        assert found == set(), (example, found)


_HEADER = b'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            _HEADER + b"const x = " + b"(" * 5000 + b"1" + b")" * 5000 + b";", [], id="parens"
        ),
        pytest.param(
            _HEADER + b"{" * 3000 + b"client.messages.stream({});" + b"}" * 3000,
            [("SCF001", 3)],
            id="blocks",
        ),
        pytest.param(
            _HEADER
            + b"const y = "
            + b" + ".join([b"1"] * 100_000)
            + b";\nclient.messages.stream({});",
            [("SCF001", 4)],
            id="long-sum",
        ),
        pytest.param(
            _HEADER
            + b"while (true) { try {" * 500
            + b"client.messages.stream({}); break;"
            + b"} catch (e) {} }" * 500,
            [],
            id="nested-retry-loops",
        ),
    ],
)
def test_deep_input_does_not_crash(source: bytes, expected: list[tuple[str, int]]) -> None:
    settings = settings_from_table({}, root=FIXTURES, source=None)
    found = [(d.code, d.line) for d in lint_source(source, FIXTURES / "deep.ts", settings)]
    assert found == expected


def test_a_grammar_gap_away_from_any_call_is_not_reported() -> None:
    # tree-sitter-typescript 0.23 cannot read `import("m").T` in a type; the file is valid.
    source = (
        _HEADER + b'type T = import("stream/web").ReadableStream<number>;\nexport { client };\n'
    )
    settings = settings_from_table({}, root=FIXTURES, source=None)
    assert lint_source(source, FIXTURES / "gap.ts", settings) == []


def test_framework_build_output_is_not_linted(tmp_path: Path) -> None:
    bare = (
        'const Anthropic = require("@anthropic-ai/sdk");\n'
        'new Anthropic().messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
    )
    for build in (".next/server/app", ".svelte-kit/output", ".vercel/output", "app"):
        (tmp_path / build).mkdir(parents=True)
        (tmp_path / build / "route.js").write_text(bare, encoding="utf-8")
    result = _scaffold("lint", ".", "--no-respect-gitignore", "--format", "json", cwd=tmp_path)
    assert [Path(f["filename"]).parent.name for f in json.loads(result.stdout)] == ["app"]
