"""The rule registry: one module per rule, each with its documentation as the docstring.

A rule module defines `CODE`, `NAME`, `SUMMARY`, `FIX` (the hint printed under a finding),
optionally `ASYNC_FIX` (the hint for a finding in async code, which needs the async API) and
`FIX_AVAILABILITY` ("always" or "sometimes", when `scaffold lint --fix` has a fixer for it), and
`check(model) -> Iterator[(node, message)]`; SCF900/SCF901 (files that do not parse or decode)
and SCF100 (unused `# noqa`) are produced by the engine and have no `check`.
`docs/rules/<CODE>.md` is generated from the docstrings (`scaffold rules CODE` prints the same).

The rules and their order are `scaffolder.lint.codes.ALL_CODES`, the one list of codes (cheap
to import, for config validation); each code's module is its lowercase name (`scf001`), and
everything else that names the rules (`scaffold rules`, SARIF's rule table, `--statistics`,
the `--fix` codes) reads `RULES`.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from scaffolder.lint.codes import ALL_CODES

if TYPE_CHECKING:
    from scaffolder.lint.model import FileModel

Check = Callable[["FileModel"], Iterable[tuple[ast.AST, str]]]


class Rule(NamedTuple):
    code: str
    name: str
    summary: str
    fix: str | None
    async_fix: str | None
    fix_availability: str | None  # "always" / "sometimes" (ruff's wording); None: no fixer
    doc: str
    check: Check | None

    def fix_for(self, *, in_async: bool) -> str | None:
        """The hint under a finding: the async API's for async code, where the rule has one."""
        return (self.async_fix or self.fix) if in_async else self.fix

    def markdown(self) -> str:
        """The rule's page: `docs/rules/<code>.md` and `scaffold rules <code>`."""
        from scaffolder.lint.typescript.docs import section

        summary = self.summary[:1].upper() + self.summary[1:]
        if self.fix_availability:
            summary += f".\n\nFix is {self.fix_availability} available"
        page = f"# {self.code} ({self.name})\n\n{summary}.\n\n{self.doc.strip()}\n"
        return page + section(self.code)


def _rule(code: str) -> Rule:
    module = importlib.import_module(f"{__name__}.{code.lower()}")
    return Rule(
        code=module.CODE,
        name=module.NAME,
        summary=module.SUMMARY,
        fix=module.FIX,
        async_fix=getattr(module, "ASYNC_FIX", None),
        fix_availability=getattr(module, "FIX_AVAILABILITY", None),
        doc=module.__doc__ or "",
        check=module.check,
    )


RULES: dict[str, Rule] = {rule.code: rule for rule in map(_rule, ALL_CODES)}


def rules_index() -> str:
    """`docs/rules/README.md`: the table of rules."""
    header = (
        "# Lint rules\n\nGenerated from the rule modules (`scaffold rules CODE` prints the same).\n"
    )
    return header + "\n" + rules_table()


def rules_table(pages: str = "") -> str:
    """The Markdown table of rules, linking each to `<pages><CODE>.md` (docs/rules/README.md,
    and the table in docs/lint.md with `pages="rules/"`)."""
    rows = [f"| [{r.code}]({pages}{r.code}.md) | {r.name} | {r.summary} |" for r in RULES.values()]
    return "| code | name | summary |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def explain_rule(code: str | None) -> str:
    """The text of `scaffold rules [CODE]`: one rule's page, or the list of rules."""
    if code is None:
        width = max(len(rule.name) for rule in RULES.values())
        rows = [f"{r.code}  {r.name:<{width}}  {r.summary}" for r in RULES.values()]
        return "\n".join(rows) + "\n\nRun `scaffold rules CODE` for a rule's explanation.\n"
    rule = RULES.get(code.upper())
    if rule is None:
        from scaffolder.errors import UsageError

        raise UsageError(f"unknown rule code {code!r} (known: {', '.join(RULES)})")
    return rule.markdown()
