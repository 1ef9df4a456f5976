"""An offline wheelhouse: scaffold's wheel plus its dependencies, repacked from this environment.

Installers that resolve dependencies themselves (uv, uvx, pipx, pre-commit) need an index; a
`--find-links` directory of wheels with `--no-index` / `--offline` is one that works without a
network. Each dependency installed in the running test environment is zipped back into a wheel
from its installed files (its RECORD), under the tags its WHEEL file names, so the resolver
sees the same versions the tests run with.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

_SKIPPED = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def dependency_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """Every installed distribution `requirements` need, transitively (no extras)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in requirements]
    env = {**default_environment(), "extra": ""}
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate(env):
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        dist = metadata.distribution(requirement.name)
        seen[name] = dist
        todo.extend(Requirement(r) for r in dist.requires or [])
    return list(seen.values())


def _tags(dist: metadata.Distribution) -> str:
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    # A wheel's file name compresses its tags: py2.py3-none-any, cp311-cp311-manylinux_...
    parts = [tag.split("-") for tag in tags] or [["py3", "none", "any"]]
    return "-".join(".".join(dict.fromkeys(column)) for column in zip(*parts, strict=True))


def _hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def repack(dist: metadata.Distribution, out: Path) -> Path:
    """Zip an installed distribution back into a wheel in `out`."""
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    version = dist.version
    info = f"{name}-{version}.dist-info"
    target = out / f"{name}-{version}-{_tags(dist)}.whl"
    records: list[tuple[str, str, str]] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in dist.files or []:
            path = file.as_posix()
            parts = Path(path).parts
            if path.startswith("..") or "__pycache__" in parts or path.endswith(".pyc"):
                continue
            arcname = path
            if parts[0].endswith(".dist-info"):
                if parts[-1] in _SKIPPED:
                    continue
                arcname = "/".join((info, *parts[1:]))
            data = Path(str(file.locate())).read_bytes()
            wheel.writestr(arcname, data)
            records.append((arcname, _hash(data), str(len(data))))
        record = io.StringIO()
        writer = csv.writer(record, lineterminator="\n")
        writer.writerows([*records, (f"{info}/RECORD", "", "")])
        wheel.writestr(f"{info}/RECORD", record.getvalue())
    return target


def build_wheelhouse(wheel: Path, out: Path) -> Path:
    """`out` holding `wheel` and every dependency it declares, repacked from this environment."""
    out.mkdir(parents=True, exist_ok=True)
    (out / wheel.name).write_bytes(wheel.read_bytes())
    with zipfile.ZipFile(wheel) as built:
        meta = next(n for n in built.namelist() if n.endswith(".dist-info/METADATA"))
        text = built.read(meta).decode()
    requires = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    for dist in dependency_closure(requires):
        repack(dist, out)
    return out
