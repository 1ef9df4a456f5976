"""Whole files scaffold owns: the runtime module(s), the Claude Code rule, the Cursor rule.

`render.placed_files` says which rendered file goes where (answers `module_path`,
`node_module_path`, `cursor_rule`). The answers file records the sha256 of each as written, so
- init creates a file, leaves an identical one alone, regenerates one still as scaffold wrote
  it, and refuses (or, with `--force`, backs up and replaces) anything else;
- update merges three ways: base = the recorded template version, ours = the file, theirs =
  the installed template (`git merge-file`); conflicts are written with markers and listed;
- check compares digests (no rendering, no copier).
"""

from __future__ import annotations

import re
from pathlib import Path

from scaffolder import render
from scaffolder._fs import Change, keep_line_endings, lf, read_bytes, with_line_endings_of
from scaffolder._recorded import file_digest
from scaffolder.artifacts._base import (
    Action,
    CheckContext,
    Collision,
    InitContext,
    Kind,
    Outcome,
    Step,
    UpdateContext,
    planned,
)
from scaffolder.repo import check_inside

_CONFLICT_MARKERS = re.compile(r"^<{7} .*$\n(?:.*\n)*?^>{7} ", re.MULTILINE)


def owned(context: InitContext) -> dict[str, str]:
    """{repo path: text} of the whole files this init owns."""
    return render.placed_files(context.rendered, context.answers)


def plan(context: InitContext) -> list[Step]:
    answers = context.answers
    details = {
        str(answers["module_path"]): f"recovery module (timeout {answers['timeout']} s)",
        render.RULES: "Claude Code rule for " + ", ".join(answers["source_globs"]),
        str(answers.get("cursor_rule") or ""): "Cursor rule (same text)",
    }
    if answers.get("node_runtime"):
        language = "TypeScript" if answers["node_runtime"] == "ts" else "JavaScript"
        details[str(answers["node_module_path"])] = (
            f"{language} recovery module (timeout {answers['timeout']} s)"
        )
    steps = []
    for rel, text in owned(context).items():
        detail = details.get(rel, "template file")
        target = check_inside(context.root, rel)
        old = read_bytes(target)
        new = keep_line_endings(old, text.encode("utf-8"))
        if old is None or old == new or context.recorded_digests.get(rel) == file_digest(old):
            steps.append(planned(rel, Change(target, old, new), detail))
        else:
            context.collisions.append(Collision(rel, target, old, new, detail))
    return steps


def update(context: UpdateContext) -> list[Step]:
    recorded = context.recorded
    base_files = render.placed_files(context.base, recorded.answers)
    their_files = render.placed_files(context.theirs, recorded.answers)
    steps = []
    for rel in managed(context):
        if rel not in their_files:
            if (context.root / rel).exists():
                detail = "no longer part of the template; left in place (delete it if unused)"
                steps.append(Step(Outcome(rel, "unmanaged", detail)))
            continue
        step, expect = _update_file(
            context.root / rel,
            rel,
            base_files.get(rel),
            their_files[rel],
            labels=(rel, f"template v{context.from_version}", f"template v{context.to_version}"),
            was_managed=rel in recorded.managed_files or rel in base_files,
            recorded_digest=recorded.managed_files.get(rel),
        )
        steps.append(step)
        if expect is not None:
            context.digests[rel] = expect
    return steps


def managed(context: UpdateContext) -> list[str]:
    """Every whole file of the base, of the installed template, and recorded as written."""
    answers = context.recorded.answers
    return sorted(
        {
            *render.placed_files(context.base, answers),
            *render.placed_files(context.theirs, answers),
            *context.recorded.managed_files,
        }
    )


def _update_file(
    path: Path,
    rel: str,
    base: str | None,
    theirs: str,
    *,
    labels: tuple[str, str, str],
    was_managed: bool,
    recorded_digest: str | None,
) -> tuple[Step, str | None]:
    """(the step, the digest check should expect) for one whole managed file."""
    from scaffolder._merge import merge3

    their_bytes = theirs.encode("utf-8")
    ours_bytes = read_bytes(path)
    if ours_bytes is None:
        action: Action = "restored" if was_managed else "created"
        return Step(Outcome(rel, action), Change(path, None, their_bytes)), file_digest(their_bytes)
    if ours_bytes == their_bytes:
        return Step(), file_digest(their_bytes)
    try:
        ours = ours_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return Step(Outcome(rel, "conflict", "not UTF-8; left as it is")), recorded_digest
    if base is None:
        detail = "is in the way of a new template file (scaffold did not write it); left as it is"
        return Step(Outcome(rel, "conflict", detail)), None
    if _CONFLICT_MARKERS.search(ours):
        detail = "has unresolved conflict markers from an earlier update; resolve them first"
        return Step(Outcome(rel, "conflict", detail)), recorded_digest
    if lf(ours) == lf(base):
        new = with_line_endings_of(ours, theirs).encode("utf-8")
        if new == ours_bytes:  # the template's text, in the file's line endings
            return Step(), file_digest(new)
        return Step(Outcome(rel, "updated"), Change(path, ours_bytes, new)), file_digest(new)
    merged = merge3(ours, base, theirs, labels=labels)
    new = merged.text.encode("utf-8")
    if merged.conflicts:
        detail = f"{merged.conflicts} conflicting region(s) marked with <<<<<<< / >>>>>>>"
        # Expect the pristine template: the file counts as drifted until the user resolves it
        # and runs update again.
        conflict = Outcome(rel, "conflict", detail)
        return Step(conflict, Change(path, ours_bytes, new)), file_digest(their_bytes)
    digest = file_digest(new)
    if base == theirs:  # nothing new from the template: the user's file as it is
        already = digest == recorded_digest  # recorded by an earlier update: nothing to say
        return Step(None if already else Outcome(rel, "kept", "your edits kept")), digest
    return Step(Outcome(rel, "merged", "your edits kept"), Change(path, ours_bytes, new)), digest


def check(context: CheckContext) -> list[str]:
    from scaffolder import _node_project

    problems = []
    for rel, digest in sorted(context.recorded.managed_files.items()):
        problems.extend(_check_file(context.root, rel, digest))
    if not context.recorded.answers.get("node_runtime") and _node_project.declares_sdk(
        context.root
    ):
        # Node code that calls Claude arrived after init: "up to date" would be a false safe.
        problems.append(
            f"{_node_project.PACKAGE_JSON}: declares {_node_project.SDK_PACKAGE}, and scaffold "
            "manages no Node recovery module here; run `scaffold init` to add one"
        )
    return problems


def _check_file(root: Path, rel: str, digest: str) -> list[str]:
    try:
        data = (root / rel).read_bytes()
    except FileNotFoundError:
        return [f"{rel}: managed file is missing; run `scaffold update` to restore it"]
    except OSError as exc:
        return [f"{rel}: cannot be read ({exc.strerror or exc})"]
    if file_digest(data) != digest:
        return [
            f"{rel}: edited since scaffold wrote it; move your changes out of this managed file "
            "(or run `scaffold update` to record them as yours)"
        ]
    return []


KIND = Kind(
    "template files",
    answers=(
        "timeout",
        "python_runtime",
        "module_path",
        "module_import",
        "node_runtime",
        "node_module_path",
        "node_import",
        "source_globs",
        "cursor_rule",
    ),
    plan=plan,
    update=update,
    check=check,
    update_paths=managed,
)
