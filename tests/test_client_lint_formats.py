"""Lint's machine formats, read by the clients that consume them: SARIF validated against
the OASIS SARIF 2.1.0 schema (format checks on), its file locations resolved back to the
files, its rule help linked to headings that exist in docs/rules.md; GitHub annotations
escaped as the Actions toolkit escapes them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import MakeData
from jsonschema import Draft4Validator, Draft202012Validator
from typer.testing import CliRunner

from dprkhr.cli import app
from dprkhr.lint.reporters import render_github
from dprkhr.lint.rules import RULES
from dprkhr.lint.runner import LintResult
from dprkhr.problems import Problem, Severity

REPO = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = json.loads(
    (REPO / "tests" / "schemas" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
DUPLICATE = "id: a\nname: A\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights}]\n"


def lint(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(
        app, ["--data", str(root), "lint", *args], env={"GITHUB_ACTIONS": "", **(env or {})}
    )
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def sarif_errors(document: object) -> list[str]:
    # the schema is draft-04; its formats (uri, uri-reference) are checked with the
    # 2020-12 checker, which knows uri-reference
    validator = Draft4Validator(SARIF_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert "uri-reference" in validator.format_checker.checkers, "pip install jsonschema[format]"
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def github_anchors() -> set[str]:
    """The heading ids GitHub makes for docs/rules.md."""
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    return {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, flags=re.M)
    }


@pytest.fixture
def odd_names(make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset in which files with a space, `%` and `#` in their names have problems;
    linted from its parent folder, a git work tree."""
    names = ["a b.yaml", "100%.yaml", "x#y.yaml", "é ü.yaml"]
    root = make_data({f"actors/{name}": DUPLICATE for name in names})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return root


def test_sarif_is_valid_and_its_locations_name_the_files(odd_names: Path, tmp_path: Path) -> None:
    document = json.loads(lint(odd_names, "--format", "sarif"))
    assert sarif_errors(document) == []
    run = document["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == tmp_path.resolve().as_uri() + "/"
    found = set()
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = location["uri"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert not urlsplit(uri).scheme and " " not in uri and "#" not in uri
        # resolved as a consumer does: the base, then the percent-decoded path
        path = Path(unquote(urlsplit(base).path)) / unquote(uri)
        assert path.is_file(), uri
        found.add(path.name)
    assert found >= {"a b.yaml", "100%.yaml", "x#y.yaml", "é ü.yaml"}


def test_sarif_outside_the_base_uses_absolute_file_uris(
    odd_names: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = odd_names.parent.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    document = json.loads(lint(odd_names, "--format", "sarif"))
    assert sarif_errors(document) == []
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert "uriBaseId" not in location
        assert Path(unquote(urlsplit(location["uri"]).path)).is_file()


def test_every_rule_has_help_and_a_link_to_its_heading(odd_names: Path) -> None:
    document = json.loads(lint(odd_names, "--format", "sarif"))
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == (REPO / "README.md").as_uri()
    anchors = github_anchors()
    assert len(driver["rules"]) == len(RULES)
    for rule in driver["rules"]:
        assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip()
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == (REPO / "docs" / "rules.md").as_uri()
        assert anchor in anchors, rule["helpUri"]


def test_help_links_point_at_github_in_actions(odd_names: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(REPO / "docs", workspace / "docs")
    env = {
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "owner/data",
        "GITHUB_SHA": "0123abcd",
        "GITHUB_WORKSPACE": str(workspace),
    }
    document = json.loads(lint(odd_names, "--format", "sarif", env=env))
    assert sarif_errors(document) == []
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://github.example/owner/data/blob/0123abcd/README.md"
    assert driver["rules"][0]["helpUri"].startswith(
        "https://github.example/owner/data/blob/0123abcd/docs/rules.md#dpk001-"
    )
    configured = json.loads(
        lint(odd_names, "--format", "sarif", env={"DPRKHR_DOCS_URL": "https://docs.example/x"})
    )
    assert configured["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].startswith(
        "https://docs.example/x/docs/rules.md#dpk001-"
    )


def _annotation_parts(line: str) -> tuple[dict[str, str], str]:
    """Parse a workflow command as the Actions runner does (split, then unescape)."""
    match = re.fullmatch(r"::(\w+) (.*?)::(.*)", line)
    assert match, line
    properties = {}
    for item in match.group(2).split(","):
        key, _, value = item.partition("=")
        properties[key] = (
            value.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n")
        ).replace("%25", "%")
    message = match.group(3).replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return properties, message


def test_github_annotations_escape_as_the_toolkit_does() -> None:
    problem = Problem(
        "data/a,b: c%.yaml",
        3,
        1,
        "DPK004",
        "schema",
        Severity.error,
        "first line\nsecond line\r\n100% sure \x1b[31m",
        "fix: this, then that",
    )
    output = render_github(LintResult([problem], 1))
    assert output.count("\n") == 1, "one line a problem: line breaks are %0A"
    line = output.rstrip("\n")
    assert "%0A" in line and "%0D" in line and "\x1b" not in line
    properties, message = _annotation_parts(line)
    assert properties == {
        "file": "data/a,b: c%.yaml",
        "line": "3",
        "col": "1",
        "title": "DPK004 schema",
    }
    assert message == "first line\nsecond line\r\n100% sure \\x1b[31m (fix: this, then that)"


def test_github_format_end_to_end(odd_names: Path) -> None:
    lines = lint(odd_names, "--format", "github").splitlines()
    files = {_annotation_parts(line)[0]["file"] for line in lines}
    assert {Path(f).name for f in files} >= {"a b.yaml", "100%.yaml", "x#y.yaml"}
