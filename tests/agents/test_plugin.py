"""This repository as a Claude Code plugin marketplace: manifests, hook, skill.

`claude plugin validate --strict` is Claude Code's own check of the manifests, hooks.json and
the skill's frontmatter; the plugin running under Claude Code is in test_real_claude_code.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scaffolder import __version__
from scaffolder.agents import PLUGIN_ID
from scaffolder.edits.claude_settings import HOOK_COMMAND, HOOK_MATCHER, hook_group

ROOT = Path(__file__).resolve().parents[2]
MARKETPLACE = ROOT / ".claude-plugin" / "marketplace.json"
PLUGIN = ROOT / "plugins" / "claude-scaffold"
SKILL = PLUGIN / "skills" / "stream-recovery" / "SKILL.md"
RUNTIME = ROOT / "template" / "files" / "claude_stream.py.jinja"


def load(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validate(claude: Path, path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(claude), "plugin", "validate", "--strict", str(path)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "DISABLE_AUTOUPDATER": "1",
             "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("path", [ROOT, PLUGIN], ids=["marketplace", "plugin"])
def test_claude_code_validates_the_marketplace_and_the_plugin_strictly(
    claude: Path, path: Path, tmp_path: Path
) -> None:
    proc = validate(claude, path, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation passed" in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("part", ["hooks/hooks.json", "skills/stream-recovery/SKILL.md"])
def test_validation_covers_the_hook_and_the_skill(claude: Path, part: str, tmp_path: Path) -> None:
    """A plugin with a broken hook or skill fails: passing above means those were checked."""
    broken = tmp_path / "plugin"
    shutil.copytree(PLUGIN, broken)
    path = broken / part
    text = path.read_text(encoding="utf-8")
    if part.endswith(".json"):
        path.write_text(text.replace('"type": "command"', '"type": "comand"'), encoding="utf-8")
    else:
        path.write_text(re.sub(r"(?m)^description: .*\n", "", text), encoding="utf-8")
    proc = validate(claude, broken, tmp_path)
    assert proc.returncode == 1
    assert Path(part).name in proc.stdout


def test_the_marketplace_lists_the_plugin_under_its_own_name() -> None:
    (entry,) = load(MARKETPLACE)["plugins"]  # type: ignore[misc]
    assert (ROOT / entry["source"]).resolve() == PLUGIN
    assert entry["name"] == load(PLUGIN / ".claude-plugin" / "plugin.json")["name"]


def test_the_plugin_hook_is_the_settings_hook_run_through_the_pinned_release() -> None:
    """Same event, matcher and command as `scaffold init` writes, through uvx at this version."""
    hooks = load(PLUGIN / "hooks" / "hooks.json")["hooks"]
    (group,) = hooks["PostToolUse"]  # type: ignore[index]
    assert group["matcher"] == HOOK_MATCHER == hook_group()["matcher"]
    (handler,) = group["hooks"]
    assert handler["command"] == f"uvx --from claude-scaffold=={__version__} {HOOK_COMMAND}"
    assert load(PLUGIN / ".claude-plugin" / "plugin.json")["version"] == __version__


def test_the_skill_names_only_functions_the_runtime_defines() -> None:
    text = SKILL.read_text(encoding="utf-8")
    runtime = RUNTIME.read_text(encoding="utf-8")
    named = set(re.findall(r"\b(\w*recovering_stream|stream_with_recovery|make_\w*client)\(", text))
    assert named == {
        "recovering_stream",
        "async_recovering_stream",
        "stream_with_recovery",
        "make_client",
        "make_async_client",
    }
    for name in named:
        assert re.search(rf"^def {name}\(", runtime, re.MULTILINE), name
    front = text.split("---\n")[1]
    assert "name: stream-recovery\n" in front
    assert "description: " in front


def test_the_plugin_id_init_prints_is_this_marketplace_and_plugin() -> None:
    plugin, marketplace = PLUGIN_ID.split("@")
    assert marketplace == load(MARKETPLACE)["name"]
    assert plugin == load(PLUGIN / ".claude-plugin" / "plugin.json")["name"]
