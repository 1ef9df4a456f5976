"""Which httpx generation the linted project's anthropic SDK raises: `httpx` or `httpx2`.

anthropic >= 1.0 is built on `httpx2`, whose exceptions are not subclasses of `httpx`'s
(`except httpx.RemoteProtocolError:` catches nothing there) and whose client rejects an
`httpx.Timeout`; releases before 1.0 are built on `httpx`. The version is read, in this order,
from `anthropic-version` in `[tool.scaffold]`, the project's lock files (uv.lock, poetry.lock,
pdm.lock, Pipfile.lock), its declared dependencies (pyproject.toml, Pipfile,
requirements*.txt), the installed distribution (its `anthropic-X.Y.Z.dist-info` directory on
`sys.path`, the record `importlib.metadata` reads; `importlib.metadata` itself, whose import
alone costs a pre-commit run ~70 ms, only when that finds none; the SDK is never imported),
and otherwise the current SDK is assumed.

A declared range counts as "before 1.0" only when it excludes every 1.x and later release
(`anthropic<1`, `==0.49.*`, `~=0.49`, poetry's `^0.49`); an open range such as `>=0.40`
installs the newest release.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

HTTPX = "httpx"
HTTPX2 = "httpx2"
#: The first anthropic release built on httpx2.
FIRST_HTTPX2_MAJOR = 1

_LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock")
# `[[package]]\nname = "anthropic"\nversion = "0.49.0"` in uv.lock / poetry.lock / pdm.lock.
_LOCKED = re.compile(
    r'^name\s*=\s*"anthropic"\s*\n(?:[^\[\n][^\n]*\n)*?version\s*=\s*"([^"]+)"', re.M
)
# A requirement on anthropic: PEP 508 (`anthropic[vertex]>=0.40,<1`) or poetry/Pipfile
# (`anthropic = "^0.49"`, `anthropic = {version = "==0.49"}`).
_REQUIREMENT = re.compile(
    r"""(?:^|["'\s])anthropic(?:\[[^\]]*\])?\s*(?:=\s*(?:\{[^}]*version\s*=\s*)?["'])?"""
    r"""\s*((?:[<>=!~^]=?|===)?\s*[0-9][^"';#\n]*)""",
    re.M | re.I,
)
_CLAUSE = re.compile(r"(===|==|~=|!=|<=|>=|<|>|\^|~)?\s*([0-9][0-9a-zA-Z.*+!-]*)")


class SdkVersion(NamedTuple):
    """The httpx generation and where it was read from (shown by `--show-settings`)."""

    httpx: str
    source: str


def httpx_generation(version: str) -> str:
    """`httpx2` for a version (or range) that allows anthropic >= 1.0, else `httpx`."""
    return HTTPX if _before_1_0(version) else HTTPX2


def detect(project_root: Path, pinned: str | None) -> SdkVersion:
    if pinned is not None:
        return SdkVersion(httpx_generation(pinned), f"anthropic-version = {pinned!r}")
    for directory in _project_dirs(project_root):
        found = _from_directory(directory)
        if found is not None:
            return found
    installed = installed_version()
    if installed:
        return SdkVersion(httpx_generation(installed), f"installed anthropic {installed}")
    return SdkVersion(HTTPX2, "not found: the current SDK is assumed")


def installed_version() -> str | None:
    """The version of the anthropic distribution installed on `sys.path` (`scaffolder._dist`)."""
    from scaffolder._dist import installed_version

    return installed_version("anthropic")


def _project_dirs(root: Path) -> list[Path]:
    """The project root and its parents up to the repository root (a workspace lock file)."""
    dirs = []
    for directory in (root, *root.parents):
        dirs.append(directory)
        if (directory / ".git").exists():
            break
    return dirs


def _from_directory(directory: Path) -> SdkVersion | None:
    for name in _LOCK_FILES:
        text = _read(directory / name)
        match = _LOCKED.search(text) if text else None
        if match:
            return _found(match.group(1), directory / name)
    text = _read(directory / "Pipfile.lock")
    if text:
        import json

        try:
            data = json.loads(text)
            version = data.get("default", {}).get("anthropic", {}).get("version")
        except (ValueError, AttributeError):
            version = None
        if isinstance(version, str):
            return _found(version, directory / "Pipfile.lock")
    candidates = [directory / "pyproject.toml", directory / "Pipfile"]
    candidates += sorted(directory.glob("requirements*.txt"))
    candidates += sorted(directory.glob("requirements/*.txt"))
    for path in candidates:
        text = _read(path)
        match = _REQUIREMENT.search(text) if text else None
        if match:
            return _found(match.group(1).strip(), path)
    return None


def _found(version: str, path: Path) -> SdkVersion:
    return SdkVersion(httpx_generation(version), f"anthropic {version} in {path.name}")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    if b"anthropic" not in data:
        return ""
    return data.decode("utf-8", "replace")


def _before_1_0(spec: str) -> bool:
    """Whether every version the specifier allows is below 1.0."""
    for operator, version in _CLAUSE.findall(spec):
        numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:2]]
        major = numbers[0] if numbers else FIRST_HTTPX2_MAJOR
        minor = numbers[1] if len(numbers) > 1 else 0
        if operator in ("", "==", "===", "~=", "^", "~") and major < FIRST_HTTPX2_MAJOR:
            return True
        if operator == "<" and (major, minor) <= (FIRST_HTTPX2_MAJOR, 0):
            return True
        if operator == "<=" and major < FIRST_HTTPX2_MAJOR:
            return True
    return False
