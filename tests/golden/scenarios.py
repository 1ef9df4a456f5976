"""Scenario repositories for the golden test: what init, update and check do to them.

Each scenario is a repository (files, committed) and a list of steps: a command line for
`scaffold` (`{repo}` is the repository's path) or an edit of the work tree between commands.
The steps cover every managed file kind with and without user edits, the error paths, and the
encodings and line endings scaffold must keep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.init.repos import FLAT, SRC, git

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class Scenario:
    name: str
    files: Mapping[str, str | bytes]
    steps: tuple[tuple[str, ...] | Edit, ...]
    # update and check see a next template version (made from today's by `make_versions`);
    # False: today's template is the installed one (init's output is current)
    next_template: bool = True


def commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", "step")


def append(rel: str, text: str, *, then_commit: bool = True) -> Edit:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8", newline="") as file:
            file.write(text)
        if then_commit:
            commit(root)

    edit.__name__ = f"append to {rel}"
    return edit


def replace(rel: str, old: str, new: str, *, then_commit: bool = True) -> Edit:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_bytes().decode("utf-8")
        assert old in text, (rel, old)
        path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
        if then_commit:
            commit(root)

    edit.__name__ = f"edit {rel}"
    return edit


def drop_line(rel: str, prefix: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / rel
        lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(prefix)]
        assert len(kept) == len(lines) - 1, (rel, prefix)
        path.write_bytes("".join(kept).encode("utf-8"))
        commit(root)

    edit.__name__ = f"drop a line of {rel}"
    return edit


def delete(rel: str) -> Edit:
    def edit(root: Path) -> None:
        (root / rel).unlink()
        commit(root)

    edit.__name__ = f"delete {rel}"
    return edit


def write(rel: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        commit(root)

    edit.__name__ = f"write {rel}"
    return edit


INIT = ("init", "-y", "{repo}")
UPDATE = ("update", "{repo}")
CHECK = ("check", "{repo}")
MODULE = "chat_app/claude_stream.py"
BLOCK_END = "<!-- scaffold:end -->"

CRLF_CLAUDE_MD = b"# Team notes\r\n\r\nKeep answers short.\r\n"
UTF16_AGENTS_MD = "\ufeff# Agents\n\nÜber alles: tests first.\n".encode("utf-16-le")
PRE_COMMIT = (
    "repos:\n"
    "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
    "    rev: v0.6.0\n"
    "    hooks:\n"
    "      - id: ruff\n"
)
NODE_PACKAGE = '{"name": "web", "dependencies": {"@anthropic-ai/sdk": "^0.60.0"}}\n'
SETTINGS = '{\n  "permissions": {"allow": ["Bash(ls:*)"]}\n}\n'

SCENARIOS = (
    Scenario(
        "flat-defaults",
        FLAT,
        (
            INIT,
            commit,
            INIT,
            CHECK,
            UPDATE,
            append(MODULE, "# my own line\n"),
            CHECK,
            UPDATE,
            CHECK,
        ),
    ),
    Scenario(
        "src-layout-shared-files",
        {
            **SRC,
            "CLAUDE.md": CRLF_CLAUDE_MD,
            ".pre-commit-config.yaml": PRE_COMMIT,
            ".claude/settings.json": SETTINGS,
            "AGENTS.md": UTF16_AGENTS_MD,
            ".cursor/rules/own.mdc": "own rule\n",
        },
        (INIT, commit, CHECK, UPDATE, CHECK),
        next_template=False,
    ),
    Scenario("dry-run", FLAT, (("init", "-y", "--dry-run", "{repo}"), CHECK), next_template=False),
    Scenario(
        "opt-outs",
        FLAT,
        (
            ("init", "-y", "--no-claude-md", "--no-pre-commit", "--no-claude-hook", "{repo}"),
            commit,
            CHECK,
            UPDATE,
        ),
        next_template=False,
    ),
    Scenario(
        "options",
        FLAT,
        (
            ("init", "-y", "--timeout", "100", "{repo}"),
            ("init", "-y", "--module-path", "../elsewhere.py", "{repo}"),
            ("init", "-y", "--module-path", "chat_app/notes.txt", "{repo}"),
            ("init", "-y", "--module-path", "lib/stream.py", "--timeout", "900", "{repo}"),
            commit,
            ("init", "-y", "--module-path", "chat_app/claude_stream.py", "{repo}"),
            ("init", "-y", "--node-module-path", "claudeStream.ts", "{repo}"),
            CHECK,
        ),
        next_template=False,
    ),
    Scenario(
        "collision-and-force",
        {**FLAT, MODULE: "# someone else's module\n"},
        (INIT, ("init", "-y", "--force", "{repo}"), commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "block-edited",
        FLAT,
        (
            INIT,
            commit,
            replace("CLAUDE.md", BLOCK_END, "my words inside\n" + BLOCK_END),
            CHECK,
            UPDATE,
            INIT,
            commit,
            ("update", "--force", "{repo}"),
            commit,
            CHECK,
        ),
    ),
    Scenario(
        "deleted-files",
        FLAT,
        (
            INIT,
            commit,
            delete(MODULE),
            delete(".claude/rules/claude-streaming.md"),
            delete("CLAUDE.md"),
            CHECK,
            UPDATE,
            commit,
            ("update", "--force", "{repo}"),
            commit,
            CHECK,
        ),
    ),
    Scenario(
        "hooks-removed-and-stale",
        FLAT,
        (
            INIT,
            commit,
            replace(".claude/settings.json", "scaffold lint --claude-hook", "true"),
            replace(
                ".pre-commit-config.yaml",
                "entry: scaffold lint --force-exclude\n",
                "entry: scaffold lint\n",
            ),
            CHECK,
            ("update", "--dry-run", "{repo}"),
            UPDATE,
            CHECK,
        ),
    ),
    Scenario(
        "settings-removed",
        FLAT,
        (
            INIT,
            commit,
            drop_line("pyproject.toml", "min-timeout"),
            CHECK,
            UPDATE,
            CHECK,
        ),
    ),
    Scenario(
        "dirty-tree",
        FLAT,
        (
            INIT,
            commit,
            append(MODULE, "# uncommitted\n", then_commit=False),
            UPDATE,
            ("update", "--allow-dirty", "{repo}"),
            CHECK,
        ),
    ),
    Scenario(
        "broken-inputs",
        {
            **FLAT,
            ".claude/settings.json": "{ not json\n",
            ".pre-commit-config.yaml": "repos: [\n",
        },
        (INIT, ("init", "-y", "--no-claude-hook", "{repo}"), CHECK),
        next_template=False,
    ),
    Scenario(
        "dynamic-dependencies",
        {
            "pyproject.toml": '[project]\nname = "dyn"\ndynamic = ["dependencies"]\n',
            "dyn/__init__.py": "",
        },
        (INIT, commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "no-pyproject",
        {"setup.py": "from setuptools import setup\nsetup()\n", "app/__init__.py": ""},
        (INIT, commit, CHECK, UPDATE),
        next_template=False,
    ),
    Scenario(
        "agents",
        {**FLAT, ".cursor/rules/own.mdc": "x\n", ".github/copilot-instructions.md": "# Copilot\n"},
        (
            ("init", "-y", "--agents", "claude,agents-md,cursor,copilot,codex,gemini", "{repo}"),
            commit,
            CHECK,
            UPDATE,
            replace("GEMINI.md", BLOCK_END, "mine\n" + BLOCK_END),
            CHECK,
            ("init", "-y", "--agents", "nope", "{repo}"),
        ),
        next_template=False,
    ),
    Scenario(
        "codex-gemini-hooks",
        {
            **FLAT,
            ".codex/config.toml": "[features]\nhooks = true\n",
            ".gemini/settings.json": '{\n  // mine\n  "ui": {"theme": "Dracula"}\n}\n',
        },
        (
            INIT,
            commit,
            CHECK,
            replace(".codex/hooks.json", "scaffold lint --claude-hook", "true"),
            replace(".gemini/settings.json", "scaffold lint --claude-hook", "true"),
            CHECK,
            UPDATE,
            commit,
            CHECK,
            ("init", "-y", "--agents", "claude", "{repo}"),
            commit,
            CHECK,
        ),
        next_template=False,
    ),
    Scenario(
        "agents-without-claude",
        FLAT,
        (("init", "-y", "--agents", "agents-md", "{repo}"), commit, CHECK, UPDATE),
    ),
    Scenario(
        "node-only-typescript",
        {
            "package.json": NODE_PACKAGE,
            "tsconfig.json": "{}\n",
            "src/lib/util.ts": "export const x = 1;\n",
            "src/index.ts": "import Anthropic from '@anthropic-ai/sdk';\n",
            ".pre-commit-config.yaml": PRE_COMMIT,
        },
        (
            INIT,
            commit,
            INIT,
            CHECK,
            append("src/lib/claudeStream.ts", "// mine\n"),
            CHECK,
            UPDATE,
            drop_line("scaffold.toml", "min-timeout"),
            CHECK,
            UPDATE,
            commit,
            CHECK,
        ),
    ),
    Scenario(
        "node-options",
        {"package.json": NODE_PACKAGE, "tsconfig.json": "{}\n", "src/index.ts": ""},
        (
            ("init", "-y", "--node-module-path", "../x.ts", "{repo}"),
            ("init", "-y", "--node-module-path", "src/stream.mjs", "{repo}"),
            ("init", "-y", "--node-module-path", "tools/claudeStream.ts", "{repo}"),
            ("init", "-y", "--node-module-path", "src/ai/claudeStream.ts", "{repo}"),
            commit,
            ("init", "-y", "--node-module-path", "src/claudeStream.ts", "{repo}"),
            CHECK,
        ),
        next_template=False,
    ),
    Scenario(
        "node-collision",
        {
            "package.json": NODE_PACKAGE,
            "tsconfig.json": "{}\n",
            "src/lib/claudeStream.ts": "export const mine = 1;\n",
        },
        (INIT, ("init", "-y", "--force", "{repo}"), commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "node-workspaces",
        {
            "package.json": '{"workspaces": ["packages/*"], "devDependencies": '
            '{"@anthropic-ai/sdk": "^1.2.0", "typescript": "^5"}}\n',
            "packages/api/package.json": '{"name": "api"}\n',
            "packages/api/src/chat.ts": "import Anthropic from '@anthropic-ai/sdk';\n",
        },
        (INIT,),
        next_template=False,
    ),
    Scenario(
        "node-only-javascript",
        {
            "package.json": '{"name": "cli", "type": "module"}\n',
            "index.mjs": "import Anthropic from '@anthropic-ai/sdk';\n",
        },
        (INIT, commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "node-settings-in-package-json",
        {
            "package.json": '{"name": "w", "scaffold": {"ignore": ["SCF003"]}}\n',
            "app.js": "const Anthropic = require('@anthropic-ai/sdk');\n",
        },
        (INIT, commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "mixed-python-and-node",
        {**SRC, "package.json": NODE_PACKAGE, "web/app.js": "require('@anthropic-ai/sdk');\n"},
        (INIT, commit, CHECK, UPDATE, CHECK),
    ),
    Scenario(
        "python-with-tooling-package-json",
        {**FLAT, "package.json": '{"devDependencies": {"prettier": "^3.0.0"}}\n'},
        (INIT, commit, CHECK),
        next_template=False,
    ),
    Scenario(
        "python-gains-node",
        FLAT,
        (
            INIT,
            commit,
            write("package.json", NODE_PACKAGE),
            write("web/app.ts", "import Anthropic from '@anthropic-ai/sdk';\n"),
            CHECK,
            INIT,
            commit,
            CHECK,
        ),
        next_template=False,
    ),
    Scenario(
        "broken-package-json",
        {"package.json": "{nope\n", "index.js": ""},
        (INIT,),
        next_template=False,
    ),
    Scenario("not-initialised", FLAT, (CHECK, UPDATE), next_template=False),
)
