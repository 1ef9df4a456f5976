"""The anthropic versions a project declares or locks, against the runtime's supported range.

`claude_stream.py` needs anthropic >= 0.40 and is tested below 3 (DESIGN.md). A project that
pins 0.25.8 in its lock file installs a release the vendored module cannot run on, whatever
`pyproject.toml` says, so every place a version is decided is read: `pyproject.toml`
(`[project]` dependencies, optional dependencies, `[dependency-groups]`, Poetry's tables),
`requirements*.txt`, `uv.lock`, `poetry.lock` and `Pipfile.lock`. Nothing is executed and
nothing is installed: the files are parsed as text (TOML, JSON, requirement lines).

The specifiers are evaluated as intervals, which covers what projects write for one package:
`==`, `!=` (ignored: it removes a point, not a range), `>=`, `>`, `<=`, `<`, `~=`, `==X.*`,
and Poetry's `^`, `~` and bare versions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED = ((0, 40), (3,))  # >= 0.40, < 3
SUPPORTED_TEXT = ">=0.40,<3"

Version = tuple[int, ...]


@dataclass(frozen=True)
class Declaration:
    """One place that decides the anthropic version: `source` says which, `spec` what."""

    source: str  # e.g. "pyproject.toml [project].dependencies", "uv.lock"
    spec: str  # a specifier ("==0.25.8", ">=0.40,<1", "^0.30") or "" for any version
    locked: bool  # a lock file: the exact version that gets installed


@dataclass(frozen=True)
class Problem:
    status: str  # "fail" | "warn"
    text: str


def declarations(root: Path) -> list[Declaration]:
    """Every anthropic requirement and lock entry in the project's files (none is an error:
    a file scaffold cannot parse is skipped, the package manager will complain about it)."""
    found: list[Declaration] = []
    found += _pyproject(root / "pyproject.toml")
    for path in sorted(root.glob("requirements*.txt")):
        found += _requirements(path)
    for name in ("uv.lock", "poetry.lock"):
        found += _toml_lock(root / name)
    found += _pipfile_lock(root / "Pipfile.lock")
    return found


def problems(found: list[Declaration]) -> list[Problem]:
    """What is wrong with `found` for the vendored runtime (nothing: an empty list)."""
    out: list[Problem] = []
    for declaration in found:
        interval = _interval(declaration.spec)
        if interval is None:
            continue  # a specifier scaffold cannot read: say nothing rather than guess
        what = f"{declaration.source}: anthropic{_shown(declaration.spec)}"
        if not _overlaps(interval, SUPPORTED) and declaration.locked:
            out.append(
                Problem(
                    "fail",
                    f"{declaration.source} locks anthropic {declaration.spec.lstrip('=')}, "
                    f"outside the anthropic{SUPPORTED_TEXT} claude_stream.py supports; "
                    "upgrade it in the lock file",
                )
            )
        elif not _overlaps(interval, SUPPORTED):
            out.append(
                Problem(
                    "fail",
                    f"{what} excludes every release claude_stream.py supports; require "
                    f"anthropic{SUPPORTED_TEXT}",
                )
            )
        elif _below(interval, SUPPORTED[0]):
            out.append(
                Problem(
                    "warn",
                    f"{what} allows releases older than 0.40, which claude_stream.py cannot "
                    "run on; raise the floor to anthropic>=0.40",
                )
            )
    return out


def _shown(spec: str) -> str:
    return f" {spec}" if spec and spec[0] not in "=<>!~^" else spec or " (any version)"


# --- readers ----------------------------------------------------------------------------------

_NAME = re.compile(r"^\s*anthropic\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;#]*)", re.IGNORECASE)


def _requirement_spec(requirement: str) -> str | None:
    """The specifier of a PEP 508 requirement on anthropic, or None for another package."""
    match = _NAME.match(requirement)
    if match is None:
        return None
    spec = match["spec"].strip()
    if spec and spec[0] not in "=<>!~(":  # `anthropic-bedrock`, `anthropic_x`: another name
        return None
    return spec.strip("()").replace(" ", "")


def _load_toml(path: Path) -> dict[str, Any] | None:
    from scaffolder._toml import loads

    try:
        return loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _pyproject(path: Path) -> list[Declaration]:
    doc = _load_toml(path)
    if doc is None:
        return []
    found: list[Declaration] = []
    project = _table(doc.get("project"))
    lists: list[tuple[str, Any]] = [("[project].dependencies", project.get("dependencies"))]
    for group, items in _table(project.get("optional-dependencies")).items():
        lists.append((f"[project.optional-dependencies] {group}", items))
    for group, items in _table(doc.get("dependency-groups")).items():
        lists.append((f"[dependency-groups] {group}", items))
    for where, items in lists:
        for item in items if isinstance(items, list) else ():
            spec = _requirement_spec(item) if isinstance(item, str) else None
            if spec is not None:
                found.append(Declaration(f"pyproject.toml {where}", spec, locked=False))
    poetry = _table(_table(doc.get("tool")).get("poetry"))
    tables = [("[tool.poetry.dependencies]", _table(poetry.get("dependencies")))]
    for group, body in _table(poetry.get("group")).items():
        where = f"[tool.poetry.group.{group}.dependencies]"
        tables.append((where, _table(_table(body).get("dependencies"))))
    for where, table in tables:
        value = table.get("anthropic")
        if isinstance(value, dict):
            value = value.get("version")
        if isinstance(value, str):
            spec = "" if value.strip() == "*" else value.replace(" ", "")
            found.append(Declaration(f"pyproject.toml {where}", spec, locked=False))
    return found


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _requirements(path: Path) -> list[Declaration]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for line in lines:
        spec = _requirement_spec(line.split(" #", 1)[0])
        if spec is not None:
            found.append(Declaration(path.name, spec, locked=spec.startswith("==")))
    return found


def _toml_lock(path: Path) -> list[Declaration]:
    doc = _load_toml(path)
    packages = doc.get("package") if doc else None
    return [
        Declaration(path.name, f"=={package['version']}", locked=True)
        for package in (packages if isinstance(packages, list) else ())
        if isinstance(package, dict)
        and str(package.get("name", "")).lower() == "anthropic"
        and isinstance(package.get("version"), str)
    ]


def _pipfile_lock(path: Path) -> list[Declaration]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, UnicodeDecodeError):
        return []
    found = []
    for section in ("default", "develop"):
        entries = data.get(section) if isinstance(data, dict) else None
        entry = entries.get("anthropic") if isinstance(entries, dict) else None
        version = entry.get("version") if isinstance(entry, dict) else None
        if isinstance(version, str):
            found.append(Declaration(f"Pipfile.lock [{section}]", version, locked=True))
    return found


# --- specifiers as intervals ------------------------------------------------------------------

# (low, low inclusive, high, high inclusive); None = unbounded
_Interval = tuple["Version | None", bool, "Version | None", bool]
_CLAUSE = re.compile(r"^(===|==|!=|~=|>=|<=|>|<|\^|~|)\s*v?([0-9][0-9.]*)(\.\*)?[a-zA-Z0-9.+-]*$")


def _version(text: str) -> Version:
    return tuple(int(part) for part in text.strip(".").split(".") if part)


def _bump(version: Version, position: int) -> Version:
    """`version` cut after `position` components, the last one plus one: (1, 2, 3), 1 -> (1, 3)."""
    head = list(version[: position + 1]) + [0] * max(0, position + 1 - len(version))
    head[position] += 1
    return tuple(head)


def _clause(op: str, version: Version, wildcard: bool) -> _Interval | None:
    if op in ("==", "===", "") and wildcard:
        return version, True, _bump(version, len(version) - 1), False
    if op in ("==", "==="):
        return version, True, version, True
    if op == "":  # Poetry: a bare version is an exact one
        return version, True, version, True
    if op == "!=":
        return None, False, None, False
    if op == ">=":
        return version, True, None, False
    if op == ">":
        return version, False, None, False
    if op == "<=":
        return None, False, version, True
    if op == "<":
        return None, False, version, False
    if op == "~=":
        if len(version) < 2:  # `~=1` is invalid (PEP 440)
            return None
        return version, True, _bump(version, len(version) - 2), False
    if op == "~":  # Poetry: ~1.2.3 -> >=1.2.3,<1.3; ~1 -> >=1,<2
        return version, True, _bump(version, min(1, len(version) - 1)), False
    # Poetry's ^: the first non-zero component may not change
    nonzero = next((i for i, part in enumerate(version) if part), len(version) - 1)
    return version, True, _bump(version, nonzero), False


def _interval(spec: str) -> _Interval | None:
    """The versions `spec` allows, or None when a clause cannot be read."""
    low: Version | None = None
    low_inclusive = False
    high: Version | None = None
    high_inclusive = False
    for raw in filter(None, (part.strip() for part in re.split(r"[,|]", spec))):
        match = _CLAUSE.match(raw)
        if match is None:
            return None
        clause = _clause(match[1], _version(match[2]), bool(match[3]))
        if clause is None:
            if match[1] == "!=":
                continue
            return None
        c_low, c_low_inc, c_high, c_high_inc = clause
        if c_low is not None and (low is None or _pad(c_low, low) > _pad(low, c_low)):
            low, low_inclusive = c_low, c_low_inc
        if c_high is not None and (high is None or _pad(c_high, high) < _pad(high, c_high)):
            high, high_inclusive = c_high, c_high_inc
    return low, low_inclusive, high, high_inclusive


def _pad(version: Version, other: Version) -> Version:
    return version + (0,) * max(0, len(other) - len(version))


def _overlaps(interval: _Interval, supported: tuple[Version, Version]) -> bool:
    low, low_inclusive, high, high_inclusive = interval
    s_low, s_high = supported
    if high is not None:
        below = _pad(high, s_low) < _pad(s_low, high) or (
            _pad(high, s_low) == _pad(s_low, high) and not high_inclusive
        )
        if below:
            return False
    if low is not None and _pad(low, s_high) >= _pad(s_high, low):
        return False
    if low is not None and high is not None:
        lo, hi = _pad(low, high), _pad(high, low)
        if lo > hi or (lo == hi and not (low_inclusive and high_inclusive)):
            return False  # the specifier itself allows nothing
    return True


def _below(interval: _Interval, floor: Version) -> bool:
    """Whether the interval allows a version below `floor`."""
    low = interval[0]
    return low is None or _pad(low, floor) < _pad(floor, low)
