"""`run_update`: three-way merges from template version N to N+1 on real repos and real git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffolder.answers import load_answers
from scaffolder.check import run_check
from scaffolder.edits.managed_block import find_block
from scaffolder.errors import FileFormatError, RenderError, RepoError
from scaffolder.init import run_init
from scaffolder.render import render_files
from scaffolder.templates import TemplateStore
from scaffolder.update import run_update
from tests.conftest import FailNthReplace
from tests.init.repos import git, make_repo, snapshot
from tests.update.conftest import MODULE, PROJECT, RULES, USER_CLAUDE_MD, commit
from tests.update.versions import BLOCK_LINE, RULES_SRC, Versions, insert_after

MINE = "# my own line, keep it\n"


def rendered_v2(root: Path, versions: Versions) -> dict[str, str]:
    answers = load_answers(root)
    assert answers is not None
    wanted = ("timeout", "module_path", "module_import", "source_globs", "claude_md")
    return render_files({k: answers[k] for k in wanted}, template=versions.store.current)


def test_an_unedited_repo_gets_the_new_version_exactly(repo: Path, versions: Versions) -> None:
    report = run_update(repo, templates=versions.store)

    assert report.ok, report.outcomes
    assert (report.from_version, report.to_version) == (versions.old, versions.new)
    expected = rendered_v2(repo, versions)
    assert (repo / MODULE).read_text() == expected["claude_stream.py"]
    assert (repo / RULES).read_text() == expected[RULES]
    assert {o.path: o.action for o in report.outcomes} == {
        MODULE: "updated",
        RULES: "updated",
        "CLAUDE.md": "updated",
    }
    claude_md = (repo / "CLAUDE.md").read_text()
    assert claude_md.startswith(USER_CLAUDE_MD)
    block = find_block(claude_md)
    assert block is not None
    assert (block.version, block.edited) == (versions.new, False)
    assert BLOCK_LINE in block.body
    assert load_answers(repo)["template_version"] == versions.new  # type: ignore[index]
    assert run_check(repo, templates=versions.store).ok


def test_check_reports_the_old_version_until_update(repo: Path, versions: Versions) -> None:
    before = run_check(repo, templates=versions.store)
    assert not before.ok
    assert any(f"template version {versions.old}" in p for p in before.problems)
    run_update(repo, templates=versions.store)
    assert run_check(repo, templates=versions.store).problems == []


def test_user_edits_away_from_template_changes_merge_cleanly(
    repo: Path, versions: Versions
) -> None:
    insert_after(repo / MODULE, versions.runtime.quiet, MINE)
    insert_after(repo / RULES, versions.rules.quiet, "My own rule.\n")
    commit(repo)

    report = run_update(repo, templates=versions.store)

    assert report.ok
    assert {o.path: o.action for o in report.outcomes if o.path != "CLAUDE.md"} == {
        MODULE: "merged",
        RULES: "merged",
    }
    module = (repo / MODULE).read_text()
    assert versions.runtime.quiet + MINE in module
    assert all(line in module for line in versions.runtime.added)
    assert "<<<<<<<" not in module
    compile(module, MODULE, "exec")
    rules = (repo / RULES).read_text()
    assert versions.rules.quiet + "My own rule.\n" in rules
    assert all(line in rules for line in versions.rules.added)
    # The merged files are what scaffold wrote: check is green, the edits are the user's own.
    assert run_check(repo, templates=versions.store).ok


def test_conflicting_edits_get_git_markers_and_exit_as_conflicts(
    repo: Path, versions: Versions
) -> None:
    top = versions.runtime.changed_after[0]
    insert_after(repo / MODULE, top, MINE)
    insert_after(repo / MODULE, versions.runtime.quiet, "# a clean edit too\n")
    commit(repo)

    report = run_update(repo, templates=versions.store)

    assert not report.ok
    assert [(c.path, c.action) for c in report.conflicts] == [(MODULE, "conflict")]
    module = (repo / MODULE).read_text()
    assert f"{top}<<<<<<< {MODULE}\n{MINE}=======\n{versions.runtime.added[0]}>>>>>>> " in module
    assert f">>>>>>> template v{versions.new}\n" in module
    assert versions.runtime.quiet + "# a clean edit too\n" in module  # the clean part merged
    assert all(line in module for line in versions.runtime.added[1:])
    # The rest of the update went through.
    assert (repo / RULES).read_text() == rendered_v2(repo, versions)[RULES]
    assert load_answers(repo)["template_version"] == versions.new  # type: ignore[index]
    # Until resolved, check says so; an update run on the unresolved file leaves it alone.
    assert any(p.startswith(f"{MODULE}: edited") for p in run_check(repo).problems)
    commit(repo, "commit the conflict as is")
    again = run_update(repo, templates=versions.store)
    assert [c.detail for c in again.conflicts] == [
        "has unresolved conflict markers from an earlier update; resolve them first"
    ]
    assert (repo / MODULE).read_text() == module


def test_resolving_a_conflict_and_updating_again_records_the_resolution(
    repo: Path, versions: Versions
) -> None:
    insert_after(repo / MODULE, versions.runtime.changed_after[0], MINE)
    commit(repo)
    run_update(repo, templates=versions.store)
    module = (repo / MODULE).read_text()
    start, end = module.index("<<<<<<< "), module.index(">>>>>>> ")
    resolved = module[:start] + MINE + versions.runtime.added[0]
    resolved += module[module.index("\n", end) + 1 :]
    (repo / MODULE).write_text(resolved)
    commit(repo, "resolve")

    report = run_update(repo, templates=versions.store)

    assert report.ok
    assert (repo / MODULE).read_text() == resolved
    assert run_check(repo, templates=versions.store).ok


def test_an_unedited_claude_md_block_is_replaced_an_edited_one_is_a_conflict(
    repo: Path, versions: Versions
) -> None:
    text = (repo / "CLAUDE.md").read_text()
    block = find_block(text)
    assert block is not None
    edited = text.replace(block.body, block.body + "My addition inside the block.\n")
    (repo / "CLAUDE.md").write_text(edited)
    commit(repo)

    report = run_update(repo, templates=versions.store)

    assert [(c.path, c.action) for c in report.conflicts] == [("CLAUDE.md", "conflict")]
    assert "--force" in report.conflicts[0].detail
    assert (repo / "CLAUDE.md").read_text() == edited  # left exactly as it was
    assert any("managed block was edited" in p for p in run_check(repo).problems)

    commit(repo)
    forced = run_update(repo, templates=versions.store, force=True)
    assert forced.ok
    new = (repo / "CLAUDE.md").read_text()
    assert new.startswith(USER_CLAUDE_MD)
    assert "My addition inside the block." not in new
    assert BLOCK_LINE in new
    assert run_check(repo, templates=versions.store).ok


def test_a_removed_block_stays_removed_unless_forced(repo: Path, versions: Versions) -> None:
    (repo / "CLAUDE.md").write_text(USER_CLAUDE_MD)
    commit(repo)
    report = run_update(repo, templates=versions.store)
    assert [c.path for c in report.conflicts] == ["CLAUDE.md"]
    assert (repo / "CLAUDE.md").read_text() == USER_CLAUDE_MD
    commit(repo)
    run_update(repo, templates=versions.store, force=True)
    assert BLOCK_LINE in (repo / "CLAUDE.md").read_text()


def test_crlf_claude_md_and_bom_are_kept(repo: Path, versions: Versions) -> None:
    text = (repo / "CLAUDE.md").read_text()
    (repo / "CLAUDE.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    commit(repo)
    assert run_update(repo, templates=versions.store).ok
    data = (repo / "CLAUDE.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + USER_CLAUDE_MD.replace("\n", "\r\n").encode())
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert BLOCK_LINE.encode() + b"\r\n" in data


def test_a_crlf_module_merges_without_line_ending_conflicts(repo: Path, versions: Versions) -> None:
    insert_after(repo / MODULE, versions.runtime.quiet, MINE)
    crlf = (repo / MODULE).read_bytes().replace(b"\n", b"\r\n")
    (repo / MODULE).write_bytes(crlf)
    commit(repo)
    report = run_update(repo, templates=versions.store)
    assert report.ok
    data = (repo / MODULE).read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert MINE.replace("\n", "\r\n").encode() in data
    assert versions.runtime.added[1].replace("\n", "\r\n").encode() in data


def test_tool_scaffold_gains_missing_keys_and_keeps_user_values(
    repo: Path, versions: Versions
) -> None:
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    start = text.index("[tool.scaffold]")
    user_table = '[tool.scaffold]\nselect = ["SCF001"]  # only this one\n'
    pyproject.write_text(text[:start] + user_table)
    commit(repo)

    report = run_update(repo, templates=versions.store)

    assert ("pyproject.toml", "updated") in [(o.path, o.action) for o in report.outcomes]
    new = pyproject.read_text()
    assert new.startswith(text[:start] + user_table)
    assert "min-timeout = 300" in new

    pyproject.write_text(new.replace("min-timeout = 300", "min-timeout = 900"))
    commit(repo)
    run_update(repo, templates=versions.store)
    assert "min-timeout = 900" in pyproject.read_text()


def test_tool_scaffold_keys_added_to_a_mixed_line_ending_file_keep_every_user_byte(
    repo: Path, versions: Versions
) -> None:
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    start = text.index("[tool.scaffold]")
    user = (
        text[:start].replace("\n", "\r\n", 1) + '[tool.scaffold]\nselect = ["SCF001"]\n'
    ).encode()
    pyproject.write_bytes(user)
    commit(repo)

    run_update(repo, templates=versions.store)

    new = pyproject.read_bytes()
    assert new.startswith(user)
    assert b"min-timeout = 300" in new


def test_a_deleted_managed_file_is_restored(repo: Path, versions: Versions) -> None:
    (repo / RULES).unlink()
    commit(repo)
    report = run_update(repo, templates=versions.store)
    assert (RULES, "restored") in [(o.path, o.action) for o in report.outcomes]
    assert (repo / RULES).read_text() == rendered_v2(repo, versions)[RULES]


def test_uncommitted_managed_files_are_refused_unless_allowed(
    repo: Path, versions: Versions
) -> None:
    insert_after(repo / MODULE, versions.runtime.quiet, MINE)
    before = snapshot(repo)
    with pytest.raises(RepoError, match=f"uncommitted changes .*{MODULE}.*--allow-dirty"):
        run_update(repo, templates=versions.store)
    assert snapshot(repo) == before

    report = run_update(repo, templates=versions.store, allow_dirty=True)
    assert report.ok
    assert MINE in (repo / MODULE).read_text()


def test_unrelated_uncommitted_files_do_not_block_an_update(repo: Path, versions: Versions) -> None:
    (repo / "README.md").write_text("# changed, not committed\n")
    (repo / "notes.txt").write_text("untracked\n")
    assert run_update(repo, templates=versions.store).ok


def test_dry_run_writes_nothing_and_shows_the_diff(repo: Path, versions: Versions) -> None:
    insert_after(repo / MODULE, versions.runtime.changed_after[0], MINE)
    commit(repo)
    before = snapshot(repo)

    report = run_update(repo, templates=versions.store, dry_run=True)

    assert snapshot(repo) == before
    assert f"+++ b/{MODULE}" in report.diff
    assert "+<<<<<<< " in report.diff
    assert f"+{versions.rules.added[1]}" in report.diff
    assert [c.path for c in report.conflicts] == [MODULE]


def test_update_on_the_current_version_changes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    report = run_update(repo)
    assert report.ok
    assert report.changes == []
    assert snapshot(repo) == before


def test_a_repo_from_a_newer_template_is_refused(repo: Path) -> None:
    answers = repo / ".scaffold-answers.yml"
    answers.write_text(answers.read_text().replace("template_version: ", "template_version: 9"))
    commit(repo)
    before = snapshot(repo)
    with pytest.raises(RenderError, match=r"upgrade scaffold .*claude-scaffold"):
        run_update(repo)
    assert snapshot(repo) == before


def test_a_repo_without_scaffold_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(RepoError, match="run `scaffold init`"):
        run_update(tmp_path)


def test_a_file_dropped_from_the_template_is_left_to_the_user(
    repo: Path, versions: Versions, tmp_path: Path
) -> None:
    current = tmp_path / "template"
    shutil.copytree(versions.store.current, current)
    (current / RULES_SRC).unlink()
    store = TemplateStore(current=current, history=versions.store.history)
    rules = (repo / RULES).read_bytes()

    report = run_update(repo, templates=store)

    assert report.ok
    assert (RULES, "unmanaged") in [(o.path, o.action) for o in report.outcomes]
    assert (repo / RULES).read_bytes() == rules
    assert RULES not in load_answers(repo)["managed_files"]  # type: ignore[index]
    assert run_check(repo, templates=store).ok


def test_a_symlinked_claude_md_stays_a_link(tmp_path: Path, versions: Versions) -> None:
    files = {k: v for k, v in PROJECT.items() if k != "CLAUDE.md"}
    root = make_repo(tmp_path / "repo", {**files, "AGENTS.md": USER_CLAUDE_MD})
    (root / "CLAUDE.md").symlink_to("AGENTS.md")
    run_init(root, assume_yes=True)
    commit(root)

    assert run_update(root, templates=versions.store).ok

    assert (root / "CLAUDE.md").is_symlink()
    agents = (root / "AGENTS.md").read_text()
    assert agents.startswith(USER_CLAUDE_MD)
    assert BLOCK_LINE in agents


def test_claude_md_linked_to_agents_md_after_init_gets_one_block_update(
    tmp_path: Path, versions: Versions
) -> None:
    files = {k: v for k, v in PROJECT.items() if k != "CLAUDE.md"}
    root = make_repo(tmp_path / "repo", {**files, "AGENTS.md": USER_CLAUDE_MD})
    run_init(root, assume_yes=True)  # CLAUDE.md and AGENTS.md, each with a block
    (root / "CLAUDE.md").unlink()
    (root / "CLAUDE.md").symlink_to("AGENTS.md")  # later: one file for every agent
    commit(root)

    assert run_update(root, templates=versions.store).ok

    assert (root / "CLAUDE.md").is_symlink()
    agents = (root / "AGENTS.md").read_text()
    assert agents.count(BLOCK_LINE) == 1
    assert run_check(root, templates=versions.store).ok


def test_a_write_failing_midway_leaves_every_file_as_it_was(
    repo: Path, versions: Versions, fail_nth_replace: FailNthReplace
) -> None:
    insert_after(repo / MODULE, versions.runtime.quiet, MINE)
    commit(repo)
    before = {path: data for path, (data, _) in snapshot(repo).items()}
    fail_nth_replace(3)  # module, rules and CLAUDE.md change: fail on the third
    with pytest.raises(RepoError, match="nothing was changed"):
        run_update(repo, templates=versions.store)
    assert {path: data for path, (data, _) in snapshot(repo).items()} == before


def test_edits_recorded_by_an_earlier_update_are_not_reported_again(repo: Path) -> None:
    (repo / MODULE).write_text(MINE + (repo / MODULE).read_text())
    commit(repo)
    first = run_update(repo)
    assert [(o.path, o.action) for o in first.outcomes] == [(MODULE, "kept")]
    assert [c.path.name for c in first.changes] == [".scaffold-answers.yml"]  # the new digest
    commit(repo)
    second = run_update(repo)
    assert (second.outcomes, second.changes) == ([], [])
    assert run_check(repo).ok


def test_a_dry_run_previews_even_uncommitted_files(repo: Path, versions: Versions) -> None:
    insert_after(repo / MODULE, versions.runtime.quiet, MINE)
    before = snapshot(repo)
    report = run_update(repo, templates=versions.store, dry_run=True)
    assert snapshot(repo) == before
    assert f"+{versions.runtime.added[0]}" in report.diff


def test_an_invalid_pyproject_stops_the_update_before_anything_is_written(
    repo: Path, versions: Versions
) -> None:
    (repo / "pyproject.toml").write_text((repo / "pyproject.toml").read_text() + "[broken\n")
    commit(repo)
    before = snapshot(repo)
    with pytest.raises(FileFormatError, match=r"pyproject\.toml:\d+:\d+: invalid TOML"):
        run_update(repo, templates=versions.store)
    assert snapshot(repo) == before
