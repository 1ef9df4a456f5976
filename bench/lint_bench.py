"""scaffold lint against semgrep, ast-grep and grep on a large real corpus, in one run.

Corpus: the standard library plus the site-packages of the running interpreter (the
project's venv). Every tool gets the same directories and a warm page cache (grep runs first).

    python bench/lint_bench.py [--repeat N]

Measured (wall clock, each a separate process; scaffold and grep: median of N runs, the slow
tools once):
- scaffold cold: an empty cache directory (the cache is written, as on a first run);
- scaffold warm: the same command again (nothing changed);
- scaffold one file: `scaffold lint --no-cache FILE` on one small file that imports anthropic
  (a pre-commit run on a commit that changed it: parse and rules included), and the same run
  answered from the cache;
- semgrep / ast-grep with bench/semgrep_scf.yml / bench/ast_grep_scf.yml (SCF001 + SCF002);
- grep -rl anthropic: the floor for "read every byte once".
Targets: cold >= 10x faster than semgrep and >= 5x faster than ast-grep; warm <= 0.25 s;
one file <= 150 ms. A tool that is not installed is skipped with a note (semgrep and
ast-grep are not project dependencies: `pip install semgrep ast-grep-cli`).

TypeScript/JavaScript (`--node`, or `--only-node`): the packages of the Node test cache
(`~/.cache/scaffolder-tests/npm`: the Anthropic SDK's two majors, TypeScript, @types/node;
filled by `pytest tests/node`) plus 30 copies of the TS/JS lint fixtures (files that import
the SDK, so they are parsed), against ast-grep with bench/ast_grep_scf_ts.yml on the same files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TARGETS = {"cold_vs_semgrep": 10.0, "cold_vs_ast_grep": 5.0, "warm_s": 0.25, "one_file_s": 0.150}


def corpus() -> list[Path]:
    paths = sysconfig.get_paths()
    roots = [Path(paths["stdlib"]), Path(paths["purelib"])]
    return [root for i, root in enumerate(roots) if root.is_dir() and root not in roots[:i]]


def count_lines(roots: Sequence[Path]) -> tuple[int, int]:
    """Python files and lines scaffold lint sees (its own discovery, no gitignore)."""
    from scaffolder.lint.codes import PYTHON_SUFFIXES
    from scaffolder.lint.config import Settings
    from scaffolder.lint.discovery import discover

    settings = Settings(project_root=Path.cwd(), respect_gitignore=False)
    files = [f for f in discover(roots, settings) if f.endswith(PYTHON_SUFFIXES)]
    lines = 0
    for path in files:
        with open(path, "rb") as handle:
            lines += handle.read().count(b"\n")
    return len(files), lines


def tool(name: str) -> str | None:
    """`name` on PATH or next to this interpreter (the venv's bin/)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def timed(command: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{command[0]} exited {proc.returncode}: {' | '.join(tail)}")
    return elapsed


def median(
    command: Sequence[str], *, cwd: Path, repeat: int, env: dict[str, str] | None = None
) -> float:
    return statistics.median(timed(command, cwd=cwd, env=env) for _ in range(repeat))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--node", action="store_true", help="also the TS/JS corpus")
    parser.add_argument("--only-node", action="store_true", help="only the TS/JS corpus")
    args = parser.parse_args(argv)
    if args.only_node:
        return node_bench(args.repeat)

    roots = corpus()
    files, lines = count_lines(roots)
    print(f"corpus: {', '.join(map(str, roots))}")
    print(
        f"        {files:,} Python files, {lines:,} lines"
        + ("" if lines >= 1_500_000 else "  (< 1.5 M!)")
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")

    work = Path(tempfile.mkdtemp(prefix="lint-bench-"))
    scaffold = [
        tool("scaffold") or sys.executable,
        *([] if tool("scaffold") else ["-m", "scaffolder"]),
    ]
    lint = [*scaffold, "lint", "--exit-zero", "--no-respect-gitignore", "--format", "json"]
    results: dict[str, float] = {}
    try:
        # grep first: it also warms the page cache for every tool after it.
        timed(["grep", "-rl", "--include=*.py", "anthropic", *map(str, roots)], cwd=work)
        results["grep"] = median(
            ["grep", "-rl", "--include=*.py", "anthropic", *map(str, roots)],
            cwd=work,
            repeat=args.repeat,
        )

        colds = []
        for i in range(args.repeat):
            cache = work / f"cache-cold-{i}"
            colds.append(timed([*lint, "--cache-dir", str(cache), *map(str, roots)], cwd=work))
        results["scaffold cold"] = statistics.median(colds)
        results["scaffold warm"] = median(
            [*lint, "--cache-dir", str(work / "cache-cold-0"), *map(str, roots)],
            cwd=work,
            repeat=max(5, args.repeat),
        )
        one = work / "one_file.py"
        one.write_text(
            "import anthropic\n\nclient = anthropic.Anthropic()\n"
            'with client.messages.stream(model="m", max_tokens=1, messages=[]) as s:\n'
            "    print(s.get_final_text())\n",
            encoding="utf-8",
        )
        # A commit's file is new to the cache: --no-cache is that run (parse + rules).
        results["scaffold one file"] = median(
            [*scaffold, "lint", "--exit-zero", "--no-cache", str(one)],
            cwd=work,
            repeat=max(5, args.repeat),
        )
        results["one file (cached)"] = median(
            [*scaffold, "lint", "--exit-zero", str(one)], cwd=work, repeat=max(5, args.repeat)
        )
        results["python -c pass"] = median([sys.executable, "-c", "pass"], cwd=work, repeat=5)

        semgrep = tool("semgrep")
        if semgrep:
            results["semgrep"] = timed(
                [
                    semgrep,
                    "scan",
                    "--config",
                    str(BENCH / "semgrep_scf.yml"),
                    "--metrics=off",
                    "--disable-version-check",
                    "--no-git-ignore",
                    "--quiet",
                    "--json",
                    "--output",
                    str(work / "semgrep.json"),
                    *map(str, roots),
                ],
                cwd=work,
            )
        else:
            print("note: semgrep not installed (pip install semgrep): skipped")
        ast_grep = tool("ast-grep")
        if ast_grep:
            results["ast-grep"] = timed(
                [
                    ast_grep,
                    "scan",
                    "--rule",
                    str(BENCH / "ast_grep_scf.yml"),
                    "--json=compact",
                    "--no-ignore",
                    "vcs",
                    "--no-ignore",
                    "parent",
                    "--no-ignore",
                    "hidden",
                    *map(str, roots),
                ],
                cwd=work,
            )
        else:
            print("note: ast-grep not installed (pip install ast-grep-cli): skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    for name, seconds in results.items():
        print(f"  {name:<20} {seconds:8.3f} s")
    print()
    cold = results["scaffold cold"]
    checks = []
    if "semgrep" in results:
        checks.append(
            ("cold vs semgrep", results["semgrep"] / cold, TARGETS["cold_vs_semgrep"], True)
        )
    if "ast-grep" in results:
        checks.append(
            ("cold vs ast-grep", results["ast-grep"] / cold, TARGETS["cold_vs_ast_grep"], True)
        )
    checks.append(("cold vs grep", results["grep"] / cold, None, True))
    checks.append(("warm (s)", results["scaffold warm"], TARGETS["warm_s"], False))
    checks.append(("one file (s)", results["scaffold one file"], TARGETS["one_file_s"], False))
    for label, value, target, is_ratio in checks:
        if target is None:
            print(f"  {label:<18} {value:7.2f}x")
            continue
        met = value >= target if is_ratio else value <= target
        unit = "x" if is_ratio else " s"
        sign = ">=" if is_ratio else "<="
        verdict = "ok" if met else "MISSED"
        print(f"  {label:<18} {value:7.2f}{unit}  target {sign} {target}{unit.strip()}  {verdict}")
    return node_bench(args.repeat) if args.node else 0


def node_corpus(work: Path) -> list[Path]:
    """Packages of the Node test cache (if filled) and 30 copies of the TS/JS fixtures."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    roots = []
    for modules in sorted((cache / "scaffolder-tests" / "npm").glob("sdk-*/node_modules")):
        roots += [modules / "@anthropic-ai", modules / "typescript", modules / "@types"]
    fixtures = BENCH.parent / "tests" / "lint" / "fixtures" / "typescript"
    synthetic = work / "synthetic"
    for i in range(30):  # ~4 % of the corpus imports the SDK: a large monorepo's share
        target = synthetic / f"pkg{i}"
        target.mkdir(parents=True)
        for source in fixtures.iterdir():
            if source.suffix in (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs"):
                shutil.copyfile(source, target / source.name)
    return [root for root in roots if root.is_dir()] + [synthetic]


def node_bench(repeat: int) -> int:
    from scaffolder.lint.config import Settings
    from scaffolder.lint.discovery import discover

    work = Path(tempfile.mkdtemp(prefix="lint-bench-node-"))
    try:
        roots = node_corpus(work)
        files = discover(roots, Settings(project_root=work, respect_gitignore=False))
        lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
        print(f"\nTS/JS corpus: {len(files):,} files, {lines:,} lines")
        print("  " + "\n  ".join(map(str, roots)))
        scaffold = [sys.executable, "-m", "scaffolder"]
        lint = [*scaffold, "lint", "--exit-zero", "--no-respect-gitignore", "--format", "json"]
        results: dict[str, float] = {}
        colds = [
            timed([*lint, "--cache-dir", str(work / f"cache-{i}"), *map(str, roots)], cwd=work)
            for i in range(repeat)
        ]
        results["scaffold cold"] = statistics.median(colds)
        results["scaffold warm"] = median(
            [*lint, "--cache-dir", str(work / "cache-0"), *map(str, roots)], cwd=work, repeat=repeat
        )
        ast_grep = tool("ast-grep")
        if ast_grep:
            results["ast-grep"] = median(
                [
                    ast_grep,
                    "scan",
                    "--rule",
                    str(BENCH / "ast_grep_scf_ts.yml"),
                    "--json=compact",
                    *(
                        flag
                        for kind in ("vcs", "parent", "hidden")
                        for flag in ("--no-ignore", kind)
                    ),
                    *map(str, roots),
                ],
                cwd=work,
                repeat=repeat,
            )
        else:
            print("note: ast-grep not installed (pip install ast-grep-cli): no ratio")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, seconds in results.items():
        print(f"  {name:<20} {seconds:8.3f} s")
    if "ast-grep" in results:
        ratio = results["ast-grep"] / results["scaffold cold"]
        print(f"  cold vs ast-grep   {ratio:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
