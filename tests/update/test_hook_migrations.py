"""Hooks an earlier scaffold wrote: `check` names them, `update` brings them to today's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolder.cli import main
from tests.update.conftest import commit

OLD_ENTRY = "entry: scaffold lint\n"
NEW_ENTRY = "entry: scaffold lint --force-exclude\n"
OLD_MATCHER = '"matcher": "Edit|MultiEdit|Write"'
NEW_MATCHER = '"matcher": "Edit|Write"'


def as_an_earlier_release_wrote_them(repo: Path) -> tuple[str, str]:
    config, settings = repo / ".pre-commit-config.yaml", repo / ".claude" / "settings.json"
    assert NEW_ENTRY in config.read_text()
    assert NEW_MATCHER in settings.read_text()
    old_config = config.read_text().replace(NEW_ENTRY, OLD_ENTRY)
    old_settings = settings.read_text().replace(NEW_MATCHER, OLD_MATCHER)
    config.write_text(old_config)
    settings.write_text(old_settings)
    commit(repo, "scaffold init by an earlier release")
    return old_config, old_settings


def test_update_migrates_the_lint_entry_and_the_claude_hook_matcher(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_config, old_settings = as_an_earlier_release_wrote_them(repo)

    assert main(["check", str(repo)]) == 1
    out, err = capsys.readouterr()
    report = out + err
    assert "the scaffold-lint hook runs `scaffold lint`" in report
    assert "matcher `Edit|MultiEdit|Write` is an earlier scaffold's" in report

    assert main(["update", "--dry-run", str(repo)]) == 0
    assert "\n-      entry: scaffold lint\n+      entry: scaffold lint --force-exclude\n" in (
        capsys.readouterr().out
    )

    assert main(["update", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "updated   .pre-commit-config.yaml: scaffold-lint hook entry now" in out
    assert "updated   .claude/settings.json: Claude Code hook matcher now `Edit|Write`" in out
    # Only those two strings changed.
    config = (repo / ".pre-commit-config.yaml").read_text()
    settings = (repo / ".claude" / "settings.json").read_text()
    assert config == old_config.replace(OLD_ENTRY, NEW_ENTRY)
    assert settings == old_settings.replace(OLD_MATCHER, NEW_MATCHER)
    assert json.loads(settings)["hooks"]["PostToolUse"][0]["matcher"] == "Edit|Write"

    commit(repo, "scaffold update")
    assert main(["check", str(repo)]) == 0
    assert main(["update", str(repo)]) == 0
    assert "nothing to change" in capsys.readouterr().out


def test_a_matcher_the_user_chose_is_theirs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = repo / ".claude" / "settings.json"
    mine = settings.read_text().replace(NEW_MATCHER, '"matcher": "Edit|Write|NotebookEdit"')
    settings.write_text(mine)
    commit(repo)
    assert main(["check", str(repo)]) == 0
    assert main(["update", str(repo)]) == 0
    assert settings.read_text() == mine
