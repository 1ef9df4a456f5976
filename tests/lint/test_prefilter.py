"""The text prefilter must never skip a file that imports anthropic (it would hide findings)."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from scaffolder.lint.engine import _imports_anthropic
from scaffolder.lint.prefilter import may_have_findings

modules = st.sampled_from(["os", "json", "anthropic", "anthropic.types", "httpx", "anthropic_x"])
names = st.sampled_from(["Anthropic", "types", "x", "anthropic"])
spaces = st.sampled_from([" ", "  ", "\t"])


@st.composite
def import_statement(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 2))
    sp = draw(spaces)
    if kind == 0:
        mods = draw(st.lists(modules, min_size=1, max_size=3))
        alias = draw(st.sampled_from(["", " as a"]))
        return f"import{sp}{(',' + sp).join(mods)}{alias}"
    if kind == 1:
        return f"from{sp}{draw(modules)}{sp}import{sp}{draw(names)}"
    return f"from{sp}{draw(modules)}{sp}import{sp}({draw(names)},{sp}{draw(names)})"


@st.composite
def module_source(draw: st.DrawFn) -> str:
    lines = []
    for statement in draw(st.lists(import_statement(), min_size=1, max_size=4)):
        wrapper = draw(st.integers(0, 3))
        if wrapper == 0:
            lines.append(statement)
        elif wrapper == 1:
            lines.append(f"x = 1; {statement}")
        elif wrapper == 2:
            lines.append(f"try:\n    {statement}\nexcept ImportError:\n    pass")
        else:
            lines.append(f"def f():\n    '''anthropic'''\n    {statement}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


@given(module_source())
def test_prefilter_keeps_every_file_that_imports_anthropic(source: str) -> None:
    tree = ast.parse(source)
    if _imports_anthropic(tree):
        assert may_have_findings(source.encode())


def test_files_saved_as_utf16_or_utf32_are_searched_as_text() -> None:
    source = "# -*- coding: utf-8 -*-\nimport anthropic\n"
    for encoding in ("utf-16", "utf-16-be", "utf-32", "utf-32-be"):
        data = source.encode(encoding)
        if not encoding.endswith("-be"):
            assert data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Python writes the BOM itself
        else:
            bom = "\ufeff".encode(encoding)
            data = bom + data
        assert may_have_findings(data), encoding
    assert not may_have_findings("import os\n".encode("utf-16"))
