"""`dprkhr diff`: record-level changes read from git, renames, broken records, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_contrib import commit, git, git_repo, run

from dprkhr.diff import MISSING, diff_values


def test_diff_values_aligns_lists_and_nests() -> None:
    old = {"a": 1, "sources": [{"source": "x"}], "tags": ["p", "q"], "gone": True}
    new = {"a": 2, "sources": [{"source": "x"}, {"source": "y"}], "tags": ["q"], "new": "n"}
    changes = {(c.path, c.change) for c in diff_values(old, new)}
    assert changes == {
        ("a", "changed"),
        ("sources[1]", "added"),
        ("tags[0]", "removed"),
        ("gone", "removed"),
        ("new", "added"),
    }
    nested = diff_values({"roles": [{"start": "2022"}]}, {"roles": [{"start": "2023"}]})
    assert [(c.path, c.old, c.new) for c in nested] == [("roles[0].start", "2022", "2023")]
    assert diff_values({"a": [1]}, {"a": [1]}) == []
    assert diff_values({"x": 2024}, {"x": "2024"})[0].old == 2024  # a change of type counts
    assert diff_values({}, {"k": 1})[0].old is MISSING


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "repo"
    git_repo(base)
    monkeypatch.chdir(base)
    git(base, "checkout", "-q", "-b", "feature")
    return base


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_diff_against_main_with_renames_and_broken_records(repo: Path) -> None:
    data = repo / "data"
    _edit(
        data / "actors" / "volker-turk.yaml",
        "aliases: [Volker Turk]",
        "aliases: [Volker Turk, V. Türk]",
    )
    git(
        repo,
        "mv",
        "data/events/2023-08-17-unsc-briefing.yaml",
        "data/events/2023-08-17-briefing.yaml",
    )
    _edit(
        data / "events" / "2023-08-17-briefing.yaml",
        "id: 2023-08-17-unsc-briefing",
        "id: 2023-08-17-briefing",
    )
    commit(repo, "rename the briefing")
    (data / "events" / "2024-01-01-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (data / "actors" / "elizabeth-salmon.yaml").write_text(
        "id: elizabeth-salmon\nname: Elizabeth Salmón\nkind: person\n", encoding="utf-8"
    )  # untracked: still part of the working tree
    result = run(data, "diff", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_id = {r["id"]: r for r in report["records"]}
    assert report["base"]["label"] == "merge base of HEAD and main"
    assert report["head"]["commit"] is None
    turk = by_id["volker-turk"]
    assert turk["status"] == "changed"
    assert turk["fields"] == [{"field": "aliases[1]", "change": "added", "new": "V. Türk"}]
    renamed = by_id["2023-08-17-briefing"]
    assert renamed["status"] == "renamed"
    assert renamed["old_path"] == "data/events/2023-08-17-unsc-briefing.yaml"
    assert renamed["new_path"] == "data/events/2023-08-17-briefing.yaml"
    assert renamed["fields"][0]["field"] == "id"
    broken = by_id["2024-01-01-broken"]
    assert broken["status"] == "added" and broken["broken"][0]["side"] == "head"
    assert by_id["elizabeth-salmon"]["status"] == "added"
    assert report["counts"]["broken"] == 1


def test_diff_between_two_revisions_text_and_markdown(repo: Path) -> None:
    data = repo / "data"
    first = git(repo, "rev-parse", "HEAD").strip()
    (data / "sources" / "ijks-2024-un-and-nk-human-rights.yaml").unlink()
    second = commit(repo, "remove a source")
    (data / "actors" / "volker-turk.yaml").unlink()  # not committed: outside first..second
    text = run(data, "diff", first, second)
    assert text.exit_code == 0, text.output
    assert "removed  source ijks-2024-un-and-nk-human-rights" in text.stdout
    assert "volker-turk" not in text.stdout
    markdown = run(data, "diff", first, second, "--format", "markdown")
    assert markdown.stdout.startswith("### Knowledge base changes")
    assert "- **removed** source `ijks-2024-un-and-nk-human-rights`" in markdown.stdout


def test_diff_escapes_markdown_and_control_characters(repo: Path) -> None:
    data = repo / "data"
    _edit(
        data / "events" / "2023-08-17-unsc-briefing.yaml",
        "title: Security Council open briefing on human rights in the DPRK",
        'title: "Briefing *bold* [link](http://x) `code` \\e[31mred"',
    )
    markdown = run(data, "diff", "main", "--format", "markdown").stdout
    assert "\x1b" not in markdown
    assert "\\*bold\\*" in markdown and "\\[link\\]" in markdown
    text = run(data, "diff", "main").stdout
    assert "\x1b" not in text and "\\x1b" in text


def test_only_formatting_changes_are_not_record_changes(repo: Path) -> None:
    data = repo / "data"
    _edit(
        data / "actors" / "volker-turk.yaml", "aliases: [Volker Turk]", "aliases:\n  - Volker Turk"
    )
    result = run(data, "diff", "main")
    assert "no record changed" in result.stdout


def test_vocabulary_entries_are_compared_by_code(repo: Path) -> None:
    data = repo / "data"
    _edit(data / "forums.yaml", "members: 47", "members: 48")
    report = json.loads(run(data, "diff", "main", "--format", "json").stdout)
    assert report["records"] == [
        {
            "status": "changed",
            "kind": "forum",
            "id": "HRC",
            "label": "Human Rights Council",
            "old_path": "data/forums.yaml",
            "new_path": "data/forums.yaml",
            "fields": [{"field": "members", "change": "changed", "old": 47, "new": 48}],
            "broken": [],
        }
    ]


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    result = run(repo / "data", "diff", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision `no-such-branch`" in result.output
    assert "Traceback" not in result.output
    option_like = run(repo / "data", "diff", "--", "--output=x")
    assert option_like.exit_code == 2


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers_contrib import make_dataset

    root = make_dataset(tmp_path / "plain")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run(root, "diff")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output


def test_default_base_needs_a_main_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path / "repo"
    git_repo(base)
    git(base, "branch", "-m", "main", "trunk")
    monkeypatch.chdir(base)
    result = run(base / "data", "diff")
    assert result.exit_code == 2
    assert "pass a revision" in result.output
    assert run(base / "data", "diff", "HEAD").exit_code == 0


def test_a_file_removed_from_the_index_but_back_on_disk_is_changed(repo: Path) -> None:
    data = repo / "data"
    path = data / "actors" / "volker-turk.yaml"
    text = path.read_text()
    git(repo, "rm", "-q", "data/actors/volker-turk.yaml")
    path.parent.mkdir(exist_ok=True)  # git removes a folder it emptied
    path.write_text(text.replace("Volker Türk", "Volker Türk (High Commissioner)"))
    result = run(data, "diff", "main", "--format", "json")
    document = json.loads(result.stdout)
    assert [(c["status"], c["id"]) for c in document["records"]] == [("changed", "volker-turk")]
