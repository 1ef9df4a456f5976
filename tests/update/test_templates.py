"""Template versions: snapshots of released versions, and the guard that freezes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffolder.errors import RenderError
from scaffolder.templates import HISTORY, TemplateStore, main, template_version, tree_digest


def bump(template: Path, version: int) -> None:
    """Give a copied template another `template_version` default."""
    copier_yml = template / "copier.yml"
    text = copier_yml.read_text()
    old = f"default: {template_version(template)}"
    assert text.count(old) >= 1
    copier_yml.write_text(text.replace(old, f"default: {version}", 1))
    assert template_version(template) == version


@pytest.fixture
def store(tmp_path: Path) -> TemplateStore:
    installed = TemplateStore.installed()
    current = tmp_path / "template"
    shutil.copytree(installed.current, current)
    return TemplateStore(current=current, history=tmp_path / "history")


def test_the_installed_store_is_consistent() -> None:
    """Every version below the current one ships a snapshot; a released version is frozen."""
    store = TemplateStore.installed()
    current = store.current_version
    released = store.released_versions()
    assert all(v <= current for v in released), released
    assert set(range(1, current)) <= set(released), "an older template version has no snapshot"
    if current in released:
        assert tree_digest(HISTORY / f"v{current}") == tree_digest(store.current), (
            f"template version {current} was released and has changed since: "
            "bump template_version in template/copier.yml"
        )
    for version in released:
        assert template_version(store.template_for(version)) == version
    digests = store.recorded_digests()
    assert sorted(digests) == released, "the manifest and the snapshots disagree"
    for version, digest in digests.items():
        assert tree_digest(HISTORY / f"v{version}") == digest, (
            f"the snapshot of released template version {version} was modified: restore it "
            "from git (it is the merge base of every repository on that version)"
        )


def test_record_release_snapshots_the_current_template_once(store: TemplateStore) -> None:
    version = store.current_version
    assert store.released_versions() == []
    snapshot = store.record_release()
    assert snapshot == store.history / f"v{version}"
    assert tree_digest(snapshot) == tree_digest(store.current)
    assert store.record_release() == snapshot  # idempotent
    assert store.released_versions() == [version]
    assert store.recorded_digests() == {version: tree_digest(snapshot)}


def test_record_release_refuses_to_rewrite_a_released_version(store: TemplateStore) -> None:
    store.record_release()
    (store.current / "copier.yml").write_text(
        (store.current / "copier.yml").read_text() + "\n# changed\n"
    )
    with pytest.raises(RenderError, match="already released"):
        store.record_release()


def test_template_for_finds_the_snapshot_of_an_older_version(store: TemplateStore) -> None:
    v1 = store.current_version
    store.record_release()
    bump(store.current, v1 + 1)
    assert store.template_for(v1 + 1) == store.current
    assert store.template_for(v1) == store.history / f"v{v1}"
    assert template_version(store.template_for(v1)) == v1


def test_template_for_explains_a_missing_or_newer_version(store: TemplateStore) -> None:
    v = store.current_version
    bump(store.current, v + 1)
    with pytest.raises(RenderError, match="missing from this installation"):
        store.template_for(v)
    with pytest.raises(RenderError, match=r"upgrade scaffold .*uv tool upgrade claude-scaffold"):
        store.template_for(v + 2)


def test_main_lists_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "current template version" in capsys.readouterr().out
    assert main(["bogus"]) == 2
