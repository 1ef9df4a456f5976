"""Locate files that ship with scaffolder, in a checkout and in an installed wheel alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def template_root() -> Path:
    """The copier template directory.

    An installed wheel carries it as `scaffolder/_template` (hatch `force-include`); in a source
    checkout (and an editable install) it is the top-level `template/` folder.
    """
    packaged = resources.files("scaffolder") / "_template"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "template"
    if checkout.is_dir():
        return checkout
    from scaffolder.errors import RenderError

    raise RenderError(
        "scaffold's template is missing from this installation; reinstall it "
        "(`uv tool install --reinstall claude-scaffold` or `pipx reinstall claude-scaffold`)."
    )
