"""Which httpx generation the project's anthropic uses: pin, lock files, declared dependencies,
the installed distribution (metadata only), else the current SDK."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scaffolder.lint.sdk_version import HTTPX, HTTPX2, detect, httpx_generation


@pytest.mark.parametrize(
    ("spec", "generation"),
    [
        ("0.49.0", HTTPX),
        ("==0.49.*", HTTPX),
        ("~=0.49", HTTPX),
        ("^0.49", HTTPX),
        (">=0.40,<1", HTTPX),
        ("<1.0", HTTPX),
        ("<=0.99", HTTPX),
        (">=0.40", HTTPX2),  # an open range installs the newest release
        (">=0.40,<3", HTTPX2),
        ("1.0.0", HTTPX2),
        ("2.16.0", HTTPX2),
    ],
)
def test_generation_of_a_version_or_range(spec: str, generation: str) -> None:
    assert httpx_generation(spec) == generation


UV_LOCK = """\
version = 1

[[package]]
name = "anthropic"
version = "0.49.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "httpx" },
]

[[package]]
name = "httpx"
version = "0.27.0"
"""


@pytest.mark.parametrize(
    ("name", "content", "generation"),
    [
        ("uv.lock", UV_LOCK, HTTPX),
        ("poetry.lock", UV_LOCK.replace("0.49.0", "1.2.0"), HTTPX2),
        ("Pipfile.lock", '{"default": {"anthropic": {"version": "==0.40.1"}}}', HTTPX),
        ("pyproject.toml", '[project]\ndependencies = ["anthropic[vertex]>=0.40,<1"]\n', HTTPX),
        ("pyproject.toml", '[tool.poetry.dependencies]\nanthropic = "^0.49"\n', HTTPX),
        ("requirements.txt", "httpx\nanthropic==2.16.0  # pinned\n", HTTPX2),
        ("requirements-dev.txt", "anthropic<1\n", HTTPX),
    ],
)
def test_read_from_the_project(tmp_path: Path, name: str, content: str, generation: str) -> None:
    (tmp_path / ".git").mkdir()  # stop the search at the repository root
    (tmp_path / name).write_text(content, encoding="utf-8")
    found = detect(tmp_path, None)
    assert found.httpx == generation
    assert name in found.source


def test_a_lock_file_wins_over_the_declared_range(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('dependencies = ["anthropic>=0.40"]\n')
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    assert detect(tmp_path, None).httpx == HTTPX


def test_a_workspace_lock_file_above_the_project_counts(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    member = tmp_path / "packages" / "app"
    member.mkdir(parents=True)
    assert detect(member, None).httpx == HTTPX


def test_the_pin_wins(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    found = detect(tmp_path, "2.16")
    assert (found.httpx, found.source) == (HTTPX2, "anthropic-version = '2.16'")


def test_without_project_information_the_installed_version_counts(tmp_path: Path) -> None:
    import importlib.metadata

    (tmp_path / ".git").mkdir()
    installed = importlib.metadata.version("anthropic")
    found = detect(tmp_path, None)
    assert found.source == f"installed anthropic {installed}"
    assert found.httpx == httpx_generation(installed)


def test_detection_never_imports_the_sdk(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    code = textwrap.dedent(
        f"""\
        import sys
        from pathlib import Path
        from scaffolder.lint.sdk_version import detect
        print(detect(Path({str(tmp_path)!r}), None).httpx)
        heavy = ("anthropic", "httpx2", "importlib.metadata")  # the last: ~70 ms of imports
        assert not [name for name in heavy if name in sys.modules], sys.modules.keys()
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
