"""Releases: a repository set up by one scaffolder release, updated by the next one.

The next release is built for real: a copy of this source tree whose template is recorded as
released (`scaffolder/_template_history/v<N>/`) and then changed into version N+1, built into a
wheel and installed into a fresh venv. Its `scaffold update` must regenerate the merge base from
the snapshot inside the installed wheel, offline, away from this checkout.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scaffolder.check import run_check
from scaffolder.edits.managed_block import find_block, upsert_block
from scaffolder.init import run_init
from scaffolder.render import ANSWERS, MEMORY_BLOCK, RUNTIME, render_files
from scaffolder.templates import TemplateStore, question_names
from scaffolder.update import run_update
from tests.init.repos import make_repo
from tests.update.conftest import MODULE, PROJECT, RULES, USER_CLAUDE_MD, commit
from tests.update.versions import BLOCK_LINE, Versions, insert_after, release_and_bump
from tests.wheels import build_wheel, install_wheel

ROOT = Path(__file__).resolve().parents[2]
MINE = "# my own line, keep it\n"


@pytest.fixture(scope="module")
def next_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Versions]:
    """(bin dir of a venv with the next release installed, the two template versions)."""
    src = tmp_path_factory.mktemp("next-release")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "scaffolder", src / "scaffolder", ignore=skip)
    shutil.copytree(ROOT / "template", src / "template", ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    store = TemplateStore(src / "template", src / "scaffolder" / "_template_history")
    versions = release_and_bump(store)

    wheel = build_wheel(src, tmp_path_factory.mktemp("dist"))
    bindir = install_wheel(wheel, tmp_path_factory.mktemp("venv"))
    return bindir, versions


def scaffold(bindir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bindir / "scaffold"), *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.slow
def test_the_next_release_installed_from_its_wheel_updates_a_repo(
    next_release: tuple[Path, Versions], tmp_path: Path
) -> None:
    bindir, versions = next_release
    # This checkout is the release the user set the repository up with.
    root = make_repo(tmp_path / "repo", PROJECT)
    run_init(root, assume_yes=True)
    insert_after(root / MODULE, versions.runtime.quiet, MINE)
    claude_md = (root / "CLAUDE.md").read_text()
    (root / "CLAUDE.md").write_text(claude_md.replace(USER_CLAUDE_MD, USER_CLAUDE_MD + "More.\n"))
    commit(root, "set up with the previous release, then edited")
    elsewhere = tmp_path / "elsewhere"  # not the checkout, whose scaffolder/ would shadow
    elsewhere.mkdir()

    where = subprocess.run(
        [str(bindir / "python"), "-c", "import scaffolder.templates as t; print(t.HISTORY)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    ).stdout.strip()
    assert where.startswith(str(bindir.parent)), "the checkout was imported, not the wheel"
    assert (Path(where) / f"v{versions.old}" / "copier.yml").is_file()

    check = scaffold(bindir, "check", str(root), cwd=elsewhere)
    assert check.returncode == 1, check
    assert f"rendered from template version {versions.old}" in check.stdout

    update = scaffold(bindir, "update", str(root), cwd=elsewhere)
    assert update.returncode == 0, update
    assert f"template version {versions.old} -> {versions.new}" in update.stdout
    assert f"merged    {MODULE}: your edits kept" in update.stdout

    module = (root / MODULE).read_text()
    assert versions.runtime.quiet + MINE in module
    assert all(line in module for line in versions.runtime.added)
    assert all(line in (root / RULES).read_text() for line in versions.rules.added)
    claude_md = (root / "CLAUDE.md").read_text()
    assert claude_md.startswith(USER_CLAUDE_MD + "More.\n")
    assert BLOCK_LINE in claude_md

    again = scaffold(bindir, "check", str(root), cwd=elsewhere)
    assert again.returncode == 0, again


def render_at(root: Path, store: TemplateStore, version: int) -> None:
    """Put the repository in the state the release carrying `version` left it in."""
    from scaffolder._recorded import file_digest, with_digests
    from scaffolder.answers import load_answers

    template = store.template_for(version)
    answers = load_answers(root) or {}
    wanted = question_names(template)
    files = render_files({k: v for k, v in answers.items() if k in wanted}, template=template)
    (root / MODULE).write_text(files[RUNTIME])
    (root / RULES).write_text(files[RULES])
    text = (root / "CLAUDE.md").read_text()
    (root / "CLAUDE.md").write_text(upsert_block(text, files[MEMORY_BLOCK], version=version))
    digests = {
        MODULE: file_digest(files[RUNTIME].encode()),
        RULES: file_digest(files[RULES].encode()),
    }
    (root / ANSWERS).write_text(with_digests(files[ANSWERS], digests))


_STORE = TemplateStore.installed()


def update_from(tmp_path: Path, store: TemplateStore, version: int) -> None:
    root = make_repo(tmp_path / "repo", PROJECT)
    run_init(root, assume_yes=True)
    render_at(root, store, version)
    commit(root, f"as scaffold left it with template version {version}")
    assert not run_check(root, templates=store).ok

    report = run_update(root, templates=store)

    assert report.ok, report.conflicts
    assert (report.from_version, report.to_version) == (version, store.current_version)
    assert run_check(root, templates=store).ok
    block = find_block((root / "CLAUDE.md").read_text())
    assert block is not None
    assert block.version == store.current_version


@pytest.mark.parametrize(
    "version", [v for v in _STORE.released_versions() if v < _STORE.current_version]
)
def test_repos_from_every_released_template_version_update_cleanly(
    version: int, tmp_path: Path
) -> None:
    """Skipped until the first template change after a release: then it guards every one."""
    update_from(tmp_path, _STORE, version)


def test_a_repo_rendered_from_a_snapshot_updates_cleanly(
    versions: Versions, tmp_path: Path
) -> None:
    update_from(tmp_path, versions.store, versions.old)
