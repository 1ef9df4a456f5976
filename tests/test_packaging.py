"""The built wheel works on its own: the template inside, `scaffold --version` once installed."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

import scaffolder
from tests.wheels import build_wheel, install_wheel

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def wheel_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(wheel, tmp_path_factory.mktemp("venv"))


def template_files() -> set[str]:
    base = ROOT / "template"
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


def test_wheel_contains_the_whole_template_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"scaffolder/_template/{name}" for name in template_files()}
    assert expected
    assert expected <= names, sorted(expected - names)
    assert "scaffolder/py.typed" in names


def test_the_distribution_is_claude_scaffold_with_the_scaffold_command(wheel: Path) -> None:
    # `scaffolder` on the package index is an unrelated project: `pip install scaffolder` must
    # never be what gets our command.
    assert wheel.name.startswith(f"claude_scaffold-{scaffolder.__version__}-")
    archive = zipfile.ZipFile(wheel)
    dist_info = f"claude_scaffold-{scaffolder.__version__}.dist-info"
    metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert "Name: claude-scaffold\n" in metadata
    entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()
    assert "scaffold = scaffolder.cli:main" in entry_points


def test_installed_wheel_runs_and_finds_its_template(wheel_venv: Path) -> None:
    proc = subprocess.run(
        [str(wheel_venv / "scaffold"), "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=wheel_venv,  # not the checkout: its `scaffolder/` would shadow the wheel
    )
    assert proc.stdout.strip() == f"scaffold, version {scaffolder.__version__}"
    probe = (
        "import scaffolder, scaffolder._resources as r; "
        "print(scaffolder.__file__); print(r.template_root())"
    )
    module_file, template = subprocess.run(
        [str(wheel_venv / "python"), "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=wheel_venv,
    ).stdout.splitlines()
    env_root = str(wheel_venv.parent)
    assert module_file.startswith(env_root), "the checkout was imported instead of the wheel"
    assert template.startswith(env_root)
    assert (Path(template) / "copier.yml").is_file()
