"""Build the `claude-scaffold` wheel and install it, alone, into a fresh venv — offline.

The venv gets its dependencies from the test's own environment through a `.pth` file, so no
registry is needed, while the wheel's own `scaffolder` (in the venv's site-packages, earlier on
sys.path than the `.pth` entry) is the one imported. Run it from a directory other than the
checkout, whose `scaffolder/` would shadow the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path


def build_wheel(src: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", f"--outdir={out}", str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("claude_scaffold-*.whl")
    return wheel


def install_wheel(wheel: Path, env_dir: Path) -> Path:
    """Create a venv at `env_dir` holding only `wheel`; returns its bin directory."""
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    site = subprocess.run(
        [str(bindir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_outer_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return bindir
