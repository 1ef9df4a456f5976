"""`scaffolder._node_project.detect` over real directories: the answers init derives for Node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolder._node_project import (
    JS_GLOBS,
    TS_GLOBS,
    PackageJsonError,
    detect,
    node_answers,
    sdk_notes,
)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PKG = json.dumps({"name": "x"})
ESM = json.dumps({"name": "x", "type": "module"})
TS_DEP = json.dumps({"name": "x", "devDependencies": {"typescript": "^5.4.0"}})

# files, node_runtime, node_module_path, import_specifier
CASES = [
    ({"package.json": PKG, "index.js": ""}, "cjs", "claudeStream.cjs", "./claudeStream.cjs"),
    ({"package.json": ESM, "index.js": ""}, "esm", "claudeStream.mjs", "./claudeStream.mjs"),
    ({"package.json": PKG, "src/a.mjs": ""}, "esm", "src/claudeStream.mjs", "./claudeStream.mjs"),
    (
        {"package.json": PKG, "src/a.mjs": "", "src/b.cjs": ""},
        "cjs",
        "src/claudeStream.cjs",
        "./claudeStream.cjs",
    ),
    (
        {"package.json": json.dumps({"type": "commonjs"}), "a.mjs": ""},
        "cjs",
        "claudeStream.cjs",
        "./claudeStream.cjs",
    ),
    (
        {"package.json": PKG, "tsconfig.json": "{}", "src/index.ts": ""},
        "ts",
        "src/claudeStream.ts",
        "./claudeStream.js",
    ),
    (
        {"package.json": ESM, "tsconfig.json": "{}", "src/lib/util.ts": "", "src/app.ts": ""},
        "ts",
        "src/lib/claudeStream.ts",
        "./lib/claudeStream.js",
    ),
    ({"package.json": TS_DEP, "app/page.js": ""}, "ts", "app/claudeStream.ts", "./claudeStream.js"),
    ({"package.json": PKG, "lib/x.cts": ""}, "ts", "lib/claudeStream.ts", "./claudeStream.js"),
    # a declaration file alone does not make a JavaScript package TypeScript
    (
        {"package.json": PKG, "index.js": "", "index.d.ts": ""},
        "cjs",
        "claudeStream.cjs",
        "./claudeStream.cjs",
    ),
    # sources under node_modules and dist are not the project's
    (
        {"package.json": PKG, "node_modules/y/a.ts": "", "dist/b.mjs": "", "c.js": ""},
        "cjs",
        "claudeStream.cjs",
        "./claudeStream.cjs",
    ),
]


@pytest.mark.parametrize(("files", "runtime", "module_path", "specifier"), CASES)
def test_answers(
    tmp_path: Path, files: dict[str, str], runtime: str, module_path: str, specifier: str
) -> None:
    project = detect(_tree(tmp_path, files))
    assert project is not None
    assert (project.node_runtime, project.node_module_path, project.import_specifier) == (
        runtime,
        module_path,
        specifier,
    )
    globs = project.source_globs
    assert "**/*.js" in globs
    assert "**/*.mjs" in globs
    assert ("**/*.ts" in globs) == (runtime == "ts")


def test_no_package_json_is_not_a_node_project(tmp_path: Path) -> None:
    assert detect(_tree(tmp_path, {"a.ts": ""})) is None


SDK_CASES = [
    ({}, None, None, None),
    (
        {"package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^0.39.0"}})},
        "^0.39.0",
        None,
        0,
    ),
    (
        {
            "package.json": json.dumps({"devDependencies": {"@anthropic-ai/sdk": "~1.2.0"}}),
            "package-lock.json": json.dumps(
                {"packages": {"node_modules/@anthropic-ai/sdk": {"version": "1.2.3"}}}
            ),
        },
        "~1.2.0",
        "1.2.3",
        1,
    ),
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "*"}}),
            "package-lock.json": json.dumps(
                {"dependencies": {"@anthropic-ai/sdk": {"version": "0.20.1"}}}
            ),
        },
        "*",
        "0.20.1",
        0,
    ),
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^0.39.0"}}),
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n\n  '@anthropic-ai/sdk@0.39.4':\n"
            "    resolution: {integrity: sha512-x}\n",
        },
        "^0.39.0",
        "0.39.4",
        0,
    ),
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^0.39.0"}}),
            "pnpm-lock.yaml": "lockfileVersion: '6.0'\npackages:\n\n  /@anthropic-ai/sdk@0.39.1:\n"
            "    resolution: {integrity: sha512-x}\n",
        },
        "^0.39.0",
        "0.39.1",
        0,
    ),
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^2.0.0"}}),
            "yarn.lock": '# yarn lockfile v1\n\n"@anthropic-ai/sdk@^2.0.0":\n'
            '  version "2.1.0"\n  resolved "https://registry.yarnpkg.com/x"\n',
        },
        "^2.0.0",
        "2.1.0",
        2,
    ),
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^2.0.0"}}),
            "yarn.lock": '__metadata:\n  version: 8\n\n"@anthropic-ai/sdk@npm:^2.0.0":\n'
            "  version: 2.0.5\n  resolution: x\n",
        },
        "^2.0.0",
        "2.0.5",
        2,
    ),
    # a broken lockfile leaves the version unknown, it is not an error
    (
        {
            "package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "latest"}}),
            "package-lock.json": "{not json",
        },
        "latest",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("files", "sdk_range", "locked", "major"), SDK_CASES)
def test_sdk_dependency(
    tmp_path: Path,
    files: dict[str, str],
    sdk_range: str | None,
    locked: str | None,
    major: int | None,
) -> None:
    project = detect(_tree(tmp_path, {"package.json": "{}", **files}))
    assert project is not None
    assert (project.sdk_range, project.sdk_locked, project.sdk_major) == (sdk_range, locked, major)


@pytest.mark.parametrize(
    ("files", "workspaces"),
    [
        ({"package.json": json.dumps({"workspaces": ["packages/*"]})}, True),
        ({"package.json": "{}", "pnpm-workspace.yaml": "packages: ['a']\n"}, True),
        ({"package.json": "{}"}, False),
    ],
)
def test_workspaces(tmp_path: Path, files: dict[str, str], workspaces: bool) -> None:
    project = detect(_tree(tmp_path, files))
    assert project is not None
    assert project.workspaces is workspaces


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "x",}', "package.json:1:14: invalid JSON"),
        ("[1, 2]", "package.json: expected a JSON object"),
        ("{" * 100_000, "package.json"),
        (" " * (1 << 20) + "{}", "larger than"),
    ],
)
def test_unusable_package_json_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "package.json").write_text(text, encoding="utf-8")
    with pytest.raises(PackageJsonError) as raised:
        detect(tmp_path)
    line = raised.value.format_message()
    assert message in line
    assert "\n" not in line


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_bytes(b'{"name": "\xff"}')
    with pytest.raises(PackageJsonError, match="not UTF-8"):
        detect(tmp_path)


def _pkg(deps: dict[str, str]) -> str:
    return json.dumps({"name": "x", "dependencies": deps})


def test_node_answers_node_only_and_mixed(tmp_path: Path) -> None:
    project = detect(_tree(tmp_path, {"package.json": PKG, "tsconfig.json": "{}", "src/a.ts": ""}))
    assert project is not None
    alone = node_answers(project, python_globs=None)
    assert alone == {
        "python_runtime": False,
        "node_runtime": "ts",
        "node_module_path": "src/claudeStream.ts",
        "node_import": "./claudeStream.js",
        "source_globs": list(TS_GLOBS + JS_GLOBS),
    }
    mixed = node_answers(project, python_globs=["src/**/*.py", "**/*.js"])
    assert mixed["python_runtime"] is True
    assert mixed["source_globs"] == ["src/**/*.py", "**/*.js", *TS_GLOBS, *JS_GLOBS[1:]]


@pytest.mark.parametrize(
    ("deps", "lock", "level", "fragment"),
    [
        ({}, None, "note", "npm install @anthropic-ai/sdk"),
        ({"left-pad": "1.0.0"}, None, "note", "npm install @anthropic-ai/sdk"),
        ({"@anthropic-ai/sdk": "^0.39.0"}, None, None, None),
        ({"@anthropic-ai/sdk": "^1.2.0"}, None, None, None),
        ({"@anthropic-ai/sdk": "^2.0.0"}, None, "warning", "^2.0.0 is outside"),
        ({"@anthropic-ai/sdk": "*"}, "3.1.0", "warning", "3.1.0 is outside"),
        ({"@anthropic-ai/sdk": "latest"}, None, None, None),  # unknown major: nothing to say
    ],
)
def test_sdk_notes(
    tmp_path: Path, deps: dict[str, str], lock: str | None, level: str | None, fragment: str | None
) -> None:
    files = {"package.json": _pkg(deps)}
    if lock is not None:
        files["package-lock.json"] = json.dumps(
            {"packages": {"node_modules/@anthropic-ai/sdk": {"version": lock}}}
        )
    project = detect(_tree(tmp_path, files))
    assert project is not None
    notes = sdk_notes(project)
    if level is None:
        assert notes == []
    else:
        assert [note.level for note in notes] == [level]
        assert fragment is not None
        assert fragment in notes[0].message
