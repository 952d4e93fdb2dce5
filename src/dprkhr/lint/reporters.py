"""Rendering lint results: text, parsable, json, github and sarif. Returns strings."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from dprkhr import __version__
from dprkhr.lint.rules import RULE_BY_CODE, RULES
from dprkhr.lint.runner import LintResult
from dprkhr.problems import Problem
from dprkhr.safetext import json_safe, safe

_RESET = "\x1b[0m"
_STYLES = {
    "path": "\x1b[1;4m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "dim": "\x1b[2m",
    "code": "\x1b[36m",
    "ok": "\x1b[32m",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: LintResult) -> str:
    if not result.problems:
        return f"All {_plural(result.files_checked, 'file')} passed."
    parts = []
    if result.errors:
        parts.append(_plural(result.errors, "error"))
    if result.warnings:
        parts.append(_plural(result.warnings, "warning"))
    return (
        f"Found {' and '.join(parts)} in {_plural(result.files_with_problems, 'file')} "
        f"({_plural(result.files_checked, 'file')} checked)."
    )


def render_text(result: LintResult, color: bool = False) -> str:
    """Grouped by file; one problem a line, the suggested fix under it."""

    def style(name: str, text: str) -> str:
        return f"{_STYLES[name]}{text}{_RESET}" if color else text

    lines: list[str] = []
    for path, group in groupby(result.problems, key=lambda p: p.path):
        problems = list(group)
        lines.append(style("path", safe(path)))
        width = max(len(f"{p.line}:{p.column}") for p in problems)
        for p in problems:
            place = f"{p.line}:{p.column}".ljust(width)
            sev = style(p.severity.value, p.severity.value.ljust(7))
            lines.append(
                f"  {style('dim', place)}  {sev}  {style('code', p.code)}  {safe(p.message)}"
                f"  {style('dim', '[' + p.rule + ']')}"
            )
            if p.suggestion:
                pad = " " * (2 + width + 2 + 7 + 2 + len(p.code) + 2)
                lines.append(f"{pad}{style('dim', 'hint:')} {safe(p.suggestion)}")
        lines.append("")
    summary = summary_line(result)
    lines.append(style("ok", summary) if not result.problems else summary)
    return "\n".join(lines) + "\n"


def render_parsable(result: LintResult, color: bool = False) -> str:
    """`path:line:col: [severity] CODE message (rule)`, one a line, for editors and grep."""
    return "".join(
        f"{safe(p.path)}:{p.line}:{p.column}: [{p.severity.value}] {p.code} "
        f"{safe(p.message)} ({p.rule})\n"
        for p in result.problems
    )


def render_json(result: LintResult, color: bool = False) -> str:
    document = {
        "version": __version__,
        "files_checked": result.files_checked,
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "files_with_problems": result.files_with_problems,
        },
        "problems": [p.to_dict() for p in result.problems],
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _gh_escape(text: str, property_value: bool = False) -> str:
    """Escape for a GitHub workflow command, as the Actions toolkit does (`escapeData`,
    and `escapeProperty` for `file=`, `title=`...): `%`, CR and LF become `%25`, `%0D` and
    `%0A` (so a message keeps its line breaks), and in properties `:` and `,` become `%3A`
    and `%2C`. Other control characters are shown literally (`safe`), never acted on."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return safe(text)


def render_github(result: LintResult, color: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation a problem."""
    out = []
    for p in result.problems:
        message = p.message + (f" ({p.suggestion})" if p.suggestion else "")
        out.append(
            f"::{p.severity.value} file={_gh_escape(p.path, True)},line={p.line},"
            f"col={p.column},title={_gh_escape(f'{p.code} {p.rule}', True)}::"
            f"{_gh_escape(message)}\n"
        )
    return "".join(out)


SRCROOT = "%SRCROOT%"
"""The SARIF base id of relative file locations: the repository (or working folder) root."""


def _source_root(start: Path) -> Path:
    """The root of the git work tree holding `start`, else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def docs_base() -> str | None:
    """Where this project's README.md and docs/ are, as an absolute URI ending in `/`:
    `DPRKHR_DOCS_URL` when set; in GitHub Actions, the linted commit on GitHub when the
    repository holds docs/rules.md; else this source tree, when it has its docs."""
    configured = os.environ.get("DPRKHR_DOCS_URL")
    if configured:
        return configured.rstrip("/") + "/"
    server, repository, sha, workspace = (
        os.environ.get(name)
        for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE")
    )
    in_actions = server and repository and sha and workspace
    if in_actions and (Path(str(workspace)) / "docs" / "rules.md").is_file():
        return f"{server}/{repository}/blob/{sha}/"
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "docs" / "rules.md").is_file():
        return checkout.as_uri() + "/"
    return None


def _artifact(path: str, root: Path) -> dict[str, str]:
    """A SARIF artifactLocation: relative to `root` and percent-encoded when inside it
    (a space, `%` or `#` in a name is `%20`, `%25`, `%23`), else an absolute file URI."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def render_sarif(result: LintResult, color: bool = False) -> str:
    """SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning among them)."""
    base = docs_base()
    rules = []
    for rule in RULES:
        entry: dict[str, object] = {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.description()},
            "help": {
                "text": f"Reports when {rule.summary}.\n\n{rule.description()}",
                "markdown": "\n".join(rule.help_markdown()).rstrip() + "\n",
            },
            "defaultConfiguration": {"level": rule.severity.value},
        }
        if base is not None:
            entry["helpUri"] = f"{base}docs/rules.md#{rule.anchor()}"
        rules.append(entry)
    index = {rule.code: i for i, rule in enumerate(RULES)}
    root = _source_root(Path.cwd())

    def result_of(p: Problem) -> dict[str, object]:
        text = p.message + (f" ({p.suggestion})" if p.suggestion else "")
        return {
            "ruleId": p.code,
            "ruleIndex": index[p.code],
            "level": p.severity.value,
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(p.path, root),
                        "region": {"startLine": p.line, "startColumn": p.column},
                    }
                }
            ],
        }

    driver: dict[str, object] = {"name": "dprkhr", "version": __version__}
    if base is not None:
        driver["informationUri"] = f"{base}README.md"
    driver["rules"] = rules
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
                "results": [result_of(p) for p in result.problems],
            }
        ],
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


REPORTERS: dict[str, Callable[[LintResult, bool], str]] = {
    "text": render_text,
    "parsable": render_parsable,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}

__all__ = ["REPORTERS", "RULE_BY_CODE", "safe", "summary_line"]
