"""One filter vocabulary: `events`, `timeline`, `stats` and `export` take the same filters
with the same meanings (one table of cases run through all four); who did what (`--as`,
`--not-as`); the two tracks over time (`stats --by`). Each test builds its dataset."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()

CITE = "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"


def cite(body: str) -> str:
    return textwrap.dedent(body).lstrip("\n") + CITE


FILES = {
    "actors/dprk.yaml": cite(
        """
        id: dprk
        name: Democratic People's Republic of Korea
        kind: state
        aliases: [DPRK, North Korea]
        """
    ),
    "actors/japan.yaml": cite("id: japan\nname: Japan\nkind: state\n"),
    "actors/european-union.yaml": cite(
        "id: european-union\nname: European Union\nkind: organization\naliases: [EU]\n"
    ),
    "events/2014-02-17-coi-report.yaml": cite(
        """
        id: 2014-02-17-coi-report
        date: "2014-02-17"
        type: report
        forum: HRC
        title: Commission of Inquiry report published
        participants: [{actor: dprk, role: subject}, {actor: elizabeth-salmon, role: author}]
        tags: [accountability]
        """
    ),
    "events/2014-12-22-unsc-meeting.yaml": cite(
        """
        id: 2014-12-22-unsc-meeting
        date: "2014-12-22"
        type: meeting
        forum: UNSC
        title: Security Council takes up the situation
        participants:
          - {actor: un-security-council, role: host}
          - {actor: dprk, role: subject}
          - {actor: japan, role: speaker}
        tags: [accountability, human-rights-and-security]
        """
    ),
    "events/2019-05-dprk-statement.yaml": cite(
        """
        id: 2019-05-dprk-statement
        date: "2019-05"
        type: statement
        title: The DPRK rejects the forced repatriation claims
        participants: [{actor: dprk, role: speaker}]
        tags: [engagement]
        """
    ),
    "events/2023-08-17-unsc-briefing.yaml": cite(
        """
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        forum: UNSC
        title: Security Council briefing on human rights
        participants: [{actor: elizabeth-salmon, role: briefer}, {actor: dprk}]
        tags: [human-rights-and-security]
        """
    ),
    "events/2024-03-hrc-dialogue.yaml": cite(
        """
        id: 2024-03-hrc-dialogue
        date: "2024-03"
        type: interactive-dialogue
        forum: HRC
        title: Interactive dialogue on forced repatriation
        participants: [{actor: elizabeth-salmon, role: speaker}, {actor: dprk, role: speaker}]
        resolutions: [res-hrc-2024]
        tags: [accountability, engagement]
        """
    ),
    "resolutions/res-hrc-2014.yaml": cite(
        """
        id: res-hrc-2014
        symbol: A/HRC/RES/25/25
        forum: HRC
        date: "2014-03-28"
        title: Situation of human rights in the DPRK
        sponsors: [japan, european-union]
        tags: [accountability]
        """
    ),
    "resolutions/res-ga-2019.yaml": cite(
        """
        id: res-ga-2019
        symbol: A/RES/74/166
        forum: UNGA
        date: "2019-12-18"
        title: Situation of human rights in the DPRK
        sponsors: [japan]
        tags: [engagement]
        """
    ),
    "resolutions/res-hrc-2024.yaml": cite(
        """
        id: res-hrc-2024
        symbol: A/HRC/RES/55/21
        forum: HRC
        date: "2024-04-04"
        title: Situation of human rights in the DPRK, forced repatriation
        sponsors: [european-union]
        tags: [accountability, engagement]
        """
    ),
}


@pytest.fixture
def root(make_data: MakeData) -> Path:
    return make_data(FILES)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def ok(root: Path, *args: str) -> str:
    code, out, err = run(root, *args)
    assert code == 0, err
    return out


E_COI, E_UNSC, E_STMT, E_BRIEF, E_DIAL = (
    "2014-02-17-coi-report",
    "2014-12-22-unsc-meeting",
    "2019-05-dprk-statement",
    "2023-08-17-unsc-briefing",
    "2024-03-hrc-dialogue",
)
R_2014, R_2019, R_2024 = "res-hrc-2014", "res-ga-2019", "res-hrc-2024"

# filters -> (events, resolutions) they select
CASES: list[tuple[list[str], set[str], set[str]]] = [
    ([], {E_COI, E_UNSC, E_STMT, E_BRIEF, E_DIAL}, {R_2014, R_2019, R_2024}),
    # --tag repeated: all of them; by id or by name, any case
    (["--tag", "Accountability"], {E_COI, E_UNSC, E_DIAL}, {R_2014, R_2024}),
    (["--tag", "accountability", "--tag", "engagement"], {E_DIAL}, {R_2024}),
    # --actor repeated: all of them (events: participants; resolutions: sponsors)
    (["--actor", "DPRK", "--actor", "Japan"], {E_UNSC}, set()),
    (["--actor", "Japan", "--actor", "EU"], set(), {R_2014}),
    (["--actor", "Japan"], {E_UNSC}, {R_2014, R_2019}),
    # --forum repeated: any of them; by code or name
    (["--forum", "UNSC", "--forum", "General Assembly"], {E_UNSC, E_BRIEF}, {R_2019}),
    # --type repeated: any of them; events only
    (["--type", "meeting", "--type", "Briefing"], {E_UNSC, E_BRIEF}, set()),
    (["--since", "2019", "--until", "2023"], {E_STMT, E_BRIEF}, {R_2019}),
    (["--resolution", "A/HRC/RES/55/21"], {E_DIAL}, {R_2024}),
    (["--text", "forced repatriation"], {E_STMT, E_DIAL}, {R_2024}),
    # who did what: roles; a resolution's sponsors take part as `sponsor`
    (["--actor", "DPRK", "--as", "speaker"], {E_STMT, E_DIAL}, set()),
    (["--actor", "DPRK", "--not-as", "subject"], {E_STMT, E_DIAL}, set()),
    (["--actor", "Japan", "--as", "sponsor"], set(), {R_2014, R_2019}),
    (["--actor", "Japan", "--as", "speaker", "--as", "sponsor"], {E_UNSC}, {R_2014, R_2019}),
    (["--actor", "Japan", "--not-as", "sponsor"], {E_UNSC}, set()),
    (["--actor", "DPRK", "--as", "subject", "--forum", "UNSC"], {E_UNSC}, set()),
]


@pytest.mark.parametrize(("args", "events", "resolutions"), CASES, ids=lambda v: repr(v))
def test_the_filters_mean_the_same_in_every_command(
    root: Path, args: list[str], events: set[str], resolutions: set[str]
) -> None:
    assert set(ok(root, "events", *args, "--format", "ids").split()) == events
    timeline = set(ok(root, "timeline", *args, "--format", "ids").split())
    assert timeline == events | resolutions
    counted = json.loads(ok(root, "stats", *args, "--format", "json"))["records"]
    assert (counted["event"], counted["resolution"]) == (len(events), len(resolutions))
    by_year = json.loads(ok(root, "stats", "--by", "year", *args, "--format", "json"))
    assert sum(r["events"] for r in by_year["rows"]) == len(events)
    assert sum(r["resolutions"] for r in by_year["rows"]) == len(resolutions)
    exported = json.loads(ok(root, "export", "json", *args))
    assert {e["id"] for e in exported["events"]} == events
    # the export adds what the selected records point at, so it holds more resolutions
    # only when a selected event names them
    named = {r for e in exported["events"] for r in e["resolutions"]}
    assert resolutions <= {r["id"] for r in exported["resolutions"]} <= resolutions | named


def test_the_export_says_which_filters_made_it(root: Path) -> None:
    exported = json.loads(
        ok(root, "export", "json", "--tag", "Accountability", "--actor", "DPRK", "--as", "subject")
    )
    assert exported["filters"] == {
        "actors": ["dprk"],
        "roles": ["subject"],
        "tags": ["accountability"],
    }


# --- who did what ---------------------------------------------------------------------------


def test_what_the_dprk_said(root: Path) -> None:
    code, out, err = run(root, "events", "--actor", "DPRK", "--as", "speaker", "-f", "ids")
    assert code == 0 and out.split() == [E_STMT, E_DIAL]
    # the briefing names the DPRK without a role: it cannot be judged, and that is said
    assert (
        f"1 more event with dprk record no role for it: --as/--not-as cannot judge it ({E_BRIEF})"
        in err
    )


@pytest.mark.parametrize("command", [["timeline"], ["stats"], ["export", "json"]])
def test_every_command_says_what_roles_it_could_not_judge(root: Path, command: list[str]) -> None:
    code, _out, err = run(root, *command, "--actor", "DPRK", "--not-as", "subject")
    assert code == 0 and "1 more event with dprk record no role for it" in err


@pytest.mark.parametrize("command", [["timeline"], ["stats"], ["export", "json"]])
def test_every_command_says_which_resolutions_record_no_sponsors(
    make_data: MakeData, command: list[str]
) -> None:
    """--actor keeps the resolutions the actor sponsors: one that records no sponsors
    cannot be judged, and the command says so (as `resolutions --sponsor` does)."""
    unsponsored = cite(
        """
        id: res-ga-2020
        symbol: A/RES/75/190
        forum: UNGA
        date: "2020-12-16"
        title: Situation of human rights in the DPRK
        """
    )
    root = make_data({**FILES, "resolutions/res-ga-2020.yaml": unsponsored})
    code, _out, err = run(root, *command, "--actor", "Japan")
    assert code == 0, err
    assert "sponsors are recorded for 3 of 4 resolutions" in err
    assert "res-ga-2020" in err
    code, _out, err = run(root, *command, "--actor", "Japan", "--type", "meeting")
    assert code == 0 and "sponsors" not in err  # no resolution passes --type


def test_roles_are_forgiving_of_case_and_dashes_and_checked(root: Path) -> None:
    assert ok(root, "events", "-a", "dprk", "--as", "SPEAKER", "-f", "ids").split() == [
        E_STMT,
        E_DIAL,
    ]
    code, _out, err = run(root, "events", "-a", "dprk", "--as", "speeker")
    assert code == 2 and "did you mean speaker?" in err
    code, _out, err = run(root, "events", "--as", "speaker")
    assert code == 2 and "name one" in err


# --- the two tracks over time ---------------------------------------------------------------


def test_two_tracks_year_by_year(root: Path) -> None:
    args = [
        "stats",
        "--by",
        "year",
        "--by",
        "tag",
        "--tag",
        "accountability",
        "--tag",
        "engagement",
    ]
    rows = list(csv.DictReader(io.StringIO(ok(root, *args, "--format", "csv"))))
    got = {(r["year"], r["tag"]): (int(r["events"]), int(r["resolutions"])) for r in rows}
    # --tag picks the tags counted (not "all of them"): a record carrying both counts in
    # both; every year from the first to the last, with the empty ones
    assert got == {
        ("2014", "accountability"): (2, 1),
        ("2014", "engagement"): (0, 0),
        **{
            (str(y), t): (0, 0) for y in range(2015, 2019) for t in ("accountability", "engagement")
        },
        ("2019", "accountability"): (0, 0),
        ("2019", "engagement"): (1, 1),
        **{
            (str(y), t): (0, 0) for y in range(2020, 2024) for t in ("accountability", "engagement")
        },
        ("2024", "accountability"): (1, 1),
        ("2024", "engagement"): (1, 1),
    }
    table = ok(root, *args).splitlines()
    assert table[0].split() == ["Year", "accountability", "engagement"]
    assert table[2].split() == ["2014", "3", "0"]
    assert table[-1].split() == ["2024", "2", "2"]
    data = json.loads(ok(root, *args, "--format", "json"))
    assert data["by"] == ["year", "tag"] and len(data["rows"]) == len(rows)


def test_by_one_dimension_and_other_filters(root: Path) -> None:
    rows = json.loads(ok(root, "stats", "--by", "forum", "--format", "json"))["rows"]
    assert rows == [
        {"forum": "HRC", "events": 2, "resolutions": 2, "total": 4},
        {"forum": "UNSC", "events": 2, "resolutions": 0, "total": 2},
        {"forum": "UNGA", "events": 0, "resolutions": 1, "total": 1},
        {"forum": "(none)", "events": 1, "resolutions": 0, "total": 1},
    ]
    rows = json.loads(ok(root, "stats", "--by", "type", "--actor", "DPRK", "-f", "json"))["rows"]
    assert {r["type"]: r["total"] for r in rows} == {
        "report": 1,
        "meeting": 1,
        "statement": 1,
        "briefing": 1,
        "interactive-dialogue": 1,
    }
    # without --by tag, --tag filters as everywhere: all of them
    rows = json.loads(
        ok(
            root,
            "stats",
            "--by",
            "year",
            "--tag",
            "accountability",
            "--tag",
            "engagement",
            "-f",
            "json",
        )
    )["rows"]
    assert [(r["year"], r["total"]) for r in rows] == [(2024, 2)]


def test_years_span_the_window_asked_for(root: Path) -> None:
    args = ["stats", "--by", "year", "--forum", "UNGA", "--since", "2015", "--until", "2021"]
    rows = json.loads(ok(root, *args, "--format", "json"))["rows"]
    assert [(r["year"], r["resolutions"]) for r in rows] == [
        (2015, 0),
        (2016, 0),
        (2017, 0),
        (2018, 0),
        (2019, 1),
        (2020, 0),
        (2021, 0),
    ]


def test_plain_stats_keeps_working(root: Path) -> None:
    out = ok(root, "stats")
    assert out.startswith("Records: 6 actors, 5 events, 3 resolutions, 2 sources")
    code, _out, err = run(root, "stats", "--format", "csv")
    assert code == 2 and "needs --by" in err
    code, _out, err = run(root, "stats", "--by", "year", "--by", "tag", "--by", "forum")
    assert code == 2 and "one or two" in err


def test_timeline_says_which_undated_resolutions_it_cannot_place(make_data: MakeData) -> None:
    """`stats` counts an undated resolution as "(undated)"; `timeline`, which has no
    place for it, says it is left off rather than dropping it silently."""
    undated = cite(
        """
        id: res-undated
        symbol: A/RES/75/190
        forum: UNGA
        title: Situation of human rights in the DPRK
        sponsors: [japan]
        """
    )
    root = make_data({**FILES, "resolutions/res-undated.yaml": undated})
    code, out, err = run(root, "timeline", "--actor", "Japan", "--format", "ids")
    assert code == 0, err
    assert "res-undated" not in out
    assert "1 undated resolution" in err and "res-undated" in err
    code, _out, err = run(root, "timeline", "--actor", "Japan", "--since", "2014")
    assert code == 0 and "1 undated resolution" in err  # nor can --since judge it
    code, _out, err = run(root, "timeline", "--actor", "Japan", "--forum", "HRC")
    assert code == 0 and "undated" not in err  # it is not in HRC


@pytest.mark.parametrize("command", [["stats"], ["stats", "--by", "year"], ["export", "json"]])
def test_since_says_which_undated_resolutions_it_cannot_judge(
    make_data: MakeData, command: list[str]
) -> None:
    undated = cite(
        """
        id: res-undated
        symbol: A/RES/75/190
        forum: UNGA
        title: Situation of human rights in the DPRK
        """
    )
    root = make_data({**FILES, "resolutions/res-undated.yaml": undated})
    code, _out, err = run(root, *command, "--since", "2014")
    assert code == 0, err
    assert "1 undated resolution" in err and "res-undated" in err
    code, _out, err = run(root, *command)
    assert code == 0 and "undated resolution" not in err  # no date filter: nothing to judge
