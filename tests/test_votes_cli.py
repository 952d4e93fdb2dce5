"""`dprkhr votes` on the small votes dataset: one state, one roll call, the matrix, the
changes along a series; every format; names, usage errors, notes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from helpers_votes import run, write_dataset

from dprkhr.dataset import load_dataset
from dprkhr.kb import KnowledgeBase
from dprkhr.votes import LEGEND, Selection, cell, changes, find_ballot, matrix, state_record


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("votes-cli"))


@pytest.fixture(scope="module")
def kb(root: Path) -> KnowledgeBase:
    return KnowledgeBase.from_dataset(load_dataset(root))


def rows_of(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


# --- the core -----------------------------------------------------------------------------


def test_a_state_across_every_record(kb: KnowledgeBase) -> None:
    found = state_record(kb, "china", Selection())
    assert [(r.ballot.id, r.position, r.sponsor) for r in found.rows] == [
        ("res-2013", "no-roll", None),
        ("res-2014", "no", None),
        ("2014-12-22-unsc-agenda-vote", "no", None),
        ("res-2015", "no", None),
        ("res-2016", "dissociated", None),
    ]


def test_positions_say_what_is_not_known(kb: KnowledgeBase) -> None:
    found = {r.ballot.id: r for r in state_record(kb, "dprk", Selection()).rows}
    assert found["res-2014"].position == "absent"
    assert [e.id for e in found["res-2014"].statements] == ["2014-12-18-dprk-statement"]
    assert found["res-2015"].position == "not-recorded"  # partial roll, not named
    assert found["res-2016"].position == "without-vote"
    assert found["2014-12-22-unsc-agenda-vote"].position == "not-in-roll"  # complete roll
    japan = {r.ballot.id: r for r in state_record(kb, "japan", Selection()).rows}
    assert (japan["res-2014"].position, japan["res-2014"].sponsor) == ("yes", "lead")
    assert japan["res-2015"].sponsor == "sponsor"  # a bare id: role not recorded


def test_a_vote_event_has_the_statements_of_its_forum_and_day(kb: KnowledgeBase) -> None:
    found = {r.ballot.id: r for r in state_record(kb, "china", Selection()).rows}
    assert [e.id for e in found["2014-12-22-unsc-agenda-vote"].statements] == [
        "2014-12-22-china-statement"
    ]
    assert found["res-2014"].statements == []


def test_a_bloc_does_not_vote_but_sponsors_and_is_spoken_for(kb: KnowledgeBase) -> None:
    found = {r.ballot.id: r for r in state_record(kb, "european-union", Selection()).rows}
    assert {r.position for r in found.values()} == {"non-voter"}
    assert found["res-2014"].sponsor == "lead"
    assert [e.id for e in found["res-2015"].statements] == ["2015-12-17-eu-statement"]


def test_matrix_cells_tell_no_vote_from_not_recorded(kb: KnowledgeBase) -> None:
    found = matrix(kb, Selection(forums=["UNGA"]))
    assert [b.id for b in found.columns] == ["res-2013", "res-2014", "res-2015", "res-2016"]
    cells = {a.id: c for a, c in found.rows}
    assert cells["china"] == ["?", "N", "N", "D"]
    assert cells["japan"] == ["?", "Y+L", "?+S", "S"]
    assert cells["dprk"] == ["?", "X", "?", ""]
    assert cells["european-union"] == ["", "L", "S", ""]
    assert set(LEGEND) >= {"Y", "N", "A", "X", "D", "L", "C", "S", "?", ""}
    assert cell(find_ballot(kb, "res-2014"), "republic-of-korea") == "Y+C"  # type: ignore[arg-type]
    assert found.left_out == 0


def test_changes_never_count_what_is_not_known(kb: KnowledgeBase) -> None:
    series = changes(kb, Selection())
    found = series.changes
    # 2014-2015: china no-no, russia no-no; 2015-2016: china no-dissociated
    assert series.pairs == 2 and series.compared == 3
    assert [
        (c.actor.id, c.before.id, c.before_position, c.after.id, c.after_position) for c in found
    ] == [("china", "res-2015", "no", "res-2016", "dissociated")]
    # cuba: no (2014) -> not recorded (2015) -> dissociated (2016): never compared with ?


def test_selection_by_forum_and_dates(kb: KnowledgeBase) -> None:
    found = state_record(kb, "china", Selection(forums=["UNSC"]))
    assert [r.ballot.id for r in found.rows] == ["2014-12-22-unsc-agenda-vote"]
    since = Selection(since=None, until=None)
    assert len(state_record(kb, "china", since).rows) == 5


# --- the command: one state ---------------------------------------------------------------


def test_state_table(root: Path) -> None:
    out = run(root, "votes", "China")
    assert out.exit_code == 0, out.output
    assert "China (china)" in out.stdout
    assert "no roll recorded" in out.stdout and "dissociated" in out.stdout
    # the statements: counted in the table, listed below it
    assert "Said" in out.stdout and "Statements (1):" in out.stdout
    assert "[2014-12-22-china-statement]" in out.stdout
    assert "5 records; the vote is not known for 1 of them" in out.stderr


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv"])
def test_state_formats(root: Path, fmt: str) -> None:
    out = run(root, "votes", "Japan", "--format", fmt)
    assert out.exit_code == 0, out.output
    if fmt == "csv":
        items = rows_of(out.stdout)
    else:
        items = json.loads(out.stdout) if fmt == "json" else yaml.safe_load(out.stdout)
    assert [i["record"] for i in items] == [
        "res-2013",
        "res-2014",
        "2014-12-22-unsc-agenda-vote",
        "res-2015",
        "res-2016",
    ]
    first = items[1]
    assert (first["position"], first["sponsor"], first["symbol"]) == ("yes", "lead", "A/RES/69/188")


def test_state_names_are_forgiving_and_near_matches_labelled(root: Path) -> None:
    out = run(root, "votes", "Chnia", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert "a near match" in out.stderr and "china" in out.stderr
    assert rows_of(out.stdout)[0]["state"] == "china"
    unknown = run(root, "votes", "Atlantis")
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output


def test_statements_of_a_state(root: Path) -> None:
    out = run(root, "votes", "dprk", "--format", "json")
    rows = {r["record"]: r for r in json.loads(out.stdout)}
    assert rows["res-2014"]["statements"] == [
        {
            "id": "2014-12-18-dprk-statement",
            "date": "2014-12-18",
            "title": "The DPRK rejects the resolution",
        }
    ]
    assert rows["res-2015"]["vote"] == "not recorded"
    assert rows["res-2016"]["vote"] == "no recorded vote"


def test_limit_says_how_many_are_shown(root: Path) -> None:
    out = run(root, "votes", "China", "--limit", "2", "--format", "csv")
    assert len(rows_of(out.stdout)) == 2
    assert "showing 2 of 5 records" in out.stderr


def test_since_until_and_forum(root: Path) -> None:
    out = run(root, "votes", "China", "--since", "2015", "--forum", "UNGA", "--format", "csv")
    assert [r["record"] for r in rows_of(out.stdout)] == ["res-2015", "res-2016"]


# --- one roll call ------------------------------------------------------------------------


def test_roll_call_complete(root: Path) -> None:
    out = run(root, "votes", "--resolution", "A/RES/69/188")
    assert out.exit_code == 0, out.output
    assert max(len(line) for line in out.stdout.splitlines()) <= 80  # wrapped to the width
    text = " ".join(out.stdout.split())
    assert "Recorded vote: 5 in favour, 3 against, 1 abstaining." in text
    assert "Roll: complete" in text
    assert "Against (3): China, Cuba, Russian Federation" in text
    assert "Absent (1): Democratic People's Republic of Korea" in text
    assert (
        "Sponsors (3): European Union (lead), Japan (lead), Republic of Korea (co-sponsor)" in text
    )
    assert "2014-12-18-dprk-statement" in text


def test_roll_call_partial_says_what_the_page_names(root: Path) -> None:
    out = run(root, "votes", "--resolution", "res-2015")
    assert "Roll: partial: the page names only the 2 states voting against." in out.stdout
    data = json.loads(run(root, "votes", "-r", "res-2015", "-f", "json").stdout)
    assert data["roll"] == "partial"
    assert data["partial"] == "the page names only the 2 states voting against"
    assert data["votes"] == {
        "no": [{"id": "china", "name": "China"}, {"id": "russia", "name": "Russian Federation"}]
    }
    assert data["sponsors"] == [
        {"id": "european-union", "name": "European Union", "role": None},
        {"id": "japan", "name": "Japan", "role": None},
    ]


def test_roll_call_without_a_vote_and_without_a_roll(root: Path) -> None:
    consensus = run(root, "votes", "-r", "A/RES/71/202").stdout
    assert "Adopted without a vote." in consensus and "Dissociated (2): China, Cuba" in consensus
    bare = run(root, "votes", "-r", "A/RES/68/183")
    assert "No roll recorded" in bare.stdout and "Sponsors: not recorded" in bare.stdout
    bare_csv = run(root, "votes", "-r", "A/RES/68/183", "-f", "csv")
    assert "no roll recorded: no page we read names the voters" in bare_csv.stderr


def test_roll_call_csv_and_of_a_vote_event(root: Path) -> None:
    rows = rows_of(run(root, "votes", "-r", "A/RES/69/188", "-f", "csv").stdout)
    assert {(r["state"], r["position"], r["detail"]) for r in rows} >= {
        ("china", "no", ""),
        ("european-union", "sponsor", "lead"),
        ("republic-of-korea", "sponsor", "co-sponsor"),
        ("dprk", "absent", ""),
    }
    event = run(root, "votes", "-r", "2014-12-22-unsc-agenda-vote", "-f", "yaml")
    assert event.exit_code == 0, event.output
    data = yaml.safe_load(event.stdout)
    assert data["record_kind"] == "event" and data["forum"] == "UNSC"
    assert [n["id"] for n in data["votes"]["no"]] == ["china", "russia"]


def test_an_unknown_resolution_is_a_clean_error(root: Path) -> None:
    out = run(root, "votes", "-r", "A/RES/99/999")
    assert out.exit_code != 0 and "Traceback" not in out.output


# --- the matrix and the changes -------------------------------------------------------------


def test_matrix_csv(root: Path) -> None:
    out = run(root, "votes", "--matrix", "--forum", "UNGA", "--format", "csv")
    assert out.exit_code == 0, out.output
    rows = rows_of(out.stdout)
    assert list(rows[0]) == [
        "state",
        "name",
        "A/RES/68/183",
        "A/RES/69/188",
        "A/RES/70/172",
        "A/RES/71/202",
    ]
    china = next(r for r in rows if r["state"] == "china")
    assert list(china.values())[2:] == ["?", "N", "N", "D"]


def test_matrix_json_has_its_legend(root: Path) -> None:
    data = json.loads(run(root, "votes", "--matrix", "-f", "json").stdout)
    assert data["legend"]["?"].startswith("not recorded")
    assert data["legend"][""].startswith("no vote")
    assert [r["id"] for r in data["resolutions"]][:2] == ["res-2013", "res-2014"]
    cells = {s["id"]: s["cells"] for s in data["states"]}
    assert cells["cuba"] == {"res-2013": "?", "res-2014": "N", "res-2015": "?", "res-2016": "D"}


def test_matrix_table_fits_or_says_so(root: Path) -> None:
    out = run(root, "votes", "--matrix")
    assert out.exit_code == 0, out.output
    assert "69/188" in out.stdout and "legend:" in out.stderr


def test_changed(root: Path) -> None:
    out = run(root, "votes", "--changed", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert rows_of(out.stdout) == [
        {
            "state": "china",
            "name": "China",
            "from": "res-2015",
            "from_symbol": "A/RES/70/172",
            "from_date": "2015-12-17",
            "from_position": "no",
            "to": "res-2016",
            "to_symbol": "A/RES/71/202",
            "to_date": "2016-12-19",
            "to_position": "dissociated",
        }
    ]
    table = run(root, "votes", "--matrix", "--changed")
    assert "China" in table.stdout and "never counted as a change" in table.stderr
    assert "1 change in 3 comparisons" in table.stderr
    assert run(root, "votes", "Cuba", "--changed", "-f", "json").stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name a STATE"),
        (["China", "--matrix"], "use one of them"),
        (["--resolution", "res-2014", "--forum", "UNGA"], "--resolution names one"),
        (["--resolution", "res-2014", "--limit", "3"], "--resolution names one"),
        (["China", "--since", "2099-13"], "--since"),
        (["China", "--limit", "0"], "1 or more"),
        (["China", "--format", "xml"], "xml"),
    ],
)
def test_usage_errors(root: Path, args: list[str], message: str) -> None:
    out = run(root, "votes", *args)
    assert out.exit_code == 2, out.output
    assert message in out.output
    assert "Traceback" not in out.output


# --- exports ------------------------------------------------------------------------------


def test_export_sqlite_has_votes_and_sponsorships(root: Path, tmp_path: Path) -> None:
    import sqlite3

    target = tmp_path / "out.sqlite"
    out = run(root, "export", "sqlite", "-o", str(target))
    assert out.exit_code == 0, out.output
    db = sqlite3.connect(target)
    votes = db.execute(
        "SELECT record_type, record_id, resolution_id, event_id, vote, state_id, roll, source_id"
        " FROM votes WHERE state_id = 'china' ORDER BY record_id"
    ).fetchall()
    assert votes == [
        (
            "event",
            "2014-12-22-unsc-agenda-vote",
            None,
            "2014-12-22-unsc-agenda-vote",
            "no",
            "china",
            "complete",
            "press-sc-2014",
        ),
        ("resolution", "res-2014", "res-2014", None, "no", "china", "complete", "press-ga-2014"),
        ("resolution", "res-2015", "res-2015", None, "no", "china", "partial", "press-ga-2015"),
        ("resolution", "res-2016", "res-2016", None, "dissociated", "china", None, None),
    ]
    sponsorships = db.execute(
        "SELECT resolution_id, actor_id, role, source_id FROM sponsorships ORDER BY 1, 2"
    ).fetchall()
    assert sponsorships[:3] == [
        ("res-2014", "european-union", "lead", "press-ga-2014"),
        ("res-2014", "japan", "lead", None),
        ("res-2014", "republic-of-korea", "co-sponsor", None),
    ]
    meta = json.loads((tmp_path / "out.metadata.json").read_text())
    tables = meta["databases"]["out"]["tables"]
    assert tables["votes"]["facets"][:2] == ["vote", "state_id"]
    assert "role" in tables["sponsorships"]["facets"]


def test_export_csv_has_votes_and_sponsorships(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "csv"
    out = run(root, "export", "csv", "-o", str(target))
    assert out.exit_code == 0, out.output
    votes = rows_of((target / "votes.csv").read_text())
    assert len(votes) == 10 + 2 + 5 + 2  # res-2014, res-2015, the UNSC vote, res-2016
    assert {"record_type", "state_id", "vote", "roll"} <= set(votes[0])
    sponsorships = rows_of((target / "sponsorships.csv").read_text())
    assert [(r["resolution_id"], r["actor_id"], r["role"]) for r in sponsorships][-1] == (
        "res-2016",
        "japan",
        "",
    )


def test_a_partial_roll_names_what_it_lists(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    path = root / "resolutions" / "res-2015.yaml"
    path.write_text(
        path.read_text().replace(
            "    no: [china, russia]", "    yes: [france]\n    no: [china, russia]"
        )
    )
    data = json.loads(run(root, "votes", "-r", "res-2015", "-f", "json").stdout)
    assert data["partial"] == (
        "the page names only 1 of the 5 voting in favour and the 2 states voting against"
    )


def test_roll_call_from_several_pages_says_pages(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    path = root / "resolutions" / "res-2015.yaml"
    path.write_text(
        path.read_text()
        .replace("roll_source: press-ga-2015", "roll_source: [press-ga-2015, press-c3-2014]")
        .replace(
            "sources:\n",
            "sources:\n  - source: press-c3-2014\n    quote: China and Russia voted against\n",
        )
    )
    out = run(root, "votes", "--resolution", "res-2015")
    assert "Roll: partial: the pages name only the 2 states voting against." in out.stdout
    assert "Names from: press-ga-2015, press-c3-2014" in out.stdout
    data = json.loads(run(root, "votes", "-r", "res-2015", "-f", "json").stdout)
    assert data["roll_sources"] == ["press-ga-2015", "press-c3-2014"]


def test_a_vote_event_restating_its_resolution_is_one_ballot(tmp_path: Path) -> None:
    """An HRC vote event that only names voters by role and is linked to the resolution
    of its forum and day tells the same vote again: the state's record lists it once."""
    root = write_dataset(
        tmp_path,
        {
            "events/2014-12-18-ga-vote.yaml": """
id: 2014-12-18-ga-vote
date: "2014-12-18"
type: vote
forum: UNGA
title: The Assembly votes on its DPRK text
participants:
  - actor: china
    role: voted-against
resolutions: [res-2014]
sources:
  - source: press-ga-2014
    quote: adopted by a recorded vote of 5 in favour to 3 against, with 1 abstention
"""
        },
    )
    data = json.loads(run(root, "votes", "china", "-f", "json").stdout)
    ids = [row["record"] for row in data]
    assert "res-2014" in ids and "2014-12-18-ga-vote" not in ids
