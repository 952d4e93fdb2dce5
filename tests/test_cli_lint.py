"""`dprkhr lint` from the command line: exit codes, formats, configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr import __version__
from dprkhr.cli import app

BROKEN_ACTOR = (
    "id: x\nname: X\nkind: persn\nsources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
)


def invoke(*args: str, env: dict[str, str] | None = None):
    runner = CliRunner()
    return runner.invoke(app, list(args), env={"GITHUB_ACTIONS": "", **(env or {})})


@pytest.fixture
def broken(make_data: MakeData) -> Path:
    return make_data({"actors/x.yaml": BROKEN_ACTOR})


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"dprkhr {__version__}\n"


def test_clean_dataset_exits_0(make_data: MakeData):
    result = invoke("--data", str(make_data()), "lint")
    assert result.exit_code == 0
    assert result.output == "All 8 files passed.\n"


def test_errors_exit_1_with_text_report(broken: Path):
    result = invoke("--data", str(broken), "lint")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith("data/actors/x.yaml")
    assert (
        "3:1  error    DPK004  `kind`: `persn` is not one of: person, state, organization, "
        "un-body  [schema]" in lines[1]
    )
    assert lines[-1] == "Found 1 error in 1 file (9 files checked)."


def test_parsable(broken: Path):
    result = invoke("--data", str(broken), "lint", "--format", "parsable")
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.endswith(
        "data/actors/x.yaml:3:1: [error] DPK004 `kind`: `persn` is not one of: person, state, "
        "organization, un-body (schema)"
    )


def test_json(broken: Path):
    result = invoke("--data", str(broken), "lint", "--format", "json")
    document = json.loads(result.output)
    assert document["version"] == __version__
    assert document["files_checked"] == 9
    assert document["summary"] == {"errors": 1, "warnings": 0, "files_with_problems": 1}
    (problem,) = document["problems"]
    assert set(problem) == {
        "path",
        "line",
        "column",
        "code",
        "rule",
        "severity",
        "message",
        "suggestion",
    }
    assert (problem["line"], problem["column"], problem["code"], problem["severity"]) == (
        3,
        1,
        "DPK004",
        "error",
    )


def test_github_annotations_escape_and_are_automatic_in_actions(broken: Path):
    result = invoke("--data", str(broken), "lint", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith("::error file=")
    assert ",line=3,col=1,title=DPK004 schema::`kind`: `persn` is not one of:" in line


def test_github_escaping(make_data: MakeData):
    root = make_data(
        {"actors/x.yaml": "id: x\nname: X\nkind: person\nsources: [{source: 'a%b'}]\n"}
    )
    result = invoke("--data", str(root), "lint", "--format", "github")
    assert "%25" in result.stdout


def test_sarif(broken: Path):
    result = invoke("--data", str(broken), "lint", "--format", "sarif")
    document = json.loads(result.output)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert run["tool"]["driver"]["name"] == "dprkhr"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"DPK001", "DPK201", "DPK901"}
    (res,) = run["results"]
    assert res["ruleId"] == "DPK004"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1}


def test_select_ignore_and_strict(make_data: MakeData):
    root = make_data(
        {
            "events/2032-01-01-x.yaml": "id: 2032-01-01-x\ndate: '2032-01-01'\ntype: other\ntitle: X\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: remarks by Volker Turk}]\n"
        }
    )
    assert invoke("--data", str(root), "lint").exit_code == 0
    assert invoke("--data", str(root), "lint", "--strict").exit_code == 1
    assert invoke("--data", str(root), "lint", "--strict", "--ignore", "future-date").exit_code == 0
    assert invoke("--data", str(root), "lint", "--strict", "--select", "DPK1,DPK2").exit_code == 0


def test_unknown_rule_is_a_usage_error(make_data: MakeData):
    result = invoke("--data", str(make_data()), "lint", "--select", "DPK9999x")
    assert result.exit_code == 2
    assert "unknown rule" in result.stderr
    result = invoke("--data", str(make_data()), "lint", "--ignore", "future-dat")
    assert result.exit_code == 2 and "did you mean `future-date`?" in result.stderr


def test_usage_errors_exit_2(make_data: MakeData, tmp_path: Path):
    root = make_data()
    assert invoke("--data", str(root), "lint", "--format", "xml").exit_code == 2
    assert invoke("--data", str(root), "lint", "--archive", str(tmp_path / "nope")).exit_code == 2
    assert invoke("--data", str(root), "lint", str(tmp_path / "nope.yaml")).exit_code == 2
    result = invoke("--data", str(tmp_path / "empty"), "lint")
    assert result.exit_code == 2 and "not a dprkhr data folder" in result.stderr


def test_paths_limit_the_report(make_data: MakeData):
    root = make_data(
        {"actors/x.yaml": BROKEN_ACTOR, "actors/y.yaml": BROKEN_ACTOR.replace("id: x", "id: y")}
    )
    result = invoke(
        "--data", str(root), "lint", "--format", "parsable", str(root / "actors" / "y.yaml")
    )
    assert result.exit_code == 1
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in result.output.splitlines()] == [
        "y.yaml"
    ]


def test_pyproject_defaults(make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = make_data({"actors/x.yaml": "id: x\nname: X\nkind: person\n"})
    (tmp_path / "pyproject.toml").write_text('[tool.dprkhr.lint]\nignore = ["missing-citation"]\n')
    monkeypatch.chdir(tmp_path)
    assert invoke("--data", str(root), "lint").exit_code == 0
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dprkhr.lint]\nseverity = { DPK601 = "warning" }\n'
    )
    result = invoke("--data", str(root), "lint")
    assert result.exit_code == 0 and "warning" in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.dprkhr.lint]\nselekt = ["DPK"]\n')
    result = invoke("--data", str(root), "lint")
    assert result.exit_code == 2 and "did you mean `select`?" in result.stderr


def test_list_rules():
    result = invoke("lint", "--list-rules")
    assert result.exit_code == 0
    assert "DPK201  dangling-reference" in result.output


def test_control_characters_in_data_are_shown_literally(make_data: MakeData):
    root = make_data(
        {"actors/x.yaml": 'id: x\nname: X\nkind: person\nsources: [{source: "evil\\e[31m"}]\n'}
    )
    result = invoke("--data", str(root), "lint")
    assert "\x1b" not in result.output
    assert "evil\\x1b[31m" in result.output


def test_environment_variable_and_ancestor_lookup(
    make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = make_data({"actors/x.yaml": BROKEN_ACTOR})
    assert invoke("lint", env={"DPRKHR_DATA": str(root)}).exit_code == 1
    nested = tmp_path / "data" / "actors"
    monkeypatch.chdir(nested)
    monkeypatch.delenv("DPRKHR_DATA", raising=False)
    result = invoke("lint", "--format", "parsable")
    assert result.exit_code == 1 and "x.yaml:3:1" in result.output


def test_python_dash_m_and_bundled_data(tmp_path: Path):
    """An installed dprkhr lints its bundled dataset from anywhere."""
    result = subprocess.run(
        [sys.executable, "-m", "dprkhr", "lint"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "DPRKHR_CACHE_DIR": str(tmp_path / "cache")},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All ")
