"""Regenerate the rule pages: `python -m scaffolder.lint.rules docs/rules`.

The docstrings of the rule modules are the source; tests/lint/test_docs.py fails when a page
in docs/rules/ is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scaffolder.lint.rules import RULES, rules_index


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    for code, rule in RULES.items():
        (target / f"{code}.md").write_text(rule.markdown(), encoding="utf-8")
    (target / "README.md").write_text(rules_index(), encoding="utf-8")
    print(f"wrote {len(RULES)} rule pages to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
