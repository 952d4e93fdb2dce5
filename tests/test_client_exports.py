"""Exports read by the clients users pair them with: the Popolo export validated against
the published Popolo JSON schemas (format checks on)."""

from __future__ import annotations

import io
import json
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
