"""Find the repository scaffold works on and what kind of project it holds."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from scaffolder import _node_project
from scaffolder._toml import check_shapes, parse_document
from scaffolder.errors import FileFormatError, RepoError

RUNTIME_NAME = "claude_stream.py"
# Directories at the root that hold packages but never the application's code.
_NOT_APP_CODE = frozenset(
    {"tests", "test", "testing", "docs", "doc", "examples", "example", "scripts", "benchmarks",
     "bench", "build", "dist", "site-packages", "node_modules", "venv", "env"}
)  # fmt: skip


def find_repo_root(path: Path) -> Path:
    """The top of the git work tree containing `path` (resolved, symlinks followed)."""
    path = Path(path)
    if not path.exists():
        raise RepoError(f"{path} does not exist")
    if not path.is_dir():
        path = path.parent
    git = shutil.which("git")
    if git is None:
        raise RepoError("git is not installed; scaffold works on git repositories")
    proc = subprocess.run(
        [git, "rev-parse", "--show-toplevel"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RepoError(
            f"{path.resolve()} is not inside a git repository; run `git init` there first"
        )
    return Path(proc.stdout.strip()).resolve()


@dataclass(frozen=True)
class Project:
    """What `scaffold init` needs to know about a repository."""

    root: Path
    name: str | None  # `[project].name` (or poetry's), as written
    layout: Literal["src", "flat", "none"]
    package_dir: str | None  # posix, relative to the root: "src/pkg", "pkg" or None
    has_pyproject: bool
    is_node: bool  # Node only: a package.json and no Python project (no pyproject, no .py)
    memory_file: str  # "CLAUDE.md" or ".claude/CLAUDE.md": the one in use, or the default
    notes: tuple[str, ...] = field(default=())
    node: _node_project.NodeProject | None = None  # set whenever package.json exists (mixed too)

    @property
    def default_module_path(self) -> str:
        if self.package_dir is None:
            return RUNTIME_NAME
        return f"{self.package_dir}/{RUNTIME_NAME}"

    @property
    def source_globs(self) -> list[str]:
        """Globs for the Claude Code rule's `paths:`: where the code that calls Claude lives."""
        if self.layout == "src":
            return ["src/**/*.py"]
        if self.package_dir is not None:
            return [f"{self.package_dir}/**/*.py"]
        return ["**/*.py"]

    @property
    def uses_node_sdk(self) -> bool:
        """Whether init sets up the Node side: a Node-only repository, or a package.json that
        declares `@anthropic-ai/sdk`. A Python repository whose package.json only serves
        tooling (prettier, a docs site) gets no Node runtime."""
        return self.node is not None and (self.is_node or self.node.sdk_range is not None)

    def node_answers(self) -> dict[str, Any] | None:
        """The Node copier answers (`_node_project.node_answers`), None without a package.json.

        A Node-only repository gets `python_runtime: false` and the TS/JS globs; a mixed one keeps
        the Python runtime and gets the Python globs followed by the TS/JS ones.
        """
        if self.node is None:
            return None
        python_globs = None if self.is_node else self.source_globs
        return _node_project.node_answers(self.node, python_globs=python_globs)


def _import_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _packages_in(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    return sorted(
        child.name
        for child in directory.iterdir()
        if child.is_dir()
        and (child / "__init__.py").is_file()
        and child.name.isidentifier()
        and child.name not in _NOT_APP_CODE
    )


def _pick(candidates: list[str], wanted: str | None) -> str | None:
    if wanted is not None and wanted in candidates:
        return wanted
    if len(candidates) == 1:
        return candidates[0]
    return None


def detect_project(root: Path) -> Project:
    """Detect name, layout and package directory of the Python project at `root`.

    Raises `FileFormatError` for an undecodable or unparsable pyproject.toml, and
    `_node_project.PackageJsonError` (a `FileFormatError`) for an unusable package.json.
    """
    pyproject = root / "pyproject.toml"
    has_pyproject = pyproject.is_file()
    notes: list[str] = []
    name: str | None = None
    if has_pyproject:
        try:
            text = pyproject.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileFormatError(pyproject, f"not UTF-8 ({exc.reason})") from None
        doc = parse_document(text, pyproject)
        check_shapes(doc, pyproject)
        project = doc.get("project")
        poetry = doc.get("tool", {}).get("poetry")
        raw = (project or {}).get("name") or (poetry or {}).get("name")
        name = str(raw) if raw else None
    wanted = _import_name(name) if name else None
    package_dir: str | None = None
    layout: Literal["src", "flat", "none"] = "none"
    src_pkg = _pick(_packages_in(root / "src"), wanted)
    flat_pkg = _pick(_packages_in(root), wanted)
    if src_pkg is not None:
        layout, package_dir = "src", f"src/{src_pkg}"
    elif flat_pkg is not None:
        layout, package_dir = "flat", flat_pkg
    node_only = (
        not has_pyproject
        and package_dir is None
        and (root / "package.json").is_file()
        and not any(root.glob("*.py"))
    )
    if package_dir is None and not node_only:  # a Node-only repository gets no Python module
        why = "no pyproject.toml" if not has_pyproject else "no single package directory found"
        notes.append(
            f"{why}: claude_stream.py goes to the repository root "
            "(choose another place with --module-path)"
        )
    memory_file = "CLAUDE.md"
    if not (root / "CLAUDE.md").exists() and (root / ".claude" / "CLAUDE.md").exists():
        memory_file = ".claude/CLAUDE.md"
    return Project(
        root=root,
        name=name,
        layout=layout,
        package_dir=package_dir,
        has_pyproject=has_pyproject,
        is_node=node_only,
        memory_file=memory_file,
        notes=tuple(notes),
        node=_node_project.detect(root),
    )


def check_inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing paths (and symlinks) that lead outside the repository."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        raise RepoError(f"{relative} is outside the repository {root}")
    target = root / pure
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        raise RepoError(f"{relative} is a symlink loop (or cannot be resolved)") from None
    if resolved != root and root not in resolved.parents:
        raise RepoError(f"{relative} leads outside the repository {root} (to {resolved})")
    if pure.parts and pure.parts[0] == ".git":
        raise RepoError(f"{relative} is inside .git; choose a path in the work tree")
    return target


def shared_file(root: Path, relative: str) -> Path:
    """The file to edit for `relative` (checked by `check_inside`): where a symlink points.

    Files scaffold shares with the user are often links (CLAUDE.md -> AGENTS.md, a settings file
    kept elsewhere): editing the target keeps the link a link.
    """
    link = check_inside(root, relative)
    return link.resolve() if link.is_symlink() else link


def module_import_path(root: Path, module_path: str) -> str:
    """The dotted import path of `module_path`: its packages (dirs with __init__.py) + module.

    `src/pkg/claude_stream.py` -> `pkg.claude_stream`; `claude_stream.py` -> `claude_stream`.
    """
    pure = PurePosixPath(module_path)
    parts = [pure.stem]
    directory = pure.parent
    while directory.parts and (root / directory / "__init__.py").is_file():
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts)
