"""`scaffold init [PATH]`: add the recovery runtime, timeout config, rules and hooks to a repo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from scaffolder.init import InitResult

# What a dry run (or the confirmation prompt) says instead of an `Outcome`'s action.
_DRY_VERBS = {"created": "would create", "changed": "would change"}


@click.command("init")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--module-path",
    metavar="PATH",
    help="Where claude_stream.py goes, relative to the repository root "
    "[default: <package>/claude_stream.py, detected from pyproject.toml and the layout].",
)
@click.option(
    "--node-module-path",
    metavar="PATH",
    help="Where the Node module (claudeStream.ts, .mjs or .cjs) goes in a repository with Node "
    "code, inside its source root [default: <source root>/lib/claudeStream.<ext> when that lib/ "
    "exists, else <source root>/claudeStream.<ext>].",
)
@click.option(
    "--timeout",
    type=int,
    metavar="SECONDS",
    help="Client timeout of make_client(), at least 300 [default: 600].",
)
@click.option(
    "-y",
    "--yes",
    "assume_yes",
    is_flag=True,
    help="No prompts; take the defaults (also the behaviour when stdin is not a terminal).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print a unified diff of every change; write nothing."
)
@click.option("--no-claude-md", is_flag=True, help="Leave CLAUDE.md alone.")
@click.option("--no-pre-commit", is_flag=True, help="Leave .pre-commit-config.yaml alone.")
@click.option(
    "--agents",
    metavar="LIST",
    help="Coding agents that get the rule, comma-separated: claude, agents-md (AGENTS.md), "
    "cursor, copilot, codex (AGENTS.md), gemini (GEMINI.md). Cursor and Copilot files only "
    "where the repository already uses them "
    "[default: claude, plus the agent files the repository already has].",
)
@click.option(
    "--no-claude-hook",
    is_flag=True,
    help="Leave .claude/settings.json alone (no `scaffold lint --claude-hook` PostToolUse hook).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a file in scaffold's way that scaffold did not write (a .bak copy is kept).",
)
def command(
    path: Path,
    module_path: str | None,
    node_module_path: str | None,
    timeout: int | None,
    assume_yes: bool,
    dry_run: bool,
    no_claude_md: bool,
    no_pre_commit: bool,
    agents: str | None,
    no_claude_hook: bool,
    force: bool,
) -> None:
    """Set up scaffold in the git repository at PATH (default: the current directory).

    Vendors the recovery module claude_stream.py, adds a Claude Code rule
    (.claude/rules/claude-streaming.md) and a short managed block to CLAUDE.md, a Claude Code
    hook that lints every file the agent edits (.claude/settings.json), a [tool.scaffold]
    table to pyproject.toml and the scaffold-lint / scaffold-check hooks to
    .pre-commit-config.yaml. The same rule goes to AGENTS.md, Cursor and Copilot rule files
    (see --agents). Never overwrites your content; safe to run again.

    Exit status: 0 done (or nothing to do), 1 a file in the way (see --force), 2 error.
    """
    from scaffolder.agents import parse_agents
    from scaffolder.errors import EXIT_OK
    from scaffolder.init import run_init

    interactive = not assume_yes and not dry_run and sys.stdin.isatty()
    result = run_init(
        path,
        module_path=module_path,
        node_module_path=node_module_path,
        timeout=timeout,
        assume_yes=not interactive,
        dry_run=dry_run,
        claude_md=not no_claude_md,
        pre_commit=not no_pre_commit,
        force=force,
        agents=parse_agents(agents) if agents is not None else None,
        claude_hook=not no_claude_hook,
        ask=_ask if interactive else None,
        confirm=_confirm if interactive else None,
    )
    if dry_run:
        click.echo(result.diff, nl=False)
    _summary(result, listed=interactive)
    for warning in result.warnings:  # last: what init could not fix for you
        click.echo(f"scaffold: warning: {warning}", err=True)
    click.get_current_context().exit(EXIT_OK)


def _ask(question: str, default: str) -> str:
    answer: str = click.prompt(question, default=default)
    return answer


def _confirm(result: InitResult) -> bool:
    _actions(result, dry=True)
    _notes(result)
    return click.confirm("Apply these changes?", default=True)


def _actions(result: InitResult, *, dry: bool) -> None:
    verbs = _DRY_VERBS if dry else {}
    shown = [action for action in result.actions if action.action != "unchanged"]
    width = max((len(action.path) for action in shown), default=0)
    verb_width = max((len(verbs.get(a.action, a.action)) for a in shown), default=0)
    for action in shown:
        verb = verbs.get(action.action, action.action)
        click.echo(f"  {verb:<{verb_width}}  {action.path:<{width}}  {action.detail}")


def _summary(result: InitResult, *, listed: bool = False) -> None:
    """`listed`: the user already saw (and confirmed) the list of changes."""
    where = result.root
    if result.nothing_to_do:
        click.echo(
            f"scaffold init: nothing to do; {where} is already set up "
            f"(template version {result.answers['template_version']})."
        )
        _notes(result)
        return
    if result.dry_run:
        click.echo(f"scaffold init --dry-run: {where} (nothing written)")
        _actions(result, dry=True)
        _notes(result)
        return
    if not result.written:
        click.echo("scaffold init: nothing written.")
        return
    project = result.project
    answers = result.answers
    kind = {
        "src": f"src layout, package {project.package_dir}",
        "flat": f"package {project.package_dir}",
        "none": "no package",
    }[project.layout]
    if answers.get("python_runtime") is False:  # a Node-only repository
        kind = "Node project"
    if answers.get("node_runtime"):
        kind += ", " + _NODE_KINDS[str(answers["node_runtime"])]
    name = f"{project.name}: " if project.name else ""
    if listed:
        click.echo(f"scaffold init: wrote {len(result.changes)} files in {where}")
    else:
        click.echo(f"scaffold init: {where} ({name}{kind})")
        _actions(result, dry=False)
        _notes(result)
    click.echo("\nNext steps:")
    if answers.get("pre_commit"):
        click.echo("  pre-commit install   # run scaffold-lint and scaffold-check on every commit")
    click.echo("  scaffold lint        # find Claude streams without recovery")
    python = answers.get("python_runtime") is not False
    if python:
        module = answers["module_import"]
        click.echo(
            f"                       # fix them with `from {module} import recovering_stream`"
        )
    if answers.get("node_runtime"):
        click.echo(f"                       # TS/JS: `{_node_import_line(answers)}`")
    if python:  # verify runs the Python module
        click.echo("  scaffold verify --simulate all  # offline: recovery from drops and stalls")
        click.echo("  scaffold verify      # live: a long answer from the API (ANTHROPIC_API_KEY)")
    if answers.get("claude_md"):
        _plugin_hint(hook_written=bool(answers.get("claude_hook")))
    if answers.get("codex_hook"):
        click.echo(
            "\nCodex CLI runs .codex/hooks.json only in a trusted project, and each hook only "
            "after you\ntrust it in `/hooks` (scaffold never trusts a hook for you)."
        )
    if answers.get("gemini_hook"):
        click.echo(
            "\nGemini CLI loads .gemini/settings.json hooks only in a trusted folder "
            "(it asks once per folder)."
        )


_NODE_KINDS = {"ts": "TypeScript", "esm": "JavaScript (ES modules)", "cjs": "JavaScript (CommonJS)"}


def _node_import_line(answers: dict[str, object]) -> str:
    """How a file in the source root imports the Node runtime (the rules show the same)."""
    specifier = answers["node_import"]
    if answers["node_runtime"] == "cjs":
        return f'const {{ recoveringStream }} = require("{specifier}");'
    return f'import {{ recoveringStream }} from "{specifier}";'


def _plugin_hint(*, hook_written: bool) -> None:
    from scaffolder.agents import PLUGIN_ID, PLUGIN_MARKETPLACE

    if hook_written:
        click.echo(
            "\nClaude Code lints each file it edits: .claude/settings.json runs "
            "`scaffold lint --claude-hook`\n(scaffold must be on PATH). Instead of per-repo "
            "settings, each developer can install the plugin:"
        )
    else:
        click.echo("\nTo have Claude Code lint each file it edits, install the plugin:")
    click.echo(f"  /plugin marketplace add {PLUGIN_MARKETPLACE}")
    click.echo(f"  /plugin install {PLUGIN_ID}")


def _notes(result: InitResult) -> None:
    for note in result.notes:
        click.echo(f"note: {note}")
