"""Add scaffold's hooks to `.pre-commit-config.yaml` with a text edit.

A YAML round-trip would drop the user's comments and reflow their file, so the hooks are
inserted as text: a `repo: local` entry appended to the end of the top-level `repos:` list,
in the file's own indentation and line endings. PyYAML only validates: the input before the
edit (errors name line and column) and the result after it (the new hooks must be there and
every existing repo unchanged).

Why `repo: local` + `language: system` rather than `repo: <scaffolder url>` + `rev:`: the
hooks then run the `scaffold` the user installed to run `scaffold init`, the same version that
wrote the files `scaffold check` compares against, with no network and no separate hook
environment to build; a published repository and tag may not be reachable from the user's
machine. (The remote form is in `.pre-commit-hooks.yaml` for those who prefer it.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffolder._yaml import parse_yaml
from scaffolder.errors import FileFormatError

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
HOOK_IDS = ("scaffold-lint", "scaffold-check")
# pre-commit names the staged files; `--force-exclude` applies `[tool.scaffold] exclude` to them,
# so the hook and `scaffold lint` give the same verdict on the same tree.
LINT_ENTRY = "scaffold lint --force-exclude"
# What earlier scaffold releases wrote (the hook then failed on files `exclude` excludes).
_OLD_LINT_ENTRIES = ("scaffold lint",)

# Each hook's definition below `- id:` (keys indented by the caller).
_HOOKS: dict[str, tuple[str, ...]] = {
    "scaffold-lint": (
        "name: scaffold lint (unprotected Claude streams)",
        f"entry: {LINT_ENTRY}",
        "language: system",
        "types: [python]",
        "require_serial: true",
    ),
    "scaffold-check": (
        "name: scaffold check (managed files up to date)",
        "entry: scaffold check",
        "language: system",
        "pass_filenames: false",
    ),
}

# A Node repository's lint hook also gets TypeScript/JavaScript files. A `files:` pattern, not
# `types_or`: identify (2.6) tags .ts/.tsx/.js/.jsx/.mjs/.cjs but has no tag for .mts/.cts
# (https://github.com/pre-commit/identify, identify/extensions.py). Same pattern as the
# scaffold-lint hook in .pre-commit-hooks.yaml.
NODE_FILES = r"\.(py|pyi|pyw|ts|tsx|mts|cts|js|jsx|mjs|cjs)$"
_PYTHON_TYPES = "types: [python]"

_HEADER = "# See https://pre-commit.com for more information\n"


@dataclass(frozen=True)
class PreCommitEdit:
    text: str
    added: tuple[str, ...]  # hook ids added


def _hook_ids(config: Any) -> set[str]:
    ids: set[str] = set()
    for repo in config.get("repos") or [] if isinstance(config, dict) else []:
        for hook in (repo.get("hooks") or []) if isinstance(repo, dict) else []:
            if isinstance(hook, dict) and isinstance(hook.get("id"), str):
                ids.add(hook["id"])
    return ids


def _hook_lines(hook_id: str, *, node: bool) -> tuple[str, ...]:
    lines = _HOOKS[hook_id]
    if node:
        return tuple(f"files: {NODE_FILES}" if line == _PYTHON_TYPES else line for line in lines)
    return lines


def local_repo_entry(
    hook_ids: tuple[str, ...], *, indent: int = 0, newline: str = "\n", node: bool = False
) -> str:
    """A `- repo: local` list item with `hook_ids`, its dash at column `indent`; with `node`
    the lint hook takes TypeScript/JavaScript files as well as Python ones."""
    pad = " " * indent
    lines = [f"{pad}- repo: local", f"{pad}  hooks:"]
    for hook_id in hook_ids:
        lines.append(f"{pad}    - id: {hook_id}")
        lines.extend(f"{pad}      {line}" for line in _hook_lines(hook_id, node=node))
    return newline.join(lines) + newline


def add_hooks(text: str, *, path: Path, node: bool = False) -> PreCommitEdit:
    """`text` with the scaffold hooks it lacks; an empty `text` gives a new config file.
    `node`: the repository has TypeScript/JavaScript sources (see `local_repo_entry`)."""
    config = parse_yaml(text, path)
    if config is not None and not isinstance(config, dict):
        raise FileFormatError(path, "expected a mapping with a `repos:` list at the top level")
    present = _hook_ids(config)
    missing = tuple(hook for hook in HOOK_IDS if hook not in present)
    if not missing:
        return PreCommitEdit(text, ())
    newline = _newline(text)
    if config is None or "repos" not in config:
        new = _append_repos_key(text, missing, newline, node)
    elif config["repos"] is None or isinstance(config["repos"], list):
        new = _append_to_repos(text, missing, newline, path, node)
    else:
        raise FileFormatError(path, "`repos:` is not a list")
    _verify(text, new, config, missing, path, node)
    return PreCommitEdit(new, missing)


def stale_lint_entry(text: str, *, path: Path) -> str | None:
    """The `entry:` of a scaffold-lint hook (in a `repo: local`) that an earlier scaffold
    wrote and `current_hooks` would update, or None."""
    config = parse_yaml(text, path)
    for repo in config.get("repos") or [] if isinstance(config, dict) else []:
        if not isinstance(repo, dict) or repo.get("repo") != "local":
            continue
        for hook in repo.get("hooks") or []:
            if not isinstance(hook, dict) or hook.get("id") != "scaffold-lint":
                continue
            entry = hook.get("entry")
            if isinstance(entry, str) and entry.strip() in _OLD_LINT_ENTRIES:
                return entry
    return None


_ENTRY_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:-[ \t]+)?entry[ \t]*:[ \t]*)(?P<q>['\"]?)scaffold lint(?P=q)"
    r"(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?=\r?$)",
    re.MULTILINE,
)


def current_hooks(text: str, *, path: Path, node: bool = False) -> str:
    """`text` with scaffold's lint hook brought up to date in place; unchanged when there is
    nothing to update (or when the line cannot be found unambiguously: then `scaffold check`
    keeps naming it).

    - An earlier release's `entry: scaffold lint` becomes `LINT_ENTRY`.
    - With `node` (the repository has TypeScript/JavaScript code), the hook's
      `types: [python]` becomes `files: NODE_FILES`, so the hook sees TS/JS files too
      (see `python_only_lint_hook`).
    """
    new = _current_entry(text, path=path)
    if node:
        new = _node_files(new, path=path)
    return new


def _current_entry(text: str, *, path: Path) -> str:
    stale = stale_lint_entry(text, path=path)
    if stale is None:
        return text
    if len(_ENTRY_LINE.findall(text)) != 1:
        return text
    new = _ENTRY_LINE.sub(lambda m: f"{m['lead']}{LINT_ENTRY}{m['tail']}", text, count=1)
    return new if stale_lint_entry(new, path=path) is None else text


def _local_lint_hooks(config: Any) -> list[dict[str, Any]]:
    hooks = []
    for repo in config.get("repos") or [] if isinstance(config, dict) else []:
        if not isinstance(repo, dict) or repo.get("repo") != "local":
            continue
        for hook in repo.get("hooks") or []:
            if isinstance(hook, dict) and hook.get("id") == "scaffold-lint":
                hooks.append(hook)
    return hooks


def python_only_lint_hook(text: str, *, path: Path) -> bool:
    """Whether the scaffold-lint hook (in a `repo: local`) is the Python-only form scaffold
    wrote (`types: [python]`, no `files:`), which a repository with Node code outgrows. A
    hook the user changed (own `files:` or `types_or:`, other types) is theirs: False."""
    hooks = _local_lint_hooks(parse_yaml(text, path))
    return len(hooks) == 1 and _is_python_only(hooks[0])


def _is_python_only(hook: dict[str, Any]) -> bool:
    return hook.get("types") == ["python"] and "files" not in hook and "types_or" not in hook


_ID_LINE = re.compile(
    r"^(?P<indent>[ \t]*)-[ \t]+id[ \t]*:[ \t]*['\"]?scaffold-lint['\"]?[ \t]*(?:#.*)?$"
)
_TYPES_LINE = re.compile(
    r"^(?P<lead>[ \t]*)types[ \t]*:[ \t]*\[[ \t]*['\"]?python['\"]?[ \t]*\]"
    r"(?P<tail>[ \t]*(?:#.*)?)$"
)


def _node_files(text: str, *, path: Path) -> str:
    config = parse_yaml(text, path)
    if not python_only_lint_hook(text, path=path):
        return text
    lines = text.splitlines(keepends=True)
    ids = [(i, m) for i, line in enumerate(lines) if (m := _ID_LINE.match(line.rstrip("\r\n")))]
    if len(ids) != 1:
        return text
    start, id_line = ids[0]
    dash = len(id_line["indent"].expandtabs())
    found = []
    for i in range(start + 1, len(lines)):
        content = lines[i].rstrip("\r\n")
        code = content.strip() and not content.lstrip().startswith("#")
        if code and len(content.expandtabs()) - len(content.expandtabs().lstrip()) <= dash:
            break  # the next hook, repo or top-level key
        if _TYPES_LINE.match(content):
            found.append(i)
    if len(found) != 1:
        return text
    line = lines[found[0]]
    body = line.rstrip("\r\n")
    match = _TYPES_LINE.match(body)
    assert match is not None
    lines[found[0]] = f"{match['lead']}files: {NODE_FILES}{match['tail']}{line[len(body) :]}"
    new = "".join(lines)
    hooks_before = _local_lint_hooks(config)
    hooks_after = _local_lint_hooks(parse_yaml(new, path))
    expected = {k: v for k, v in hooks_before[0].items() if k != "types"} | {"files": NODE_FILES}
    if hooks_after != [expected] or _without_lint(parse_yaml(new, path)) != _without_lint(config):
        return text
    return new


def _without_lint(config: Any) -> Any:
    """`config` with scaffold-lint hooks blanked: what a hook edit must leave unchanged."""
    if not isinstance(config, dict):
        return config
    repos = []
    for repo in config.get("repos") or []:
        if isinstance(repo, dict) and repo.get("repo") == "local":
            hooks = [
                None if isinstance(h, dict) and h.get("id") == "scaffold-lint" else h
                for h in repo.get("hooks") or []
            ]
            repo = {**repo, "hooks": hooks}
        repos.append(repo)
    return {**config, "repos": repos}


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\n", text)
    return match.group(0) if match else "\n"


def _append_repos_key(text: str, hooks: tuple[str, ...], newline: str, node: bool) -> str:
    prefix = text if text else _HEADER.replace("\n", newline)
    if prefix and not prefix.endswith("\n"):
        prefix += newline
    return f"{prefix}repos:{newline}" + local_repo_entry(hooks, newline=newline, node=node)


_TOP_LEVEL_KEY = re.compile(r"^[^\s#\-][^\r\n]*$|^-(?!\s|$)")
_REPOS_KEY = re.compile(r"^repos[ \t]*:[ \t]*(?:#.*)?$")
_EMPTY_FLOW_REPOS = re.compile(
    r"^repos[ \t]*:[ \t]*\[[ \t]*\]([ \t]*(?:#[^\r\n]*)?)(?=\r?$)", re.MULTILINE
)
_ITEM = re.compile(r"^([ \t]*)-[ \t]")


def _append_to_repos(
    text: str, hooks: tuple[str, ...], newline: str, path: Path, node: bool
) -> str:
    # `repos: []` (an empty flow list) becomes a block list we can append to.
    text = _EMPTY_FLOW_REPOS.sub(r"repos:\1", text, count=1)
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _REPOS_KEY.match(line.rstrip("\r\n"))]
    if len(starts) != 1:
        raise _manual_edit_needed(path)
    start = starts[0]
    end = len(lines)
    indent = None
    for i in range(start + 1, len(lines)):
        content = lines[i].rstrip("\r\n")
        if _TOP_LEVEL_KEY.match(content) or content.startswith(("---", "...")):
            end = i
            break
        item = _ITEM.match(content)
        if indent is None and item:
            indent = len(item.group(1).expandtabs())
    # Insert after the list's last item line: blank lines, and top-level comments that introduce
    # the next key, stay where they are.
    insert = end
    while insert > start + 1:
        previous = lines[insert - 1]
        if previous.strip() and not (end < len(lines) and previous.startswith("#")):
            break
        insert -= 1
    before = "".join(lines[:insert])
    if before and not before.endswith(("\n", "\r")):
        before += newline
    entry = local_repo_entry(
        hooks, indent=indent if indent is not None else 2, newline=newline, node=node
    )
    return before + entry + "".join(lines[insert:])


def _verify(
    old: str, new: str, config: Any, added: tuple[str, ...], path: Path, node: bool
) -> None:
    """The edit must add exactly our repo entry and keep every other key and repo."""
    result = parse_yaml(new, path)
    before = dict(config or {})
    expected_repos = [
        *(before.get("repos") or []),
        parse_yaml(local_repo_entry(added, node=node), path)[0],
    ]
    ok = isinstance(result, dict) and result.get("repos") == expected_repos
    if ok:
        rest_before = {k: v for k, v in before.items() if k != "repos"}
        rest_after = {k: v for k, v in result.items() if k != "repos"}
        ok = rest_before == rest_after
    if not ok:
        raise _manual_edit_needed(path)


def _manual_edit_needed(path: Path) -> FileFormatError:
    return FileFormatError(
        path,
        "cannot add scaffold's hooks automatically to this layout (e.g. a flow-style "
        "`repos: [...]`); add them by hand (see docs/init.md) or run with --no-pre-commit",
    )
