"""The output formats ruff users reach for besides text/json/sarif/github.

Each is a `LintReport -> str` function, modelled on ruff's format of the same name:
- `full`: the text format with the offending source lines and a caret under the finding;
- `concise`: one line per finding (no fix hint), then the summary;
- `json-lines`: one JSON object per line (the objects of the `json` format);
- `junit`: JUnit XML, one test suite per file and one failing test case per finding;
- `gitlab`: GitLab Code Quality (the Code Climate subset GitLab reads), with fingerprints;
- `pylint`: `path:line: [CODE] message`;
- `rdjson`: reviewdog's Diagnostic Format.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from scaffolder.lint.diagnostics import Diagnostic, LintReport
from scaffolder.lint.formatters import DOCS_URL, json_item
from scaffolder.lint.formatters import display_path as _display


def _url(code: str) -> str:
    return DOCS_URL.format(code=code)


def _summary(count: int) -> list[str]:
    if not count:
        return ["All checks passed!"]
    return [f"Found {count} error{'s' if count != 1 else ''}."]


def format_concise(report: LintReport) -> str:
    lines = [
        f"{_display(d.path)}:{d.line}:{d.col}: {d.code} {d.message}" for d in report.diagnostics
    ]
    return "\n".join([*lines, *_summary(len(report.diagnostics))]) + "\n"


def format_full(report: LintReport) -> str:
    lines: list[str] = []
    sources: dict[Path, list[str]] = {}
    for d in report.diagnostics:
        lines.append(f"{_display(d.path)}:{d.line}:{d.col}: {d.code} {d.message}")
        if d.path not in sources:
            sources[d.path] = _source_lines(d.path)
        lines.extend(_snippet(sources[d.path], d))
        if d.fix_hint:
            lines.append(f"  = help: {d.fix_hint}")
        lines.append("")
    count = len(report.diagnostics)
    lines.extend(_summary(count))
    if count:
        lines.append("Run `scaffold rules CODE` for a rule's explanation.")
    return "\n".join(lines) + "\n"


def _source_lines(path: Path) -> list[str]:
    """The file's lines, decoded as the linter decodes them; none when it cannot be read."""
    import io
    import tokenize

    from scaffolder.lint.prefilter import wide_encoding

    try:
        data = path.read_bytes()
        encoding = wide_encoding(data)
        if encoding is None:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding, "replace").splitlines()
    except (OSError, SyntaxError, LookupError):
        return []


def _snippet(source: list[str], d: Diagnostic) -> list[str]:
    if not 0 < d.line <= len(source):
        return []
    text = source[d.line - 1].expandtabs(1)
    width = len(str(d.line))
    start = max(d.col - 1, 0)
    end = d.end_col - 1 if d.end_line == d.line and d.end_col > d.col else len(text.rstrip())
    carets = "^" * max(end - start, 1)
    gutter = " " * width
    return [
        f"{gutter} |",
        f"{d.line} | {text}",
        f"{gutter} | {' ' * start}{carets} {d.code}",
        f"{gutter} |",
    ]


def format_json_lines(report: LintReport) -> str:
    return "".join(json.dumps(json_item(d)) + "\n" for d in report.diagnostics)


def format_pylint(report: LintReport) -> str:
    return "".join(
        f"{_display(d.path)}:{d.line}: [{d.code}] {d.message}\n" for d in report.diagnostics
    )


def format_junit(report: LintReport) -> str:
    from xml.sax.saxutils import quoteattr

    total = len(report.diagnostics)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="scaffold" tests="{max(total, 1)}" failures="{total}" errors="0">',
    ]
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in report.diagnostics:
        by_file[_display(d.path)].append(d)
    if not by_file:
        out.append('  <testsuite name="scaffold" tests="1" disabled="0" errors="0" failures="0">')
        out.append('    <testcase name="No errors found"/>')
        out.append("  </testsuite>")
    for filename, diagnostics in by_file.items():
        count = len(diagnostics)
        out.append(
            f'  <testsuite name={quoteattr(filename)} tests="{count}" disabled="0" '
            f'errors="0" failures="{count}" package="org.scaffold">'
        )
        for d in diagnostics:
            out.append(
                f"    <testcase name={quoteattr('org.scaffold.' + d.code)} "
                f'classname={quoteattr(filename)} line="{d.line}" column="{d.col}">'
            )
            text = f"line {d.line}, col {d.col}, {d.message}"
            out.append(f"      <failure message={quoteattr(d.message)}>{_xml_text(text)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def format_gitlab(report: LintReport) -> str:
    import hashlib

    seen: Counter[tuple[str, str, str]] = Counter()
    items = []
    for d in report.diagnostics:
        path = _display(d.path)
        key = (d.code, path, d.message)
        seen[key] += 1  # the same finding twice in a file gets two fingerprints
        digest = hashlib.sha256(repr((*key, seen[key])).encode("utf-8")).hexdigest()[:32]
        items.append(
            {
                "description": f"{d.code}: {d.message}",
                "check_name": d.code,
                "fingerprint": digest,
                "severity": "major",
                "location": {
                    "path": path,
                    "lines": {"begin": d.line, "end": d.end_line or d.line},
                },
            }
        )
    return json.dumps(items, indent=2) + "\n"


def format_rdjson(report: LintReport) -> str:
    diagnostics = [
        {
            "message": d.message + (f" (fix: {d.fix_hint})" if d.fix_hint else ""),
            "location": {
                "path": _display(d.path),
                "range": {
                    "start": {"line": d.line, "column": d.col},
                    "end": {"line": d.end_line or d.line, "column": d.end_col or d.col},
                },
            },
            "code": {"value": d.code, "url": _url(d.code)},
            "severity": "ERROR",
        }
        for d in report.diagnostics
    ]
    document = {
        "source": {"name": "scaffold", "url": "https://github.com/scaffolder/scaffolder"},
        "severity": "ERROR",
        "diagnostics": diagnostics,
    }
    return json.dumps(document, indent=2) + "\n"


def format_statistics_json(report: LintReport) -> str:
    from scaffolder.lint.rules import RULES

    counts = Counter(d.code for d in report.diagnostics)
    # Whether a finding has a fix is known only by running its fixer (libcst): "fixable" is
    # true for the rules whose fix is always available.
    items = [
        {
            "code": code,
            "name": RULES[code].name,
            "count": n,
            "fixable": RULES[code].fix_availability == "always",
        }
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return json.dumps(items, indent=2) + "\n"
