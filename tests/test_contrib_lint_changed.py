"""`dprkhr lint --changed [REV]`: the files changed since REV and the records that point
at them, for fast pre-commit runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_contrib import commit, git, git_repo, run

BROKEN_EVENT = """\
id: 2022-01-01-old-event
date: "2022-01-01"
type: report
title: An old event with a problem nobody touched
participants:
  - actor: nobody-at-all
sources:
  - source: ijks-2024-un-and-nk-human-rights
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "repo"
    git_repo(base, {"events/2022-01-01-old-event.yaml": BROKEN_EVENT})
    monkeypatch.chdir(base)
    git(base, "checkout", "-q", "-b", "feature")
    return base


def _paths(output: str) -> set[str]:
    return {line.split(":")[0] for line in output.splitlines() if line.strip()}


def test_nothing_changed_reports_nothing(repo: Path) -> None:
    assert run(repo / "data", "lint").exit_code == 1  # the old problem is there
    result = run(repo / "data", "lint", "--changed", "--format", "parsable")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_changed_and_untracked_files_are_linted(repo: Path) -> None:
    data = repo / "data"
    (data / "actors" / "new-actor.yaml").write_text("id: new-actor\nname: New\nkind: person\n")
    result = run(data, "lint", "--changed", "--format", "parsable")
    assert result.exit_code == 1
    assert _paths(result.stdout) == {"data/actors/new-actor.yaml"}
    assert "DPK601" in result.stdout


def test_removing_a_record_reports_the_records_pointing_at_it(repo: Path) -> None:
    data = repo / "data"
    (data / "actors" / "volker-turk.yaml").unlink()
    commit(repo, "remove an actor")
    result = run(data, "lint", "--changed", "main", "--format", "parsable")
    assert result.exit_code == 1
    assert _paths(result.stdout) == {"data/events/2023-08-17-unsc-briefing.yaml"}
    assert "volker-turk" in result.stdout
    # relative to HEAD nothing changed
    assert run(data, "lint", "--changed", "HEAD", "--format", "parsable").stdout == ""


def test_a_vocabulary_change_lints_everything(repo: Path) -> None:
    data = repo / "data"
    forums = data / "forums.yaml"
    forums.write_text(forums.read_text().replace("code: UNSC", "code: SC"))
    result = run(data, "lint", "--changed", "--format", "parsable")
    assert "data/events/2022-01-01-old-event.yaml" in _paths(result.stdout)
    assert "data/events/2023-08-17-unsc-briefing.yaml" in _paths(result.stdout)


def test_changed_usage_errors(repo: Path) -> None:
    data = repo / "data"
    unknown = run(data, "lint", "--changed", "nope")
    assert unknown.exit_code == 2 and "unknown revision" in unknown.output
    two = run(data, "lint", "--changed", "a", "b")
    assert two.exit_code == 2 and "one revision" in two.output
