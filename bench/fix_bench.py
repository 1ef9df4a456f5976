"""`scaffold lint --fix` against a plain `scaffold lint` on ~2 M lines with few findings.

    python bench/fix_bench.py [--repeat N]

Corpus: a copy of the Python files of the standard library and the running interpreter's
site-packages (the same corpus as lint_bench.py; copied, because --fix writes), plus a few
planted files with fixable findings (real modules of a few hundred lines with an unprotected
stream appended: SCF001, SCF003; a few more may come from the corpus).
Both commands run with `--no-cache` (every file is read and prefiltered; the candidates are
parsed and checked). The planted files are restored before every --fix run.
Target: --fix / plain <= 2x. The planted findings are the common fixes, made as text edits
from `ast` positions (scaffolder/lint/fix/_text.py): fixing costs a parse and a compile of each
file with a fixable finding, and never imports libcst. The import of libcst alone is printed
too: a fix that needs its tree (SCF002, SCF004-SCF006) adds that import, which on a
tree where the prefilter skips almost every file costs about as much as a plain run. Also
printed: `--fix` once everything is fixed (a pre-commit hook on clean code), which should
cost a plain run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from lint_bench import corpus, timed, tool

TARGET_RATIO = 2.0
LINES = 2_000_000
PLANTED = 5
ANSWERS = "module_path: planted/claude_stream.py\nmodule_import: planted.claude_stream\n"
SOURCE = """\
import anthropic

client = anthropic.Anthropic(timeout=60)


def ask(msgs):
    with client.messages.stream(model="m", max_tokens=1024, messages=msgs) as stream:
        for text in stream.text_stream:
            print(text, end="")
        return stream.get_final_message()
"""


def copy_corpus(target: Path) -> tuple[int, list[bytes]]:
    """Copy .py files of the corpus below `target` up to `LINES` lines; return the number of
    lines and the texts of some mid-sized files (to plant findings in)."""
    lines = 0
    hosts: list[bytes] = []
    for index, root in enumerate(corpus()):
        for path in sorted(root.rglob("*.py")):
            if not path.is_file() or lines >= LINES:
                continue
            destination = target / f"root{index}" / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = path.read_bytes()
            destination.write_bytes(data)
            lines += data.count(b"\n")
            if len(hosts) < PLANTED and 300 <= data.count(b"\n") <= 1500 and b"\r" not in data:
                hosts.append(data)
    return lines, hosts


def plant(work: Path, hosts: list[bytes]) -> None:
    """Real modules of a few hundred lines, each with an unprotected stream appended."""
    planted = work / "planted"
    planted.mkdir(exist_ok=True)
    (planted / "claude_stream.py").write_text("# the vendored runtime\n", encoding="utf-8")
    for i, host in enumerate(hosts):
        (planted / f"app_{i}.py").write_bytes(host + b"\n\n" + SOURCE.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fix-bench-"))
    try:
        lines, hosts = copy_corpus(work)
        (work / ".scaffold-answers.yml").write_text(ANSWERS, encoding="utf-8")
        plant(work, hosts)
        scaffold = [
            tool("scaffold") or sys.executable,
            *([] if tool("scaffold") else ["-m", "scaffolder"]),
        ]
        lint = [*scaffold, "lint", "--no-cache", "--no-respect-gitignore", "--exit-zero"]
        report = subprocess.run(
            [*lint, "--format", "json", "."], cwd=work, capture_output=True, check=False
        )
        findings = json.loads(report.stdout)
        print(f"corpus: {lines:,} lines (copied), {len(findings)} findings")

        timed([*lint, "."], cwd=work)  # warm the page cache
        plain = statistics.median(timed([*lint, "."], cwd=work) for _ in range(args.repeat))
        fixes = []
        for _ in range(args.repeat):
            plant(work, hosts)
            fixes.append(timed([*lint, "--fix", "."], cwd=work))
        fix = statistics.median(fixes)
        clean = statistics.median(  # the planted files are fixed now: nothing left to fix
            timed([*lint, "--fix", "."], cwd=work) for _ in range(args.repeat)
        )
        bare = statistics.median(
            timed([sys.executable, "-c", "pass"], cwd=work) for _ in range(args.repeat)
        )
        with_libcst = statistics.median(
            timed([sys.executable, "-c", "import libcst"], cwd=work) for _ in range(args.repeat)
        )
        left = subprocess.run(
            [*lint, "--format", "json", "planted"], cwd=work, capture_output=True, check=False
        )
        left_codes = sorted({item["code"] for item in json.loads(left.stdout)})
        print(f"left in the planted files after --fix: {left_codes or 'nothing'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratio = fix / plain
    libcst_import = with_libcst - bare
    print(f"  plain lint      {plain:8.3f} s")
    print(f"  lint --fix      {fix:8.3f} s")
    print(f"  --fix, clean    {clean:8.3f} s  ({clean / plain:.2f}x plain: nothing to fix)")
    floor = (plain + libcst_import) / plain
    print(f"  import libcst   {libcst_import:8.3f} s  (plain + this import = {floor:.2f}x plain)")
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  --fix / plain   {ratio:8.2f}x  target <= {TARGET_RATIO}x  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
