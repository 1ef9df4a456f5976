"""lint_source: positions, encodings, pathological input, the prefilter."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from scaffolder.lint import Diagnostic, lint_source
from scaffolder.lint.config import Settings
from scaffolder.lint.engine import analyze_source
from scaffolder.lint.model import FileModel, Kind, Origin
from scaffolder.lint.prefilter import may_have_findings

SETTINGS = Settings(project_root=Path("/project"))
PATH = Path("/project/app.py")


def codes(source: str | bytes, settings: Settings = SETTINGS) -> list[tuple[int, int, str]]:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return [(d.line, d.col, d.code) for d in lint_source(data, PATH, settings)]


def test_columns_count_characters_not_bytes() -> None:
    source = 'import anthropic\nc = anthropic.Anthropic()\nx = "ééé"; c.messages.stream()\n'
    assert codes(source) == [(3, 12, "SCF001")]


def test_crlf_and_lone_cr_line_endings() -> None:
    source = "import anthropic\r\nc = anthropic.Anthropic()\r\n\r\nc.messages.stream()\r\n"
    assert codes(source) == [(4, 1, "SCF001")]


def test_diagnostic_carries_end_position_and_fix_hint() -> None:
    source = "import anthropic\nc = anthropic.Anthropic()\nc.messages.stream(\n  model='m',\n)\n"
    (diagnostic,) = lint_source(source.encode(), PATH, SETTINGS)
    hint = diagnostic.fix_hint
    assert diagnostic == Diagnostic(PATH, 3, 1, "SCF001", diagnostic.message, 5, 2, hint)
    assert "recovering_stream" in (hint or "")


ASYNC_SOURCE = """\
import anthropic

aclient = anthropic.AsyncAnthropic()
client = anthropic.Anthropic()


async def essay(msgs):
    async with aclient.messages.stream(model="m", max_tokens=9, messages=msgs) as stream:
        return await stream.get_final_text()


async def events(msgs):
    return await aclient.messages.create(model="m", max_tokens=9, messages=msgs, stream=True)


def sync_essay(msgs):
    with client.messages.stream(model="m", max_tokens=9, messages=msgs) as stream:
        return stream.get_final_text()


async def naive(msgs):
    for _ in range(3):
        try:
            async with aclient.messages.stream(model="m", max_tokens=9, messages=msgs) as s:
                return await s.get_final_text()
        except anthropic.APIConnectionError:
            continue
"""


def test_the_fix_for_async_code_names_the_async_api() -> None:
    # An agent told to wrap `async with client.messages.stream(...)` in the sync
    # `recovering_stream` writes code that fails at run time.
    hints = {
        (d.line, d.code): d.fix_hint or ""
        for d in lint_source(ASYNC_SOURCE.encode(), PATH, SETTINGS)
    }
    assert set(hints) == {(8, "SCF001"), (13, "SCF002"), (17, "SCF001"), (24, "SCF004")}
    for key in [(8, "SCF001"), (13, "SCF002"), (24, "SCF004")]:
        assert "async with async_recovering_stream(" in hints[key], key
    assert "async_recovering_stream" not in hints[17, "SCF001"]
    assert "`recovering_stream(client, **params)`" in hints[17, "SCF001"]


def test_min_timeout_comes_from_settings() -> None:
    source = "import anthropic\nc = anthropic.Anthropic(timeout=120)\n"
    assert codes(source) == [(2, 33, "SCF003")]
    assert codes(source, Settings(project_root=Path("/p"), min_timeout=100)) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"import os\nclient.messages.stream()\n", False),
        (b"# talks to anthropic\nclient.messages.stream()\n", False),
        (b"import anthropic\n", True),
        (b"import os, anthropic as a\n", True),
        (b"from anthropic.types import Message\n", True),
        (b"from  anthropic import Anthropic\n", True),
        (b"try:\n    import anthropic\nexcept ImportError:\n    pass\n", True),
    ],
)
def test_prefilter(source: bytes, expected: bool) -> None:
    assert may_have_findings(source) is expected


def test_prefilter_never_hides_a_finding_the_parser_would_make() -> None:
    source = b"import json; import anthropic\nanthropic.Anthropic().messages.stream()\n"
    assert may_have_findings(source)
    assert codes(source) == [(2, 1, "SCF001")]


def test_deep_expression_that_parses_is_fully_checked() -> None:
    # Left-nested 2,000 deep: fine for the parser, fatal for a recursive checker.
    calls = "+".join(["c.messages.stream()"] * 2_000)
    source = f"import anthropic\nc = anthropic.Anthropic()\nx = {calls}\n"
    assert len(codes(source)) == 2_000


def test_expression_too_deep_for_the_parser_is_reported() -> None:
    deep = "import anthropic\nx = " + "+".join(["1"] * 100_000) + "\n"
    # Python 3.11's parser gives up on this with a RecursionError; 3.10's builds the tree, which
    # the checker must then walk without overflowing its own recursion (and find nothing).
    expected = ["SCF900"] if sys.version_info >= (3, 11) else []
    assert [code for _, _, code in codes(deep)] == expected


def test_deeply_nested_parentheses_are_a_parse_error_not_a_crash() -> None:
    source = "import anthropic\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    assert [code for _, _, code in codes(source)] == ["SCF900"]


def test_long_attribute_chain_and_deep_timeout_arithmetic() -> None:
    chain = "c" + ".a" * 20_000
    arithmetic = "+".join(["1"] * 2_000)
    source = (
        f"import anthropic\nc = anthropic.Anthropic(timeout={arithmetic})\n"
        f"{chain}.messages.stream()\n"
    )
    result = codes(source)
    assert all(code in ("SCF001", "SCF900") for _, _, code in result)


def test_repeated_names_in_a_chain_of_assignments_stay_cheap() -> None:
    # a1 = a0 or a0 or ...: resolved naively, a5 has 8**5 origins (and a chain of 50 never ends).
    lines = ["import anthropic", "import httpx", "a0 = anthropic.Anthropic()"]
    lines += [f"a{i} = " + " or ".join([f"a{i - 1}"] * 8) for i in range(1, 6)]
    lines += ["T0 = anthropic.Anthropic"]
    lines += [f"T{i} = Union[" + ", ".join([f"T{i - 1}"] * 8) + "]" for i in range(1, 6)]
    lines += ["def f(c: T5) -> None:", "    c.messages.stream()", "a5.messages.stream()"]
    source = "\n".join(lines) + "\n"
    assert codes(source) == [(16, 5, "SCF001"), (17, 1, "SCF001")]
    model = FileModel(ast.parse(source), SETTINGS)
    receivers = [call.receiver for call in model.message_calls]
    assert [model.origins(r) for r in receivers] == [[Origin(Kind.CLIENT, False)]] * 2


def test_deep_nesting_under_a_low_recursion_limit() -> None:
    nested = "import anthropic\nc = anthropic.Anthropic()\n"
    for depth in range(90):
        nested += "    " * depth + "if x:\n"
    nested += "    " * 90 + "c.messages.stream()\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        result = codes(nested)
    finally:
        sys.setrecursionlimit(limit)
    assert result == [(93, 361, "SCF001")]


def test_assume_anthropic_lints_files_that_do_not_import_it() -> None:
    source = b"client.messages.stream()\n"
    assert analyze_source(source, PATH, SETTINGS) == []
    assert [d.code for d in analyze_source(source, PATH, SETTINGS, assume_anthropic=True)] == [
        "SCF001"
    ]


def test_null_bytes_and_bad_encodings_are_reported() -> None:
    assert [c for _, _, c in codes(b"import anthropic\nx = '\x00'\n")] == ["SCF900"]
    assert codes(b"import anthropic\nx = '\xff'\n") == [(2, 1, "SCF901")]
    assert codes(b"# coding: nope\nimport anthropic\n") == [(1, 1, "SCF901")]


RUNTIME_LOOKALIKE = b"""import anthropic

def recovering_stream(client, **params):
    return client.messages.stream(**params)

def stream_with_recovery(client, messages, **params):
    return client.messages.create(messages=messages, stream=True, **params)
"""


def test_the_vendored_runtime_is_known_by_its_path_or_header_never_by_its_function_names() -> None:
    def found(path: str, source: bytes) -> list[str]:
        return [d.code for d in lint_source(source, Path(path), SETTINGS)]

    assert found("/project/app/llm.py", RUNTIME_LOOKALIKE) == ["SCF001", "SCF002"]
    assert found("/project/app/claude_stream.py", RUNTIME_LOOKALIKE) == []
    header = b"# Vendored by `scaffold init` (scaffolder template v2). `scaffold update` keeps\n"
    assert found("/project/app/recovery.py", header + RUNTIME_LOOKALIKE) == []
