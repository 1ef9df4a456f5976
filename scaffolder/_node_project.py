"""What a Node repository looks like, read from `package.json` (and cheaply from its lockfile).

What it does: `detect(root)` reads `root/package.json` and a few directory entries and returns a
`NodeProject` (or None when there is no package.json): TypeScript or JavaScript, the source root,
the module system, the `@anthropic-ai/sdk` dependency, and the copier answers `scaffold init`
derives from them (`node_runtime`, `node_module_path`, `source_globs`) plus the import specifier
users write.

Why: `scaffold init` on a Node repository must pick the runtime variant and a place for it without
asking. Every file read here was written by someone else: sizes are capped, JSON errors become a
`PackageJsonError` (one line, naming the file), and nothing is executed (no npm, no node, no
scripts, no tsconfig `extends` chasing).

Rules (documented in docs/typescript.md):
- TypeScript when `tsconfig.json` exists, `typescript` is a (dev/peer) dependency, or a
  .ts/.tsx/.mts/.cts file is among the first files of the source root; else JavaScript.
- Source root: the first of `src/`, `app/`, `lib/` that is a directory, else the repository root.
- Module system: `"type": "module"` -> esm, `"type": "commonjs"` -> cjs; without `type`, esm only
  when the source root has .mjs/.mts files and no .cjs/.cts ones (Node's default is CommonJS).
- Module path: `<source root>/lib/claudeStream.<ext>` when that `lib/` directory exists (the
  conventional home of shared helpers, e.g. Next.js `src/lib`), else
  `<source root>/claudeStream.<ext>`.
- Workspaces (`"workspaces"` in package.json, or `pnpm-workspace.yaml`): nothing clever; the root
  package is described as is and `workspaces` is set so init can say so.

Example:
    >>> project = detect(Path("."))
    >>> project.node_runtime, project.node_module_path
    ('ts', 'src/lib/claudeStream.ts')
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from scaffolder.errors import FileFormatError

PACKAGE_JSON = "package.json"
SDK_PACKAGE = "@anthropic-ai/sdk"
MAX_PACKAGE_JSON_BYTES = 1 << 20  # 1 MiB; real ones are a few KiB
MAX_LOCKFILE_BYTES = 32 << 20  # larger lockfiles are skipped (the version is then unknown)
_SCAN_LIMIT = 2000  # directory entries looked at when guessing TS / module system
_SOURCE_ROOTS = ("src", "app", "lib")
_SKIP_DIRS = frozenset({"node_modules", ".git", "dist", "build", "out", ".next", "coverage"})
_DEP_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")

NodeRuntime = Literal["ts", "esm", "cjs"]
#: The file extension of each variant of the Node module (the answer `node_runtime`).
EXTENSIONS: dict[str, str] = {"ts": ".ts", "esm": ".mjs", "cjs": ".cjs"}
TS_GLOBS = ("**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts")
JS_GLOBS = ("**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs")


class PackageJsonError(FileFormatError):
    """`package.json` is too large, not JSON, or not a JSON object."""


@dataclass(frozen=True)
class NodeProject:
    root: Path
    typescript: bool
    source_root: str  # posix, relative to root; "" for the root itself
    module_system: Literal["esm", "cjs"]
    sdk_range: str | None  # the range package.json asks for, e.g. "^0.39.0"
    sdk_locked: str | None  # the version a lockfile pins, e.g. "0.39.2"
    workspaces: bool

    @property
    def node_runtime(self) -> NodeRuntime:
        """The copier answer `node_runtime`."""
        if self.typescript:
            return "ts"
        return self.module_system

    @property
    def node_module_path(self) -> str:
        """The copier answer `node_module_path` (posix, relative to the repository root)."""
        return _join(self._module_dir, "claudeStream" + EXTENSIONS[self.node_runtime])

    @property
    def source_globs(self) -> list[str]:
        """The copier answer `source_globs` for the Node sources (`.claude/rules` `paths:`)."""
        return list(TS_GLOBS + JS_GLOBS if self.typescript else JS_GLOBS)

    @property
    def import_specifier(self) -> str:
        """What a file in the source root writes after `from` (`import_specifier`)."""
        return import_specifier(self.node_module_path, self.source_root, self.node_runtime)

    @property
    def sdk_major(self) -> int | None:
        """The SDK's leading version number, from the lockfile, else from the range."""
        for version in (self.sdk_locked, self.sdk_range):
            if version is not None:
                found = re.match(r"\s*(?:npm:)?[\^~>=<v\s]*(\d+)\.", version)
                if found:
                    return int(found.group(1))
        return None

    @property
    def _module_dir(self) -> str:
        lib = _join(self.source_root, "lib")
        if self.source_root != "lib" and (self.root / lib).is_dir():
            return lib
        return self.source_root


def import_specifier(module_path: str, source_root: str, runtime: str) -> str:
    """How a file in `source_root` imports the Node module at `module_path` (posix, relative to
    the repository root, inside `source_root`).

    TypeScript gets the `.js` extension: it resolves to the .ts file under every
    `moduleResolution` (node16/nodenext require it; bundler accepts it)."""
    rel = posixpath.relpath(module_path, source_root or ".")
    if runtime == "ts":
        rel = rel[: -len(".ts")] + ".js"
    return "./" + rel


def _join(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def read_package_json(root: Path) -> dict[str, Any] | None:
    """`root/package.json` as a dict, None when absent; `PackageJsonError` when unusable."""
    path = root / PACKAGE_JSON
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PACKAGE_JSON_BYTES + 1)
    except OSError as error:
        raise PackageJsonError(path, f"cannot read: {error.strerror}") from None
    if len(data) > MAX_PACKAGE_JSON_BYTES:
        raise PackageJsonError(path, f"larger than {MAX_PACKAGE_JSON_BYTES} bytes; not read")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PackageJsonError(path, "not UTF-8; save it as UTF-8") from None
    except json.JSONDecodeError as error:
        raise PackageJsonError(
            path, f"invalid JSON: {error.msg}; fix it", line=error.lineno, col=error.colno
        ) from None
    except RecursionError:
        raise PackageJsonError(path, "nested too deeply to be a package.json") from None
    if not isinstance(value, dict):
        raise PackageJsonError(path, "expected a JSON object at the top level")
    return value


def declares_sdk(root: Path) -> bool:
    """Whether `root/package.json` declares `@anthropic-ai/sdk` (False when absent or
    unreadable). Cheap: no directory scan, no lockfile (`scaffold check` asks on every commit)."""
    try:
        package = read_package_json(root)
    except PackageJsonError:
        return False
    return package is not None and SDK_PACKAGE in _dependencies(package)


def detect(root: Path) -> NodeProject | None:
    """The Node project at `root`, None when `root/package.json` does not exist."""
    package = read_package_json(root)
    if package is None:
        return None
    source_root = next((name for name in _SOURCE_ROOTS if (root / name).is_dir()), "")
    suffixes = _suffixes(root / source_root if source_root else root)
    deps = _dependencies(package)
    typescript = (
        (root / "tsconfig.json").is_file()
        or "typescript" in deps
        or bool(suffixes & {".ts", ".tsx", ".mts", ".cts"})
    )
    kind = package.get("type")
    if kind == "module":
        module_system: Literal["esm", "cjs"] = "esm"
    elif kind != "commonjs" and suffixes & {".mjs", ".mts"} and not suffixes & {".cjs", ".cts"}:
        module_system = "esm"
    else:
        module_system = "cjs"
    sdk_range = deps.get(SDK_PACKAGE)
    return NodeProject(
        root=root,
        typescript=typescript,
        source_root=source_root,
        module_system=module_system,
        sdk_range=sdk_range,
        sdk_locked=locked_sdk_version(root) if sdk_range is not None else None,
        workspaces="workspaces" in package or (root / "pnpm-workspace.yaml").is_file(),
    )


def _dependencies(package: dict[str, Any]) -> dict[str, str]:
    deps: dict[str, str] = {}
    for key in _DEP_KEYS:
        table = package.get(key)
        if isinstance(table, dict):
            for name, spec in table.items():
                if isinstance(spec, str):
                    deps.setdefault(name, spec)
    return deps


def _suffixes(top: Path) -> set[str]:
    """The file suffixes among the first `_SCAN_LIMIT` entries under `top` (no symlinks)."""
    found: set[str] = set()
    seen = 0
    for _dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in filenames:
            found.add(os.path.splitext(name)[1] if not name.endswith(".d.ts") else ".d.ts")
        seen += len(filenames) + len(dirnames)
        if seen >= _SCAN_LIMIT:
            break
    found.discard(".d.ts")  # type declarations ship with JavaScript packages too
    return found


def locked_sdk_version(root: Path) -> str | None:
    """The `@anthropic-ai/sdk` version a lockfile at `root` pins (npm, pnpm or yarn), else None."""
    lock = _read_small(root / "package-lock.json")
    if lock is not None:
        try:
            data = json.loads(lock)
        except (json.JSONDecodeError, RecursionError):
            data = None
        if isinstance(data, dict):
            for table, key in (
                ("packages", f"node_modules/{SDK_PACKAGE}"),
                ("dependencies", SDK_PACKAGE),
            ):
                entry = data.get(table, {}).get(key) if isinstance(data.get(table), dict) else None
                if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                    return str(entry["version"])
    pnpm = _read_small(root / "pnpm-lock.yaml")
    if pnpm is not None:
        # v9: '@anthropic-ai/sdk@0.39.0':   v6-8: /@anthropic-ai/sdk@0.39.0:
        # v5: /@anthropic-ai/sdk/0.39.0:
        found = re.search(r"^\s+'?/?@anthropic-ai/sdk[@/](\d+\.\d+\.\d+[^:'(\s]*)", pnpm, re.M)
        if found:
            return found.group(1)
    yarn = _read_small(root / "yarn.lock")
    if yarn is not None:
        # v1: "@anthropic-ai/sdk@^0.39.0":\n  version "0.39.0"   berry: ...\n  version: 0.39.0
        found = re.search(
            r'^"?@anthropic-ai/sdk@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:? "?([^"\s]+)',
            yarn,
            re.M,
        )
        if found:
            return found.group(1)
    return None


def _read_small(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_LOCKFILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def node_answers(project: NodeProject, *, python_globs: Sequence[str] | None) -> dict[str, Any]:
    """The copier answers `scaffold init` derives for a repository with Node code.

    `python_globs` is the Python project's `source_globs` in a mixed repository, None in a
    Node-only one (then `python_runtime` is false: no `claude_stream.py`, no Python in the rules).
    The globs are merged in order, Python first, without repeats.

    Example:
        >>> node_answers(detect(Path(".")), python_globs=None)["python_runtime"]
        False
    """
    globs = list(dict.fromkeys([*(python_globs or ()), *project.source_globs]))
    return {
        "python_runtime": python_globs is not None,
        "node_runtime": project.node_runtime,
        "node_module_path": project.node_module_path,
        "node_import": project.import_specifier,
        "source_globs": globs,
    }


SUPPORTED_SDK_MAJORS = (0, 1)  # the runtime is tested against the current major and the previous


@dataclass(frozen=True)
class SdkNote:
    """One line for `scaffold init`'s summary about the `@anthropic-ai/sdk` dependency."""

    level: Literal["note", "warning"]
    message: str


def sdk_notes(project: NodeProject) -> list[SdkNote]:
    """What init should say about `@anthropic-ai/sdk`; package.json is never edited.

    Absent from package.json's dependencies -> a note to install it; a declared or locked major
    outside `SUPPORTED_SDK_MAJORS` -> a warning. Empty when all is well.
    """
    if project.sdk_range is None:
        return [
            SdkNote(
                "note",
                f"{SDK_PACKAGE} is not a dependency in package.json; the vendored "
                f"{project.node_module_path} imports it: run `npm install {SDK_PACKAGE}`",
            )
        ]
    major = project.sdk_major
    if major is not None and major not in SUPPORTED_SDK_MAJORS:
        found = project.sdk_locked or project.sdk_range
        supported = " and ".join(f"{m}.x" for m in SUPPORTED_SDK_MAJORS)
        return [
            SdkNote(
                "warning",
                f"{SDK_PACKAGE} {found} is outside the supported majors ({supported}); "
                f"{project.node_module_path} may not work with it: pin a supported version",
            )
        ]
    return []
