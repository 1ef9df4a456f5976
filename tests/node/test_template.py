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
        f"node_runtime: {variant}\nnode_module_path: src/lib/{name}\n"
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
