"""Template versions: which copier template renders which `template_version`.

`scaffold update` merges three renderings of every managed file: the version the repository was
rendered from (the merge base), the repository itself, and the version this scaffolder carries.
So every released template version must be renderable again, offline, from an installed wheel.

Storage (see docs/update.md for why not a git bundle + `copier update`):
- the current template is `template/` (in a wheel: `scaffolder/_template`, see `_resources`);
- every released version N is a complete copier template snapshot in
  `scaffolder/_template_history/v<N>/`, package data, so it ships in every wheel.

A snapshot is frozen once released: `tests/update/test_templates.py` pins that the current
template equals its snapshot whenever one exists (changing a released template without bumping
`template_version` would give every repository rendered from it a wrong merge base).
`python -m scaffolder.templates record` takes the snapshot at release time.

This module must stay cheap to import: `scaffold check` uses it in a pre-commit hook.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffolder.errors import RenderError

HISTORY = Path(__file__).resolve().parent / "_template_history"
VERSION_KEY = "template_version"
_SNAPSHOT_NAME = re.compile(r"v([1-9][0-9]*)")
MANIFEST = "released.txt"
_MANIFEST_HEADER = (
    "# Released template versions and the digest of each snapshot (scaffolder.templates.\n"
    "# tree_digest). Written by `python -m scaffolder.templates record`; never edit by hand.\n"
)


def read_copier_yml(template: Path) -> dict[str, Any]:
    import yaml

    path = template / "copier.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RenderError(f"cannot read the template's {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise RenderError(f"{path} is not a copier configuration (a mapping)")
    return data


def template_version(template: Path) -> int:
    """The `template_version` a template renders (the default of its hidden question)."""
    question = read_copier_yml(template).get(VERSION_KEY)
    version = question.get("default") if isinstance(question, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RenderError(
            f"{template / 'copier.yml'} has no positive integer `{VERSION_KEY}` default"
        )
    return version


def question_names(template: Path) -> set[str]:
    """The questions a template asks: the answers it can take from an answers file."""
    return {
        key
        for key in read_copier_yml(template)
        if isinstance(key, str) and not key.startswith("_") and key != VERSION_KEY
    }


def tree_digest(root: Path) -> str:
    """A sha256 over every file's relative path and bytes: equal trees, equal digests."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class TemplateStore:
    """The current template plus the snapshots of released versions.

    `TemplateStore.installed()` is what the CLI uses; tests build stores over temporary
    directories to have two real template versions without a release.
    """

    current: Path
    history: Path

    @classmethod
    def installed(cls) -> TemplateStore:
        from scaffolder._resources import template_root

        return cls(current=template_root(), history=HISTORY)

    @property
    def current_version(self) -> int:
        return template_version(self.current)

    def released_versions(self) -> list[int]:
        """Versions with a snapshot, ascending."""
        if not self.history.is_dir():
            return []
        found = (_SNAPSHOT_NAME.fullmatch(p.name) for p in self.history.iterdir() if p.is_dir())
        return sorted(int(m.group(1)) for m in found if m)

    def template_for(self, version: int) -> Path:
        """The copier template that renders `version` (the current one or its snapshot)."""
        current = self.current_version
        if version == current:
            return self.current
        if version > current:
            raise RenderError(
                f"this repository was rendered from template version {version}, newer than "
                f"the {current} this scaffold carries; upgrade scaffold "
                "(`uv tool upgrade claude-scaffold` or `pipx upgrade claude-scaffold`)"
            )
        snapshot = self.history / f"v{version}"
        if not (snapshot / "copier.yml").is_file():
            raise RenderError(
                f"template version {version} is missing from this installation "
                f"({snapshot}); reinstall scaffold (`uv tool install --reinstall claude-scaffold` "
                "or `pipx reinstall claude-scaffold`)"
            )
        return snapshot

    def recorded_digests(self) -> dict[int, str]:
        """`{version: tree_digest}` as written by `record_release` (the manifest)."""
        try:
            lines = (self.history / MANIFEST).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return {}
        pairs = (line.split() for line in lines if line.strip() and not line.startswith("#"))
        return {int(name.removeprefix("v")): digest for name, digest in pairs}

    def record_release(self) -> Path:
        """Snapshot the current template as released (idempotent; refuses to rewrite one).

        The snapshot's digest goes into the manifest, so a later edit of a snapshot (by hand,
        or by a formatter run over the tree) is caught by the tests, not by users' merges.
        """
        version = self.current_version
        snapshot = self.history / f"v{version}"
        digest = tree_digest(self.current)
        if snapshot.exists():
            if tree_digest(snapshot) != digest:
                raise RenderError(
                    f"template version {version} was already released and differs from "
                    f"{self.current}; bump `{VERSION_KEY}` in copier.yml instead"
                )
        else:
            shutil.copytree(self.current, snapshot, ignore=shutil.ignore_patterns("__pycache__"))
        digests = {**self.recorded_digests(), version: digest}
        lines = [f"v{v} {d}\n" for v, d in sorted(digests.items())]
        (self.history / MANIFEST).write_text(_MANIFEST_HEADER + "".join(lines), encoding="utf-8")
        return snapshot


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m scaffolder.templates [record]`: list versions, or snapshot the current one."""
    args = list(sys.argv[1:] if argv is None else argv)
    store = TemplateStore.installed()
    if args == ["record"]:
        print(f"recorded template version {store.current_version} in {store.record_release()}")
        return 0
    if args:
        print("usage: python -m scaffolder.templates [record]", file=sys.stderr)
        return 2
    released = ", ".join(map(str, store.released_versions())) or "none"
    print(f"current template version: {store.current_version} ({store.current})")
    print(f"released snapshots: {released} ({store.history})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
