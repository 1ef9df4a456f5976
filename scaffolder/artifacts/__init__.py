"""Every kind of file scaffold manages, one module each; `init`, `update` and `check` loop
over `KINDS`.

A kind knows, in one place, where its files live (which answers keys say so), what init plans
for them, how update brings them to the installed template, and what check reports as drift
(`_base.Kind`). The commands add what is not about one kind: settling the answers, rendering,
resolving init's collisions, refusing a dirty work tree, writing everything at once. The
answers file (`answers_file`) is not in `KINDS`: it records the others' results, so the
commands write it last and check reads it first.

Adding a kind: a module here with a `KIND`, listed in `KINDS` (in the order the commands
report files), and a test module beside the others (docs/development.md walks through it).
"""

from __future__ import annotations

from scaffolder.artifacts import (
    agent_hooks,
    memory_blocks,
    pre_commit,
    settings,
    template_files,
)
from scaffolder.artifacts._base import (
    Action,
    CheckContext,
    Collision,
    InitContext,
    Kind,
    Outcome,
    Step,
    UpdateContext,
)

KINDS: tuple[Kind, ...] = (
    template_files.KIND,
    memory_blocks.KIND,
    agent_hooks.KIND,
    settings.KIND,
    pre_commit.KIND,
)

__all__ = [
    "KINDS",
    "Action",
    "CheckContext",
    "Collision",
    "InitContext",
    "Kind",
    "Outcome",
    "Step",
    "UpdateContext",
]
