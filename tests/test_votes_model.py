"""The record format of roll calls, sponsors and dissociations (issue 16): the models, the
JSON Schemas, references, canonical form, and every reader of `sponsors`."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import jsonschema
import pytest
from helpers_votes import run, write_dataset
from pydantic import ValidationError

from dprkhr.dataset import load_dataset
from dprkhr.fmt import format_text
from dprkhr.kb import iter_references
from dprkhr.lint import LintConfig, lint_dataset
from dprkhr.models import Event, Resolution, SponsorId
from dprkhr.schema import schema_for
from dprkhr.yamlio import parse_text


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("votes-model"))


def _resolution(**fields: object) -> Resolution:
    return Resolution.model_validate({"id": "r", **fields})


def test_the_dataset_lints_clean(root: Path) -> None:
    assert lint_dataset(load_dataset(root), LintConfig()).problems == []


def test_sponsors_in_both_forms_are_ids_with_roles() -> None:
    r = _resolution(sponsors=["japan", {"actor": "european-union", "role": "lead", "source": "s"}])
    assert r.sponsors == ["japan", "european-union"]
    assert all(isinstance(s, SponsorId) for s in r.sponsors)
    assert [(s.role, s.source) for s in r.sponsors] == [(None, None), ("lead", "s")]
    assert {"japan", "european-union"}.issubset(r.sponsors)
    # written back as they were given: a bare id stays bare
    assert r.model_dump(mode="json")["sponsors"] == [
        "japan",
        {"actor": "european-union", "role": "lead", "source": "s"},
    ]
    again = pickle.loads(pickle.dumps(r))
    assert again.sponsors[1].role == "lead"


@pytest.mark.parametrize(
    ("sponsors", "loc"),
    [
        ([{"actor": "japan", "role": "leader"}], ("sponsors", 0, "role")),
        ([{"role": "lead"}], ("sponsors", 0, "actor")),
        (["Japan"], ("sponsors", 0, "actor")),
        ([3], ("sponsors", 0)),
        ([{"actor": "japan", "rol": "lead"}], ("sponsors", 0, "rol")),
    ],
)
def test_bad_sponsors_are_schema_errors(sponsors: list[object], loc: tuple) -> None:
    with pytest.raises(ValidationError) as caught:
        _resolution(sponsors=sponsors)
    assert caught.value.errors()[0]["loc"] == loc


def test_roll_call_fields() -> None:
    r = _resolution(
        adoption={
            "method": "vote",
            "yes": 2,
            "no": 1,
            "roll": "partial",
            "roll_source": "s",
            "votes": {"no": ["china"]},
        }
    )
    assert r.adoption is not None and r.adoption.votes is not None
    assert r.adoption.roll is not None and r.adoption.roll.value == "partial"
    assert r.adoption.votes.groups() == [("no", ["china"])]
    assert r.adoption.votes.position_of("china") == "no"
    assert r.adoption.votes.position_of("japan") is None
    assert r.adoption.votes.yes is None  # not named by the page, not "nobody"
    with pytest.raises(ValidationError):
        _resolution(adoption={"method": "vote", "roll": "most"})
    with pytest.raises(ValidationError):
        _resolution(adoption={"method": "vote", "votes": {"against": ["china"]}})


def test_a_vote_event_takes_an_adoption_block() -> None:
    event = Event.model_validate(
        {
            "id": "e",
            "date": "2014-12-22",
            "type": "vote",
            "title": "A procedural vote",
            "adoption": {"method": "vote", "yes": 11, "no": 2, "abstain": 2},
        }
    )
    assert event.adoption is not None and event.adoption.yes == 11


def test_the_json_schemas_accept_and_refuse_as_the_models_do(root: Path) -> None:
    checked = 0
    for kind, folder in (("resolution", "resolutions"), ("event", "events")):
        for path in sorted((root / folder).glob("*.yaml")):
            jsonschema.validate(parse_text(path.read_text()).data, schema_for(kind))
            checked += 1
    assert checked == 8
    schema = schema_for("resolution")
    bad = {"id": "r", "sponsors": [{"actor": "japan", "role": "leader"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "r", "adoption": {"method": "vote", "roll": "x"}}, schema)


def test_roll_ids_sponsors_and_their_sources_are_references(root: Path) -> None:
    dataset = load_dataset(root)
    records = {loaded.record.id: loaded.record for loaded in dataset.files if loaded.record}
    refs = {(r.target_kind, r.target, r.loc) for r in iter_references(records["res-2014"])}
    assert ("actor", "dprk", ("adoption", "votes", "absent", 0)) in refs
    assert ("source", "press-ga-2014", ("adoption", "roll_source")) in refs
    assert ("actor", "european-union", ("sponsors", 0)) in refs
    assert ("source", "press-ga-2014", ("sponsors", 0, "source")) in refs
    event_refs = {r.target for r in iter_references(records["2014-12-22-unsc-agenda-vote"])}
    assert {"united-kingdom", "press-sc-2014"} <= event_refs
    # raw data of a record that failed validation: bare and mapping sponsors alike
    raw = {"sponsors": ["japan", {"actor": "cuba", "source": "s"}, {"role": "lead"}]}
    assert [(r.target, r.loc) for r in iter_references(raw, "resolution")] == [
        ("japan", ("sponsors", 0)),
        ("cuba", ("sponsors", 1, "actor")),
        ("s", ("sponsors", 1, "source")),
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "no: [china, cuba, russia]",
            "no: [china, cubaa, russia]",
            "unknown actor `cubaa`",
        ),
        ("roll_source: press-ga-2014", "roll_source: press-ga-2041", "unknown source"),
        ("source: press-ga-2014\n", "source: press-ga-2041\n", "unknown source"),
        (
            "  - actor: japan\n    role: lead",
            "  - actor: japann\n    role: lead",
            "unknown actor `japann`",
        ),
    ],
)
def test_dangling_ids_in_rolls_and_sponsors_are_reported(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    root = write_dataset(tmp_path)
    path = root / "resolutions" / "res-2014.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    problems = lint_dataset(load_dataset(root), LintConfig()).problems
    assert [p.code for p in problems if message in p.message] == ["DPK201"], problems


def test_fmt_puts_the_new_fields_in_canonical_order() -> None:
    text = (
        "id: r\nadoption:\n  votes:\n    no: [china]\n    yes: [japan]\n"
        "  roll_source: s\n  roll: partial\n  method: vote\n"
        "sponsors:\n  - role: lead\n    actor: japan\n  - cuba\n"
    )
    out = format_text(text, "resolution")
    assert out == (
        "id: r\nadoption:\n  method: vote\n  roll: partial\n  roll_source: s\n  votes:\n"
        "    yes: [japan]\n    no: [china]\nsponsors:\n  - actor: japan\n    role: lead\n"
        "  - cuba\n"
    )


def test_every_reader_of_sponsors_takes_the_mapping_form(root: Path) -> None:
    out = run(root, "resolutions", "--sponsor", "European Union", "--format", "ids")
    assert out.exit_code == 0, out.output
    assert out.stdout.split() == ["res-2014", "res-2015"]
    shown = run(root, "resolutions", "--sponsor", "EU", "--format", "json")
    data = json.loads(shown.stdout)
    assert data[0]["sponsors"][0] == {
        "actor": "european-union",
        "role": "lead",
        "source": "press-ga-2014",
    }
    assert run(root, "show", "european-union").exit_code == 0
    table = run(root, "resolutions", "--sponsor", "Japan", "--format", "csv")
    assert "European Union" in table.stdout
    assert run(root, "stats").exit_code == 0
    events = run(root, "events", "--actor", "European Union", "--format", "ids")
    assert events.exit_code == 0, events.output
