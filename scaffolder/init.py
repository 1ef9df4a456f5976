"""`scaffold init`: add the recovery runtime, its configuration and the prevention rules to a repo.

The whole run is computed before anything is written:

1. find the git root and detect the project (name, flat/src layout, package directory);
2. settle the answers (explicit options > answers recorded by an earlier run > prompts >
   detected defaults) and render the template once, into a scratch directory (copier never
   writes into the user's repository);
3. ask every kind of managed file (`scaffolder.artifacts.KINDS`) for its steps: one `Change`
   per file, whole files scaffold owns (the runtime, the agents' rule files) and text edits of
   the files it shares with the user (the managed blocks, hook entries in agents' settings,
   `[tool.scaffold]` in pyproject.toml, hooks in .pre-commit-config.yaml);
4. refuse (ConflictError) if a file scaffold would own is already there and scaffold did not
   write it, unless `force` (then a backup is part of the same change set);
5. record the answers and the digests of the whole files (the answers file), then write
   everything atomically, or nothing (`scaffolder._fs.apply_changes`).

A second run computes the same bytes, finds nothing to change and touches no file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from scaffolder import _node_project, render
from scaffolder._fs import Change, apply_changes, pending, unified_diff
from scaffolder._journal import repo_session
from scaffolder._recorded import recorded_digests
from scaffolder.agents import choose_targets
from scaffolder.answers import ANSWERS_FILE, load_answers, parse_answers
from scaffolder.artifacts import KINDS, InitContext, Outcome, Step, answers_file, template_files
from scaffolder.artifacts._base import planned
from scaffolder.artifacts.settings import dependency_problems
from scaffolder.errors import ConflictError, RepoError, UsageError
from scaffolder.repo import Project, check_inside, detect_project, find_repo_root
from scaffolder.repo import module_import_path as _module_import_path

MIN_TIMEOUT = 300
DEFAULT_TIMEOUT = 600

Ask = Callable[[str, str], str]  # (question, default) -> answer
_T = TypeVar("_T")


@dataclass
class InitResult:
    root: Path
    project: Project
    answers: dict[str, Any]
    changes: list[Change]  # only the ones that change something
    actions: list[Outcome]  # one per file init looked at, unchanged ones too
    notes: list[str] = field(default_factory=list)
    # Problems init cannot fix by itself (an anthropic pin the runtime cannot run on), shown
    # at the end of the run.
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def nothing_to_do(self) -> bool:
        return not self.changes

    @property
    def diff(self) -> str:
        return unified_diff(self.changes, root=self.root)


@repo_session(lock=True)
def run_init(
    path: Path,
    *,
    module_path: str | None = None,
    node_module_path: str | None = None,
    timeout: int | None = None,
    assume_yes: bool = False,
    dry_run: bool = False,
    claude_md: bool = True,
    pre_commit: bool = True,
    force: bool = False,
    agents: Sequence[str] | None = None,
    claude_hook: bool = True,
    ask: Ask | None = None,
    confirm: Callable[[InitResult], bool] | None = None,
) -> InitResult:
    """Set up scaffold in the repository containing `path`.

    `ask` (interactive runs only) is asked for the module path and the timeout when no option
    or earlier answer settles them; `confirm` sees the planned result before anything is
    written and may decline. `assume_yes` skips both. `node_module_path` places the Node
    module (in a repository with Node code) instead of the detected default. `agents` (None:
    detect) chooses the coding agents that get the rule (`scaffolder.agents`); `claude_hook`
    adds Claude Code's PostToolUse hook to `.claude/settings.json`.
    """
    if timeout is not None and timeout < MIN_TIMEOUT:
        raise UsageError(
            f"--timeout must be at least {MIN_TIMEOUT} seconds (got {timeout}): long streams "
            "need minutes, and a shorter client timeout cuts them"
        )
    if assume_yes:
        ask = confirm = None
    root = find_repo_root(path)
    project = detect_project(root)
    recorded = load_answers(root) or {}
    if agents is not None and "claude" not in agents:
        claude_md = claude_hook = False
    answers = _settle_answers(
        root, project, recorded, module_path, node_module_path, timeout, claude_md, ask
    )
    targets = choose_targets(root, agents, recorded, claude_md=str(answers["claude_md"]))
    claude_hook = claude_hook and targets.claude
    answers.update(
        targets.answers(
            claude_hook=claude_hook,
            codex_hook=targets.codex_hook,
            gemini_hook=targets.gemini_hook,
        )
    )
    answers["pre_commit"] = pre_commit or bool(recorded.get("pre_commit"))
    rendered = render.render_files(answers)
    version = int(_parse_rendered_answers(rendered)["template_version"])
    answers["template_version"] = version
    _check_recorded_version(recorded, version)

    context = InitContext(
        root,
        answers,
        rendered,
        version,
        recorded_digests(recorded, root),
        force=force,
        claude_md=claude_md,
        pre_commit=pre_commit,
    )
    steps = [step for kind in KINDS for step in kind.plan(context)]
    steps += _collisions(context)
    steps.append(answers_file.plan(context, steps, template_files.owned(context)))

    node_notes, node_warnings = _node_summary(project, answers)
    result = InitResult(
        root=root,
        project=project,
        answers=answers,
        changes=pending(step.change for step in steps if step.change is not None),
        actions=[step.outcome for step in steps if step.outcome is not None],
        notes=[
            *project.notes,
            *targets.notes,
            *context.notes,
            *node_notes,
        ],
        warnings=[*(issue.text for issue in dependency_problems(root)), *node_warnings],
        dry_run=dry_run,
    )
    if dry_run or result.nothing_to_do:
        return result
    if confirm is not None and not confirm(result):
        return result
    apply_changes(result.changes)
    result.written = True
    return result


_NODE_ANSWERS = ("python_runtime", "node_runtime", "node_module_path", "node_import")


def _settle_answers(
    root: Path,
    project: Project,
    recorded: dict[str, Any],
    module_path: str | None,
    node_module_path: str | None,
    timeout: int | None,
    claude_md: bool,
    ask: Ask | None,
) -> dict[str, Any]:
    node = _node_answers(project, recorded, python_wanted=module_path is not None)
    if node_module_path is not None:
        node = _placed_node_module(root, project, recorded, node, node_module_path)
    python = node is None or bool(node["python_runtime"])
    recorded_module = recorded.get("module_path")
    if module_path is not None:
        module_path = _normalise_module_path(root, module_path)
        recorded_python = recorded.get("python_runtime", True) is not False
        if recorded_module and recorded_python and module_path != recorded_module:
            raise UsageError(
                f"scaffold is already set up here with the module at {recorded_module} (see "
                f"{ANSWERS_FILE}); moving it is not supported: keep that path, or delete the "
                "module and the answers file and run `scaffold init` again"
            )
    elif recorded_module:
        module_path = _normalise_module_path(root, str(recorded_module))
    else:
        module_path = project.default_module_path
        if ask is not None and python:
            module_path = _ask_until_valid(
                ask,
                "Where should the recovery module go?",
                module_path,
                lambda answer: _normalise_module_path(root, answer),
            )
    if timeout is None:
        timeout = int(recorded.get("timeout") or DEFAULT_TIMEOUT)
        if ask is not None and "timeout" not in recorded:
            timeout = _ask_until_valid(
                ask,
                f"Client timeout for {'make_client()' if python else 'makeClient()'}, "
                "in seconds (>= 300)?",
                str(timeout),
                _parse_timeout,
            )
    if claude_md:
        memory = str(recorded.get("claude_md") or project.memory_file)
    else:
        memory = str(recorded.get("claude_md") or "")
    globs = recorded.get("source_globs")
    if not (isinstance(globs, list) and globs):
        globs = node["source_globs"] if node is not None else project.source_globs
    elif node is not None and not recorded.get("node_runtime"):  # Node code added since
        globs = list(dict.fromkeys([*globs, *node["source_globs"]]))
    elif python and recorded.get("python_runtime") is False:  # the Python module added since
        globs = list(dict.fromkeys([*project.source_globs, *globs]))
    answers = {
        "timeout": timeout,
        "module_path": module_path,
        "module_import": _module_import_path(root, module_path),
        "source_globs": list(globs),
        "claude_md": memory,
    }
    if node is not None:
        answers.update({key: node[key] for key in _NODE_ANSWERS})
    return answers


def _node_answers(
    project: Project, recorded: dict[str, Any], *, python_wanted: bool
) -> dict[str, Any] | None:
    """The Node answers: recorded by an earlier run, else detected (`Project.node_answers`)
    where the repository uses the Node SDK; None for a Python-only repository. `--module-path`
    in a Node-only repository asks for the Python module too (a mixed setup)."""
    if recorded.get("node_runtime"):
        return {
            **{key: recorded.get(key) for key in _NODE_ANSWERS},
            "python_runtime": recorded.get("python_runtime", True) is not False or python_wanted,
            "source_globs": recorded.get("source_globs"),
        }
    if not project.uses_node_sdk:
        return None
    answers = project.node_answers()
    assert answers is not None  # uses_node_sdk: there is a package.json
    if python_wanted and not answers["python_runtime"]:
        assert project.node is not None
        answers = _node_project.node_answers(project.node, python_globs=project.source_globs)
    return answers


def _placed_node_module(
    root: Path, project: Project, recorded: dict[str, Any], node: dict[str, Any] | None, value: str
) -> dict[str, Any]:
    """The Node answers with the module at `value` (`--node-module-path`), its import
    specifier as written in a file of the source root."""
    if node is None or project.node is None:
        raise UsageError(
            f"--node-module-path {value}: scaffold sets up a Node module only where package.json "
            f"declares {_node_project.SDK_PACKAGE} (or the repository is Node only); add the "
            "dependency first"
        )
    relative = _relative_path(root, value, option="--node-module-path")
    recorded_path = recorded.get("node_module_path")
    if recorded_path and recorded.get("node_runtime") and relative != recorded_path:
        raise UsageError(
            f"scaffold is already set up here with the Node module at {recorded_path} (see "
            f"{ANSWERS_FILE}); moving it is not supported: keep that path, or delete the module "
            "and the answers file and run `scaffold init` again"
        )
    runtime = str(node["node_runtime"])
    suffix = _node_project.EXTENSIONS[runtime]
    name = PurePosixPath(relative)
    if name.suffix != suffix or not name.stem:
        raise UsageError(
            f"--node-module-path {value} must end in {suffix} here (the {runtime} "
            f"variant of the module), e.g. {project.node.node_module_path}"
        )
    source_root = project.node.source_root
    specifier = _node_project.import_specifier(relative, source_root, runtime)
    if specifier.startswith("./../"):
        raise UsageError(
            f"--node-module-path {value} must be inside the source root {source_root or '.'}/ "
            "(the rules show its import as written from there)"
        )
    check_inside(root, relative)
    return {**node, "node_module_path": relative, "node_import": specifier}


def _node_summary(project: Project, answers: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(notes, warnings) about the Node side: the SDK dependency (package.json is never
    edited), workspaces, or why no Node module was set up."""
    if project.node is None:
        return [], []
    if not answers.get("node_runtime"):
        return [
            f"package.json does not declare {_node_project.SDK_PACKAGE}: no Node recovery module "
            "added (add the dependency, then run `scaffold init` again)"
        ], []
    sdk = _node_project.sdk_notes(project.node)
    notes = [note.message for note in sdk if note.level == "note"]
    if project.node.workspaces:
        notes.append(
            f"package.json declares workspaces: the Node module went to "
            f"{answers['node_module_path']} in the root package; workspaces that call Claude "
            "import it from there (adjust the relative path)"
        )
    return notes, [note.message for note in sdk if note.level == "warning"]


_ASK_ATTEMPTS = 3


def _ask_until_valid(ask: Ask, question: str, default: str, parse: Callable[[str], _T]) -> _T:
    """Ask again (saying what was wrong) after an invalid answer; give up after a few."""
    prompt = question
    for _ in range(_ASK_ATTEMPTS - 1):
        try:
            return parse(ask(prompt, default))
        except (UsageError, RepoError) as exc:
            prompt = f"{exc.message}.\n{question}"
    return parse(ask(prompt, default))


def _parse_timeout(answer: str) -> int:
    try:
        value = int(answer)
    except ValueError:
        raise UsageError(f"the timeout must be a whole number of seconds, not {answer!r}") from None
    if value < MIN_TIMEOUT:
        raise UsageError(f"the timeout must be at least {MIN_TIMEOUT} seconds (got {value})")
    return value


def _normalise_module_path(root: Path, value: str) -> str:
    """A posix path relative to the root for `value` (relative to the root, or absolute)."""
    relative = _relative_path(root, value, option="--module-path")
    if not relative.endswith(".py") or not PurePosixPath(relative).stem.isidentifier():
        raise UsageError(
            f"--module-path {value} must name a Python module file, e.g. mypkg/claude_stream.py"
        )
    check_inside(root, relative)
    return relative


def _relative_path(root: Path, value: str, *, option: str) -> str:
    """`value` (relative to the root, or absolute) as a posix path relative to the root;
    RepoError when it leads outside."""
    candidate = Path(value)
    if candidate.is_absolute():
        resolved = candidate.resolve()
        if resolved != root and root not in resolved.parents:
            raise RepoError(f"{option} {value} is outside the repository {root}")
        return resolved.relative_to(root).as_posix()
    # `a/../b/claude_stream.py` is `b/claude_stream.py`: normalised before the inside-the-
    # repository check, which refuses any `..` left over (a path that climbs out).
    relative = posixpath.normpath(value.replace("\\", "/"))
    if relative == ".." or relative.startswith("../"):
        raise RepoError(f"{option} {value} is outside the repository {root}")
    return relative


def _parse_rendered_answers(rendered: dict[str, str]) -> dict[str, Any]:
    return parse_answers(rendered[render.ANSWERS], Path(render.ANSWERS))


def _check_recorded_version(recorded: dict[str, Any], version: int) -> None:
    previous = recorded.get("template_version")
    if isinstance(previous, int) and previous != version:
        newer = previous > version
        raise ConflictError(
            f"scaffold is already set up here with template version {previous} "
            f"({ANSWERS_FILE}); "
            + (
                "that is newer than this scaffold's: upgrade scaffold"
                if newer
                else f"run `scaffold update` to bring it to version {version}"
            )
        )


def _place_options(context: InitContext) -> str:
    """The options that move the runtime module(s) in the way."""
    collided = {collision.rel for collision in context.collisions}
    options = [
        option
        for key, option in (
            ("module_path", "--module-path"),
            ("node_module_path", "--node-module-path"),
        )
        if context.answers.get(key) in collided
    ]
    return " or ".join(options or ["--module-path"])


def _collisions(context: InitContext) -> list[Step]:
    """Refuse files in the way (ConflictError), or with `force` replace them, keeping a backup."""
    if not context.collisions:
        return []
    if not context.force:
        lines = []
        for collision in context.collisions:
            if collision.rel in context.recorded_digests:
                lines.append(
                    f"{collision.rel} was edited since scaffold wrote it (`scaffold update` "
                    "merges template changes into it)"
                )
            else:
                lines.append(f"{collision.rel} already exists and scaffold did not write it")
        raise ConflictError(
            "; ".join(lines)
            + ". Nothing was written. Rerun with --force to replace "
            + ("it" if len(lines) == 1 else "them")
            + f" (a backup is kept), or choose another {_place_options(context)}."
        )
    steps = []
    for collision in context.collisions:
        backup = _backup_path(collision.path)
        backup_rel = backup.relative_to(context.root).as_posix()
        detail = f"backup of your {collision.rel}"
        steps.append(planned(backup_rel, Change(backup, None, collision.old), detail))
        detail = collision.detail + " (replaced your file, --force)"
        change = Change(collision.path, collision.old, collision.new)
        steps.append(planned(collision.rel, change, detail))
    return steps


def _backup_path(target: Path) -> Path:
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = target.with_name(f"{target.name}.bak{number}")
        number += 1
    return candidate
