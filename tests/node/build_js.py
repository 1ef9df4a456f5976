"""Regenerate the JavaScript variants of the Node runtime from its TypeScript template.

    python -m tests.node.build_js

The template's ``claudeStream.ts`` is the source; ``claudeStream.mjs`` (ES module) and
``claudeStream.cjs`` (CommonJS) are what ``tsc`` makes of it, with the template's variables put
back. ``tests/node/test_typecheck.py`` fails when they are out of date.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.node import npm

# Placeholders the compiler passes through unchanged, one per template variable.
_VARIABLES = {"{{ timeout }}": "7777777", "{{ template_version }}": "8888888"}
_HEADER = (
    "// JavaScript ({kind}) compiled by tsc from claudeStream.ts; edit that file, not this one.\n"
)
_MODULES = {"esm": ("es2020", "ES module"), "cjs": ("commonjs", "CommonJS")}


def compile_variants(root: Path) -> dict[str, str]:
    """The JS template text of each variant, compiled with the SDK install at `root`."""
    source = npm.template_file("ts").read_text(encoding="utf-8")
    for variable, placeholder in _VARIABLES.items():
        assert source.count(variable) == 1, variable
        source = source.replace(variable, placeholder)
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="claude-stream-build-", dir=root) as scratch:
        work = Path(scratch)
        (work / "claudeStream.ts").write_text(source, encoding="utf-8")
        for variant, (module, kind) in _MODULES.items():
            target = work / variant
            result = npm.tsc(
                root,
                "--strict",
                "--target", "es2020",
                "--module", module,
                "--moduleResolution", "node10",
                "--esModuleInterop",
                "--skipLibCheck",
                "--types", "node",
                "--newLine", "lf",
                "--outDir", str(target),
                "claudeStream.ts",
                cwd=work,
            )  # fmt: skip
            if result.returncode != 0:
                raise RuntimeError(f"tsc failed:\n{result.stdout}{result.stderr}")
            text = (target / "claudeStream.js").read_text(encoding="utf-8")
            for variable, placeholder in _VARIABLES.items():
                assert text.count(placeholder) == 1, (variant, placeholder)
                text = text.replace(placeholder, variable)
            out[variant] = _HEADER.format(kind=kind) + text
    return out


def main() -> None:
    root = npm.sdk_dir(npm.SDK_MAJORS[0])
    for variant, text in compile_variants(root).items():
        npm.template_file(variant).write_text(text, encoding="utf-8")
        print(f"wrote {npm.template_file(variant)}")


if __name__ == "__main__":
    main()
