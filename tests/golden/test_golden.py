"""init, update and check over many repositories, compared with recorded outputs and bytes.

The recording (`commands.json`) was made from the code before managed files were reorganised
into `scaffolder.artifacts` (#14); any change in what a command prints, its exit code or a byte
it writes shows up here as a difference. A deliberate behaviour change re-records:

    SCAFFOLD_RECORD_GOLDEN=1 python -m pytest tests/golden

and the diff of `commands.json` is then part of the review.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from scaffolder import __version__
from scaffolder.cli import main
from scaffolder.templates import TemplateStore
from tests.golden.scenarios import SCENARIOS, Scenario
from tests.init.repos import make_repo
from tests.update.versions import Versions

RECORDING = Path(__file__).with_name("commands.json")
RECORD = os.environ.get("SCAFFOLD_RECORD_GOLDEN") == "1"


def run(scenario: Scenario, root: Path, capsys: pytest.CaptureFixture[str]) -> list[Any]:
    make_repo(root, dict(scenario.files))
    steps: list[Any] = []
    for step in scenario.steps:
        if callable(step):
            step(root)
            steps.append({"edit": step.__name__})
            continue
        argv = [arg.replace("{repo}", str(root)) for arg in step]
        code = main(argv)
        out, err = capsys.readouterr()
        steps.append(
            {
                "run": " ".join(step),
                "exit": code,
                "stdout": normalise(out, root),
                "stderr": normalise(err, root),
                "files": digests(root),
            }
        )
    return steps


def normalise(text: str, root: Path) -> list[str]:
    text = text.replace(str(root), "<repo>").replace(__version__, "<version>")
    return text.splitlines()


def digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.fixture
def installed(
    request: pytest.FixtureRequest, versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.callspec.params["scenario"].next_template:
        monkeypatch.setattr(TemplateStore, "installed", classmethod(lambda cls: versions.store))


_recorded: dict[str, Any] = {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_commands_do_what_they_did(
    scenario: Scenario, installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = run(scenario, tmp_path / "repo", capsys)
    if RECORD:
        recording = json.loads(RECORDING.read_text()) if RECORDING.exists() else {}
        recording[scenario.name] = steps
        RECORDING.write_text(json.dumps(recording, indent=1, sort_keys=True) + "\n")
        return
    expected = json.loads(RECORDING.read_text())[scenario.name]
    for number, (got, want) in enumerate(zip(steps, expected, strict=True), 1):
        assert got == want, f"step {number} ({want.get('run') or want.get('edit')}) differs"
