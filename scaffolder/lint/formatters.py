"""Output formats of `scaffold lint`: text, json, sarif (2.1.0), github (workflow commands);
the others ruff has (full, concise, json-lines, junit, gitlab, pylint, rdjson) live in
`_more_formats`."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import scaffolder
from scaffolder.lint.diagnostics import Diagnostic, LintReport

DOCS_URL = "https://github.com/scaffolder/scaffolder/blob/main/docs/rules/{code}.md"
FORMATS = (
    "text",
    "full",
    "concise",
    "json",
    "json-lines",
    "junit",
    "gitlab",
    "pylint",
    "rdjson",
    "sarif",
    "github",
)


def display_path(path: Path) -> str:
    """Relative to the working directory when below it (as ruff prints), else as given."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def format_report(
    report: LintReport, fmt: str, *, statistics: bool = False, quiet: bool = False
) -> str:
    """The report in format `fmt`; `quiet` drops the summary lines (`-q`)."""
    if statistics:
        if fmt in ("json", "json-lines"):
            from scaffolder.lint._more_formats import format_statistics_json

            return format_statistics_json(report)
        return format_statistics(report.diagnostics)
    formatter: Callable[[LintReport], str] | None = {
        "text": format_text,
        "json": format_json,
        "sarif": format_sarif,
        "github": format_github,
    }.get(fmt)
    if formatter is None:
        from scaffolder.lint import _more_formats as more

        formatter = {
            "full": more.format_full,
            "concise": more.format_concise,
            "json-lines": more.format_json_lines,
            "junit": more.format_junit,
            "gitlab": more.format_gitlab,
            "pylint": more.format_pylint,
            "rdjson": more.format_rdjson,
        }[fmt]
    text = formatter(report)
    if quiet and fmt in ("text", "full", "concise"):
        text = "".join(line for line in text.splitlines(keepends=True) if not _SUMMARY.match(line))
    return text


#: The summary lines of the text formats, which `-q` leaves out.
_SUMMARY = re.compile(r"(Found \d+ errors?\.|All checks passed!|Run `scaffold rules CODE`.*)\n")


def format_text(report: LintReport) -> str:
    lines = []
    for d in report.diagnostics:
        lines.append(f"{display_path(d.path)}:{d.line}:{d.col}: {d.code} {d.message}")
        if d.fix_hint:
            lines.append(f"  help: {d.fix_hint}")
    count = len(report.diagnostics)
    if count:
        lines.append(f"Found {count} error{'s' if count != 1 else ''}.")
        lines.append("Run `scaffold rules CODE` for a rule's explanation.")
    else:
        lines.append("All checks passed!")
    return "\n".join(lines) + "\n"


def format_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    from scaffolder.lint.rules import RULES

    counts = Counter(d.code for d in diagnostics)
    if not counts:
        return ""
    width = max(len(str(n)) for n in counts.values())
    rows = [
        f"{n:>{width}}\t{code}\t{RULES[code].summary}"
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(rows) + "\n"


def json_item(d: Diagnostic) -> dict[str, object]:
    """One finding as the `json` and `json-lines` formats print it."""
    return {
        "code": d.code,
        "message": d.message,
        "filename": display_path(d.path),
        "location": {"row": d.line, "column": d.col},
        "end_location": {"row": d.end_line or d.line, "column": d.end_col or d.col},
        "fix_hint": d.fix_hint,
        "url": DOCS_URL.format(code=d.code),
    }


def format_json(report: LintReport) -> str:
    import json

    return json.dumps([json_item(d) for d in report.diagnostics], indent=2) + "\n"


def format_sarif(report: LintReport) -> str:
    import json

    from scaffolder.lint.rules import RULES

    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.summary},
            "help": {"text": rule.fix or rule.summary, "markdown": rule.markdown()},
            "helpUri": DOCS_URL.format(code=rule.code),
            "defaultConfiguration": {"level": "error"},
        }
        for rule in RULES.values()
    ]
    results = []
    for d in report.diagnostics:
        region = {"startLine": d.line, "startColumn": d.col}
        if d.end_line:
            region["endLine"] = d.end_line
            if d.end_col:
                region["endColumn"] = d.end_col
        message = d.message + (f" Fix: {d.fix_hint}" if d.fix_hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": "error",
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(d.path),
                            "region": region,
                        }
                    }
                ],
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scaffold",
                        "version": scaffolder.__version__,
                        "informationUri": "https://github.com/scaffolder/scaffolder",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _artifact(path: Path) -> dict[str, str]:
    shown = display_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": shown, "uriBaseId": "%SRCROOT%"}


def format_github(report: LintReport) -> str:
    lines = []
    for d in report.diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", display_path(d.path)),
                ("line", d.line),
                ("col", d.col),
                ("endLine", d.end_line or d.line),
                ("endColumn", d.end_col or d.col),
                ("title", d.code),
            )
        )
        message = d.message + (f" ({d.fix_hint})" if d.fix_hint else "")
        lines.append(f"::error {properties}::{_escape_data(f'{d.code} {message}')}")
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_output(text: str, output_file: Path | None) -> None:
    """Write to `output_file` (atomically) or stdout."""
    if output_file is None:
        import click

        click.echo(text, nl=False)
        return
    from scaffolder._fs import write_atomic

    output_file.parent.mkdir(parents=True, exist_ok=True)
    # The platform's line endings, as a text-mode write (and click.echo to a file) gives.
    write_atomic(output_file, text.replace("\n", os.linesep).encode("utf-8"))
