"""Wall time of `scaffold init` on a repository of a few hundred files vs `copier copy`.

Baseline: `copier copy` of the same template with the same answers into the same repository
(what a user would run to vendor the files with copier alone; it renders the same whole files
but edits nothing and plans nothing). Both run as fresh processes, the way a user runs them,
on a fresh copy of the repository each time. Target: `scaffold init` <= 1.5 s.

    python bench/init_bench.py [--files 400] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaffolder._resources import template_root

TARGET_SECONDS = 1.5


def make_repo(root: Path, n_files: int) -> None:
    package = root / "bench_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for i in range(n_files):
        sub = package / f"mod{i // 50}"
        sub.mkdir(exist_ok=True)
        (sub / "__init__.py").touch()
        (sub / f"m{i}.py").write_text(f"import anthropic\n\nVALUE_{i} = {i}\n" * 5)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bench-app"\nversion = "1"\ndependencies = ["anthropic>=0.40"]\n'
        "\n[tool.ruff]\nline-length = 100  # house style\n"
    )
    (root / "CLAUDE.md").write_text("# Bench app\n\nProject notes for Claude.\n")
    (root / ".pre-commit-config.yaml").write_text(
        "# hooks\nrepos:\n-   repo: local\n    hooks:\n    -   id: x\n        name: x\n"
        "        entry: 'true'\n        language: system\n"
    )
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bench"], cwd=root, check=True)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="Python files in the repository")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        base = Path(scratch) / "base"
        make_repo(base, args.files)
        n_files = sum(1 for p in base.rglob("*") if p.is_file() and ".git" not in p.parts)
        answers = {
            "timeout": "600",
            "module_path": "bench_app/claude_stream.py",
            "module_import": "bench_app.claude_stream",
            "claude_md": "CLAUDE.md",
        }
        copier_cmd = [sys.executable, "-m", "copier", "copy", "--defaults", "--quiet"]
        for key, value in answers.items():
            copier_cmd += ["--data", f"{key}={value}"]
        results: dict[str, list[float]] = {"copier copy": [], "scaffold init": []}
        for run in range(args.runs):
            # Alternate the order so neither side always gets the warmer cache.
            order = ["copier copy", "scaffold init"]
            for name in order if run % 2 == 0 else order[::-1]:
                repo = Path(scratch) / f"{name.split()[0]}-{run}"
                shutil.copytree(base, repo, symlinks=True)
                if name == "copier copy":
                    cmd = [*copier_cmd, str(template_root()), str(repo)]
                else:
                    cmd = [sys.executable, "-m", "scaffolder", "init", "--yes", str(repo)]
                results[name].append(timed(cmd, repo))
                if name == "scaffold init":
                    assert (repo / "bench_app" / "claude_stream.py").is_file()

    copier_s = statistics.median(results["copier copy"])
    init_s = statistics.median(results["scaffold init"])
    print(f"repository: {n_files} files; {args.runs} runs each, median wall time (fresh process)")
    print(f"  copier copy (baseline)  {copier_s:6.3f} s")
    print(f"  scaffold init           {init_s:6.3f} s")
    print(f"  ratio init / copier     {init_s / copier_s:6.2f}x")
    verdict = "OK" if init_s <= TARGET_SECONDS else "OVER TARGET"
    print(f"  target init <= {TARGET_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
