"""How long `scaffold check` (a pre-commit hook, every commit) and `scaffold update` take.

`check` must stay cheap: no copier import, a YAML parse and a few hashes. Baselines from the same
run: the bare interpreter start (`python -c pass`) and `scaffold --version` (interpreter + click),
which no scaffold command can beat. `update` renders the template twice with copier; its
baseline is one `copier copy` of the same template into an empty directory. Reported: median
wall time of each, and the ratios.

    .venv/bin/python bench/update_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def median_wall(argv: list[str], runs: int, *, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_repo(root: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )

    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    (root / "CLAUDE.md").write_text("# App\n")
    git("init", "-q")
    init = [str(BIN / "scaffold"), "init", "-y", str(root)]
    subprocess.run(init, check=True, capture_output=True)
    git("add", "-A")
    git("commit", "-q", "-m", "init")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch, "repo")
        make_repo(repo)
        scaffold = str(BIN / "scaffold")
        bare = median_wall([sys.executable, "-c", "pass"], runs, cwd=repo)
        version = median_wall([scaffold, "--version"], runs, cwd=repo)
        check = median_wall([scaffold, "check"], runs, cwd=repo)
        update = median_wall([scaffold, "update"], runs, cwd=repo)
        from scaffolder._resources import template_root

        copy = median_wall(
            [
                str(BIN / "copier"),
                "copy",
                "--defaults",
                "--overwrite",
                "--quiet",
                str(template_root()),
                str(Path(scratch, "copy")),
            ],
            runs,
            cwd=repo,
        )
    print(f"python -c pass        {bare * 1000:7.0f} ms")
    print(f"scaffold --version    {version * 1000:7.0f} ms")
    print(f"scaffold check        {check * 1000:7.0f} ms   {check / version:.2f}x --version")
    print(f"copier copy           {copy * 1000:7.0f} ms")
    print(f"scaffold update       {update * 1000:7.0f} ms   {update / copy:.2f}x copier copy")


if __name__ == "__main__":
    main()
