"""Every managed text file kind keeps the user's bytes: BOM, encoding and line endings.

One parametrised test over (kind, encoding): the user's file exists in that encoding before
`scaffold init`; afterwards it must still carry the same byte order mark, decode in the same
encoding, hold every line the user wrote in order, use the user's line endings only, and be left
alone by a second init, by `scaffold update` and by `scaffold check`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scaffolder.cli import main
from tests.init.repos import FLAT, git, make_repo

NODE_ONLY: dict[str, str | bytes] = {
    "package.json": '{"dependencies": {"@anthropic-ai/sdk": "^0.60.0"}}\n',
    "index.ts": "",
}
# kind -> (path, the user's text, init options that make scaffold manage it); a repository like
# tests.init.repos.FLAT, or like NODE_ONLY for the kinds listed in NODE_KINDS
NODE_KINDS = {"scaffold toml"}
KINDS = {
    "claude-md block": ("CLAUDE.md", "# Team\n\nKeep answers short. Ünïcode.\n", ()),
    "agents-md block": ("AGENTS.md", "# Agents\n\nRun the tests first.\n", ()),
    "gemini-md block": ("GEMINI.md", "# Gemini\n\nUse uv.\n", ("--agents", "claude,gemini")),
    "copilot block": (
        ".github/copilot-instructions.md",
        "# Copilot\n\nPrefer small functions.\n",
        (),
    ),
    "claude settings": (
        ".claude/settings.json",
        '{\n  "permissions": {\n    "allow": ["Bash(ls:*)"]\n  }\n}\n',
        (),
    ),
    "codex hooks": (
        ".codex/hooks.json",
        '{\n  "hooks": {\n    "Stop": []\n  }\n}\n',
        ("--agents", "claude,codex"),
    ),
    "gemini settings": (
        ".gemini/settings.json",
        '{\n  // the team theme\n  "ui": {"theme": "Dracula"}\n}\n',
        ("--agents", "claude,gemini"),
    ),
    "pyproject": ("pyproject.toml", FLAT["pyproject.toml"], ()),
    "scaffold toml": ("scaffold.toml", "# ours\nexclude = ['generated']\n", ()),
    "pre-commit config": (
        ".pre-commit-config.yaml",
        "repos:\n  - repo: local\n    hooks:\n      - id: mine\n        name: mine\n"
        "        entry: 'true'\n        language: system\n",
        (),
    ),
}
ENCODINGS = {
    "utf-8 crlf": (b"", "utf-8", "\r\n"),
    "utf-8 bom": (codecs.BOM_UTF8, "utf-8", "\n"),
    "utf-8 bom crlf": (codecs.BOM_UTF8, "utf-8", "\r\n"),
    "utf-16-le bom": (codecs.BOM_UTF16_LE, "utf-16-le", "\n"),
}
# TOML and YAML files are UTF-8 by their specifications (pip and pre-commit read them so)
UTF8_ONLY = {"pyproject", "scaffold toml", "pre-commit config"}
CASES = [
    (kind, encoding)
    for kind in KINDS
    for encoding, (_, codec, _) in ENCODINGS.items()
    if codec == "utf-8" or kind not in UTF8_ONLY
]


def scaffold(*args: str) -> int:
    return main(list(args))


@pytest.mark.parametrize(("kind", "encoding"), CASES)
def test_the_users_bytes_are_kept(
    kind: str, encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, text, options = KINDS[kind]
    bom, codec, newline = ENCODINGS[encoding]
    original = bom + text.replace("\n", newline).encode(codec)
    base = NODE_ONLY if kind in NODE_KINDS else FLAT
    root = make_repo(tmp_path / "repo", {**base, rel: original})

    assert scaffold("init", "-y", *options, str(root)) == 0, capsys.readouterr()
    data = (root / rel).read_bytes()
    assert data != original, f"init did not manage {rel}"
    assert data.startswith(bom)
    decoded = data[len(bom) :].decode(codec)
    if bom != codecs.BOM_UTF8:
        assert not decoded.startswith("\ufeff")
    if newline == "\r\n":
        assert "\n" not in decoded.replace("\r\n", ""), "a bare LF in a CRLF file"
    else:
        assert "\r" not in decoded
    lines = iter(decoded.splitlines())
    for line in text.splitlines():
        if line.strip() in ("}", "]"):  # JSON closers move when an entry is added before them
            continue
        # a JSON member that was last gets the comma before scaffold's entry
        assert any(candidate in (line, line + ",") for candidate in lines), f"lost: {line!r}"

    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    assert scaffold("init", "-y", *options, str(root)) == 0
    assert scaffold("update", str(root)) == 0
    assert scaffold("check", str(root)) == 0, capsys.readouterr()
    assert (root / rel).read_bytes() == data


def test_whole_files_checked_out_with_crlf_are_not_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git's `core.autocrlf` turns the LF scaffold wrote into CRLF: no drift, nothing to do."""
    files: dict[str, str | bytes] = {**FLAT}
    root = make_repo(tmp_path / "repo", files)
    assert scaffold("init", "-y", str(root)) == 0
    owned = ["chat_app/claude_stream.py", ".claude/rules/claude-streaming.md"]
    for rel in owned:
        path = root / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init, checked out on Windows")
    before = {rel: (root / rel).read_bytes() for rel in owned}
    capsys.readouterr()
    assert scaffold("check", str(root)) == 0, capsys.readouterr()
    assert scaffold("init", "-y", str(root)) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert scaffold("update", str(root)) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert {rel: (root / rel).read_bytes() for rel in owned} == before
