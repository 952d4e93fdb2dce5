"""Output an analyst can use as it is: which data was read, closed pipes, validated
options, messages in the user's terms, `timeline --limit`, `--sort`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, MakeData
from helpers_query import make_dataset, run
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()
BUNDLED_NOTE = "reading the dataset bundled with dprkhr"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("analyst"))


def _command() -> list[str]:
    script = Path(sys.executable).with_name("dprkhr")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dprkhr"]


# --- which data -------------------------------------------------------------------------------


def test_reading_outside_a_data_repository_says_once_which_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DPRKHR_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["events", "--actor", "Salmon", "--format", "ids"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count(BUNDLED_NOTE) == 1
    assert str(REPO / "data") in result.stderr or "data" in result.stderr
    assert BUNDLED_NOTE not in result.stdout  # pipes get only the answer
    lint = runner.invoke(app, ["lint"])
    assert lint.exit_code == 0 and lint.stderr.count(BUNDLED_NOTE) == 1


def test_reading_from_a_data_repository_says_nothing_more(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_data()
    monkeypatch.delenv("DPRKHR_DATA", raising=False)
    monkeypatch.chdir(root.parent)
    result = runner.invoke(app, ["events", "--format", "ids"])
    assert result.exit_code == 0
    assert BUNDLED_NOTE not in result.stderr
    assert BUNDLED_NOTE not in runner.invoke(app, ["--data", str(root), "actors"]).stderr


@pytest.mark.parametrize(
    "args",
    [
        ["new", "event", "--date", "2024", "--type", "meeting", "--title", "A meeting"],
        ["new", "actor", "--name", "Someone New", "--kind", "person"],
        ["fmt"],
        ["fmt", "data/events"],
    ],
)
def test_writing_commands_refuse_the_bundled_dataset(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DPRKHR_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in (REPO / "data").rglob("*.yaml"))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "--data" in result.stderr and "read-only" in result.stderr
    assert sorted(p.name for p in (REPO / "data").rglob("*.yaml")) == before
    assert runner.invoke(app, ["fmt", "--check"]).exit_code == 0  # checking is reading


def test_writing_commands_accept_a_checkout_given_with_data(make_data: MakeData) -> None:
    root = make_data()
    args = ["--data", str(root), "new", "actor", "--name", "Someone New", "--kind", "person"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (root / "actors" / "someone-new.yaml").is_file()


# --- closed pipes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["export", "json"], ["export", "jsonl"], ["events", "--format", "json"], ["lint"]]
)
def test_a_closed_pipe_ends_quietly_with_status_0(args: list[str]) -> None:
    process = subprocess.Popen(
        [*_command(), "--data", str(REPO / "data"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert b"Error" not in error and b"Traceback" not in error


# --- options and messages ---------------------------------------------------------------------


@pytest.mark.parametrize("session", ["abc", "0", "-3", "22.5", "S-"])
def test_resolutions_session_is_validated(root: Path, session: str) -> None:
    result = run(root, "resolutions", "--session", session)
    assert result.exit_code == 2
    assert "--session" in result.stderr and "S-28" in result.stderr


def test_resolutions_session_forms(root: Path) -> None:
    assert run(root, "resolutions", "--session", "22").exit_code == 0
    assert run(root, "resolutions", "--session", "s-28").exit_code == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["new", "source", "--kind", "xml", "--title", "T"], "--kind 'xml': use one of article"),
        (["new", "source", "--kind", "reprot", "--title", "T"], "did you mean `report`"),
        (["new", "actor", "--name", "A B", "--kind", "robot"], "use one of person"),
        (["new", "actor", "--name", "A B", "--kind", "person", "--country", "xx"], "ISO 3166"),
    ],
)
def test_new_speaks_of_options_not_of_pydantic(
    make_data: MakeData, args: list[str], expected: str
) -> None:
    root = make_data()
    result = runner.invoke(app, ["--data", str(root), *args])
    assert result.exit_code == 2
    assert expected in result.stderr
    for pydantic_words in ("Input should", "Value error", "String should", "pattern '^"):
        assert pydantic_words not in result.stderr


def test_lint_names_the_allowed_values_in_its_own_words(make_data: MakeData) -> None:
    root = make_data({"sources/x.yaml": "id: x\ntitle: T\nkind: xml\n"})
    result = runner.invoke(app, ["--data", str(root), "lint", str(root / "sources" / "x.yaml")])
    assert result.exit_code == 1
    assert "`kind`: `xml` is not one of: article, news" in result.stdout
    assert "Input should" not in result.stdout


def test_temporary_file_names_never_reach_messages() -> None:
    from dprkhr.cli import os_error_message

    hidden = OSError(13, "Permission denied", "/data/events/.x.yaml.k2j3h4.tmp")
    assert os_error_message(hidden) == "cannot write in /data/events: Permission denied"
    inside = OSError(28, "No space left on device", "/out/.tables.abc.tmp/events.csv")
    assert os_error_message(inside) == "cannot write in /out: No space left on device"
    shown = OSError(2, "No such file or directory", "/data/events/x.yaml")
    assert os_error_message(shown) == "cannot use /data/events/x.yaml: No such file or directory"


def test_timeline_limit_says_how_many_there_are(root: Path) -> None:
    whole = run(root, "timeline", "--format", "ids").stdout.splitlines()
    assert len(whole) > 2
    cut = run(root, "timeline", "--limit", "2", "--format", "ids")
    assert cut.stdout.splitlines() == whole[:2]
    assert f"showing 2 of {len(whole)}" in cut.stderr
    newest = run(root, "timeline", "--limit", "1", "--sort=-date", "--format", "ids")
    assert newest.stdout.splitlines() == whole[-1:]
    everything = run(root, "timeline", "--limit", str(len(whole)), "--format", "ids")
    assert everything.stdout.splitlines() == whole and "showing" not in everything.stderr


def test_actors_sort(root: Path) -> None:
    by_id = run(root, "actors", "--sort", "id", "-f", "ids").stdout.splitlines()
    assert by_id == sorted(by_id)
    by_events = run(root, "actors", "--sort", "events", "-f", "ids").stdout.splitlines()
    counts = [len(run(root, "events", "--actor", a, "-f", "ids").stdout.split()) for a in by_events]
    assert counts == sorted(counts, reverse=True)
    assert sorted(by_events) == sorted(by_id)


def test_search_sort(root: Path) -> None:
    import csv
    import io

    rows = list(
        csv.DictReader(
            io.StringIO(run(root, "search", "human", "--sort", "date", "-f", "csv").stdout)
        )
    )
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates) and len(dates) > 1
    assert all(r["date"] for r in rows[: len(dates)])  # undated last
    newest = run(root, "search", "human", "--sort=-date", "--limit", "1", "-f", "csv").stdout
    assert next(csv.DictReader(io.StringIO(newest)))["date"] == max(dates)


def test_related_sort(root: Path) -> None:
    import json

    by_name = json.loads(run(root, "related", "Salmon", "--sort", "name", "-f", "json").stdout)
    names = [r["name"] for r in by_name]
    assert len(names) > 1 and names == sorted(names, key=str.casefold)
    latest = json.loads(run(root, "related", "Salmon", "--sort", "latest", "-f", "json").stdout)
    last = [max(e["date"] for e in r["events"]) for r in latest]
    assert last == sorted(last, reverse=True)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["events", "--format", "xml"], "'xml' is not one of: table, json"),
        (["export", "xml"], "'xml' is not one of: json, jsonl"),
        (["stats", "--by", "bogus"], "'bogus' is not one of: year, forum, type, tag"),
        (["--color", "bogus", "events"], "'bogus' is not one of: auto, always, never"),
        (["events", "--limit", "abc"], "not a whole number"),
        (["events", "--limit", "0"], "0 is not a count"),
    ],
)
def test_option_errors_speak_the_users_terms(
    make_data: MakeData, args: list[str], expected: str
) -> None:
    """Typer checks choices and numbers with pydantic: its wording must not reach users."""
    root = make_data()
    result = runner.invoke(app, ["--data", str(root), *args])
    assert result.exit_code == 2
    assert expected in result.stderr
    for pydantic_words in ("Input should", "Value error", "unable to parse"):
        assert pydantic_words not in result.stderr
