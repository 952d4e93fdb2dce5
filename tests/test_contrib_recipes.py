"""The pre-commit and GitHub recipes call commands and options that exist, and work."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from helpers_contrib import REPO, git, git_repo, run
from typer.testing import CliRunner

from dprkhr.cli import app


def _hooks() -> list[dict]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = [h for repo in config["repos"] for h in repo["hooks"]]
    return hooks + local


def _workflow_commands() -> list[str]:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "data.yml").read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    return [s["run"] for s in steps if "run" in s and s["run"].startswith("dprkhr ")]


def _dprkhr_commands() -> list[list[str]]:
    commands = [shlex.split(h["entry"]) for h in _hooks() if h["entry"].startswith("dprkhr ")]
    for line in _workflow_commands():
        commands.append(shlex.split(line.split(">>")[0].replace('"origin/$BASE_REF"', "main")))
    return commands


def test_hooks_are_well_formed() -> None:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert len({h["id"] for h in published}) == len(published)
    for hook in published:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # installs this package for other repositories


@pytest.mark.parametrize("argv", _dprkhr_commands(), ids=" ".join)
def test_recipe_commands_and_options_exist(argv: list[str]) -> None:
    assert argv[0] == "dprkhr"
    # --help is eager: it succeeds only if the command and every option before it exist
    result = CliRunner().invoke(app, [*argv[1:], "--help"])
    assert result.exit_code == 0, result.output


def test_workflow_runs_lint_fmt_and_diff() -> None:
    lines = _workflow_commands()
    assert any(line.startswith("dprkhr lint --format github") for line in lines)
    assert "dprkhr fmt --check" in lines
    assert any("dprkhr diff" in line and "$GITHUB_STEP_SUMMARY" in line for line in lines)


def test_hook_commands_run_in_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    root = git_repo(repo)
    monkeypatch.chdir(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    new = run(root, "new", "actor", "--name", "Marzuki Darusman", "--kind", "person")
    assert new.exit_code == 0, new.output
    path = new.stdout.strip()
    assert run(root, "fmt", "--check", path).exit_code == 0
    changed = run(root, "lint", "--changed", "HEAD", "--format", "parsable")
    assert changed.exit_code == 1 and "DPK601" in changed.stdout and path in changed.stdout
    summary = run(root, "diff", "main", "--format", "markdown")
    assert "**added** actor `marzuki-darusman`" in summary.stdout
