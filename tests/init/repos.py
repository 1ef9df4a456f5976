"""Real git repositories in temporary directories, and byte-exact snapshots of them."""

from __future__ import annotations

import subprocess
from pathlib import Path

EXAMPLE_APP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "chat-app"


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
    """A git repository at `root` holding `files` (committed unless `commit=False`)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
    if commit and files:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root


def git(root: Path, *args: str) -> str:
    env_args = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    proc = subprocess.run(
        ["git", *env_args, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return proc.stdout


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` (outside .git): its bytes and mtime in nanoseconds."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


FLAT = {
    "pyproject.toml": (
        '[project]\nname = "chat-app"  # the name\nversion = "0.1.0"\n'
        'dependencies = [\n    "requests>=2",  # http\n]\n\n[tool.ruff]\nline-length = 100\n'
    ),
    "chat_app/__init__.py": "",
    "chat_app/essay.py": "import anthropic\n",
    "tests/__init__.py": "",
}
SRC = {
    "pyproject.toml": '[project]\nname = "My.Service"\ndependencies = ["anthropic>=0.50"]\n',
    "src/my_service/__init__.py": "",
    "src/my_service/api.py": "import anthropic\n",
}
