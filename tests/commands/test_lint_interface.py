"""ruff's interface of `scaffold lint`, each option through the real CLI: output formats,
statistics, selection precedence, nested configurations, excludes, per-file ignores,
--show-files/--show-settings, -q/-s, --isolated, --add-noqa and unused-noqa (SCF100)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.commands.test_lint import BAD, lint

TWO_FILES = ("a.py", "b.py")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory (no git) with a pyproject.toml, as the working directory."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def findings(project: Path) -> Path:
    for name in TWO_FILES:
        (project / name).write_text(BAD, encoding="utf-8")
    return project


def test_output_format_and_its_format_alias_agree(findings: Path) -> None:
    new = lint("--output-format", "json", *TWO_FILES)
    old = lint("--format", "json", *TWO_FILES)
    assert new == old
    assert new[0] == 1


def test_full_shows_the_source_line_and_a_caret(findings: Path) -> None:
    _, out, _ = lint("--output-format", "full", "a.py")
    assert "a.py:4:6: SCF001 " in out
    assert '4 | with client.messages.stream(model="m", max_tokens=1, messages=[]) as stream:' in out
    caret_line = next(line for line in out.splitlines() if "^" in line and "SCF001" in line)
    assert caret_line.index("^") == out.splitlines()[out.splitlines().index(caret_line) - 1].index(
        "client"
    )
    assert "= help: use `recovering_stream" in out
    assert "Found 2 errors." in out


def test_concise_is_one_line_per_finding(findings: Path) -> None:
    _, out, _ = lint("--output-format", "concise", "a.py")
    assert out.splitlines() == [
        out.splitlines()[0],
        out.splitlines()[1],
        "Found 2 errors.",
    ]
    assert all(re.match(r"a\.py:\d+:\d+: SCF00[13] ", line) for line in out.splitlines()[:2])


def test_json_lines(findings: Path) -> None:
    _, out, _ = lint("--output-format", "json-lines", *TWO_FILES)
    items = [json.loads(line) for line in out.splitlines()]
    assert [(i["filename"], i["code"]) for i in items] == [
        ("a.py", "SCF003"),
        ("a.py", "SCF001"),
        ("b.py", "SCF003"),
        ("b.py", "SCF001"),
    ]


def test_junit(findings: Path) -> None:
    code, out, _ = lint("--output-format", "junit", *TWO_FILES)
    root = ElementTree.fromstring(out)
    assert (code, root.tag, root.get("failures")) == (1, "testsuites", "4")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.py", "b.py"]
    case = suites[0].findall("testcase")[1]
    assert (case.get("name"), case.get("line"), case.get("column")) == (
        "org.scaffold.SCF001",
        "4",
        "6",
    )
    assert case.find("failure") is not None


def test_junit_without_findings_is_a_passing_suite(project: Path) -> None:
    (project / "ok.py").write_text("import os\n", encoding="utf-8")
    code, out, _ = lint("--output-format", "junit", "ok.py")
    root = ElementTree.fromstring(out)
    assert (code, root.get("failures")) == (0, "0")
    assert root.find("testsuite/testcase/failure") is None


def test_gitlab_code_quality(findings: Path) -> None:
    _, out, _ = lint("--output-format", "gitlab", *TWO_FILES)
    items = json.loads(out)
    assert len(items) == 4
    assert len({i["fingerprint"] for i in items}) == 4  # the same finding in two files differs
    first = items[0]
    assert first["check_name"] == "SCF003"
    assert first["location"] == {"path": "a.py", "lines": {"begin": 3, "end": 3}}
    assert first["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert first["description"].startswith("SCF003: ")


def test_pylint(findings: Path) -> None:
    _, out, _ = lint("--output-format", "pylint", "a.py")
    assert out.splitlines()[1].startswith("a.py:4: [SCF001] `messages.stream()` is not protected")


def test_rdjson(findings: Path) -> None:
    _, out, _ = lint("--output-format", "rdjson", "a.py")
    document = json.loads(out)
    assert document["source"]["name"] == "scaffold"
    diagnostic = document["diagnostics"][1]
    assert diagnostic["code"]["value"] == "SCF001"
    assert diagnostic["location"]["path"] == "a.py"
    assert diagnostic["location"]["range"]["start"] == {"line": 4, "column": 6}


def test_unknown_output_format_is_a_usage_error(findings: Path) -> None:
    assert lint("--output-format", "xml", "a.py")[0] == 2


def test_statistics_honours_json(findings: Path) -> None:
    code, out, _ = lint("--statistics", "--output-format", "json", *TWO_FILES)
    assert code == 1
    assert json.loads(out) == [
        {"code": "SCF001", "name": "unprotected-stream", "count": 2, "fixable": False},
        {"code": "SCF003", "name": "short-read-timeout", "count": 2, "fixable": False},
    ]


def test_statistics_json_marks_a_rule_whose_fix_is_always_available(project: Path) -> None:
    (project / "a.py").write_text(
        "import anthropic\n\nclient = anthropic.Anthropic()  # noqa: SCF003\n", encoding="utf-8"
    )
    code, out, _ = lint("--statistics", "--output-format", "json", "--select", "SCF100", "a.py")
    assert code == 1
    assert json.loads(out) == [
        {"code": "SCF100", "name": "unused-noqa", "count": 1, "fixable": True}
    ]


def codes(out: str) -> set[tuple[str, str]]:
    return {(item["filename"], item["code"]) for item in json.loads(out)}


def write_config(directory: Path, body: str) -> None:
    (directory / "pyproject.toml").write_text(
        "[tool.scaffold]\n" + textwrap.dedent(body), encoding="utf-8"
    )


def test_select_on_the_command_line_wins_over_ignore_in_the_config(findings: Path) -> None:
    write_config(findings, 'ignore = ["SCF003"]\n')
    assert codes(lint("--format", "json", "a.py")[1]) == {("a.py", "SCF001")}
    out = lint("--select", "SCF003", "--format", "json", "a.py")[1]
    assert codes(out) == {("a.py", "SCF003")}


def test_extend_select_in_the_config(findings: Path) -> None:
    write_config(findings, 'select = ["SCF001"]\nextend-select = ["SCF003"]\n')
    assert codes(lint("--format", "json", "a.py")[1]) == {("a.py", "SCF001"), ("a.py", "SCF003")}


def test_the_nearest_configuration_applies_to_each_file(project: Path) -> None:
    write_config(project, 'ignore = ["SCF003"]\n')
    service = project / "service"
    service.mkdir()
    write_config(service, 'ignore = ["SCF001"]\nexclude = ["generated"]\n')
    (service / "generated").mkdir()
    for directory in (project / "app", service, service / "generated"):
        (directory / "bad.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "json", ".")
    assert codes(out) == {("app/bad.py", "SCF001"), ("service/bad.py", "SCF003")}
    _, files, _ = lint("--show-files", ".")
    assert files.splitlines() == ["app/bad.py", "service/bad.py"]


def test_extend_exclude_in_the_config_and_on_the_command_line(project: Path) -> None:
    write_config(project, 'extend-exclude = ["legacy"]\n')
    for folder in ("legacy", "vendor", "app"):
        (project / folder).mkdir(exist_ok=True)
        (project / folder / "x.py").write_text(BAD, encoding="utf-8")
    assert lint("--show-files")[1].splitlines() == ["app/x.py", "vendor/x.py"]
    assert lint("--show-files", "--extend-exclude", "vendor,nothing")[1].splitlines() == [
        "app/x.py"
    ]


def test_per_file_ignores_on_the_command_line(project: Path) -> None:
    write_config(project, 'per-file-ignores = { "app/**" = ["SCF003"] }\n')
    for folder in ("tests", "app"):
        (project / folder).mkdir(exist_ok=True)
        (project / folder / "x.py").write_text(BAD, encoding="utf-8")
    everything = {(f"{d}/x.py", c) for d in ("tests", "app") for c in ("SCF001", "SCF003")}
    assert codes(lint("--format", "json")[1]) == everything - {("app/x.py", "SCF003")}
    replaced = lint("--format", "json", "--per-file-ignores", "tests/**:SCF001")[1]
    assert codes(replaced) == everything - {("tests/x.py", "SCF001")}
    extended = lint("--format", "json", "--extend-per-file-ignores", "tests/**:SCF001,SCF003")[1]
    assert codes(extended) == {("app/x.py", "SCF001")}


def test_bad_per_file_ignores_is_a_usage_error(project: Path) -> None:
    code, _, err = lint("--per-file-ignores", "SCF001")
    assert code == 2
    assert "PATTERN:CODE" in err
    assert lint("--per-file-ignores", "tests/*:NOPE1")[0] == 2


def test_show_settings(findings: Path) -> None:
    write_config(findings, 'ignore = ["SCF003"]\nanthropic-version = "0.49"\n')
    code, out, _ = lint("--show-settings", "--extend-select", "SCF100")
    settings = {
        key.strip(): value for key, _, value in (line.partition(" = ") for line in out.splitlines())
    }
    assert code == 0
    assert settings["config"] == str(findings / "pyproject.toml")
    assert settings["ignore"] == "['SCF003']"
    assert settings["extend-select"] == "['SCF100']"
    assert settings["sdk-transport"] == "httpx (anthropic-version = '0.49')"


def test_quiet_prints_the_findings_only_and_silent_nothing(findings: Path) -> None:
    code, out, _ = lint("-q", "a.py")
    assert code == 1
    assert "Found" not in out
    assert out.startswith("a.py:3:38: SCF003")
    assert lint("--quiet", "--output-format", "concise", "a.py")[1].count("\n") == 2
    assert lint("-s", "a.py")[:2] == (1, "")
    assert lint("--silent", "--output-format", "json", "a.py")[:2] == (1, "")
    (findings / "ok.py").write_text("import os\n", encoding="utf-8")
    assert lint("-q", "ok.py")[:2] == (0, "")


def test_isolated_ignores_the_configuration(findings: Path) -> None:
    write_config(findings, 'select = ["SCF003"]\n')
    assert codes(lint("--format", "json", "a.py")[1]) == {("a.py", "SCF003")}
    out = lint("--isolated", "--format", "json", "a.py")[1]
    assert codes(out) == {("a.py", "SCF001"), ("a.py", "SCF003")}
    code, _, err = lint("--isolated", "--config", "pyproject.toml", "a.py")
    assert code == 2
    assert "--isolated" in err


NOQA_SOURCE = textwrap.dedent(
    '''\
    import anthropic

    client = anthropic.Anthropic(timeout=60)  # short on purpose  # noqa: SCF001
    other = anthropic.Anthropic(timeout=30)  # type: ignore[call-arg]
    with client.messages.stream(model="m", max_tokens=1, messages=[]) as stream:
        print(stream)
    events = client.messages.create(system="""a
    long prompt""", model="m", max_tokens=1, messages=[], stream=True)
    '''
)


def test_add_noqa_suppresses_every_finding_keeps_comments_and_is_idempotent(
    project: Path,
) -> None:
    path = project / "legacy.py"
    path.write_bytes(NOQA_SOURCE.replace("\n", "\r\n").encode("utf-8"))
    code, out, err = lint("--add-noqa", "legacy.py")
    assert (code, out, err) == (0, "", "Added 4 noqa directives.\n")
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    lines = text.splitlines()
    assert lines[2] == (
        "client = anthropic.Anthropic(timeout=60)  # short on purpose  # noqa: SCF001, SCF003"
    )
    assert (
        lines[3]
        == "other = anthropic.Anthropic(timeout=30)  # type: ignore[call-arg]  # noqa: SCF003"
    )
    assert lines[4].endswith("as stream:  # noqa: SCF001")
    assert lines[6] == 'events = client.messages.create(system="""a'  # inside a string: no room
    assert lines[7].endswith("stream=True)  # noqa: SCF002")
    assert lint("legacy.py")[0] == 0
    before = path.read_bytes()
    assert lint("--add-noqa", "legacy.py")[2] == "Added 0 noqa directives.\n"
    assert path.read_bytes() == before
    compile(before.decode("utf-8"), "legacy.py", "exec")  # still Python


def test_unused_noqa_is_reported_when_selected(project: Path) -> None:
    (project / "x.py").write_text(
        "import anthropic\n\nclient = anthropic.Anthropic()  # noqa: SCF003\n", encoding="utf-8"
    )
    assert lint("x.py")[0] == 0  # opt-in, as ruff's RUF100
    code, out, _ = lint("--extend-select", "SCF100", "x.py")
    assert code == 1
    assert out.startswith("x.py:3:33: SCF100 unused `noqa` directive: no SCF003 finding")


def test_the_anthropic_version_of_the_project_decides_the_httpx_generation(
    project: Path,
) -> None:
    (project / "retry.py").write_text(
        textwrap.dedent(
            """\
            import anthropic
            import httpx

            client = anthropic.Anthropic()
            while True:
                try:
                    client.messages.create(model="m", max_tokens=1, messages=[], stream=True)
                    break
                except httpx.RemoteProtocolError:
                    continue
            """
        ),
        encoding="utf-8",
    )
    (project / "requirements.txt").write_text("anthropic==0.49.0\n", encoding="utf-8")
    assert lint("retry.py")[0] == 0
    (project / "requirements.txt").write_text("anthropic>=1.0\n", encoding="utf-8")
    code, out, _ = lint("--no-cache", "retry.py")
    assert code == 1
    assert "SCF004 retry around the stream catches `httpx` errors" in out
    assert "anthropic >=1.0 in requirements.txt" in out
    write_config(project, 'anthropic-version = "0.30"\n')  # the pin wins
    assert lint("--no-cache", "retry.py")[0] == 0


def test_bad_anthropic_version_is_a_config_error(project: Path) -> None:
    write_config(project, "anthropic-version = 1\n")
    code, _, err = lint(".")
    assert code == 2
    assert "anthropic-version" in err


def test_the_options_work_through_the_installed_entry_point(findings: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scaffolder", "lint", "--output-format", "pylint", "-q", "a.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("a.py:3: [SCF003]")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-be", "utf-8-sig"])
def test_add_noqa_keeps_the_file_encoding(project: Path, encoding: str) -> None:
    path = project / "wide.py"
    path.write_bytes(
        ("\ufeff" + BAD).encode(encoding) if "sig" not in encoding else BAD.encode(encoding)
    )
    assert lint("--add-noqa", "wide.py")[2] == "Added 2 noqa directives.\n"
    data = path.read_bytes()
    assert data[:2] == ("\ufeff".encode(encoding))[:2]
    text = data.decode(encoding).lstrip("\ufeff")
    assert "timeout=60)  # noqa: SCF003" in text
    assert lint("wide.py")[0] == 0


def test_each_named_path_gets_its_own_nearest_configuration(project: Path) -> None:
    write_config(project, 'ignore = ["SCF003"]\n')
    (project / "service").mkdir()
    write_config(project / "service", 'ignore = ["SCF001"]\n')
    for name in ("service/a.py", "app/b.py"):
        (project / name).write_text(BAD, encoding="utf-8")
    # The first path's configuration is service's; app/b.py still gets the root's.
    _, out, _ = lint("--format", "json", "service/a.py", "app/b.py")
    assert codes(out) == {("service/a.py", "SCF003"), ("app/b.py", "SCF001")}
