"""The text-edit fixes (`scaffolder/lint/fix/_text.py`) against the libcst engine.

`fix_source` fixes SCF001/SCF003 as edits of the text when it can, and leaves every other
file to the libcst engine. The two must agree exactly: for every fix fixture and every lint
fixture that the text path takes, both give the same bytes, the same fixes (titles) and the
same findings left. The fixtures named in `TEXT_CASES` must take the text path (a change that
sends them back to libcst, which costs more than a plain lint run of a large tree, fails here);
the sources in `DECLINED` must not (the engine's result there cannot be had from `ast`
positions alone).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from scaffolder.lint import lint_source
from scaffolder.lint.config import Settings, settings_from_table
from scaffolder.lint.fix import FileFix, _fixable_codes, _trees, fix_source
from scaffolder.lint.fix._engine import fix_file
from scaffolder.lint.fix._runtime import NO_RUNTIME, Runtime
from scaffolder.lint.fix._text import fix_text
from tests.lint.test_fix import CASES, FIXTURES, LINT_FIXTURES, RUNTIME, options_of
from tests.lint.test_fixtures import fixture_settings

#: Fix fixtures whose findings are all fixed by text edits.
TEXT_CASES = {
    "scf001_assigned",
    "scf001_async_with",
    "scf001_latin1",
    "scf001_text_crlf",
    "scf001_text_merge",
    "scf001_text_non_ascii",
    "scf001_text_rounds",
    "scf001_text_tabs",
    "scf001_with",
    "scf003_bom_crlf",
    "scf003_literals",
    "scf003_min_timeout",
    "scf003_no_header",
    "scf003_shared_line",
    "scf100_crlf",
    "scf100_text_decorators",
    "scf100_unused",
}


def both(
    path: Path, source: bytes, settings: Settings, *, unsafe: bool, runtime: Runtime | str
) -> tuple[FileFix | None, FileFix]:
    diagnostics = lint_source(source, path, settings)
    text = fix_text(
        source,
        path,
        settings,
        runtime=runtime,
        only=None,
        diagnostics=diagnostics,
        fixable=_fixable_codes(),
    )
    engine = fix_file(
        source, path, settings, unsafe=unsafe, runtime=runtime, only=None, diagnostics=diagnostics
    )
    return text, engine


def assert_same(text: FileFix, engine: FileFix) -> None:
    assert text.new == engine.new
    assert [(d, fix.title) for d, fix in text.applied] == [
        (d, fix.title) for d, fix in engine.applied
    ]
    assert text.remaining == engine.remaining


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_text_fixes_of_the_fix_fixtures_are_the_engine_s(case: Path) -> None:
    source = case.read_bytes()
    options = options_of(source)
    settings = settings_from_table(options.get("config", {}), root=FIXTURES, source=None)
    runtime = RUNTIME if options.get("runtime", True) else NO_RUNTIME
    text, engine = both(
        case, source, settings, unsafe=options.get("unsafe", False), runtime=runtime
    )
    assert (text is not None) == (case.stem in TEXT_CASES)
    if text is not None:
        assert text.changed
        assert_same(text, engine)


@pytest.mark.parametrize("fixture", LINT_FIXTURES, ids=lambda p: p.name)
def test_text_fixes_of_the_lint_fixtures_are_the_engine_s(fixture: Path) -> None:
    source = fixture.read_bytes()
    settings = fixture_settings(source, fixture.parent)
    text, engine = both(fixture, source, settings, unsafe=True, runtime=RUNTIME)
    if text is not None:
        assert_same(text, engine)


STREAM = """\
import anthropic

client = anthropic.Anthropic()


def ask(msgs):
    {with_line}
        return stream.get_final_text()
"""

#: Sources the text path leaves to the engine, and why.
DECLINED = {
    "parenthesized call (libcst's node spans the parentheses)": STREAM.format(
        with_line="with (client.messages.stream(model='m', messages=msgs)) as stream:"
    ),
    "parenthesized with items (libcst may read a tuple)": STREAM.format(
        with_line="with (client.messages.stream(model='m', messages=msgs) as stream):"
    ),
    "a comment after the opening parenthesis": STREAM.format(
        with_line="with client.messages.stream(  # why\n        model='m', messages=msgs\n"
        "    ) as stream:"
    ),
    "parenthesized timeout literal": "import anthropic\n\nc = anthropic.Anthropic(timeout=(60))\n",
    "a stream handed on (unsafe fix)": STREAM.format(
        with_line="with client.messages.stream(model='m', messages=msgs) as stream:\n"
        "        print(stream)"
    ),
    "a stream member the recovering stream lacks (no fix)": STREAM.format(
        with_line="with client.messages.stream(model='m', messages=msgs) as stream:\n"
        "        stream.response.close()"
    ),
    "the stream name spelled as a parameter later (libcst sees a Name)": STREAM.format(
        with_line="with client.messages.stream(model='m', messages=msgs) as stream:\n"
        "        def later(stream):\n            pass"
    ),
    "a parenthesized runtime import (libcst rewrites it on one line)": (
        "import anthropic\nfrom pkg.claude_stream import (\n    get_final_text,\n)\n\n"
        + STREAM.format(
            with_line="with client.messages.stream(model='m', messages=msgs) as stream:"
        ).replace("import anthropic\n", "", 1)
    ),
    "a stream in a class body (libcst's scope is the class's lines)": textwrap.dedent(
        """\
        import anthropic

        client = anthropic.Anthropic()


        class Warm:
            with client.messages.stream(model="m", messages=[]) as stream:
                stream.until_done()
        """
    ),
}


@pytest.mark.parametrize("source", DECLINED.values(), ids=DECLINED.keys())
def test_the_text_path_leaves_uncertain_cases_to_the_engine(source: str, tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    data = source.encode()
    settings = Settings(project_root=tmp_path)
    text, engine = both(path, data, settings, unsafe=False, runtime=RUNTIME)
    assert lint_source(data, path, settings), "the case has a finding"
    assert text is None
    assert fix_source(data, path, settings, runtime=RUNTIME).new == engine.new


def test_only_the_given_findings_are_fixed_as_the_engine_fixes_them(tmp_path: Path) -> None:
    """The Claude Code hook fixes just the findings of the edited lines (`only`): the text
    path fixes those and reports the rest, as the engine does."""
    path = tmp_path / "app.py"
    source = STREAM.format(
        with_line="with client.messages.stream(model='m', messages=msgs) as stream:"
    ).replace("anthropic.Anthropic()", "anthropic.Anthropic(timeout=60)")
    data = source.encode()
    settings = Settings(project_root=tmp_path)
    diagnostics = lint_source(data, path, settings)
    assert sorted(d.code for d in diagnostics) == ["SCF001", "SCF003"]
    only = [d for d in diagnostics if d.code == "SCF001"]
    text = fix_text(
        data,
        path,
        settings,
        runtime=RUNTIME,
        only=only,
        diagnostics=diagnostics,
        fixable=_fixable_codes(),
    )
    engine = fix_file(
        data, path, settings, unsafe=True, runtime=RUNTIME, only=only, diagnostics=diagnostics
    )
    assert text is not None
    assert_same(text, engine)
    assert b"recovering_stream(client, model='m', messages=msgs)" in text.new
    assert [d.code for d in text.remaining] == ["SCF003"]


def test_the_lint_hands_its_tree_to_the_fix_only_for_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scaffold lint --fix` does not parse a file twice (`_trees`): the lint keeps the tree
    of a file with a fixable finding while fixing is on, the fix takes it for exactly that
    text, and nothing is kept otherwise or beyond the budget."""
    path = tmp_path / "app.py"
    text = STREAM.format(with_line="with client.messages.stream(model='m') as stream:")
    settings = Settings(project_root=tmp_path)
    lint_source(text.encode(), path, settings)
    assert _trees.take(path, text) is None  # fixing is off: nothing kept
    with _trees.keeping():
        lint_source(text.encode(), path, settings)
        assert _trees.take(path, text + "\n") is None  # another text: not this tree
        lint_source(text.encode(), path, settings)
        tree = _trees.take(path, text)
        assert isinstance(tree, ast.Module)
        assert ast.dump(tree) == ast.dump(ast.parse(text))
        assert _trees.take(path, text) is None  # taken once
        monkeypatch.setattr(_trees, "BUDGET", len(text) + 10)
        other = tmp_path / "other.py"
        lint_source(text.encode(), path, settings)
        lint_source(text.encode(), other, settings)  # over budget: the oldest goes
        assert _trees.take(path, text) is None
        assert _trees.take(other, text) is not None
    assert _trees._kept is None


def test_indented_comments_at_the_end_of_a_file_are_kept(tmp_path: Path) -> None:
    """libcst 1.9 drops a line when a file ends in two indented comment lines (its round trip
    of `x = 1\\n  # a\\n  # b\\n` loses `  # a`); the text edits touch only the directive."""
    path = tmp_path / "app.py"
    source = b"import anthropic\n\nclient = anthropic.Anthropic()\n  # noqa: SCF001\n    # b\n"
    settings = settings_from_table({"extend-select": ["SCF100"]}, root=tmp_path, source=None)
    fixed = fix_source(source, path, settings, runtime=RUNTIME)
    assert fixed.new == b"import anthropic\n\nclient = anthropic.Anthropic()\n    # b\n"
    assert [d.code for d, _ in fixed.applied] == ["SCF100"]
