"""Rendering: the Node runtime only when the `node_runtime` answer asks for it (no node needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.render import placed_files, render_files


def test_a_python_project_renders_no_node_runtime() -> None:
    rendered = render_files({"timeout": 600})
    assert not [name for name in rendered if "claudeStream" in name]
    assert "node_runtime" not in rendered[".scaffold-answers.yml"]


@pytest.mark.parametrize(
    ("variant", "name"),
    [("ts", "claudeStream.ts"), ("esm", "claudeStream.mjs"), ("cjs", "claudeStream.cjs")],
)
def test_one_variant_at_the_node_module_path(variant: str, name: str) -> None:
    answers = {"timeout": 900, "node_runtime": variant, "node_module_path": f"src/lib/{name}"}
    rendered = render_files(answers)
    assert [n for n in rendered if "claudeStream" in n] == [name]
    assert "TIMEOUT_MS" in rendered[name]
    assert "900 * 1000" in rendered[name]
    placed = placed_files(rendered, answers)
    assert placed[f"src/lib/{name}"] == rendered[name]
    assert name not in placed
    assert rendered[".scaffold-answers.yml"].endswith(
        f"node_runtime: {variant}\nnode_module_path: src/lib/{name}\nnode_import: ./{name}\n"
        if variant != "ts"
        else "node_runtime: ts\nnode_module_path: src/lib/claudeStream.ts\n"
        "node_import: ./claudeStream.js\n"
    )


def test_an_unknown_variant_is_refused(tmp_path: Path) -> None:
    from scaffolder.errors import RenderError

    with pytest.raises(RenderError, match="must be"):
        render_files({"node_runtime": "coffee"})


@pytest.mark.parametrize("variant", ["ts", "esm", "cjs"])
def test_the_template_is_rendered_verbatim_but_for_its_two_variables(variant: str) -> None:
    from tests.node.npm import TEMPLATE_NAMES, template_file

    name = TEMPLATE_NAMES[variant].split("%}")[1].split("{%")[0]
    source = template_file(variant).read_text(encoding="utf-8")
    expected = source.replace("{{ timeout }}", "654").replace("{{ template_version }}", "2")
    assert render_files({"timeout": 654, "node_runtime": variant})[name] == expected


# The managed texts for each kind of repository: (answers, must contain, must not contain).
PY_IMPORT = "from claude_stream import make_client, recovering_stream"
TS_IMPORT = 'import { makeClient, recoveringStream } from "./lib/claudeStream.js";'
CJS_REQUIRE = 'const { makeClient, recoveringStream } = require("./claudeStream.cjs");'
NODE = {"node_runtime": "ts", "node_module_path": "src/lib/claudeStream.ts"}
TEXT_CASES = [
    pytest.param(
        {}, [PY_IMPORT], ["makeClient", "claudeStream", "TypeError: terminated"], id="python"
    ),
    pytest.param(
        {**NODE, "node_import": "./lib/claudeStream.js"},
        [PY_IMPORT, TS_IMPORT, "src/lib/claudeStream.ts"],
        [],
        id="mixed",
    ),
    pytest.param(
        {**NODE, "node_import": "./lib/claudeStream.js", "python_runtime": False},
        [TS_IMPORT, "src/lib/claudeStream.ts"],
        ["recovering_stream", "claude_stream.py", "make_client", "httpx"],
        id="typescript",
    ),
    pytest.param(
        {"node_runtime": "cjs", "node_module_path": "claudeStream.cjs", "python_runtime": False},
        [CJS_REQUIRE],
        ["recovering_stream", "claude_stream.py", "import {", "httpx"],
        id="commonjs",
    ),
]


@pytest.mark.parametrize(("answers", "present", "absent"), TEXT_CASES)
def test_memory_block_rule_and_cursor_rule_show_the_repository_languages(
    answers: dict[str, object], present: list[str], absent: list[str]
) -> None:
    rendered = render_files({"cursor_rule": ".cursor/rules/claude.mdc", **answers})
    for name in ("_fragments/memory-block.md", ".claude/rules/claude-streaming.md"):
        text = rendered[name]
        for snippet in present:
            # the memory block quotes the import without its semicolon
            assert snippet.rstrip(";") in text, (name, snippet)
        for snippet in absent:
            assert snippet not in text, (name, snippet)
    assert rendered["_fragments/memory-block.md"] in rendered["_fragments/cursor-rule.mdc"]
    placed = placed_files(rendered, answers)
    assert ("claude_stream.py" in placed) == (answers.get("python_runtime", True) is not False)


def test_default_node_import_is_the_module_file_with_a_js_extension_for_typescript() -> None:
    rendered = render_files(NODE)
    assert '"./claudeStream.js"' in rendered["_fragments/memory-block.md"]
    assert "node_import: ./claudeStream.js\n" in rendered[".scaffold-answers.yml"]


def test_python_only_answers_file_does_not_mention_the_new_answers() -> None:
    answers = render_files({})[".scaffold-answers.yml"]
    assert "python_runtime" not in answers
    assert "node_import" not in answers
