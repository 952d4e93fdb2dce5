"""Exports read by the clients users pair them with: the Popolo export validated against
the published Popolo JSON schemas (format checks on); the calendar re-read by icalendar
after a record changes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers_export import load_kb, make_dataset
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from dprkhr.export import run_export

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled() -> Any:
    return load_kb(REPO / "data")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_kb(make_dataset(tmp_path_factory.mktemp("kb")))


def text_export(kb: Any, name: str) -> str:
    stream = io.StringIO(newline="")
    run_export(kb, name, stdout=stream)
    return stream.getvalue()


# -- Popolo ----------------------------------------------------------------------------

POPOLO_SCHEMAS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in (REPO / "tests" / "schemas" / "popolo").glob("*.json")
}
POPOLO_REGISTRY = Registry().with_resources(
    (schema["id"], Resource.from_contents(schema, default_specification=DRAFT3))
    for schema in POPOLO_SCHEMAS.values()
)
COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "events": "event",
    "motions": "motion",
    "vote_events": "vote_event",
}


def popolo_errors(document: dict[str, Any]) -> list[str]:
    errors = []
    for collection, kind in COLLECTIONS.items():
        validator = Draft3Validator(
            POPOLO_SCHEMAS[kind],
            registry=POPOLO_REGISTRY,
            format_checker=Draft3Validator.FORMAT_CHECKER,
        )
        for item in document[collection]:
            errors += [f"{collection} {item.get('id')}: {e.message}" for e in validator.iter_errors(item)]  # fmt: skip
    return errors


def test_format_checks_are_on() -> None:
    checkers = Draft3Validator.FORMAT_CHECKER.checkers
    assert {"date-time", "uri"} <= set(checkers), "pip install jsonschema[format-nongpl]"
    validator = Draft3Validator(POPOLO_SCHEMAS["motion"], format_checker=Draft3Validator.FORMAT_CHECKER)  # fmt: skip
    assert not validator.is_valid({"date": "2014-03-28"})


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_popolo_validates_against_the_published_schemas(which: str, request: Any) -> None:
    document = json.loads(text_export(request.getfixturevalue(which), "popolo"))
    assert popolo_errors(document) == []
    assert all(document[c] for c in COLLECTIONS) or which == "small"


def test_popolo_each_body_is_one_organization(bundled: Any) -> None:
    document = json.loads(text_export(bundled, "popolo"))
    organizations = document["organizations"]
    ids = Counter(o["id"] for o in organizations)
    assert [i for i, n in ids.items() if n > 1] == []
    names = Counter(o["name"] for o in organizations)
    assert [n for n, c in names.items() if c > 1] == []
    hrc = next(o for o in organizations if o["id"] == "hrc")
    assert {"scheme": "dprkhr-forum", "identifier": "HRC"} in hrc["identifiers"]
    assert "forum:HRC" not in ids
    known = set(ids)
    for collection in ("events", "motions", "vote_events", "memberships"):
        for item in document[collection]:
            if "organization_id" in item:
                assert item["organization_id"] in known, item
    motions = {m["id"]: m for m in document["motions"]}
    assert motions["a-hrc-res-22-13"]["organization_id"] == "hrc"


def test_popolo_dates_time_only_what_is_known(bundled: Any) -> None:
    document = json.loads(text_export(bundled, "popolo"))
    for motion in document["motions"]:
        recorded = motion.get("date_as_recorded")
        if recorded and len(recorded) == 10:
            assert motion["date"] == f"{recorded}T00:00:00Z"
        else:
            assert "date" not in motion  # a year or month has no date-time
    partial = [m for m in document["motions"] if len(m.get("date_as_recorded", "")) < 10]
    assert partial, "the bundled dataset has resolutions dated to the year"


# -- iCalendar -------------------------------------------------------------------------


def _git(cwd: Path, *args: str, date: str = "2020-01-01T00:00:00Z") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _calendar(root: Path) -> dict[str, Any]:
    import icalendar

    kb = load_kb(root)
    stream = io.StringIO(newline="")
    run_export(kb, "ics", stdout=stream, data_root=root)
    calendar = icalendar.Calendar.from_ical(stream.getvalue())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _stamps(event: Any) -> tuple[Any, Any, int]:
    return (event["DTSTAMP"].dt, event["LAST-MODIFIED"].dt, int(event["SEQUENCE"]))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_calendar_sees_a_changed_record_as_changed(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "first")
    before = _calendar(root)
    assert {uid: e.to_ical() for uid, e in _calendar(root).items()} == {
        uid: e.to_ical() for uid, e in before.items()
    }
    changed_uid = "2023-08-17-council-briefing@dprkhr"
    stamp, modified, sequence = _stamps(before[changed_uid])
    assert sequence == 0 and stamp == modified == dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    path = root / "events" / "2023-08-17-council-briefing.yaml"
    path.write_text(path.read_text("utf-8").replace("title: ", "title: Renamed "), "utf-8")
    # changed in the working copy: one revision more, dated by the file
    dirty = _calendar(root)
    assert _stamps(dirty[changed_uid])[2] == 1
    assert dirty[changed_uid]["DTSTAMP"].dt > stamp
    assert str(dirty[changed_uid]["SUMMARY"]).startswith("Renamed")
    _git(tmp_path, "commit", "-q", "-am", "second", date="2025-01-01T00:00:00Z")
    after = _calendar(root)
    new_stamp, new_modified, new_sequence = _stamps(after[changed_uid])
    assert new_sequence == 1 and new_stamp > stamp and new_modified == new_stamp
    assert new_stamp == dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for uid, event in after.items():  # the others are unchanged, byte for byte
        if uid != changed_uid:
            assert _stamps(event) == _stamps(before[uid])
            assert event.to_ical() == before[uid].to_ical()


def test_calendar_without_git_dates_records_by_their_files(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    path = root / "events" / "2023-08-17-council-briefing.yaml"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    event = _calendar(root)["2023-08-17-council-briefing@dprkhr"]
    assert _stamps(event) == (
        dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc),
        dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc),
        0,
    )


# -- Graphviz --------------------------------------------------------------------------


def _svg_size(svg: str) -> tuple[float, float]:
    import re

    match = re.search(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    assert match, svg[:300]
    return float(match.group(1)), float(match.group(2))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
@pytest.mark.parametrize("bipartite", [True, False])
def test_dot_renders_readably_with_graphviz(bundled: Any, bipartite: bool) -> None:
    """`dot -Tsvg` on the bundled dataset: no strip 50,000 points wide (the layered
    layout put all 103 events in one rank), but a picture of sane proportions."""
    from dprkhr.export import ExportOptions

    stream = io.StringIO(newline="")
    run_export(bundled, "dot", stdout=stream, options=ExportOptions(bipartite=bipartite))
    done = subprocess.run(
        ["dot", "-Tsvg"], input=stream.getvalue(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    width, height = _svg_size(done.stdout)
    assert width < 6000 and height < 6000, (width, height)
    assert 1 / 3 < width / height < 3, (width, height)


# -- datasette -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(bundled: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundled dataset's SQLite export, with the metadata written beside it, in
    datasette (its Python API: the same views `datasette dprkhr.sqlite -m ...` serves)."""
    from datasette.app import Datasette

    folder = tmp_path_factory.mktemp("datasette")
    database = folder / "dprkhr.sqlite"
    result = run_export(bundled, "sqlite", output=database)
    assert result.companion == folder / "dprkhr.metadata.json"
    metadata = json.loads(result.companion.read_text(encoding="utf-8"))
    return Datasette([str(database)], metadata=metadata)


def _get(ds: Any, path: str) -> Any:
    import asyncio

    async def fetch() -> Any:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return asyncio.run(fetch())


def test_datasette_reads_the_metadata(served: Any) -> None:
    from dprkhr.export.tables import TABLES

    assert served.metadata("title") == "dprkhr: human rights in North Korea"
    for table in TABLES:
        assert served.table_metadata("dprkhr", table.name)["description"] == table.doc
    events = _get(served, "/dprkhr/events.json?_size=0")
    assert {"type", "forum"} <= set(events["facet_results"])
    assert events["query"]["sql"].endswith("order by first_day desc, id limit 1") or (
        "first_day desc" in events["query"]["sql"]
    )


def test_datasette_follows_links_show_each_resolutions_symbol(served: Any) -> None:
    rows = _get(
        served, "/dprkhr/resolutions.json?_shape=objects&_labels=on&follows__notblank=1&_size=max"
    )["rows"]
    assert len(rows) > 10
    labels = {r["follows"]["value"]: r["follows"]["label"] for r in rows}
    assert len(set(labels.values())) == len(labels) > 10, "each link names its own resolution"
    found = _get(served, "/dprkhr.json?sql=select+id,+symbol,+title+from+resolutions&_shape=array")
    symbols = {r["id"]: r["symbol"] for r in found}
    for row in rows:
        target, label = row["follows"]["value"], row["follows"]["label"]
        assert label == symbols[target] or (symbols[target] is None and label.endswith(")"))


def test_datasette_sorts_sessions_and_pages_as_numbers(served: Any) -> None:
    rows = _get(
        served,
        "/dprkhr/resolutions.json?_shape=objects&_sort=session&session__notblank=1&_size=max",
    )["rows"]
    sessions = [r["session"] for r in rows]
    assert all(isinstance(s, int) for s in sessions) and sessions == sorted(sessions)
    assert sessions[:4] == sorted(sessions)[:4] and 3 in sessions and 10 in sessions
    pages = _get(
        served, "/dprkhr/citations.json?_shape=objects&_sort=page&page__notblank=1&_size=max"
    )["rows"]
    assert pages and all(isinstance(r["page"], int) for r in pages)


def test_datasette_record_pages_list_the_citations_pointing_at_them(served: Any) -> None:
    for table, key in (("events", "event_id"), ("resolutions", "resolution_id"), ("actors", "actor_id")):  # fmt: skip
        record = _get(
            served,
            f"/dprkhr.json?sql=select+record_id,+count(*)+as+n+from+citations+"
            f"where+record_type='{table[:-1]}'+group+by+1+order+by+2+desc+limit+1&_shape=array",
        )[0]
        page = _get(
            served, f"/dprkhr/{table}/{record['record_id']}.json?_extras=foreign_key_tables"
        )
        incoming = {(t["other_table"], t["other_column"]): t["count"] for t in page["foreign_key_tables"]}  # fmt: skip
        assert incoming[("citations", key)] == record["n"] > 0
